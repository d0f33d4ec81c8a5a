"""Opt-out on short codes, as Twilio handles it: nothing for a standalone short code or a
service without Advanced Opt-Out; for a Messaging Service with Advanced Opt-Out, keywords
opt the sender out of (and back into) the whole service, with Twilio's replies."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
import requests
from flask import Flask, Response, request
from twilio.base.exceptions import TwilioRestException

from tests.conftest import assert_twilio_error

FAN = "+15558675310"
OTHER = "+15558675311"
STOP_REPLY = (
    "You have successfully been unsubscribed. You will not receive any more messages from this "
    "number. Reply START to resubscribe."
)
START_REPLY = (
    "You have successfully been re-subscribed to messages from this number. Reply HELP for "
    "help. Reply STOP to unsubscribe. Msg&Data Rates May Apply."
)
HELP_REPLY = "Reply STOP to unsubscribe. Msg&Data Rates May Apply."


class Webhook:
    """The application: records what reaches it and answers every message."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.app = app = Flask("opt-out")

        @app.route("/sms", methods=["POST"])
        def sms():
            self.received.append(request.form.to_dict())
            reply = f"Got {escape(request.form['Body'].strip())}"
            return Response(f"<Response><Message>{reply}</Message></Response>", mimetype="text/xml")


def no_content(environ, start_response):
    """A status callback endpoint that accepts everything."""
    start_response("204 No Content", [])
    return [b""]


@pytest.fixture
def webhook():
    return Webhook()


def outbound(mock):
    return [(m["direction"], m["to"], m["body"], m["status"]) for m in mock.messages[1:]]


def send(client, **kwargs):
    """Send through the SDK: the message's status, or the error code."""
    try:
        return client.messages.create(body="news", **kwargs).status
    except TwilioRestException as error:
        return error.code


@pytest.mark.parametrize("advanced", [None, False], ids=["standalone", "service-without-aoo"])
def test_twilio_manages_nothing_without_advanced_opt_out(
    twilio_shortcodes, twilio_client, webhook, advanced
):
    if advanced is None:
        twilio_shortcodes.add_short_code("12345", sms_url="https://app.example.com/sms")
        sender = {"from_": "12345"}
    else:
        service = twilio_shortcodes.add_messaging_service(
            inbound_request_url="https://app.example.com/sms", short_codes=["12345"]
        )
        sender = {"messaging_service_sid": service}
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="STOP", app=webhook.app)

    assert webhook.received[0]["Body"] == "STOP"  # the application's business
    assert "OptOutType" not in webhook.received[0]
    assert [r.body for r in delivery.replies] == ["Got STOP"]
    # Only the application's own reply goes back; Twilio adds none.
    assert outbound(twilio_shortcodes) == [("outbound-reply", FAN, "Got STOP", "queued")]
    assert send(twilio_client, to=FAN, **sender) in ("queued", "accepted")  # not blocked
    twilio_shortcodes.deliver_messages()
    assert {m["status"] for m in twilio_shortcodes.messages[1:]} == {"delivered"}


def test_the_inbound_message_is_in_the_list(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_short_code("12345")
    delivery = twilio_shortcodes.receive_sms(
        "12345", from_=FAN, body="hello", media_urls=["https://m.example/a.png"]
    )
    (message,) = twilio_client.messages.list(to="12345")
    assert message.sid == delivery.message_sid
    assert (message.direction, message.status, message.from_, message.body) == (
        "inbound", "received", FAN, "hello",
    )  # fmt: skip
    assert (message.num_media, message.num_segments, message.messaging_service_sid) == (
        "1",
        "1",
        None,
    )
    assert message.date_sent == message.date_created


@pytest.fixture
def aoo(twilio_shortcodes):
    """A Messaging Service with Advanced Opt-Out holding the short code 12345 (no
    webhooks: what Twilio does alone)."""
    return twilio_shortcodes.add_messaging_service(
        "Alerts", short_codes=["12345"], advanced_opt_out=True
    )


@pytest.mark.parametrize(
    "body", ["STOP", " stop ", "Stop\n", "STOPALL", "unsubscribe", "Cancel", "END", "quit"]
)
def test_the_opt_out_cycle(twilio_shortcodes, twilio_client, webhook, body):
    aoo = twilio_shortcodes.add_messaging_service(
        "Alerts",
        inbound_request_url="https://app.example.com/sms",
        short_codes=["12345"],
        status_callback="https://app.example.com/status",
        advanced_opt_out=True,
    )
    standalone = twilio_shortcodes.add_short_code("54321")
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body=body, app=webhook.app)

    # The message still reaches the application, marked.
    assert webhook.received[0]["Body"] == body
    assert webhook.received[0]["OptOutType"] == "STOP"
    assert delivery.params["OptOutType"] == "STOP"
    assert twilio_shortcodes.opted_out(aoo) == {FAN}
    # Twilio's reply goes back from the short code; the application's cannot.
    (reply, app_reply) = twilio_shortcodes.messages[1:]
    assert (reply["direction"], reply["from"], reply["to"], reply["body"]) == (
        "outbound-reply", "12345", FAN, STOP_REPLY,
    )  # fmt: skip
    assert (reply["status"], reply["messaging_service_sid"]) == ("queued", aoo)
    assert (app_reply["status"], app_reply["error_code"]) == ("failed", 21610)
    assert app_reply["error_message"] == "Attempt to send to unsubscribed recipient"

    # Later sends through the service (or from its short code) are refused.
    assert send(twilio_client, to=FAN, messaging_service_sid=aoo) == 21610
    assert send(twilio_client, to=FAN, from_="12345") == 21610
    url = (
        f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/Messages.json"
    )
    response = requests.post(
        url,
        data={"To": FAN, "MessagingServiceSid": aoo, "Body": "x"},
        auth=(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token),
    )
    assert_twilio_error(response, 400, 21610)
    # Other recipients, and short codes outside the service, are not affected.
    assert send(twilio_client, to=OTHER, messaging_service_sid=aoo) == "accepted"
    assert send(
        twilio_client, to=FAN, from_=twilio_shortcodes.short_code(standalone).short_code
    ) == ("queued")

    # The confirmation is delivered, without status callbacks (it is not an API send).
    callbacks = twilio_shortcodes.deliver_messages(app=no_content)
    assert twilio_shortcodes.messages[1]["status"] == "delivered"
    assert reply["sid"] not in {c.params["MessageSid"] for c in callbacks}
    assert {c.params["To"] for c in callbacks} == {OTHER}  # the service's callback

    back = twilio_shortcodes.receive_sms("12345", from_=FAN, body="start", app=webhook.app)
    assert back.params["OptOutType"] == "START"
    assert twilio_shortcodes.opted_out(aoo) == set()
    twilio_shortcodes.assert_sent(to=FAN, body=START_REPLY, from_="12345", times=1)
    assert send(twilio_client, to=FAN, messaging_service_sid=aoo) == "accepted"


@pytest.mark.parametrize("body", ["START", "yes", " Unstop "])
def test_opt_in_keywords(twilio_shortcodes, twilio_client, aoo, body):
    twilio_shortcodes.add_opt_out(FAN, aoo)
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body=body)
    assert delivery.params["OptOutType"] == "START"
    assert twilio_shortcodes.opted_out(aoo) == set()
    twilio_shortcodes.assert_sent(to=FAN, body=START_REPLY, times=1)


@pytest.mark.parametrize("body", ["STOP PLEASE", "please stop", "STOP!", "S T O P", "stopp", ""])
def test_only_the_keyword_alone_counts(twilio_shortcodes, twilio_client, aoo, body):
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body=body)
    assert "OptOutType" not in delivery.params
    assert twilio_shortcodes.opted_out(aoo) == set()
    assert send(twilio_client, to=FAN, messaging_service_sid=aoo) == "accepted"


@pytest.mark.parametrize("body", ["HELP", "info", " Help "])
def test_help(twilio_shortcodes, aoo, body):
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body=body)
    assert delivery.params["OptOutType"] == "HELP"
    twilio_shortcodes.assert_sent(to=FAN, body=HELP_REPLY, from_="12345", times=1)
    assert twilio_shortcodes.opted_out(aoo) == set()


def test_no_help_reply_to_an_opted_out_number(twilio_shortcodes, aoo):
    twilio_shortcodes.add_opt_out(FAN, aoo)
    delivery = twilio_shortcodes.receive_sms("12345", from_=FAN, body="HELP")
    assert delivery.params["OptOutType"] == "HELP"
    twilio_shortcodes.assert_sent(times=0)


def test_custom_replies(twilio_shortcodes):
    service = twilio_shortcodes.add_messaging_service(
        short_codes=["12345"], advanced_opt_out={"opt_out": "Bye from Acme. Reply START."}
    )
    twilio_shortcodes.receive_sms("12345", from_=FAN, body="STOP")
    twilio_shortcodes.receive_sms("12345", from_=FAN, body="START")
    assert [m["body"] for m in twilio_shortcodes.messages if m["direction"] != "inbound"] == [
        "Bye from Acme. Reply START.", START_REPLY,
    ]  # fmt: skip
    assert twilio_shortcodes.opted_out(service) == set()
    with pytest.raises(ValueError, match=r"unknown reply kinds \['stop'\]"):
        twilio_shortcodes.add_messaging_service(advanced_opt_out={"stop": "x"})


def test_opt_out_is_per_service(twilio_shortcodes, twilio_client, aoo):
    other = twilio_shortcodes.add_messaging_service(short_codes=["67890"], advanced_opt_out=True)
    twilio_shortcodes.receive_sms("12345", from_=FAN, body="STOP")
    assert send(twilio_client, to=FAN, messaging_service_sid=aoo) == 21610
    assert send(twilio_client, to=FAN, messaging_service_sid=other) == "accepted"
    assert twilio_shortcodes.opted_out(other) == set()


def test_a_message_on_its_way_when_the_recipient_opts_out(twilio_shortcodes, twilio_client, aoo):
    sent = twilio_client.messages.create(
        to=FAN, messaging_service_sid=aoo, body="news", status_callback="https://app.example.com/s"
    )
    from_short_code = twilio_client.messages.create(to=FAN, from_="12345", body="news")
    twilio_shortcodes.receive_sms("12345", from_=FAN, body="STOP")
    callbacks = twilio_shortcodes.deliver_messages(app=no_content)
    by_message = {}
    for callback in callbacks:
        by_message.setdefault(callback.params["MessageSid"], []).append(
            (callback.params["MessageStatus"], callback.params.get("ErrorCode"))
        )
    assert by_message[sent.sid] == [("queued", None), ("failed", "21610")]
    assert twilio_client.messages(sent.sid).fetch().error_code == 21610
    assert twilio_client.messages(from_short_code.sid).fetch().status == "failed"


def test_seeding_opt_outs(twilio_shortcodes, twilio_client, aoo):
    twilio_shortcodes.add_opt_out(FAN, aoo)
    assert twilio_shortcodes.opted_out(aoo) == {FAN}
    assert send(twilio_client, to=FAN, messaging_service_sid=aoo) == 21610
    plain = twilio_shortcodes.add_messaging_service()
    with pytest.raises(ValueError, match="has no Advanced Opt-Out"):
        twilio_shortcodes.add_opt_out(FAN, plain)
    with pytest.raises(ValueError, match=r"'5558675310' is not an E\.164 number: give it in"):
        twilio_shortcodes.add_opt_out("5558675310", aoo)
    with pytest.raises(KeyError):
        twilio_shortcodes.add_opt_out(FAN, "MG" + "0" * 32)
