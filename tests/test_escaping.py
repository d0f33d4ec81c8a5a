"""Markup, quotes, emoji and non-ASCII text survive JSON and XML unchanged."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

NAMES = [
    "<b>Alerts</b> & 'more' \"quoted\"",
    "]]><script>alert(1)</script>",
    "Café \u2013 Ünïcödé 日本語",
    "emoji 👋🏽📣",
    "&amp; already escaped &lt;",
    "tab\there",
]
URLS = [
    "https://example.com/sms?a=1&b=<x>&c=\"q\"&d='s'",
    "https://exämple.com/päth/😀?q=é",
]


@pytest.fixture
def short_code(twilio_shortcodes):
    return twilio_shortcodes.add_short_code("12345")


def paths(mock, sid):
    account = mock.account_sid
    return {
        "2010 json": f"https://api.twilio.com/2010-04-01/Accounts/{account}/SMS/ShortCodes/{sid}.json",
        "2010 xml": f"https://api.twilio.com/2010-04-01/Accounts/{account}/SMS/ShortCodes/{sid}.xml",
        "2010 bare": f"https://api.twilio.com/2010-04-01/Accounts/{account}/SMS/ShortCodes/{sid}",
        "2008": f"https://api.twilio.com/2008-08-01/Accounts/{account}/SMS/ShortCodes/{sid}",
    }


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("url", URLS)
def test_round_trip_through_every_format(twilio_shortcodes, twilio_client, short_code, name, url):
    updated = (
        twilio_client.api.v2010.accounts(twilio_shortcodes.account_sid)
        .short_codes(short_code)
        .update(friendly_name=name, sms_url=url, sms_fallback_url=url)
    )
    assert (updated.friendly_name, updated.sms_url) == (name, url)
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    for label, address in paths(twilio_shortcodes, short_code).items():
        response = requests.get(address, auth=auth)
        assert response.status_code == 200, label
        if label == "2010 json":
            body = response.json()
            seen = (body["friendly_name"], body["sms_url"], body["sms_fallback_url"])
        else:
            element = ET.fromstring(response.content).find(
                "ShortCode"
            )  # well-formed, or this raises
            seen = (
                element.findtext("FriendlyName"),
                element.findtext("SmsUrl"),
                element.findtext("SmsFallbackUrl"),
            )
        assert seen == (name, url, url), label


def test_xml_lists_escape_filter_values_in_their_uris(twilio_shortcodes, short_code):
    twilio_shortcodes.add_short_code("54321", friendly_name="A&B <c>")
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes.xml"
    response = requests.get(url, params={"FriendlyName": "A&B <c>", "PageSize": 1}, auth=auth)
    page = ET.fromstring(response.content).find("ShortCodes")
    assert page.get("uri").endswith("FriendlyName=A%26B%20%3Cc%3E&PageSize=1&Page=0")
    assert [e.findtext("FriendlyName") for e in page] == ["A&B <c>"]


@pytest.mark.parametrize("name", ["bell\x07", "nul\x00", "esc\x1b[0m"])
def test_control_characters_are_refused(twilio_shortcodes, short_code, name):
    before = twilio_shortcodes.snapshot()
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    response = requests.post(
        paths(twilio_shortcodes, short_code)["2010 json"], data={"FriendlyName": name}, auth=auth
    )
    assert (response.status_code, response.json()["code"]) == (400, 20001)
    assert twilio_shortcodes.snapshot() == before


def test_a_lone_surrogate_seeded_from_python_is_escaped_not_a_crash(twilio_shortcodes):
    # Only the Python API can store one (HTTP input is decoded with replacement); UTF-8
    # cannot carry it, so JSON escapes it and XML replaces it, as with control characters.
    sid = twilio_shortcodes.add_short_code("12345", friendly_name="half \ud83d")
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    urls = paths(twilio_shortcodes, sid)
    response = requests.get(urls["2010 json"], auth=auth)
    assert response.status_code == 200
    assert b'"half \\ud83d"' in response.content
    element = ET.fromstring(requests.get(urls["2008"], auth=auth).content).find("ShortCode")
    assert element.findtext("FriendlyName") == "half \ufffd"
    assert not twilio_shortcodes.response_failures
