"""Alerts through the Messaging Service, STOP and HELP, and status callbacks: how to test
each against the in-memory Twilio."""

from __future__ import annotations

import pytest
from alerts import Alerts
from twilio.rest import Client
from webhook import DELIVERY, HELP, SUBSCRIBERS
from webhook import app as webhook_app

APP = "https://alerts.example.com"
FAN, OTHER = "+15558675310", "+15558675311"


@pytest.fixture(autouse=True)
def fresh_app_state():
    SUBSCRIBERS.clear()
    DELIVERY.clear()


@pytest.fixture
def alerts(twilio_shortcodes):
    """The service as the application's operators set it up: a short code, the inbound and
    status webhooks, Advanced Opt-Out."""
    service = twilio_shortcodes.add_messaging_service(
        "Alerts",
        inbound_request_url=f"{APP}/sms",
        status_callback=f"{APP}/status",
        short_codes=["12345"],
        advanced_opt_out=True,
    )
    return Alerts(Client(), service)


def test_an_alert_goes_out_and_is_delivered(twilio_shortcodes, alerts):
    sid = alerts.send(FAN, "Storm warning: stay indoors.")

    # Sent through the service; the pool picks the sender when Twilio delivers it.
    twilio_shortcodes.assert_sent(
        to=FAN, body="Storm warning: stay indoors.",
        messaging_service_sid=alerts.service_sid, status="accepted",
    )  # fmt: skip
    callbacks = twilio_shortcodes.deliver_messages(app=webhook_app)

    assert [c.params["MessageStatus"] for c in callbacks] == [
        "queued", "sending", "sent", "delivered",
    ]  # fmt: skip
    assert all(c.status == 204 for c in callbacks)  # the webhook accepted Twilio's signature
    assert dict(DELIVERY) == {sid: "delivered"}
    twilio_shortcodes.assert_sent(to=FAN, from_="12345", status="delivered")


def test_an_undelivered_alert_is_reported(twilio_shortcodes, alerts):
    twilio_shortcodes.fail_delivery(OTHER, status="undelivered", error_code=30003)
    sent = alerts.broadcast([FAN, OTHER], "Road closed.")
    twilio_shortcodes.deliver_messages(app=webhook_app)
    assert dict(DELIVERY) == {sent[FAN]: "delivered", sent[OTHER]: "undelivered"}
    (failed,) = twilio_shortcodes.assert_sent(to=OTHER)
    assert (failed["error_code"], failed["error_message"]) == (
        30003, "Unreachable destination handset",
    )  # fmt: skip


def test_stop_with_advanced_opt_out(twilio_shortcodes, alerts):
    SUBSCRIBERS.add(FAN)
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="stop", app=webhook_app)

    assert delivery.params["OptOutType"] == "STOP"  # the app still hears about it ...
    assert delivery.replies == []  # ... and leaves the reply to Twilio
    assert FAN not in SUBSCRIBERS
    twilio_shortcodes.assert_sent(to=FAN, from_="12345", direction="outbound-reply", times=1)
    # Twilio now refuses to send to the number; the application counts it as unsubscribed.
    sent = alerts.broadcast([FAN, OTHER], "Road open.")
    assert sent[FAN] is None and sent[OTHER].startswith("SM")
    twilio_shortcodes.assert_sent(body="Road open.", times=1)

    twilio_shortcodes.receive_sms("12345", from_=FAN, body="START", app=webhook_app)
    assert alerts.send(FAN, "Welcome back") is not None


def test_a_seeded_opt_out(twilio_shortcodes, alerts):
    twilio_shortcodes.add_opt_out(FAN, alerts.service_sid)
    assert alerts.send(FAN, "Hello?") is None
    twilio_shortcodes.assert_sent(times=0)


def test_help_and_stop_on_a_standalone_short_code(twilio_shortcodes):
    # Outside a Messaging Service Twilio handles nothing: the application must answer.
    twilio_shortcodes.add_short_code("12345", sms_url=f"{APP}/sms")
    help_ = twilio_shortcodes.receive_sms("12345", from_=FAN, body="help", app=webhook_app)
    assert "OptOutType" not in help_.params
    assert [r.body for r in help_.replies] == [HELP]
    stop = twilio_shortcodes.receive_sms("12345", from_=FAN, body="STOP", app=webhook_app)
    assert [r.body for r in stop.replies] == ["You will get no more alerts."]
    # The TwiML replies are messages of the account, sent once Twilio delivers them.
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.assert_sent(to=FAN, body=HELP, status="delivered", times=1)
    # And nothing stops a later send: honouring STOP is the application's job here.
    Client().messages.create(to=FAN, from_="12345", body="still allowed")
