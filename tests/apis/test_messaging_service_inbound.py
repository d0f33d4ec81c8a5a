"""Where an inbound SMS goes, by the Messaging Service's rules (its OpenAPI description):

- a sender in no service: its own ``sms_url``;
- in a service: the service's ``inbound_request_url``, unless ``use_inbound_webhook_on_number``
  is true, then the sender's own URL;
- in a service with no ``inbound_request_url`` and no deferral: dropped (no request, not
  listed as a message); Advanced Opt-Out keywords still act, with Twilio's reply.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from twilio.base.exceptions import TwilioRestException

SERVICES = "https://messaging.twilio.com/v1/Services"
BASE = "https://app.example.com"
FAN = "+15558675310"
STOP_REPLY = (
    "You have successfully been unsubscribed. You will not receive any more messages from this "
    "number. Reply START to resubscribe."
)


class App:
    """A WSGI application that records each request's path and answers with TwiML."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        self.paths.append(path)
        if path == "/broken":
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"boom"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        body = f"<Response><Message>{path}: {form.get('Body', '')}</Message></Response>"
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [body.encode()]


@pytest.fixture
def app():
    return App()


def inbound(mock):
    return [m for m in mock.messages if m["direction"] == "inbound"]


def test_a_sender_in_a_service_posts_to_the_services_url(twilio_shortcodes, app):
    twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/own")
    twilio_shortcodes.add_messaging_service(
        "S", inbound_request_url=f"{BASE}/service", short_codes=["12345"]
    )
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="hi", app=app)
    assert app.paths == ["/service"]
    assert delivery.served_url == f"{BASE}/service"


def test_use_inbound_webhook_on_number_defers_to_the_senders_url(
    twilio_shortcodes, twilio_client, app
):
    twilio_shortcodes.add_short_code(
        "12345", sms_url=f"{BASE}/broken", sms_fallback_url=f"{BASE}/own-fallback"
    )
    service = twilio_shortcodes.add_messaging_service(
        "S", f"{BASE}/service", f"{BASE}/service-fallback", short_codes=["12345"]
    )
    twilio_client.messaging.v1.services(service).update(use_inbound_webhook_on_number=True)
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="hi", app=app)
    # The sender's own URL, and its own fallback, override the service's.
    assert app.paths == ["/broken", "/own-fallback"]
    assert delivery.served_by == "fallback"
    assert delivery.params["MessagingServiceSid"] == service
    assert [m["body"] for m in inbound(twilio_shortcodes)] == ["hi"]


def test_deferral_without_an_inbound_url_on_the_service(twilio_shortcodes, app):
    twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/own")
    twilio_shortcodes.add_messaging_service(
        "S", short_codes=["12345"], use_inbound_webhook_on_number=True
    )
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="hi", app=app)
    assert app.paths == ["/own"]
    assert delivery.replies[0].body == "/own: hi"


def test_no_inbound_url_and_no_deferral_drops_the_message(twilio_shortcodes, twilio_client, app):
    """A change from this product's earlier rule (the short code's own URL served)."""
    twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/own")
    service = twilio_client.messaging.v1.services.create(friendly_name="Quiet").sid
    twilio_client.messaging.v1.services(service).short_codes.create(
        short_code_sid=twilio_shortcodes.short_code("12345").sid
    )
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="hello?", app=app)

    assert app.paths == []
    assert delivery.attempts == []
    assert delivery.served_by is None
    assert delivery.replies == []
    assert "dropped" in delivery.note and service in delivery.note
    assert twilio_shortcodes.messages == []
    assert twilio_client.messages.list() == []
    assert twilio_client.messages.list(to="12345") == []


def test_a_dropped_stop_still_opts_out_with_twilios_reply(twilio_shortcodes, twilio_client, app):
    service = twilio_shortcodes.add_messaging_service(
        "Quiet", short_codes=["12345"], advanced_opt_out=True
    )
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="STOP", app=app)

    assert app.paths == []
    assert delivery.attempts == []
    assert delivery.params["OptOutType"] == "STOP"
    assert twilio_shortcodes.opted_out(service) == {FAN}
    (reply,) = twilio_shortcodes.messages
    assert (reply["direction"], reply["to"], reply["from"], reply["body"]) == (
        "outbound-reply",
        FAN,
        "12345",
        STOP_REPLY,
    )
    assert inbound(twilio_shortcodes) == []
    # Opted out: sending to the fan through the service is refused, as for any opt-out.
    with pytest.raises(TwilioRestException) as refused:
        twilio_client.messages.create(to=FAN, messaging_service_sid=service, body="x")
    assert refused.value.code == 21610


def test_a_short_code_in_no_service_keeps_its_own_url(twilio_shortcodes, twilio_client, app):
    sc = twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/own")
    service = twilio_shortcodes.add_messaging_service(
        "S", inbound_request_url=f"{BASE}/service", short_codes=[sc]
    )
    twilio_shortcodes.receive_sms("12345", from_=FAN, body="in", app=app)
    twilio_client.messaging.v1.services(service).short_codes(sc).delete()
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="out", app=app)
    assert app.paths == ["/service", "/own"]
    assert "MessagingServiceSid" not in delivery.params


def test_deleting_the_service_gives_the_short_code_its_own_url_back(
    twilio_shortcodes, twilio_client, app
):
    sc = twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/own")
    service = twilio_shortcodes.add_messaging_service("Quiet", short_codes=[sc])
    assert twilio_shortcodes.receive_sms("12345", from_=FAN, body="a", app=app).attempts == []
    twilio_client.messaging.v1.services(service).delete()
    twilio_shortcodes.receive_sms("12345", from_=FAN, body="b", app=app)
    assert app.paths == ["/own"]
    assert [m["body"] for m in inbound(twilio_shortcodes)] == ["b"]


def test_setting_an_inbound_url_through_the_api_routes_there(twilio_shortcodes, api, app):
    sc = twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/own")
    service = twilio_shortcodes.add_messaging_service("Later", short_codes=[sc])
    api.post(
        f"{SERVICES}/{service}", data={"InboundRequestUrl": f"{BASE}/api", "InboundMethod": "POST"}
    )
    twilio_shortcodes.receive_sms("12345", from_=FAN, body="x", app=app)
    api.post(f"{SERVICES}/{service}", data={"InboundRequestUrl": ""})
    dropped = twilio_shortcodes.receive_sms("12345", from_=FAN, body="y", app=app)
    assert app.paths == ["/api"]
    assert dropped.attempts == []
