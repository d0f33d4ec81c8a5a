"""Long codes: a phone number of the account sends and receives as a short code does, and in
a Messaging Service's pool it sends what no short code of the pool can (Short Code Reroute)."""

from __future__ import annotations

from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.conftest import assert_twilio_error

LONG = "+14155550100"
US, UK = "+15558675310", "+447700900456"
APP = "https://app.example.com"


class Recorder:
    """A WSGI webhook that records what Twilio posts and replies with TwiML."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str]]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        self.received.append((environ["PATH_INFO"], form))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Message>Got it</Message></Response>"]


@pytest.fixture
def app():
    return Recorder()


# -- sending from a long code ---------------------------------------------------------------


@pytest.mark.parametrize("to", [US, UK])
def test_a_phone_number_sends(twilio_shortcodes, twilio_client, to):
    twilio_shortcodes.add_phone_number(LONG)
    message = twilio_client.messages.create(to=to, from_=LONG, body="Hello")
    assert (message.status, message.from_, message.to) == ("queued", LONG, to)
    assert (message.direction, message.num_segments) == ("outbound-api", "1")
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.assert_sent(from_=LONG, to=to, status="delivered")


def test_a_phone_number_sends_mms_only_with_mms(twilio_shortcodes, twilio_client, api):
    twilio_shortcodes.add_phone_number(LONG, capabilities=("SMS",))
    url = (
        f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/Messages.json"
    )
    form = {"To": US, "From": LONG, "MediaUrl": "https://m.example/a.png"}
    assert_twilio_error(api.post(url, data=form), 400, 21621)
    twilio_shortcodes.add_phone_number("+14155550101", capabilities=("SMS", "MMS"))
    assert api.post(url, data={**form, "From": "+14155550101"}).status_code == 201


def test_a_phone_number_without_sms_cannot_send(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_phone_number(LONG, capabilities=("voice",))
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(to=US, from_=LONG, body="Hello")
    assert (caught.value.status, caught.value.code) == (400, 21661)


def test_a_number_not_in_the_account_cannot_send(twilio_shortcodes, twilio_client):
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(to=US, from_=LONG, body="Hello")
    assert caught.value.code == 21660


def test_a_released_number_no_longer_sends(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_phone_number(LONG)
    twilio_client.incoming_phone_numbers(sid).delete()
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(to=US, from_=LONG, body="Hello")
    assert caught.value.code == 21660


# -- receiving on a long code ---------------------------------------------------------------


def test_a_phone_number_receives_on_its_own_url(twilio_shortcodes, app):
    twilio_shortcodes.add_phone_number(LONG, sms_url=f"{APP}/sms")
    delivery = twilio_shortcodes.receive_sms(LONG, from_=US, body="hi", app=app)
    assert delivery.served_by == "primary"
    ((path, form),) = app.received
    assert path == "/sms"
    assert (form["To"], form["From"], form["Body"], form["ToCountry"]) == (LONG, US, "hi", "US")
    assert "MessagingServiceSid" not in form
    (reply,) = delivery.replies
    assert (reply.to, reply.from_, reply.body) == (US, LONG, "Got it")
    received = [m for m in twilio_shortcodes.messages if m["direction"] == "inbound"]
    assert [(m["to"], m["from"], m["status"]) for m in received] == [(LONG, US, "received")]
    twilio_shortcodes.assert_sent(from_=LONG, to=US, body="Got it")


def test_a_phone_number_receives_by_its_sid_too(twilio_shortcodes, app):
    sid = twilio_shortcodes.add_phone_number(LONG, sms_url=f"{APP}/sms")
    twilio_shortcodes.receive_sms(sid, from_=US, body="hi", app=app)
    assert app.received[0][1]["To"] == LONG


def test_a_phone_number_in_a_service_posts_to_the_services_url(twilio_shortcodes, app):
    twilio_shortcodes.add_phone_number(LONG, sms_url=f"{APP}/own")
    service = twilio_shortcodes.add_messaging_service(
        "Inbound", inbound_request_url=f"{APP}/service", phone_numbers=[LONG]
    )
    twilio_shortcodes.receive_sms(LONG, from_=US, body="hi", app=app)
    ((path, form),) = app.received
    assert (path, form["MessagingServiceSid"]) == ("/service", service)


def test_a_url_set_through_the_api_serves(twilio_shortcodes, twilio_client, app):
    sid = twilio_shortcodes.add_phone_number(LONG)
    twilio_client.incoming_phone_numbers(sid).update(sms_url=f"{APP}/updated")
    twilio_shortcodes.receive_sms(LONG, from_=US, body="hi", app=app)
    assert app.received[0][0] == "/updated"


def test_an_unknown_number_cannot_receive(twilio_shortcodes):
    with pytest.raises(KeyError, match=r"\+14155550100"):
        twilio_shortcodes.receive_sms(LONG, body="hi")


# -- a Messaging Service's pool: short codes first, Short Code Reroute ---------------------


def send_through(client, service, to):
    return client.messages.create(to=to, messaging_service_sid=service, body="Hello")


def test_the_pool_prefers_its_short_code(twilio_shortcodes, twilio_client):
    service = twilio_shortcodes.add_messaging_service(
        "Pool", phone_numbers=[LONG], short_codes=["12345"]
    )
    sent = send_through(twilio_client, service, US)
    assert (sent.status, sent.from_) == ("accepted", None)
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.assert_sent(to=US, from_="12345", status="delivered", times=1)


def test_short_code_reroute(twilio_shortcodes, twilio_client):
    """A US short code cannot reach a UK number: a phone number of the pool sends it."""
    service = twilio_shortcodes.add_messaging_service(
        "Pool", short_codes=["12345"], phone_numbers=[LONG]
    )
    send_through(twilio_client, service, UK)
    twilio_shortcodes.deliver_messages()
    (message,) = twilio_shortcodes.assert_sent(to=UK, status="delivered")
    assert (message["from"], message["messaging_service_sid"]) == (LONG, service)
    assert twilio_client.messages(message["sid"]).fetch().from_ == LONG


def test_a_pool_of_phone_numbers_only(twilio_shortcodes, twilio_client):
    service = twilio_shortcodes.add_messaging_service("Pool", phone_numbers=[LONG])
    send_through(twilio_client, service, US)
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.assert_sent(to=US, from_=LONG, status="delivered")


def test_reroute_skips_numbers_that_cannot_send_it(twilio_shortcodes, twilio_client):
    voice = twilio_shortcodes.add_phone_number("+14155550199", capabilities=("voice",))
    sms_only = twilio_shortcodes.add_phone_number("+14155550198", capabilities=("SMS",))
    service = twilio_shortcodes.add_messaging_service("Pool", short_codes=["12345"])
    twilio_client.messaging.v1.services(service).phone_numbers.create(phone_number_sid=sms_only)
    with pytest.raises(TwilioRestException):  # no SMS: it cannot join (21715)
        twilio_client.messaging.v1.services(service).phone_numbers.create(phone_number_sid=voice)
    send_through(twilio_client, service, UK)
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.assert_sent(to=UK, from_="+14155550198", status="delivered")


def test_neither_short_code_nor_phone_number_can_send_it(twilio_shortcodes, twilio_client):
    service = twilio_shortcodes.add_messaging_service("Pool", short_codes=["12345"])
    with pytest.raises(TwilioRestException) as caught:
        send_through(twilio_client, service, UK)
    assert (caught.value.status, caught.value.code) == (400, 21703)


def test_an_mms_reroutes_only_to_an_mms_number(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_phone_number(LONG, capabilities=("SMS",))
    service = twilio_shortcodes.add_messaging_service(
        "Pool", short_codes=["12345"], phone_numbers=[LONG]
    )
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(
            to=UK, messaging_service_sid=service, media_url=["https://m.example/a.png"]
        )
    assert caught.value.code == 21703
    mms = twilio_shortcodes.add_phone_number("+14155550102", capabilities=("MMS", "SMS"))
    twilio_client.messaging.v1.services(service).phone_numbers.create(phone_number_sid=mms)
    twilio_client.messages.create(
        to=UK, messaging_service_sid=service, media_url=["https://m.example/a.png"]
    )
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.assert_sent(to=UK, from_="+14155550102", status="delivered")


def test_the_pool_is_read_when_the_message_leaves_it(twilio_shortcodes, twilio_client):
    """The sender is chosen when the message is queued: a number that left the pool
    meanwhile does not send it."""
    service = twilio_shortcodes.add_messaging_service(
        "Pool", short_codes=["12345"], phone_numbers=[LONG]
    )
    send_through(twilio_client, service, UK)
    (sid,) = twilio_shortcodes.messaging_service_phone_numbers(service)
    twilio_client.messaging.v1.services(service).phone_numbers(sid).delete()
    twilio_shortcodes.deliver_messages()
    (message,) = twilio_shortcodes.messages
    assert (message["status"], message["error_code"]) == ("failed", 21703)


def test_a_service_without_an_inbound_url_drops_what_its_phone_numbers_receive(
    twilio_shortcodes, app
):
    twilio_shortcodes.add_phone_number(LONG, sms_url=f"{APP}/own")
    twilio_shortcodes.add_messaging_service("Quiet", phone_numbers=[LONG])
    delivery = twilio_shortcodes.receive_sms(LONG, from_=US, body="hi", app=app)
    assert (delivery.attempts, app.received) == ([], [])
    assert [m for m in twilio_shortcodes.messages if m["direction"] == "inbound"] == []


def test_a_service_may_defer_to_its_phone_numbers_own_url(twilio_shortcodes, app):
    twilio_shortcodes.add_phone_number(LONG, sms_url=f"{APP}/own")
    twilio_shortcodes.add_messaging_service(
        "Deferring", inbound_request_url=f"{APP}/service", phone_numbers=[LONG],
        use_inbound_webhook_on_number=True,
    )  # fmt: skip
    twilio_shortcodes.receive_sms(LONG, from_=US, body="hi", app=app)
    assert [path for path, _ in app.received] == ["/own"]


def test_deleting_a_service_releases_its_phone_numbers(twilio_shortcodes, twilio_client):
    service = twilio_client.messaging.v1.services.create(friendly_name="Old")
    sid = twilio_shortcodes.add_phone_number(LONG)
    service_api = twilio_client.messaging.v1.services(service.sid)
    service_api.phone_numbers.create(phone_number_sid=sid)
    assert service_api.delete() is True
    other = twilio_client.messaging.v1.services.create(friendly_name="New")
    joined = twilio_client.messaging.v1.services(other.sid).phone_numbers.create(
        phone_number_sid=sid
    )
    assert joined.service_sid == other.sid
    assert twilio_client.incoming_phone_numbers(sid).fetch().phone_number == LONG
