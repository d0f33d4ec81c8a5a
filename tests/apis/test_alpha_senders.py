"""Messaging v1 ``Services/{MG}/AlphaSenders``: add, fetch, list, remove; one per service;
through the latest twilio SDK (sync and ``*_async``) and plain ``requests``."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from pytest_twilio_shortcodes import validate
from tests.conftest import assert_twilio_error

SERVICES = "https://messaging.twilio.com/v1/Services"


@pytest.fixture
def service(twilio_shortcodes):
    return twilio_shortcodes.add_messaging_service("Brand")


def error(call):
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value


def test_add_fetch_list_remove_through_the_sdk(twilio_shortcodes, twilio_client, service):
    senders = twilio_client.messaging.v1.services(service).alpha_senders
    created = senders.create(alpha_sender="Twilio")

    assert re.fullmatch(r"AI[0-9a-f]{32}", created.sid)
    assert created.account_sid == twilio_shortcodes.account_sid
    assert created.service_sid == service
    assert created.alpha_sender == "Twilio"
    assert created.capabilities == ["SMS"]
    assert created.url == f"{SERVICES}/{service}/AlphaSenders/{created.sid}"
    assert isinstance(created.date_created, datetime)
    assert created.date_updated == created.date_created

    fetched = senders(created.sid).fetch()
    assert (fetched.sid, fetched.alpha_sender, fetched.date_created) == (
        created.sid,
        "Twilio",
        created.date_created,
    )
    assert [s.sid for s in senders.list()] == [created.sid]

    assert senders(created.sid).delete() is True
    assert senders.list() == []
    e = error(lambda: senders(created.sid).fetch())
    assert (e.status, e.code) == (404, 20404)
    assert e.msg == (
        f"Unable to fetch record: The requested resource /Services/{service}/AlphaSenders/"
        f"{created.sid} was not found"
    )


def test_wire_format(api, service):
    base = f"{SERVICES}/{service}/AlphaSenders"
    response = api.post(base, data={"AlphaSender": "A-1+_& b"})
    assert response.status_code == 201
    body = response.json()
    validate(body, "messaging.v1.service.alpha_sender")
    assert set(body) == {
        "sid", "account_sid", "service_sid", "date_created", "date_updated", "alpha_sender",
        "capabilities", "url",
    }  # fmt: skip
    assert body["alpha_sender"] == "A-1+_& b"

    page = api.get(base).json()
    validate(page, "messaging.v1.service.alpha_sender.list")
    assert page["alpha_senders"] == [body]
    meta = page["meta"]
    assert meta["key"] == "alpha_senders"
    assert meta["url"] == meta["first_page_url"] == f"{base}?PageSize=50&Page=0"
    assert meta["next_page_url"] is None

    removed = api.delete(f"{base}/{body['sid']}")
    assert (removed.status_code, removed.content) == (204, b"")
    assert api.get(base).json()["alpha_senders"] == []


def test_one_alpha_sender_per_service(twilio_shortcodes, twilio_client, api, service):
    senders = twilio_client.messaging.v1.services(service).alpha_senders
    first = senders.create(alpha_sender="First")
    before = twilio_shortcodes.snapshot()
    body = assert_twilio_error(
        api.post(f"{SERVICES}/{service}/AlphaSenders", data={"AlphaSender": "Second"}), 409, 20409
    )
    assert first.sid in body["message"]
    assert twilio_shortcodes.snapshot() == before
    e = error(lambda: senders.create(alpha_sender="First"))
    assert (e.status, e.code) == (409, 20409)
    # To change it, remove the current one first.
    senders(first.sid).delete()
    assert senders.create(alpha_sender="Second").alpha_sender == "Second"
    # Another service has its own.
    other = twilio_shortcodes.add_messaging_service("Other")
    assert twilio_client.messaging.v1.services(other).alpha_senders.create(
        alpha_sender="Second"
    ).service_sid == (other)


@pytest.mark.parametrize(
    "value",
    ["", "123456", "0", "TwelveChars1", "Bad!", "Ünïcode", "tab\there", "a.b", "x" * 12, "new\n"],
)
def test_invalid_alpha_senders(twilio_shortcodes, api, service, value):
    before = twilio_shortcodes.snapshot()
    body = assert_twilio_error(
        api.post(f"{SERVICES}/{service}/AlphaSenders", data={"AlphaSender": value}), 400, 20001
    )
    assert "AlphaSender" in body["message"]
    assert twilio_shortcodes.snapshot() == before
    assert api.get(f"{SERVICES}/{service}/AlphaSenders").json()["alpha_senders"] == []


@pytest.mark.parametrize("value", ["Twilio", "A", "1a", "12345678 9x", "A-B+C_D&E F", " ", "-"])
def test_valid_alpha_senders(api, service, value):
    response = api.post(f"{SERVICES}/{service}/AlphaSenders", data={"AlphaSender": value})
    assert (response.status_code, response.json()["alpha_sender"]) == (201, value)


def test_alpha_sender_is_required(api, service):
    body = assert_twilio_error(api.post(f"{SERVICES}/{service}/AlphaSenders", data={}), 400, 20001)
    assert body["message"] == "Missing required parameter AlphaSender in the post body"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_service(api, method):
    unknown = "MG" + "0" * 32
    body = assert_twilio_error(
        api.request(method, f"{SERVICES}/{unknown}/AlphaSenders", data={"AlphaSender": "X"}),
        404,
        20404,
    )
    assert (
        body["message"] == f"The requested resource /Services/{unknown}/AlphaSenders was not found"
    )


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize("sid", ["AI" + "0" * 32, "AInope", "SC" + "0" * 32])
def test_unknown_alpha_sender(api, service, method, sid):
    api.post(f"{SERVICES}/{service}/AlphaSenders", data={"AlphaSender": "Real"})
    body = assert_twilio_error(
        api.request(method, f"{SERVICES}/{service}/AlphaSenders/{sid}"), 404, 20404
    )
    assert body["message"] == (
        f"The requested resource /Services/{service}/AlphaSenders/{sid} was not found"
    )


def test_an_alpha_sender_of_another_service_is_not_found(twilio_shortcodes, api, service):
    other = twilio_shortcodes.add_messaging_service("Other")
    sid = api.post(f"{SERVICES}/{other}/AlphaSenders", data={"AlphaSender": "Theirs"}).json()["sid"]
    assert_twilio_error(api.get(f"{SERVICES}/{service}/AlphaSenders/{sid}"), 404, 20404)
    assert_twilio_error(api.delete(f"{SERVICES}/{service}/AlphaSenders/{sid}"), 404, 20404)
    assert api.get(f"{SERVICES}/{other}/AlphaSenders/{sid}").status_code == 200


def test_deleting_the_service_takes_its_alpha_sender(twilio_client, api, service):
    sid = api.post(f"{SERVICES}/{service}/AlphaSenders", data={"AlphaSender": "Gone"}).json()["sid"]
    assert twilio_client.messaging.v1.services(service).delete() is True
    assert_twilio_error(api.get(f"{SERVICES}/{service}/AlphaSenders/{sid}"), 404, 20404)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        twilio_client.messaging.v1.services(service).alpha_senders.list()


def test_methods_not_served(api, service):
    sid = api.post(f"{SERVICES}/{service}/AlphaSenders", data={"AlphaSender": "M"}).json()["sid"]
    assert_twilio_error(api.post(f"{SERVICES}/{service}/AlphaSenders/{sid}"), 405, 20004)
    assert_twilio_error(api.delete(f"{SERVICES}/{service}/AlphaSenders"), 405, 20004)


@pytest.mark.asyncio
async def test_every_operation_async(async_client, service):
    senders = async_client.messaging.v1.services(service).alpha_senders
    created = await senders.create_async(alpha_sender="Async")
    assert (await senders(created.sid).fetch_async()).alpha_sender == "Async"
    assert [s.sid for s in await senders.list_async()] == [created.sid]
    assert await senders(created.sid).delete_async() is True
    assert await senders.list_async() == []


# -- seeding: add_messaging_service(alpha_sender=...) -----------------------------------------

VALUES = ["Twilio", "A", "1a", " ", "A-B+C_D&E F", "", "123456", "TwelveChars1", "Bad!",
          "Ünïcode", "new\n", "a.b", "x" * 11, "x" * 12]  # fmt: skip


def test_a_seeded_alpha_sender_is_served(twilio_shortcodes, twilio_client):
    service = twilio_shortcodes.add_messaging_service("Brand", alpha_sender="Brand & Co")
    (sender,) = twilio_client.messaging.v1.services(service).alpha_senders.list()
    assert (sender.alpha_sender, sender.service_sid) == ("Brand & Co", service)
    assert re.fullmatch(r"AI[0-9a-f]{32}", sender.sid)


@pytest.mark.parametrize("value", VALUES)
def test_the_helper_and_the_api_take_the_same_alpha_senders(twilio_shortcodes, api, value):
    """One rule, written twice (the model's regex for the helper, the request schema for the
    API): they agree."""
    through_api = twilio_shortcodes.add_messaging_service("API")
    response = api.post(f"{SERVICES}/{through_api}/AlphaSenders", data={"AlphaSender": value})
    try:
        twilio_shortcodes.add_messaging_service("Seeded", alpha_sender=value)
        seeded = True
    except ValueError as error:
        assert "alpha_sender" in str(error)
        seeded = False
    assert (response.status_code == 201) == seeded
