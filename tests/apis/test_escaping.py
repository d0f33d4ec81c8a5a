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
    "carriage\rreturn",  # XML parsers read a raw CR as LF: written as &#13;
    "crlf\r\nand lf\nand\r",
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


# What XML 1.0 cannot carry at all, even escaped (a lone surrogate cannot come over HTTP:
# bytes that are not UTF-8 are read as U+FFFD).
NOT_XML = ["bell\x07", "nul\x00", "esc\x1b[0m", "unit\x1f", "non\ufffecharacter", "\uffff"]


@pytest.mark.parametrize("text", NOT_XML)
@pytest.mark.parametrize("label", ["2010 json", "2010 xml", "2010 bare", "2008"])
def test_what_xml_cannot_carry_is_refused_on_every_route(
    twilio_shortcodes, short_code, text, label
):
    before = twilio_shortcodes.snapshot()
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    url = paths(twilio_shortcodes, short_code)[label]
    for param, code in (("FriendlyName", 20001), ("SmsUrl", 21502), ("SmsFallbackUrl", 21502)):
        value = text if param == "FriendlyName" else f"https://example.com/{text}"
        response = requests.post(url, data={param: value}, auth=auth)
        if label == "2010 json":
            seen = (response.json()["status"], response.json()["code"])
        else:
            error = ET.fromstring(response.content).find("RestException")
            seen = (int(error.findtext("Status")), int(error.findtext("Code")))
        assert (response.status_code, *seen) == (400, 400, code), (param, value)
    assert twilio_shortcodes.snapshot() == before


@pytest.mark.parametrize("text", [*NOT_XML, "lone \ud800 surrogate"])
def test_seeding_refuses_what_xml_cannot_carry(twilio_shortcodes, text):
    for attribute in ("friendly_name", "sms_url", "sms_fallback_url"):
        with pytest.raises(ValueError, match=f"{attribute} .* XML 1.0 cannot carry"):
            twilio_shortcodes.add_short_code("12345", **{attribute: text})
    assert twilio_shortcodes.snapshot()["short_codes"] == {}


def test_lists_round_trip_carriage_returns_too(twilio_shortcodes):
    name = "a\r\nb\rc\td"
    twilio_shortcodes.add_short_code("12345", friendly_name=name)
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    base = f"https://api.twilio.com/{{}}/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes"
    for version, ext in (("2010-04-01", ".xml"), ("2008-08-01", "")):
        response = requests.get(base.format(version) + ext, auth=auth)
        items = ET.fromstring(response.content).find("ShortCodes")
        assert [item.findtext("FriendlyName") for item in items] == [name], version
