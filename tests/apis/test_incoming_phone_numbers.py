"""The account's phone numbers, ``2010-04-01/Accounts/{AC}/IncomingPhoneNumbers``: buy, fetch,
list with filters, update, release; JSON through the SDK and plain requests, and XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from tests.conftest import assert_twilio_error

API = "https://api.twilio.com"
NUMBER = "+14155550100"
PN = re.compile(r"PN[0-9a-f]{32}")
ATTRIBUTES = {
    "account_sid", "address_sid", "address_requirements", "api_version", "beta",
    "capabilities", "date_created", "date_updated", "friendly_name", "identity_sid",
    "phone_number", "origin", "sid", "sms_application_sid", "sms_fallback_method",
    "sms_fallback_url", "sms_method", "sms_url", "status_callback", "status_callback_method",
    "trunk_sid", "uri", "voice_receive_mode", "voice_application_sid", "voice_caller_id_lookup",
    "voice_fallback_method", "voice_fallback_url", "voice_method", "voice_url",
    "emergency_status", "emergency_address_sid", "emergency_address_status", "bundle_sid",
    "status", "type",
}  # fmt: skip


def numbers_url(account: str, suffix: str = ".json") -> str:
    return f"{API}/2010-04-01/Accounts/{account}/IncomingPhoneNumbers{suffix}"


@pytest.fixture
def account(twilio_shortcodes):
    return twilio_shortcodes.account_sid


# -- buy ----------------------------------------------------------------------------------


def test_buy_a_number_through_the_sdk(twilio_shortcodes, twilio_client, account):
    bought = twilio_client.incoming_phone_numbers.create(
        phone_number=NUMBER, sms_url="https://app.example/sms", sms_method="GET"
    )
    assert PN.fullmatch(bought.sid)
    assert bought.account_sid == account
    assert bought.phone_number == NUMBER
    assert bought.friendly_name == "(415) 555-0100"  # a formatted version of the number
    assert (bought.sms_url, bought.sms_method) == ("https://app.example/sms", "GET")
    assert (bought.sms_fallback_url, bought.sms_fallback_method) == ("", "POST")
    assert (bought.status_callback, bought.status_callback_method) == ("", "POST")
    assert bought.capabilities == {"voice": True, "sms": True, "mms": True, "fax": False}
    assert (bought.beta, bought.origin, bought.status) == (False, "twilio", "in-use")
    if hasattr(bought, "type"):  # twilio 8.0.0 (the lowest SDK tested) reads no `type`
        assert bought.type == "local"
    assert bought.api_version == "2010-04-01"
    assert bought.uri == f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers/{bought.sid}.json"
    assert isinstance(bought.date_created, datetime)
    assert bought.date_created.utcoffset() == timedelta(0)
    assert bought.date_updated == bought.date_created
    fetched = twilio_client.incoming_phone_numbers(bought.sid).fetch()
    assert (fetched.sid, fetched.phone_number, fetched.sms_url) == (
        bought.sid, NUMBER, "https://app.example/sms",
    )  # fmt: skip


def test_buy_wire_format(api, account):
    response = api.post(numbers_url(account), data={"PhoneNumber": NUMBER})
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == ATTRIBUTES
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000", body["date_created"])
    # Unset URLs and application SIDs are empty strings, other SIDs and voice URLs null,
    # as Twilio's examples show.
    assert (body["sms_url"], body["sms_application_sid"], body["voice_application_sid"]) == (
        "", "", "",
    )  # fmt: skip
    assert (body["trunk_sid"], body["voice_url"], body["voice_fallback_url"]) == (None, None, None)
    assert (body["address_requirements"], body["emergency_status"]) == ("none", "Inactive")
    assert body["voice_caller_id_lookup"] is False


def test_buy_by_area_code(twilio_client):
    first = twilio_client.incoming_phone_numbers.create(area_code="415")
    second = twilio_client.incoming_phone_numbers.create(area_code="415")
    assert first.phone_number.startswith("+1415") and second.phone_number.startswith("+1415")
    assert first.phone_number != second.phone_number
    assert re.fullmatch(r"\+1415[2-9][0-9]{6}", first.phone_number)


def test_area_code_without_numbers_left(twilio_client, api, account):
    bought = [twilio_client.incoming_phone_numbers.create(area_code="628") for _ in range(100)]
    assert len({n.phone_number for n in bought}) == 100
    assert_twilio_error(api.post(numbers_url(account), data={"AreaCode": "628"}), 400, 21452)


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        ({}, 400, 20001),  # neither PhoneNumber nor AreaCode
        ({"FriendlyName": "x"}, 400, 20001),
        ({"PhoneNumber": "4155550100"}, 400, 21421),  # not E.164
        ({"PhoneNumber": "+1415555010"}, 400, 21421),  # too short for a +1 number
        ({"PhoneNumber": "+10155550100"}, 400, 21421),  # not a NANP number
        ({"AreaCode": "41"}, 400, 21451),
        ({"AreaCode": "011"}, 400, 21451),
        ({"AreaCode": "911"}, 400, 21451),  # N11 codes are not area codes
        ({"PhoneNumber": NUMBER, "SmsUrl": "ftp://x"}, 400, 21502),
        ({"PhoneNumber": NUMBER, "SmsMethod": "PUT"}, 400, 21403),
        ({"PhoneNumber": NUMBER, "FriendlyName": "x" * 65}, 400, 20001),
        ({"PhoneNumber": NUMBER, "VoiceCallerIdLookup": "yes"}, 400, 20001),
    ],
)
def test_buy_refusals_change_nothing(twilio_shortcodes, api, account, form, status, code):
    before = twilio_shortcodes.snapshot()
    with twilio_shortcodes.allow_invalid_requests():
        assert_twilio_error(api.post(numbers_url(account), data=form), status, code)
    assert twilio_shortcodes.snapshot() == before


def test_a_number_of_the_account_cannot_be_bought_again(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_phone_number(NUMBER)
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.incoming_phone_numbers.create(phone_number=NUMBER)
    assert (caught.value.status, caught.value.code) == (400, 21422)


# -- the seeding helper -------------------------------------------------------------------


def test_add_phone_number_seeds_what_the_api_serves(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_phone_number(
        "+447700900123",
        friendly_name="UK line",
        capabilities=("SMS", "voice"),
        sms_url="https://app.example/uk",
        sms_fallback_url="https://app.example/uk-fallback",
        sms_fallback_method="GET",
    )
    fetched = twilio_client.incoming_phone_numbers(sid).fetch()
    assert (fetched.phone_number, fetched.friendly_name) == ("+447700900123", "UK line")
    assert fetched.capabilities == {"voice": True, "sms": True, "mms": False, "fax": False}
    assert (fetched.sms_fallback_url, fetched.sms_fallback_method) == (
        "https://app.example/uk-fallback", "GET",
    )  # fmt: skip


def test_add_phone_number_defaults_to_an_sms_capable_local_number(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_phone_number("+14155550123")
    fetched = twilio_client.incoming_phone_numbers(sid).fetch()
    assert fetched.capabilities["sms"] is True
    assert fetched.friendly_name == "(415) 555-0123"


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"phone_number": "4155550100"}, "E.164"),
        ({"phone_number": NUMBER, "capabilities": ("SMS", "telex")}, "capabilities"),
        ({"phone_number": NUMBER, "capabilities": ()}, "capabilities"),
        ({"phone_number": NUMBER, "sms_method": "PUT"}, "sms_method"),
        ({"phone_number": NUMBER, "friendly_name": "x" * 65}, "friendly_name"),
    ],
)
def test_add_phone_number_refuses_bad_arguments(twilio_shortcodes, arguments, problem):
    with pytest.raises(ValueError, match=problem):
        twilio_shortcodes.add_phone_number(**arguments)


def test_add_phone_number_twice_is_refused(twilio_shortcodes):
    twilio_shortcodes.add_phone_number(NUMBER)
    with pytest.raises(ValueError, match="already in the account"):
        twilio_shortcodes.add_phone_number(NUMBER)


# -- fetch, update, release ---------------------------------------------------------------


def test_update_through_the_sdk(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_phone_number(NUMBER)
    created = twilio_client.incoming_phone_numbers(sid).fetch().date_created
    twilio_shortcodes.advance_clock(5)
    updated = twilio_client.incoming_phone_numbers(sid).update(
        sms_url="https://app.example/in",
        sms_method="GET",
        sms_fallback_url="https://app.example/fallback",
        sms_fallback_method="GET",
        status_callback="https://app.example/status",
        status_callback_method="GET",
        friendly_name="Support line",
        voice_url="https://app.example/voice",
    )
    assert (updated.sms_url, updated.sms_method) == ("https://app.example/in", "GET")
    assert (updated.sms_fallback_url, updated.sms_fallback_method) == (
        "https://app.example/fallback", "GET",
    )  # fmt: skip
    assert (updated.status_callback, updated.status_callback_method) == (
        "https://app.example/status", "GET",
    )  # fmt: skip
    assert (updated.friendly_name, updated.voice_url) == (
        "Support line", "https://app.example/voice",
    )  # fmt: skip
    assert updated.date_created == created
    assert (updated.date_updated - created).total_seconds() == 5
    assert twilio_client.incoming_phone_numbers(sid).fetch().sms_url == "https://app.example/in"


def test_update_clears_and_resets(twilio_shortcodes, api, account):
    sid = twilio_shortcodes.add_phone_number(NUMBER, sms_url="https://app.example/in",
                                             friendly_name="Line")  # fmt: skip
    body = api.post(numbers_url(account, f"/{sid}.json"),
                    data={"SmsUrl": "", "FriendlyName": ""}).json()  # fmt: skip
    assert (body["sms_url"], body["friendly_name"]) == ("", "(415) 555-0100")


def test_one_bad_value_and_nothing_changes(twilio_shortcodes, api, account):
    sid = twilio_shortcodes.add_phone_number(NUMBER)
    before = twilio_shortcodes.snapshot()
    url = numbers_url(account, f"/{sid}.json")
    with twilio_shortcodes.allow_invalid_requests():
        response = api.post(url, data={"SmsUrl": "https://ok.example/", "SmsMethod": "PUT"})
    assert_twilio_error(response, 400, 21403)
    assert twilio_shortcodes.snapshot() == before


def test_update_refuses_another_account(twilio_shortcodes, api, account):
    sid = twilio_shortcodes.add_phone_number(NUMBER)
    other = "AC" + "0" * 32
    response = api.post(numbers_url(account, f"/{sid}.json"), data={"AccountSid": other})
    assert_twilio_error(response, 400, 20001)
    same = api.post(numbers_url(account, f"/{sid}.json"), data={"AccountSid": account})
    assert same.status_code == 200


def test_release(twilio_shortcodes, twilio_client, api, account):
    sid = twilio_shortcodes.add_phone_number(NUMBER)
    assert twilio_client.incoming_phone_numbers(sid).delete() is True
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.incoming_phone_numbers(sid).fetch()
    assert (caught.value.status, caught.value.code) == (404, 20404)
    deleted = api.delete(numbers_url(account, f"/{sid}.json"))
    assert_twilio_error(deleted, 404, 20404)
    # Released, the number can be bought again, under a new SID.
    again = twilio_client.incoming_phone_numbers.create(phone_number=NUMBER)
    assert again.sid != sid


def test_release_takes_the_number_out_of_its_service(twilio_shortcodes, twilio_client):
    service = twilio_shortcodes.add_messaging_service("Pool", phone_numbers=[NUMBER])
    (sid,) = twilio_shortcodes.messaging_service_phone_numbers(service)
    twilio_client.incoming_phone_numbers(sid).delete()
    assert twilio_shortcodes.messaging_service_phone_numbers(service) == []
    assert twilio_client.messaging.v1.services(service).phone_numbers.list() == []


@pytest.mark.parametrize("sid", ["PN" + "0" * 32, "SC" + "0" * 32, "x", "PN"])
def test_unknown_numbers_are_404(api, account, sid):
    url = numbers_url(account, f"/{sid}.json")
    for method in ("GET", "POST", "DELETE"):
        body = assert_twilio_error(api.request(method, url), 404, 20404)
        assert body["message"] == (
            f"The requested resource /2010-04-01/Accounts/{account}/IncomingPhoneNumbers/"
            f"{sid}.json was not found"
        )


def test_methods_not_allowed(twilio_shortcodes, api, account):
    sid = twilio_shortcodes.add_phone_number(NUMBER)
    assert_twilio_error(api.delete(numbers_url(account)), 405, 20004)
    assert_twilio_error(api.request("PUT", numbers_url(account, f"/{sid}.json")), 405, 20004)


def test_another_account_in_the_path(twilio_shortcodes, api):
    other = "AC" + "1" * 32
    assert_twilio_error(api.get(numbers_url(other)), 401, 20003)


# -- list ---------------------------------------------------------------------------------


def test_list_and_page_through_the_sdk(twilio_shortcodes, twilio_client):
    sids = [twilio_shortcodes.add_phone_number(f"+1415555{1000 + n}") for n in range(23)]
    numbers = twilio_client.incoming_phone_numbers
    assert [n.sid for n in numbers.list()] == sids
    assert [n.sid for n in numbers.list(page_size=5)] == sids
    assert [n.sid for n in numbers.stream(limit=7)] == sids[:7]
    page = numbers.page(page_size=10)
    walked = []
    while page is not None:
        walked += [n.sid for n in page]
        page = page.next_page()
    assert walked == sids


def test_list_envelope_keeps_the_filters(twilio_shortcodes, api, account):
    for n in range(3):
        twilio_shortcodes.add_phone_number(f"+1415555{1000 + n}", friendly_name="Same")
    params = {"FriendlyName": "Same", "PhoneNumber": "+1415", "PageSize": 2}
    first = api.get(numbers_url(account), params=params).json()
    assert set(first) == {
        "first_page_uri", "next_page_uri", "previous_page_uri", "uri", "page", "page_size",
        "start", "end", "incoming_phone_numbers",
    }  # fmt: skip
    base = f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json"
    assert first["uri"] == f"{base}?FriendlyName=Same&PhoneNumber=%2B1415&PageSize=2&Page=0"
    assert (first["page"], first["page_size"], first["start"], first["end"]) == (0, 2, 0, 1)
    assert first["next_page_uri"].startswith(
        f"{base}?FriendlyName=Same&PhoneNumber=%2B1415&PageSize=2&Page=1&PageToken=PA"
    )
    second = api.get(API + first["next_page_uri"]).json()
    assert len(second["incoming_phone_numbers"]) == 1
    assert second["next_page_uri"] is None


def test_list_filters(twilio_shortcodes, twilio_client):
    sf = twilio_shortcodes.add_phone_number("+14155550100", friendly_name="SF")
    ny = twilio_shortcodes.add_phone_number("+12125550100", friendly_name="NY", beta=True)
    uk = twilio_shortcodes.add_phone_number("+447700900123", origin="hosted")
    numbers = twilio_client.incoming_phone_numbers

    def sids(**filters):
        return [n.sid for n in numbers.list(**filters)]

    assert sids(phone_number="+14155550100") == [sf]
    assert sids(phone_number="555") == [sf, ny]  # digits anywhere in the number
    assert sids(phone_number="21*555") == [ny]  # "*" is any one digit
    assert sids(phone_number="+44") == [uk]
    assert sids(friendly_name="NY") == [ny]
    assert sids(friendly_name="N") == []  # the name exactly
    assert sids(beta=False) == [sf, uk]  # leaves out numbers new to Twilio
    assert sids(beta=True) == [sf, ny, uk]  # includes them (the default)
    assert sids(origin="hosted") == [uk]
    assert sids(origin="twilio") == [sf, ny]
    assert sids(friendly_name="SF", beta=False, origin="twilio") == [sf]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Beta": "maybe"}, 20001),
        ({"Origin": "borrowed"}, 20001),
        ({"PageSize": "0"}, 20001),
        ({"Page": "2"}, 70002),
        ({"PageToken": "nope"}, 21481),
    ],
)
def test_list_refusals(twilio_shortcodes, twilio_client, api, account, params, code):
    assert_twilio_error(api.get(numbers_url(account), params=params), 400, code)


def test_a_failed_page_is_the_sdks_plain_exception(twilio_shortcodes, twilio_client):
    twilio_shortcodes.fail_next("GET", "api.v2010.account.incoming_phone_number", status=500)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        twilio_client.incoming_phone_numbers.list()


# -- XML ----------------------------------------------------------------------------------


def parse_xml(response):
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.text.startswith("<?xml version='1.0' encoding='UTF-8'?><TwilioResponse>")
    return ET.fromstring(response.content)


def test_xml_fetch(twilio_shortcodes, api, account):
    sid = twilio_shortcodes.add_phone_number(NUMBER, sms_url="https://app.example/sms",
                                             capabilities=("SMS", "voice"))  # fmt: skip
    for suffix in (f"/{sid}.xml", f"/{sid}"):
        root = parse_xml(api.get(numbers_url(account, suffix)))
        (item,) = root
        assert item.tag == "IncomingPhoneNumber"
        fields = {child.tag: child for child in item}
        assert fields["Sid"].text == sid
        assert fields["PhoneNumber"].text == NUMBER
        assert fields["SmsUrl"].text == "https://app.example/sms"
        assert fields["SmsFallbackUrl"].text is None  # unset: an empty element
        assert fields["VoiceUrl"].text is None
        assert fields["Beta"].text == "false"
        capabilities = {child.tag: child.text for child in fields["Capabilities"]}
        assert capabilities == {"Voice": "true", "SMS": "true", "MMS": "false", "Fax": "false"}
        assert fields["Uri"].text == (
            f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers{suffix}"
        )


def test_xml_list_and_errors(twilio_shortcodes, api, account):
    sids = [twilio_shortcodes.add_phone_number(f"+1415555{1000 + n}") for n in range(3)]
    root = parse_xml(api.get(numbers_url(account, ".xml"), params={"PageSize": 2}))
    (page,) = root
    assert page.tag == "IncomingPhoneNumbers"
    assert (page.get("page"), page.get("pagesize"), page.get("start"), page.get("end")) == (
        "0", "2", "0", "1",
    )  # fmt: skip
    assert page.get("nextpageuri").startswith(
        f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.xml?PageSize=2&Page=1&PageToken="
    )
    assert page.get("previouspageuri") == ""
    assert [item.find("Sid").text for item in page] == sids[:2]

    missing = api.get(numbers_url(account, "/PN" + "0" * 32))
    assert missing.status_code == 404
    error = {child.tag: child.text for child in parse_xml(missing).find("RestException")}
    assert (error["Code"], error["Status"]) == ("20404", "404")

    bought = api.post(numbers_url(account, ".xml"), data={"PhoneNumber": "+14155559999"})
    assert bought.status_code == 201
    assert parse_xml(bought)[0].find("PhoneNumber").text == "+14155559999"


def test_a_page_shows_each_number_as_it_stands_now(twilio_shortcodes, twilio_client, api, account):
    sid = twilio_shortcodes.add_phone_number(NUMBER)
    assert [n.sms_url for n in twilio_client.incoming_phone_numbers.list()] == [""]
    twilio_shortcodes.advance_clock(30)
    twilio_client.incoming_phone_numbers(sid).update(sms_url="https://app.example/new")
    (listed,) = twilio_client.incoming_phone_numbers.list()
    assert listed.sms_url == "https://app.example/new"
    assert (listed.date_updated - listed.date_created).total_seconds() == 30
    root = parse_xml(api.get(numbers_url(account, ".xml")))
    assert root[0][0].find("SmsUrl").text == "https://app.example/new"
    twilio_client.incoming_phone_numbers(sid).delete()
    assert twilio_client.incoming_phone_numbers.list() == []
