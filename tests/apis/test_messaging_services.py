"""Messaging v1 ``Services[/{MG}]``: create, fetch, list, update, delete, through the latest
twilio SDK (sync and ``*_async``) and plain ``requests``; one account with the helpers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from pytest_twilio_shortcodes import validate
from tests.conftest import assert_twilio_error

SERVICES = "https://messaging.twilio.com/v1/Services"
FAN = "+15558675310"
LINKS = {
    "phone_numbers": "PhoneNumbers",
    "short_codes": "ShortCodes",
    "alpha_senders": "AlphaSenders",
    "messages": "Messages",
    "us_app_to_person": "Compliance/Usa2p",
    "us_app_to_person_usecases": "Compliance/Usa2p/Usecases",
    "channel_senders": "ChannelSenders",
    "destination_alpha_senders": "DestinationAlphaSenders",
}
# Twilio's defaults, and the product's where Twilio's material states none (docs say which).
DEFAULTS = {
    "inbound_request_url": None,
    "inbound_method": "POST",
    "fallback_url": None,
    "fallback_method": "POST",
    "status_callback": None,
    "sticky_sender": True,
    "mms_converter": True,
    "smart_encoding": True,
    "scan_message_content": "inherit",
    "fallback_to_long_code": False,
    "area_code_geomatch": True,
    "validity_period": 36000,
    "synchronous_validation": True,
    "usecase": "undeclared",
    "us_app_to_person_registered": False,
    "use_inbound_webhook_on_number": False,
}
EVERY_FIELD = {
    "FriendlyName": "Everything",
    "InboundRequestUrl": "https://app.example.com/sms",
    "InboundMethod": "GET",
    "FallbackUrl": "https://app.example.com/fallback",
    "FallbackMethod": "GET",
    "StatusCallback": "https://app.example.com/status",
    "StickySender": "false",
    "MmsConverter": "false",
    "SmartEncoding": "false",
    "ScanMessageContent": "enable",
    "FallbackToLongCode": "true",
    "AreaCodeGeomatch": "false",
    "ValidityPeriod": "600",
    "SynchronousValidation": "false",
    "Usecase": "marketing",
    "UseInboundWebhookOnNumber": "true",
}
ECHOED = {
    "friendly_name": "Everything",
    "inbound_request_url": "https://app.example.com/sms",
    "inbound_method": "GET",
    "fallback_url": "https://app.example.com/fallback",
    "fallback_method": "GET",
    "status_callback": "https://app.example.com/status",
    "sticky_sender": False,
    "mms_converter": False,
    "smart_encoding": False,
    "scan_message_content": "enable",
    "fallback_to_long_code": True,
    "area_code_geomatch": False,
    "validity_period": 600,
    "synchronous_validation": False,
    "usecase": "marketing",
    "us_app_to_person_registered": False,
    "use_inbound_webhook_on_number": True,
}


def error(call):
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value


def attributes(instance, names):
    return {name: getattr(instance, name) for name in names}


# -- create, fetch ------------------------------------------------------------------------------


def test_create_with_only_a_friendly_name_stores_twilios_defaults(twilio_shortcodes, twilio_client):
    created = twilio_client.messaging.v1.services.create(friendly_name="Alerts")

    assert re.fullmatch(r"MG[0-9a-f]{32}", created.sid)
    assert created.account_sid == twilio_shortcodes.account_sid
    assert created.friendly_name == "Alerts"
    assert attributes(created, DEFAULTS) == DEFAULTS
    assert created.url == f"{SERVICES}/{created.sid}"
    assert created.links == {k: f"{SERVICES}/{created.sid}/{v}" for k, v in LINKS.items()}
    assert isinstance(created.date_created, datetime)
    assert created.date_created.utcoffset() == timedelta(0)
    assert created.date_updated == created.date_created

    fetched = twilio_client.messaging.v1.services(created.sid).fetch()
    assert attributes(fetched, [*DEFAULTS, "friendly_name", "date_created", "links"]) == (
        attributes(created, [*DEFAULTS, "friendly_name", "date_created", "links"])
    )
    # The same account as the helpers: found by name, sends, takes short codes.
    assert twilio_shortcodes.messaging_service_sid("Alerts") == created.sid
    assert twilio_shortcodes.messaging_service_short_codes(created.sid) == []


def test_create_stores_and_echoes_every_field(twilio_client, api):
    response = api.post(SERVICES, data=EVERY_FIELD)
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    validate(body, "messaging.v1.service")
    assert {k: body[k] for k in ECHOED} == ECHOED
    assert set(body) == {*ECHOED, "sid", "account_sid", "date_created", "date_updated", "url",
                         "links"}  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["date_created"])

    fetched = twilio_client.messaging.v1.services(body["sid"]).fetch()
    assert attributes(fetched, ECHOED) == ECHOED


def test_the_sdk_sends_every_keyword(twilio_client):
    created = twilio_client.messaging.v1.services.create(
        friendly_name="Everything",
        inbound_request_url="https://app.example.com/sms",
        inbound_method="GET",
        fallback_url="https://app.example.com/fallback",
        fallback_method="GET",
        status_callback="https://app.example.com/status",
        sticky_sender=False,
        mms_converter=False,
        smart_encoding=False,
        scan_message_content="enable",
        fallback_to_long_code=True,
        area_code_geomatch=False,
        validity_period=600,
        synchronous_validation=False,
        usecase="marketing",
        use_inbound_webhook_on_number=True,
    )
    assert attributes(created, ECHOED) == ECHOED


def test_a_helper_service_is_served_by_the_api(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_messaging_service(
        "Seeded",
        "https://app.example.com/sms",
        "https://app.example.com/fallback",
        inbound_method="GET",
        short_codes=["12345"],
        status_callback="https://app.example.com/status",
    )
    fetched = twilio_client.messaging.v1.services(sid).fetch()
    assert (fetched.sid, fetched.friendly_name) == (sid, "Seeded")
    assert (fetched.inbound_request_url, fetched.inbound_method) == (
        "https://app.example.com/sms",
        "GET",
    )
    assert (fetched.fallback_url, fetched.fallback_method) == (
        "https://app.example.com/fallback",
        "POST",
    )
    assert fetched.status_callback == "https://app.example.com/status"
    assert fetched.validity_period == 36000
    assert fetched.use_inbound_webhook_on_number is False
    (member,) = twilio_client.messaging.v1.services(sid).short_codes.list()
    assert member.short_code == "12345"


def test_helper_takes_use_inbound_webhook_on_number(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_messaging_service("Numbers", use_inbound_webhook_on_number=True)
    assert twilio_client.messaging.v1.services(sid).fetch().use_inbound_webhook_on_number is True


# -- update ---------------------------------------------------------------------------------


def test_update_changes_what_it_names_and_moves_date_updated(twilio_shortcodes, twilio_client):
    created = twilio_client.messaging.v1.services.create(
        friendly_name="Alerts", inbound_request_url="https://app.example.com/sms"
    )
    twilio_shortcodes.advance_clock(7)
    service = twilio_client.messaging.v1.services(created.sid)
    updated = service.update(
        friendly_name="Renamed", validity_period=1, sticky_sender=False, usecase="poll"
    )
    assert (updated.friendly_name, updated.validity_period) == ("Renamed", 1)
    assert (updated.sticky_sender, updated.usecase) == (False, "poll")
    assert updated.inbound_request_url == "https://app.example.com/sms"  # not named: kept
    assert updated.date_created == created.date_created
    assert (updated.date_updated - created.date_updated).total_seconds() == 7
    assert service.fetch().friendly_name == "Renamed"
    assert twilio_shortcodes.messaging_service_sid("Renamed") == created.sid

    nothing = service.update()
    assert (nothing.friendly_name, nothing.validity_period) == ("Renamed", 1)


def test_update_every_field_through_plain_requests(twilio_shortcodes, api):
    sid = twilio_shortcodes.add_messaging_service("Plain")
    response = api.post(f"{SERVICES}/{sid}", data=EVERY_FIELD)
    assert response.status_code == 200
    body = response.json()
    validate(body, "messaging.v1.service")
    assert {k: body[k] for k in ECHOED} == ECHOED


def test_an_empty_url_clears_it(twilio_shortcodes, api):
    sid = twilio_shortcodes.add_messaging_service(
        "Clear", "https://app.example.com/sms", "https://app.example.com/fallback",
        status_callback="https://app.example.com/status",
    )  # fmt: skip
    body = api.post(
        f"{SERVICES}/{sid}",
        data={"InboundRequestUrl": "", "FallbackUrl": "", "StatusCallback": ""},
    ).json()
    assert (body["inbound_request_url"], body["fallback_url"], body["status_callback"]) == (
        None,
        None,
        None,
    )


# -- list -------------------------------------------------------------------------------------


def test_list_in_creation_order_helpers_and_api_alike(twilio_shortcodes, twilio_client, api):
    first = twilio_shortcodes.add_messaging_service("one")
    second = twilio_client.messaging.v1.services.create(friendly_name="two").sid
    third = twilio_shortcodes.add_messaging_service("three")
    fourth = api.post(SERVICES, data={"FriendlyName": "four"}).json()["sid"]
    order = [first, second, third, fourth]
    services = twilio_client.messaging.v1.services

    assert [s.sid for s in services.list()] == order
    assert [s.sid for s in services.list(page_size=3)] == order
    assert [s.friendly_name for s in services.stream(limit=2)] == ["one", "two"]
    page, walked = services.page(page_size=1), []
    while page is not None:
        walked += [s.sid for s in page]
        page = page.next_page()
    assert walked == order


def test_list_envelope(twilio_shortcodes, api):
    sids = [twilio_shortcodes.add_messaging_service(f"s{n}") for n in range(3)]
    first = api.get(SERVICES, params={"PageSize": 2}).json()
    validate(first, "messaging.v1.service.list")
    assert [s["sid"] for s in first["services"]] == sids[:2]
    meta = first["meta"]
    assert meta["key"] == "services"
    assert (meta["page"], meta["page_size"]) == (0, 2)
    assert meta["first_page_url"] == meta["url"] == f"{SERVICES}?PageSize=2&Page=0"
    assert meta["previous_page_url"] is None
    assert meta["next_page_url"].startswith(f"{SERVICES}?PageSize=2&Page=1&PageToken=PA")
    second = api.get(meta["next_page_url"]).json()
    assert [s["sid"] for s in second["services"]] == sids[2:]
    assert second["meta"]["next_page_url"] is None
    assert api.get(SERVICES).json()["meta"]["page_size"] == 50


def test_an_empty_list(api):
    body = api.get(SERVICES).json()
    assert body["services"] == []
    assert body["meta"]["next_page_url"] is None
    validate(body, "messaging.v1.service.list")


@pytest.mark.parametrize(
    ("query", "code"),
    [({"PageSize": "0"}, 20001), ({"PageSize": "1001"}, 20001), ({"Page": "2"}, 70002),
     ({"PageToken": "garbage"}, 21481)],
)  # fmt: skip
def test_bad_paging_parameters(api, query, code):
    assert_twilio_error(api.get(SERVICES, params=query), 400, code)


# -- delete -----------------------------------------------------------------------------------


def test_delete_releases_its_senders(twilio_shortcodes, twilio_client, api):
    sc = twilio_shortcodes.add_short_code("12345")
    doomed = twilio_client.messaging.v1.services.create(friendly_name="Doomed").sid
    twilio_client.messaging.v1.services(doomed).short_codes.create(short_code_sid=sc)
    twilio_client.messaging.v1.services(doomed).alpha_senders.create(alpha_sender="Doomed")

    response = api.delete(f"{SERVICES}/{doomed}")
    assert (response.status_code, response.content) == (204, b"")
    e = error(lambda: twilio_client.messaging.v1.services(doomed).fetch())
    assert (e.status, e.code) == (404, 20404)
    assert (
        e.msg == f"Unable to fetch record: The requested resource /Services/{doomed} was not found"
    )
    assert [s.sid for s in twilio_client.messaging.v1.services.list()] == []
    # The short code stays in the account, in no service, and may join another.
    assert twilio_shortcodes.short_code(sc).messaging_service_sid is None
    other = twilio_client.messaging.v1.services.create(friendly_name="Other").sid
    joined = twilio_client.messaging.v1.services(other).short_codes.create(short_code_sid=sc)
    assert joined.service_sid == other
    with pytest.raises(KeyError):
        twilio_shortcodes.messaging_service_sid("Doomed")


def test_delete_through_the_sdk_then_sending_through_it_fails(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_messaging_service("Gone", short_codes=["12345"])
    assert twilio_client.messaging.v1.services(sid).delete() is True
    e = error(lambda: twilio_client.messages.create(to=FAN, messaging_service_sid=sid, body="x"))
    assert (e.status, e.code) == (400, 21701)
    e = error(lambda: twilio_client.messaging.v1.services(sid).delete())
    assert (e.status, e.code) == (404, 20404)


# -- the account's service sends --------------------------------------------------------------


def test_a_service_created_through_the_api_sends(twilio_shortcodes, twilio_client):
    sc = twilio_shortcodes.add_short_code("12345")
    sid = twilio_client.messaging.v1.services.create(
        friendly_name="Sender", status_callback="https://app.example.com/status"
    ).sid
    twilio_client.messaging.v1.services(sid).short_codes.create(short_code_sid=sc)
    message = twilio_client.messages.create(to=FAN, messaging_service_sid=sid, body="hi")
    assert (message.status, message.messaging_service_sid) == ("accepted", sid)
    callbacks = []

    def status_endpoint(environ, start_response):
        callbacks.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return [b""]

    twilio_shortcodes.deliver_messages(app=status_endpoint)
    delivered = twilio_client.messages(message.sid).fetch()
    assert (delivered.status, delivered.from_) == ("delivered", "12345")
    assert callbacks and set(callbacks) == {"/status"}  # the service's status callback


# -- errors: Twilio's envelope, state unchanged -------------------------------------------------


def test_friendly_name_is_required(twilio_shortcodes, api):
    before = twilio_shortcodes.snapshot()
    body = assert_twilio_error(api.post(SERVICES, data={}), 400, 20001)
    assert body["message"] == "Missing required parameter FriendlyName in the post body"
    assert twilio_shortcodes.snapshot() == before


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("FriendlyName", "x" * 65, 20001),
        ("FriendlyName", "", 20001),
        ("ValidityPeriod", "0", 20001),
        ("ValidityPeriod", "36001", 20001),
        ("ValidityPeriod", "-1", 20001),
        ("ValidityPeriod", "ten", 20001),
        ("ValidityPeriod", "", 20001),
        ("InboundMethod", "PUT", 21403),
        ("FallbackMethod", "get", 21403),
        ("InboundRequestUrl", "ftp://app.example.com", 21502),
        ("FallbackUrl", "not a url", 21502),
        ("StatusCallback", "app.example.com/status", 21609),
        ("StickySender", "yes", 20001),
        ("UseInboundWebhookOnNumber", "1", 20001),
        ("ScanMessageContent", "maybe", 20001),
        ("Usecase", "spam", 20001),
    ],
)
def test_bad_values_on_create_and_update(twilio_shortcodes, api, field, value, code):
    sid = twilio_shortcodes.add_messaging_service("Kept")
    before = twilio_shortcodes.snapshot()
    created = api.post(SERVICES, data={"FriendlyName": "New", field: value})
    assert_twilio_error(created, 400, code)
    updated = api.post(f"{SERVICES}/{sid}", data={field: value})
    assert_twilio_error(updated, 400, code)
    assert twilio_shortcodes.snapshot() == before
    assert api.get(f"{SERVICES}/{sid}").json()["friendly_name"] == "Kept"
    assert [s["sid"] for s in api.get(SERVICES).json()["services"]] == [sid]


@pytest.mark.parametrize("value", ["1", "600", "36000"])
def test_validity_period_bounds(api, value):
    response = api.post(SERVICES, data={"FriendlyName": "v", "ValidityPeriod": value})
    assert (response.status_code, response.json()["validity_period"]) == (201, int(value))


def test_validity_period_through_the_sdk(twilio_client):
    services = twilio_client.messaging.v1.services
    e = error(lambda: services.create(friendly_name="v", validity_period=36001))
    assert (e.status, e.code) == (400, 20001)
    assert "ValidityPeriod" in e.msg


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
@pytest.mark.parametrize("sid", ["MG" + "0" * 32, "MGnope", "KS" + "0" * 32])
def test_unknown_service(api, method, sid):
    body = assert_twilio_error(api.request(method, f"{SERVICES}/{sid}"), 404, 20404)
    assert body["message"] == f"The requested resource /Services/{sid} was not found"


def test_methods_not_served(twilio_shortcodes, api):
    sid = twilio_shortcodes.add_messaging_service()
    assert_twilio_error(api.request("PUT", f"{SERVICES}/{sid}"), 405, 20004)
    assert_twilio_error(api.delete(SERVICES), 405, 20004)


def test_list_errors_reach_the_sdk_as_page_errors(twilio_client):
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        twilio_client.messaging.v1.services.list(page_size=1001)


# -- async ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_every_operation_async(twilio_shortcodes, async_client):
    services = async_client.messaging.v1.services
    created = await services.create_async(friendly_name="Async", validity_period=60)
    assert (created.friendly_name, created.validity_period) == ("Async", 60)
    fetched = await services(created.sid).fetch_async()
    assert fetched.links == created.links
    twilio_shortcodes.advance_clock(2)
    updated = await services(created.sid).update_async(
        inbound_request_url="https://app.example.com/sms", use_inbound_webhook_on_number=True
    )
    assert updated.inbound_request_url == "https://app.example.com/sms"
    assert updated.use_inbound_webhook_on_number is True
    assert (updated.date_updated - created.date_created).total_seconds() == 2
    assert [s.sid for s in await services.list_async()] == [created.sid]
    assert await services(created.sid).delete_async() is True
    assert await services.list_async() == []
    with pytest.raises(TwilioRestException) as caught:
        await services(created.sid).fetch_async()
    assert caught.value.code == 20404


# -- with request checks off, bad values are still Twilio's 400, never a 500 -----------------


@pytest.mark.twilio_shortcodes(validate="responses")
@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        (SERVICES, "ValidityPeriod", "ten"),
        (SERVICES, "StickySender", "yes"),
        ("https://proxy.twilio.com/v1/Services", "DefaultTtl", "-5"),
    ],
)
def test_unchecked_values_that_do_not_convert(twilio_shortcodes, api, url, field, value):
    name = "FriendlyName" if "messaging" in url else "UniqueName"
    before = twilio_shortcodes.snapshot()
    body = assert_twilio_error(api.post(url, data={name: "n", field: value}), 400, 20001)
    assert field in body["message"]
    assert twilio_shortcodes.snapshot() == before
    missing = assert_twilio_error(api.post(url, data={field: value}), 400, 20001)
    assert missing["message"] == f"Missing required parameter {name} in the post body"
