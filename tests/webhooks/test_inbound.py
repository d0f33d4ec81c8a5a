"""Inbound SMS: Twilio's webhook delivered to a Flask application, in-process and live."""

from __future__ import annotations

import re
import threading
import time
from xml.sax.saxutils import escape

import pytest
import requests
from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

BASE = "https://app.example.com"


class SmsApp:
    """A webhook that accepts only requests signed with the account's auth token."""

    def __init__(self, auth_token: str, delay: float = 0.0) -> None:
        self.received: list[dict[str, str]] = []
        self.app = app = Flask("sms")
        validator = RequestValidator(auth_token)

        def signed() -> dict[str, str]:
            params = request.form.to_dict() if request.method == "POST" else {}
            # The URL as requested: Werkzeug's request.url decodes parts of the query string.
            url = request.base_url
            if request.query_string:
                url += "?" + request.query_string.decode()
            if not validator.validate(url, params, request.headers.get("X-Twilio-Signature", "")):
                abort(403)
            values = {**request.args.to_dict(), **params}
            self.received.append(values)
            return values

        @app.route("/sms", methods=["GET", "POST"])
        def sms():
            values = signed()
            media = "".join(
                f"<Media>{escape(values[f'MediaUrl{n}'])}</Media>"
                for n in range(int(values["NumMedia"]))
            )
            reply = f"You said: {escape(values['Body'])}"
            return Response(
                f"<Response><Message>{reply}{media}</Message></Response>", mimetype="text/xml"
            )

        @app.route("/broken", methods=["GET", "POST"])
        def broken():
            signed()
            return Response("oops", status=500)

        @app.route("/not-twiml", methods=["POST"])
        def not_twiml():
            signed()
            return "hello"

        @app.route("/slow", methods=["POST"])
        def slow():
            time.sleep(delay)
            return Response("<Response/>", mimetype="text/xml")


@pytest.fixture
def sms_app(twilio_shortcodes):
    return SmsApp(twilio_shortcodes.auth_token)


@pytest.fixture
def live(twilio_shortcodes):
    """The same application behind a real HTTP server on 127.0.0.1."""
    web = SmsApp(twilio_shortcodes.auth_token, delay=3.0)
    server = make_server("127.0.0.1", 0, web.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_through_the_messaging_service(twilio_shortcodes, sms_app):
    sid = twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/broken")  # not used
    service = twilio_shortcodes.add_messaging_service(
        "Inbound", inbound_request_url=f"{BASE}/sms", short_codes=[sid]
    )
    delivery = twilio_shortcodes.receive_sms(
        "12345", from_="+15558675310", body="hi", app=sms_app.app
    )

    assert delivery.served_by == "primary"
    assert delivery.served_url == f"{BASE}/sms"
    (attempt,) = delivery.attempts
    assert (attempt.method, attempt.status) == ("POST", 200)
    assert attempt.headers["Content-Type"] == "application/x-www-form-urlencoded"
    sent = sms_app.received[0]
    assert sent == attempt.params == delivery.params
    assert sent["MessagingServiceSid"] == service
    assert re.fullmatch(r"SM[0-9a-f]{32}", sent["MessageSid"])
    assert sent["SmsSid"] == sent["SmsMessageSid"] == sent["MessageSid"] == delivery.message_sid
    assert sent["AccountSid"] == twilio_shortcodes.account_sid
    assert (sent["From"], sent["To"], sent["Body"]) == ("+15558675310", "12345", "hi")
    assert (sent["NumMedia"], sent["NumSegments"], sent["SmsStatus"]) == ("0", "1", "received")
    assert (sent["ApiVersion"], sent["ToCountry"], sent["FromCountry"]) == (
        "2010-04-01",
        "US",
        "US",
    )
    for key in ("ToState", "ToCity", "ToZip", "FromState", "FromCity", "FromZip"):
        assert key in sent
    (reply,) = delivery.replies
    assert (reply.body, reply.to, reply.from_, reply.media) == (
        "You said: hi",
        "+15558675310",
        "12345",
        [],
    )


def test_through_the_short_codes_own_url(twilio_shortcodes, twilio_client, sms_app):
    sid = twilio_shortcodes.add_short_code("54321", api_version="2008-08-01")
    twilio_client.short_codes(sid).update(sms_url=f"{BASE}/sms?tenant=7", sms_method="GET")
    # In a service that defers to its senders' own URLs (use_inbound_webhook_on_number).
    twilio_shortcodes.add_messaging_service(
        "Own URLs", short_codes=[sid], use_inbound_webhook_on_number=True
    )
    delivery = twilio_shortcodes.receive_sms(sid, body="a & b", app=sms_app.app)

    (attempt,) = delivery.attempts
    assert attempt.method == "GET"
    assert attempt.url.startswith(f"{BASE}/sms?tenant=7&")
    assert "Content-Type" not in attempt.headers
    assert sms_app.received[0]["tenant"] == "7"
    assert sms_app.received[0]["ApiVersion"] == "2008-08-01"
    assert "MessagingServiceSid" in sms_app.received[0]  # it is in a service all the same
    assert delivery.replies[0].body == "You said: a & b"


@pytest.mark.parametrize(
    ("path", "code"), [("/broken", 11200), ("/not-twiml", 12100), ("/missing", 11200)]
)
def test_fallback_when_the_primary_fails(twilio_shortcodes, sms_app, path, code):
    twilio_shortcodes.add_short_code(
        "12345", sms_url=f"{BASE}{path}", sms_fallback_url=f"{BASE}/sms", sms_fallback_method="GET"
    )
    delivery = twilio_shortcodes.receive_sms("12345", body="help", app=sms_app.app)
    first, second = delivery.attempts
    assert first.error_code == code
    assert (second.method, second.status, second.error_code) == ("GET", 200, None)
    assert second.params["ErrorCode"] == str(code)
    assert second.params["ErrorUrl"] == f"{BASE}{path}"
    assert delivery.served_by == "fallback"
    assert delivery.replies[0].body == "You said: help"


def test_fallback_of_the_service(twilio_shortcodes, sms_app):
    service = twilio_shortcodes.add_messaging_service(
        inbound_request_url=f"{BASE}/broken", fallback_url=f"{BASE}/sms", short_codes=["12345"]
    )
    delivery = twilio_shortcodes.receive_sms("12345", body="x", app=sms_app.app)
    assert delivery.served_by == "fallback"
    assert delivery.attempts[1].params["MessagingServiceSid"] == service


def test_nothing_serves(twilio_shortcodes, sms_app):
    twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/broken")
    delivery = twilio_shortcodes.receive_sms("12345", body="x", app=sms_app.app)
    assert delivery.served_by is None
    assert [a.status for a in delivery.attempts] == [500]
    assert delivery.replies == []
    assert delivery.note == "no URL answered with valid TwiML"


def test_no_url_configured(twilio_shortcodes, sms_app):
    twilio_shortcodes.add_short_code("12345")
    delivery = twilio_shortcodes.receive_sms("12345", body="x", app=sms_app.app)
    assert delivery.attempts == []
    assert delivery.served_by is None
    assert delivery.note == "no inbound URL is configured: no request was made"
    assert sms_app.received == []


def test_media(twilio_shortcodes, sms_app):
    twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/sms")
    delivery = twilio_shortcodes.receive_sms(
        "12345",
        body="look",
        media_urls=[
            "https://media.example.com/cat.png",
            ("https://media.example.com/x", "video/mp4"),
        ],
        app=sms_app.app,
    )
    sent = sms_app.received[0]
    assert sent["NumMedia"] == "2"
    assert (sent["MediaUrl0"], sent["MediaContentType0"]) == (
        "https://media.example.com/cat.png",
        "image/png",
    )
    assert (sent["MediaUrl1"], sent["MediaContentType1"]) == (
        "https://media.example.com/x",
        "video/mp4",
    )
    assert delivery.replies[0].media == [
        "https://media.example.com/cat.png",
        "https://media.example.com/x",
    ]


def test_segments_and_unicode(twilio_shortcodes, sms_app):
    twilio_shortcodes.add_short_code("12345", sms_url=f"{BASE}/sms")
    long_gsm = twilio_shortcodes.receive_sms("12345", body="a" * 161, app=sms_app.app)
    assert long_gsm.params["NumSegments"] == "2"
    # "^" takes two GSM-7 septets; "👋" two UCS-2 code units.
    carets = twilio_shortcodes.receive_sms("12345", body="^" * 81, app=sms_app.app)
    assert carets.params["NumSegments"] == "2"
    emoji = twilio_shortcodes.receive_sms("12345", body="héllo 👋" * 10, app=sms_app.app)
    assert emoji.params["NumSegments"] == "2"
    assert emoji.replies[0].body == "You said: " + "héllo 👋" * 10


def test_the_handler_rejects_unsigned_requests_but_accepts_these(twilio_shortcodes, live):
    url = live
    unsigned = requests.post(f"{url}/sms", data={"Body": "hi", "NumMedia": "0"})
    assert unsigned.status_code == 403
    twilio_shortcodes.add_short_code("12345", sms_url=f"{url}/sms")
    delivery = twilio_shortcodes.receive_sms("12345", body="hi")  # over HTTP, mock active
    assert delivery.attempts[0].status == 200
    assert delivery.replies[0].body == "You said: hi"
    assert twilio_shortcodes.calls == []  # the mock's interception did not swallow them


def test_live_timeout_then_fallback(twilio_shortcodes, live):
    url = live
    twilio_shortcodes.add_short_code("12345", sms_url=f"{url}/slow", sms_fallback_url=f"{url}/sms")
    delivery = twilio_shortcodes.receive_sms("12345", body="hurry", timeout=0.5)
    first, second = delivery.attempts
    assert (first.status, first.error_code) == (None, 11205)
    assert "no answer" in first.error
    assert second.params["ErrorCode"] == "11205"
    assert delivery.served_by == "fallback"


def test_live_connection_failure(twilio_shortcodes):
    twilio_shortcodes.add_short_code("12345", sms_url="http://127.0.0.1:9/sms")
    delivery = twilio_shortcodes.receive_sms("12345", body="x", timeout=2)
    assert delivery.attempts[0].error_code == 11205
    assert delivery.served_by is None


@pytest.mark.twilio_shortcodes(short_codes=["12345"])
def test_webhooks_are_delivered_even_when_passthrough_is_closed(pytester):
    pytester.makepyfile(
        """
        import threading
        from http.server import BaseHTTPRequestHandler, HTTPServer

        def test_live(twilio_shortcodes):
            class Handler(BaseHTTPRequestHandler):
                def do_POST(self):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/xml")
                    self.end_headers()
                    self.wfile.write(b"<Response><Message>ok</Message></Response>")

                def log_message(self, *args):
                    pass

            server = HTTPServer(("127.0.0.1", 0), Handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            twilio_shortcodes.add_short_code("12345", sms_url=f"http://127.0.0.1:{server.server_port}/")
            delivery = twilio_shortcodes.receive_sms("12345", body="x")
            server.shutdown()
            assert delivery.replies[0].body == "ok"
        """
    )
    result = pytester.runpytest_subprocess("--twilio-shortcodes-passthrough=nothing.invalid")
    result.assert_outcomes(passed=1)


def test_a_twilio_url_is_never_called(twilio_shortcodes):
    twilio_shortcodes.add_short_code("12345", sms_url="https://handler.twilio.com/twiml/EH123")
    delivery = twilio_shortcodes.receive_sms("12345", body="x")
    assert delivery.attempts[0].error_code == 11205
    assert delivery.attempts[0].error == "refused: a Twilio host"


def test_unknown_short_code(twilio_shortcodes):
    with pytest.raises(KeyError, match="no short code '99999'"):
        twilio_shortcodes.receive_sms("99999", body="x")
