"""The account's short codes: 2010-04-01 in JSON (SDK) and XML, and 2008-08-01 in XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from tests.conftest import assert_twilio_error

API = "https://api.twilio.com"


@pytest.fixture
def account(twilio_shortcodes):
    return twilio_shortcodes.account_sid


@pytest.fixture
def sc(twilio_shortcodes):
    return twilio_shortcodes.add_short_code(
        "67898",
        sms_url="http://smsapp.com/sms",
        sms_fallback_url="http://smsapp.com/fallback",
        sms_fallback_method="GET",
    )


def v2010(account, suffix=""):
    return f"{API}/2010-04-01/Accounts/{account}/SMS/ShortCodes{suffix}"


def v2008(account, suffix=""):
    return f"{API}/2008-08-01/Accounts/{account}/SMS/ShortCodes{suffix}"


def parse_xml(response):
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.text.startswith("<?xml version='1.0' encoding='UTF-8'?><TwilioResponse>")
    root = ET.fromstring(response.content)
    assert root.tag == "TwilioResponse"
    return root


def fields(element):
    return {child.tag: child.text for child in element}


def xml_error(response, status, code):
    assert response.status_code == status, response.text
    exception = parse_xml(response).find("RestException")
    found = fields(exception)
    assert found["Status"] == str(status)
    assert found["Code"] == str(code)
    assert found["MoreInfo"] == f"https://www.twilio.com/docs/errors/{code}"
    return found


# -- JSON through the SDK -----------------------------------------------------------------


def test_fetch_through_the_sdk(twilio_client, account, sc):
    fetched = twilio_client.api.v2010.accounts(account).short_codes(sc).fetch()
    assert fetched.sid == sc
    assert fetched.account_sid == account
    assert fetched.short_code == "67898"
    assert fetched.friendly_name == "67898"  # defaults to the number
    assert fetched.api_version == "2010-04-01"
    assert (fetched.sms_url, fetched.sms_method) == ("http://smsapp.com/sms", "POST")
    assert (fetched.sms_fallback_url, fetched.sms_fallback_method) == (
        "http://smsapp.com/fallback",
        "GET",
    )
    assert fetched.uri == f"/2010-04-01/Accounts/{account}/SMS/ShortCodes/{sc}.json"
    assert isinstance(fetched.date_created, datetime)
    assert fetched.date_created.utcoffset() == timedelta(0)  # UTC (twilio < 9 uses pytz.utc)
    assert twilio_client.short_codes(sc).fetch().sid == sc  # the account shortcut


def test_wire_format(api, account, sc):
    body = api.get(v2010(account, f"/{sc}.json")).json()
    assert list(body) == [
        "account_sid",
        "api_version",
        "date_created",
        "date_updated",
        "friendly_name",
        "short_code",
        "sid",
        "sms_fallback_method",
        "sms_fallback_url",
        "sms_method",
        "sms_url",
        "uri",
    ]
    assert re.fullmatch(
        r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000", body["date_created"]
    )


def test_update_through_the_sdk(twilio_shortcodes, twilio_client, account, sc):
    short_code = twilio_client.api.v2010.accounts(account).short_codes(sc)
    before = short_code.fetch()
    twilio_shortcodes.advance_clock(90)
    updated = short_code.update(
        friendly_name="Alerts",
        api_version="2008-08-01",
        sms_url="https://example.com/in",
        sms_method="GET",
        sms_fallback_url="https://example.com/fallback",
        sms_fallback_method="POST",
    )
    assert updated.friendly_name == "Alerts"
    assert updated.api_version == "2008-08-01"
    assert (updated.sms_url, updated.sms_method) == ("https://example.com/in", "GET")
    assert (updated.sms_fallback_url, updated.sms_fallback_method) == (
        "https://example.com/fallback",
        "POST",
    )
    assert updated.date_created == before.date_created
    assert (updated.date_updated - before.date_updated).total_seconds() == 90
    assert short_code.fetch().friendly_name == "Alerts"
    # Only what is sent changes; an empty URL clears it.
    cleared = short_code.update(sms_url="")
    assert cleared.sms_url is None
    assert cleared.friendly_name == "Alerts"


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"friendly_name": "x" * 65}, 400, 20001),
        ({"api_version": "2012-01-01"}, 400, 20001),
        ({"sms_method": "PUT"}, 400, 21403),
        ({"sms_fallback_method": "get"}, 400, 21403),
        ({"sms_url": "not a url"}, 400, 21502),
        ({"sms_fallback_url": "ftp://example.com"}, 400, 21502),
        # Whitespace and control characters, as ECMA-262 reads the schema's pattern.
        ({"sms_url": "https://example.com/x\n"}, 400, 21502),
        ({"sms_url": "https://example.com/\x85"}, 400, 21502),
        ({"sms_fallback_url": "https://example.com/\ufeff"}, 400, 21502),
    ],
)
def test_invalid_update_changes_nothing(twilio_client, api, account, sc, changes, status, code):
    before = api.get(v2010(account, f"/{sc}.json")).json()
    # A valid field sent beside the invalid one is not applied either.
    valid = {"friendly_name": "Changed"} if "friendly_name" not in changes else {"sms_url": ""}
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.api.v2010.accounts(account).short_codes(sc).update(**valid, **changes)
    assert (caught.value.status, caught.value.code) == (status, code)
    assert api.get(v2010(account, f"/{sc}.json")).json() == before


def test_list_with_filters_over_several_pages(twilio_shortcodes, twilio_client, account):
    numbers = ["12345", "12399", "21234", "99120", "123456", "55555", "71203"]
    sids = {n: twilio_shortcodes.add_short_code(n) for n in numbers}
    twilio_shortcodes.add_short_code("44444", friendly_name="Support")
    twilio_shortcodes.add_short_code("44445", friendly_name="Support")
    twilio_shortcodes.add_short_code("44446", friendly_name="Support line")
    short_codes = twilio_client.api.v2010.accounts(account).short_codes

    def numbers_of(**filters):
        return [sc.short_code for sc in short_codes.list(**filters)]

    # Partial digits match anywhere in the number; "*" is any one digit.
    assert numbers_of(short_code="12*", page_size=2) == [
        "12345",
        "12399",
        "21234",
        "99120",
        "123456",
        "71203",
    ]
    assert numbers_of(short_code="123") == ["12345", "12399", "21234", "123456"]
    assert numbers_of(short_code="*1*0*") == ["71203"]
    assert numbers_of(short_code="9*12") == ["99120"]
    assert numbers_of(short_code="67898") == []
    assert numbers_of(friendly_name="Support", page_size=1) == ["44444", "44445"]
    assert numbers_of(friendly_name="Support", short_code="*5") == ["44445"]
    assert [sc.sid for sc in short_codes.list(page_size=3)][:7] == list(sids.values())
    assert len(short_codes.list(page_size=4)) == 10


def test_list_envelope(twilio_shortcodes, api, account):
    sids = [twilio_shortcodes.add_short_code(str(12000 + i)) for i in range(5)]
    first = api.get(v2010(account, ".json"), params={"ShortCode": "12*", "PageSize": 2}).json()
    base = f"/2010-04-01/Accounts/{account}/SMS/ShortCodes.json?ShortCode=12%2A&PageSize=2"
    assert set(first) == {
        "first_page_uri",
        "end",
        "previous_page_uri",
        "short_codes",
        "uri",
        "page_size",
        "start",
        "next_page_uri",
        "page",
    }
    assert first["first_page_uri"] == first["uri"] == f"{base}&Page=0"
    assert first["previous_page_uri"] is None
    assert re.fullmatch(
        re.escape(f"{base}&Page=1&PageToken=") + "PA[0-9a-f]+", first["next_page_uri"]
    )
    assert (first["page"], first["page_size"], first["start"], first["end"]) == (0, 2, 0, 1)
    second = api.get(API + first["next_page_uri"]).json()
    assert [s["sid"] for s in second["short_codes"]] == sids[2:4]
    assert (second["page"], second["start"], second["end"]) == (1, 2, 3)
    assert second["uri"] == first["next_page_uri"]
    assert second["previous_page_uri"].startswith(f"{base}&Page=0&PageToken=PB")
    back = api.get(API + second["previous_page_uri"]).json()
    assert [s["sid"] for s in back["short_codes"]] == sids[:2]
    empty = api.get(v2010(account, ".json"), params={"FriendlyName": "none"}).json()
    assert (empty["short_codes"], empty["start"], empty["end"]) == ([], 0, 0)


def test_sdk_errors(twilio_client, account, sc):
    short_codes = twilio_client.api.v2010.accounts(account).short_codes
    with pytest.raises(TwilioRestException) as caught:
        short_codes("SC" + "0" * 32).fetch()
    assert (caught.value.status, caught.value.code) == (404, 20404)
    assert caught.value.msg == (
        "Unable to fetch record: The requested resource "
        f"/2010-04-01/Accounts/{account}/SMS/ShortCodes/SC{'0' * 32}.json was not found"
    )
    other = "AC" + "0" * 32
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.api.v2010.accounts(other).short_codes(sc).fetch()
    assert (caught.value.status, caught.value.code) == (401, 20003)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        twilio_client.api.v2010.accounts(other).short_codes.list()


def test_json_errors(api, account, sc):
    body = assert_twilio_error(api.get(v2010(account, "/SC123.json")), 404, 20404)
    assert body["message"] == (
        f"The requested resource /2010-04-01/Accounts/{account}/SMS/ShortCodes/SC123.json "
        "was not found"
    )
    assert_twilio_error(api.post(v2010(account, ".json"), data={"ShortCode": "12345"}), 405, 20004)
    assert_twilio_error(api.delete(v2010(account, f"/{sc}.json")), 405, 20004)
    assert_twilio_error(api.get(v2010(account, ".json"), params={"PageSize": 0}), 400, 20001)
    assert_twilio_error(api.get(v2010(account, ".json"), params={"Page": 3}), 400, 70002)
    assert_twilio_error(api.get(v2010("AC" + "1" * 32, ".json")), 401, 20003)


# -- XML ------------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", [".xml", ""])
def test_2010_xml_fetch_and_update(twilio_shortcodes, api, account, sc, ext):
    fetched = fields(parse_xml(api.get(v2010(account, f"/{sc}{ext}"))).find("ShortCode"))
    assert fetched == {
        "Sid": sc,
        "AccountSid": account,
        "FriendlyName": "67898",
        "ShortCode": "67898",
        "DateCreated": fetched["DateCreated"],
        "DateUpdated": fetched["DateCreated"],
        "SmsUrl": "http://smsapp.com/sms",
        "SmsMethod": "POST",
        "SmsFallbackUrl": "http://smsapp.com/fallback",
        "SmsFallbackMethod": "GET",
        "ApiVersion": "2010-04-01",
        "Uri": f"/2010-04-01/Accounts/{account}/SMS/ShortCodes/{sc}{ext}",
    }
    twilio_shortcodes.advance_clock(3600)
    updated = api.post(v2010(account, f"/{sc}{ext}"), data={"SmsUrl": "http://myapp.com/awesome"})
    changed = fields(parse_xml(updated).find("ShortCode"))
    assert changed["SmsUrl"] == "http://myapp.com/awesome"
    assert changed["DateUpdated"] != fetched["DateUpdated"]


def test_2010_xml_list_and_errors(twilio_shortcodes, api, account):
    sids = [twilio_shortcodes.add_short_code(str(90000 + i)) for i in range(3)]
    twilio_shortcodes.add_short_code("80000")
    root = parse_xml(api.get(v2010(account, ".xml"), params={"ShortCode": "9", "PageSize": 2}))
    page = root.find("ShortCodes")
    assert {k: page.attrib[k] for k in ("page", "pagesize", "start", "end")} == {
        "page": "0",
        "pagesize": "2",
        "start": "0",
        "end": "1",
    }
    assert page.attrib["previouspageuri"] == ""
    assert page.attrib["uri"] == page.attrib["firstpageuri"]
    assert page.attrib["uri"].endswith("ShortCodes.xml?ShortCode=9&PageSize=2&Page=0")
    assert [fields(e)["Sid"] for e in page.findall("ShortCode")] == sids[:2]
    nxt = parse_xml(api.get(API + page.attrib["nextpageuri"])).find("ShortCodes")
    assert [fields(e)["Sid"] for e in nxt.findall("ShortCode")] == sids[2:]
    assert nxt.attrib["nextpageuri"] == ""

    found = xml_error(api.get(v2010(account, "/SC404")), 404, 20404)
    assert found["Message"] == (
        f"The requested resource /2010-04-01/Accounts/{account}/SMS/ShortCodes/SC404 was not found"
    )
    xml_error(api.delete(v2010(account, f"/{sids[0]}.xml")), 405, 20004)
    xml_error(api.post(v2010(account, f"/{sids[0]}"), data={"SmsMethod": "PUT"}), 400, 21403)
    xml_error(api.get(v2010(account), auth=(account, "wrong")), 401, 20003)


def test_2008_fetch_update_list(twilio_shortcodes, api, account, sc):
    fetched = fields(parse_xml(api.get(v2008(account, f"/{sc}"))).find("ShortCode"))
    assert list(fetched) == [
        "Sid",
        "AccountSid",
        "FriendlyName",
        "ShortCode",
        "DateCreated",
        "DateUpdated",
        "SmsUrl",
        "SmsMethod",
        "SmsFallbackUrl",
        "SmsFallbackMethod",
    ]
    updated = api.post(v2008(account, f"/{sc}"), data={"SmsUrl": "http://myapp.com/awesome"})
    assert fields(parse_xml(updated).find("ShortCode"))["SmsUrl"] == "http://myapp.com/awesome"

    for i in range(11):
        twilio_shortcodes.add_short_code(str(86700 + i))
    page = parse_xml(api.get(v2008(account), params={"ShortCode": "867", "PageSize": 4, "Page": 2}))
    attrs = page.find("ShortCodes").attrib
    assert attrs == {
        "page": "2",
        "numpages": "3",
        "pagesize": "4",
        "total": "11",
        "start": "8",
        "end": "10",
    }
    assert [fields(e)["ShortCode"] for e in page.find("ShortCodes")] == ["86708", "86709", "86710"]
    exact = parse_xml(api.get(v2008(account), params={"ShortCode": "67898"})).find("ShortCodes")
    assert [fields(e)["Sid"] for e in exact] == [sc]
    xml_error(api.delete(v2008(account, f"/{sc}")), 405, 20004)
    xml_error(api.request("PUT", v2008(account, f"/{sc}")), 405, 20004)
    xml_error(api.post(v2008(account), data={"ShortCode": "11111"}), 405, 20004)
    xml_error(api.get(v2008(account, "/SCnope")), 404, 20404)


def test_one_state_behind_every_api(twilio_shortcodes, twilio_client, api, account, sc):
    twilio_client.api.v2010.accounts(account).short_codes(sc).update(friendly_name="Shared")
    seen_2008 = fields(parse_xml(api.get(v2008(account, f"/{sc}"))).find("ShortCode"))
    assert seen_2008["FriendlyName"] == "Shared"
    before = api.get(v2010(account, f"/{sc}.json")).json()
    twilio_shortcodes.advance_clock(10)
    service = twilio_shortcodes.add_messaging_service()
    twilio_client.messaging.v1.services(service).short_codes.create(short_code_sid=sc)
    assert api.get(v2010(account, f"/{sc}.json")).json() == before
