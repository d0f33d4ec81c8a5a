"""Webhooks lose nothing and repeat nothing: deliver_messages() from several threads at
once posts every status change of every message exactly once, in order; URLs with
credentials (``https://user:secret@host/path``) are delivered with ``Authorization:
Basic`` from them and a ``Host`` without them, over HTTP and to a WSGI app, signed for the
URL the application sees."""

from __future__ import annotations

import base64
import sys
import threading
from collections.abc import Iterator

import pytest
from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

US = "+1555867{:04d}"
STATUSES = ["sending", "sent", "delivered"]  # from a short code, after "queued" at create


class App:
    """A Flask app behind Basic auth (``user``/``s3cret: x``) that checks the signature for
    the URL it sees and records every status callback."""

    def __init__(self, auth_token: str) -> None:
        self.received: list[tuple[str, str]] = []
        self.seen: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.flask = flask = Flask("status")
        validator = RequestValidator(auth_token)

        @flask.route("/status", methods=["POST"])
        def status() -> Response:
            params = request.form.to_dict()
            with self.lock:
                self.seen.append(
                    {
                        "host": request.headers.get("Host", ""),
                        "url": request.url,
                        "authorization": request.headers.get("Authorization", ""),
                    }
                )
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != ("user", "s3cret: x"):
                abort(401)
            if not validator.validate(request.url, params, request.headers["X-Twilio-Signature"]):
                abort(403)
            with self.lock:
                self.received.append((params["MessageSid"], params["MessageStatus"]))
            return Response(status=204)

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        return self.flask(environ, start_response)


@pytest.fixture
def app(twilio_shortcodes) -> App:
    return App(twilio_shortcodes.auth_token)


@pytest.fixture
def live(app: App) -> Iterator[str]:
    """The app on a loopback server: its base URL."""
    server = make_server("127.0.0.1", 0, app.flask, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_several_threads_post_every_status_once_in_order(twilio_shortcodes, twilio_client, app):
    twilio_shortcodes.add_short_code("12345")
    callback = "https://user:s3cret%3A%20x@app.example.com/status"
    sids = [
        twilio_client.messages.create(
            to=US.format(n), from_="12345", body="hi", status_callback=callback
        ).sid
        for n in range(40)
    ]
    start = threading.Barrier(8)
    made: list[list[object]] = []

    def deliver() -> None:
        start.wait()
        made.append(twilio_shortcodes.deliver_messages(app))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=deliver) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    for sid in sids:
        assert [status for got, status in app.received if got == sid] == STATUSES
    assert len(app.received) == len(sids) * len(STATUSES)
    assert sum(map(len, made)) == len(app.received)  # every attempt returned, once
    assert all(a.ok for attempts in made for a in attempts)  # type: ignore[attr-defined]
    assert {m.status for m in twilio_client.messages.list()} == {"delivered"}


@pytest.mark.parametrize("where", ["WSGI app", "HTTP"])
def test_a_callback_url_with_credentials(twilio_shortcodes, twilio_client, app, live, where):
    twilio_shortcodes.add_short_code("12345")
    base = "https://app.example.com" if where == "WSGI app" else live
    scheme, host = base.split("://")
    callback = f"{scheme}://user:s3cret%3A%20x@{host}/status"
    sent = twilio_client.messages.create(
        to=US.format(1), from_="12345", body="hi", status_callback=callback
    )

    attempts = twilio_shortcodes.deliver_messages(app if where == "WSGI app" else None)

    assert [a.status for a in attempts] == [204, 204, 204]
    assert app.received == [(sent.sid, status) for status in STATUSES]
    basic = "Basic " + base64.b64encode(b"user:s3cret: x").decode()
    assert app.seen == [{"host": host, "url": f"{base}/status", "authorization": basic}] * 3
    assert [a.url for a in attempts] == [f"{base}/status"] * 3  # no secret in the record


@pytest.mark.parametrize("where", ["WSGI app", "HTTP"])
def test_an_inbound_webhook_url_with_credentials(twilio_shortcodes, live, where):
    seen: list[dict[str, str]] = []
    validator = RequestValidator(twilio_shortcodes.auth_token)
    flask = Flask("inbound")

    @flask.route("/sms", methods=["POST"])
    def sms() -> Response:
        auth = request.authorization
        seen.append({"host": request.headers["Host"], "url": request.url})
        if auth is None or (auth.username, auth.password) != ("twilio", "pw"):
            abort(401)
        if not validator.validate(
            request.url, request.form.to_dict(), request.headers["X-Twilio-Signature"]
        ):
            abort(403)
        return Response("<Response><Message>got it</Message></Response>", mimetype="text/xml")

    server = make_server("127.0.0.1", 0, flask, threaded=True)
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    try:
        base = (
            "https://app.example.com"
            if where == "WSGI app"
            else (f"http://127.0.0.1:{server.server_port}")
        )
        scheme, host = base.split("://")
        twilio_shortcodes.add_short_code("12345", sms_url=f"{scheme}://twilio:pw@{host}/sms")
        delivery = twilio_shortcodes.receive_sms(
            "12345", from_=US.format(2), body="hello", app=flask if where == "WSGI app" else None
        )
    finally:
        server.shutdown()
    assert delivery.served_by == "primary", delivery.attempts
    assert [reply.body for reply in delivery.replies] == ["got it"]
    assert seen == [{"host": host, "url": f"{base}/sms"}]
