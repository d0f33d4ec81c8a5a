"""Messaging v1 ``Services/{MG}/PhoneNumbers``: add a phone number of the account to a
service's pool, fetch, list, remove, and Twilio's refusals; SDK and plain requests."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from tests.conftest import assert_twilio_error

MESSAGING = "https://messaging.twilio.com/v1/Services"
NUMBER = "+14155550100"


@pytest.fixture
def service(twilio_shortcodes):
    return twilio_shortcodes.add_messaging_service("Notifications")


@pytest.fixture
def number(twilio_shortcodes):
    return twilio_shortcodes.add_phone_number(NUMBER, capabilities=("SMS", "MMS", "voice"))


def test_add_fetch_remove_through_the_sdk(twilio_shortcodes, twilio_client, service, number):
    pool = twilio_client.messaging.v1.services(service).phone_numbers
    added = pool.create(phone_number_sid=number)
    assert added.sid == number  # the number's own PN SID
    assert (added.account_sid, added.service_sid) == (twilio_shortcodes.account_sid, service)
    assert (added.phone_number, added.country_code) == (NUMBER, "US")
    assert added.capabilities == ["MMS", "SMS", "Voice"]
    assert added.url == f"{MESSAGING}/{service}/PhoneNumbers/{number}"
    assert isinstance(added.date_created, datetime)
    assert added.date_created.utcoffset() == timedelta(0)
    assert added.date_updated == added.date_created

    fetched = pool(number).fetch()
    assert (fetched.sid, fetched.phone_number, fetched.date_created) == (
        number, NUMBER, added.date_created,
    )  # fmt: skip
    assert twilio_shortcodes.messaging_service_phone_numbers(service) == [number]

    assert pool(number).delete() is True
    assert twilio_shortcodes.messaging_service_phone_numbers(service) == []
    # The number stays in the account and may join again.
    assert twilio_client.incoming_phone_numbers(number).fetch().phone_number == NUMBER
    assert pool.create(phone_number_sid=number).sid == number


def test_wire_format(twilio_shortcodes, api, service, number):
    response = api.post(f"{MESSAGING}/{service}/PhoneNumbers", data={"PhoneNumberSid": number})
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {
        "sid", "account_sid", "service_sid", "date_created", "date_updated", "phone_number",
        "country_code", "capabilities", "url",
    }  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["date_created"])
    deleted = api.delete(f"{MESSAGING}/{service}/PhoneNumbers/{number}")
    assert (deleted.status_code, deleted.content) == (204, b"")


def test_country_and_capabilities_of_the_number(twilio_shortcodes, twilio_client, service):
    uk = twilio_shortcodes.add_phone_number("+447700900123", capabilities=("SMS",))
    added = twilio_client.messaging.v1.services(service).phone_numbers.create(phone_number_sid=uk)
    assert (added.country_code, added.capabilities) == ("GB", ["SMS"])


def test_list_pages(twilio_shortcodes, twilio_client, api, service):
    sids = [twilio_shortcodes.add_phone_number(f"+1415555{1000 + n}") for n in range(23)]
    pool = twilio_client.messaging.v1.services(service).phone_numbers
    for sid in sids:
        pool.create(phone_number_sid=sid)
    assert [n.sid for n in pool.list()] == sids
    assert [n.sid for n in pool.list(page_size=5)] == sids
    assert [n.sid for n in pool.stream(limit=7)] == sids[:7]

    base = f"{MESSAGING}/{service}/PhoneNumbers"
    first = api.get(base, params={"PageSize": 10}).json()
    meta = first["meta"]
    assert meta["key"] == "phone_numbers"
    assert meta["first_page_url"] == meta["url"] == f"{base}?PageSize=10&Page=0"
    assert meta["next_page_url"].startswith(f"{base}?PageSize=10&Page=1&PageToken=PA")
    assert [n["sid"] for n in first["phone_numbers"]] == sids[:10]


def test_short_codes_and_phone_numbers_are_listed_apart(twilio_shortcodes, twilio_client):
    service = twilio_shortcodes.add_messaging_service(
        "Both", short_codes=["12345"], phone_numbers=[NUMBER]
    )
    messaging = twilio_client.messaging.v1.services(service)
    assert [n.phone_number for n in messaging.phone_numbers.list()] == [NUMBER]
    assert [s.short_code for s in messaging.short_codes.list()] == ["12345"]


# -- refusals -------------------------------------------------------------------------------


def test_already_in_this_service(twilio_client, service, number):
    pool = twilio_client.messaging.v1.services(service).phone_numbers
    pool.create(phone_number_sid=number)
    with pytest.raises(TwilioRestException) as caught:
        pool.create(phone_number_sid=number)
    assert (caught.value.status, caught.value.code) == (409, 21710)
    assert caught.value.msg == (
        "Unable to create record: Phone Number or Short Code is already in the Messaging Service."
    )


def test_in_another_service(twilio_shortcodes, twilio_client, service, number):
    other = twilio_shortcodes.add_messaging_service("Other", phone_numbers=[number])
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messaging.v1.services(service).phone_numbers.create(phone_number_sid=number)
    assert (caught.value.status, caught.value.code) == (409, 21712)
    assert twilio_shortcodes.messaging_service_phone_numbers(other) == [number]


def test_the_pool_holds_400_senders(twilio_shortcodes, api, service):
    short_codes = [str(10000 + n) for n in range(150)]
    numbers = [f"+1415555{1000 + n}" for n in range(250)]
    full = twilio_shortcodes.add_messaging_service(
        "Full", short_codes=short_codes, phone_numbers=numbers
    )
    spare = twilio_shortcodes.add_phone_number("+12125550100")
    response = api.post(f"{MESSAGING}/{full}/PhoneNumbers", data={"PhoneNumberSid": spare})
    body = assert_twilio_error(response, 412, 21714)
    assert body["message"] == "Number Pool size limit reached"
    # Short codes still join (the mock's scale tests hold 100,000 in one service).
    spare_code = twilio_shortcodes.add_short_code("99999")
    response = api.post(f"{MESSAGING}/{full}/ShortCodes", data={"ShortCodeSid": spare_code})
    assert response.status_code == 201
    # Another service still takes it.
    assert api.post(f"{MESSAGING}/{service}/PhoneNumbers",
                    data={"PhoneNumberSid": spare}).status_code == 201  # fmt: skip


def test_the_pool_limit_when_seeding(twilio_shortcodes):
    numbers = [f"+1415555{1000 + n}" for n in range(401)]
    with pytest.raises(ValueError, match="Number Pool size limit reached"):
        twilio_shortcodes.add_messaging_service("Too many", phone_numbers=numbers)


def test_a_sid_that_is_not_a_phone_number_of_the_account(twilio_shortcodes, api, service):
    url = f"{MESSAGING}/{service}/PhoneNumbers"
    for sid in ("PN" + "0" * 32, twilio_shortcodes.add_short_code("12345"), "PN123"):
        with twilio_shortcodes.allow_invalid_requests():
            assert_twilio_error(api.post(url, data={"PhoneNumberSid": sid}), 400, 21421)


def test_a_number_without_sms(twilio_shortcodes, twilio_client, service):
    voice_only = twilio_shortcodes.add_phone_number(NUMBER, capabilities=("voice",))
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messaging.v1.services(service).phone_numbers.create(
            phone_number_sid=voice_only
        )
    assert (caught.value.status, caught.value.code) == (400, 21715)
    assert twilio_shortcodes.messaging_service_phone_numbers(service) == []


def test_missing_parameter(twilio_shortcodes, api, service):
    with twilio_shortcodes.allow_invalid_requests():
        response = api.post(f"{MESSAGING}/{service}/PhoneNumbers", data={})
    body = assert_twilio_error(response, 400, 20001)
    assert body["message"] == "Missing required parameter PhoneNumberSid in the post body"


def test_unknown_service_and_number(twilio_shortcodes, api, service, number):
    nobody = "MG" + "0" * 32
    body = assert_twilio_error(api.get(f"{MESSAGING}/{nobody}/PhoneNumbers"), 404, 20404)
    assert body["message"] == (
        f"The requested resource /Services/{nobody}/PhoneNumbers was not found"
    )
    response = api.post(f"{MESSAGING}/{nobody}/PhoneNumbers", data={"PhoneNumberSid": number})
    assert_twilio_error(response, 404, 20404)
    # A number of the account that is not in this service.
    for method in ("GET", "DELETE"):
        response = api.request(method, f"{MESSAGING}/{service}/PhoneNumbers/{number}")
        body = assert_twilio_error(response, 404, 20404)
        assert body["message"] == (
            f"The requested resource /Services/{service}/PhoneNumbers/{number} was not found"
        )


def test_methods_not_allowed(api, service, number):
    api.post(f"{MESSAGING}/{service}/PhoneNumbers", data={"PhoneNumberSid": number})
    assert_twilio_error(api.delete(f"{MESSAGING}/{service}/PhoneNumbers"), 405, 20004)
    response = api.post(f"{MESSAGING}/{service}/PhoneNumbers/{number}", data={})
    assert_twilio_error(response, 405, 20004)


def test_a_failed_page_is_the_sdks_plain_exception(twilio_shortcodes, twilio_client, service):
    twilio_shortcodes.fail_next("GET", "messaging.v1.service.phone_number", status=503)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        twilio_client.messaging.v1.services(service).phone_numbers.list()


def test_seeding_with_numbers_or_sids(twilio_shortcodes):
    sid = twilio_shortcodes.add_phone_number("+14155550101")
    service = twilio_shortcodes.add_messaging_service(
        "Seeded",
        phone_numbers=[NUMBER, sid],  # a number not yet in the account is bought
    )
    members = twilio_shortcodes.messaging_service_phone_numbers(service)
    assert members[1] == sid and len(members) == 2
    with pytest.raises(ValueError, match="associated with another Messaging Service"):
        twilio_shortcodes.add_messaging_service("Again", phone_numbers=[sid])
