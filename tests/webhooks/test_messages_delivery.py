"""Delivery on the test's call: deliver_messages() moves each pending message through
Twilio's statuses and POSTs signed status callbacks, which twilio's RequestValidator
accepts, to a WSGI app in-process or a live server."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from werkzeug.serving import make_server

from tests.conftest import mock_now

US = "+15558675310"
OTHER = "+15558675311"
BASE = "https://app.example.com"
THROUGH_A_SERVICE = ["queued", "sending", "sent", "delivered"]
CALLBACK_KEYS = {
    "MessageSid", "SmsSid", "AccountSid", "From", "To", "MessageStatus", "SmsStatus",
    "ApiVersion",
}  # fmt: skip


class StatusApp:
    """Receives status callbacks; refuses any not signed with the account's auth token."""

    def __init__(self, auth_token: str) -> None:
        self.received: list[dict[str, str]] = []
        self.app = app = Flask("status")
        validator = RequestValidator(auth_token)

        @app.route("/status", methods=["POST"])
        def status():
            params = request.form.to_dict()
            if not validator.validate(request.url, params, request.headers["X-Twilio-Signature"]):
                abort(403)
            self.received.append(params)
            return Response(status=204)

        @app.route("/broken", methods=["POST"])
        def broken():
            return Response("oops", status=500)


@pytest.fixture
def status_app(twilio_shortcodes):
    return StatusApp(twilio_shortcodes.auth_token)


def statuses(callbacks):
    return [(c.params["MessageSid"], c.params["MessageStatus"]) for c in callbacks]


def test_from_a_short_code(twilio_shortcodes, twilio_client, status_app):
    twilio_shortcodes.add_short_code("12345")
    sent = twilio_client.messages.create(
        to=US, from_="12345", body="hi", status_callback=f"{BASE}/status"
    )
    twilio_shortcodes.advance_clock(2)
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)

    assert statuses(callbacks) == [
        (sent.sid, "sending"),
        (sent.sid, "sent"),
        (sent.sid, "delivered"),
    ]
    assert [c.status for c in callbacks] == [204, 204, 204]  # all signed as Twilio signs
    assert status_app.received == [c.params for c in callbacks]
    first = callbacks[0]
    assert (first.url, first.method) == (f"{BASE}/status", "POST")
    assert first.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert set(first.params) == CALLBACK_KEYS  # no MessagingServiceSid, no ErrorCode
    assert first.params == {
        **first.params, "SmsSid": sent.sid, "AccountSid": twilio_shortcodes.account_sid,
        "From": "12345", "To": US, "SmsStatus": "sending", "ApiVersion": "2010-04-01",
    }  # fmt: skip
    message = twilio_client.messages(sent.sid).fetch()
    assert message.status == "delivered"
    assert message.date_sent is not None and message.date_sent > message.date_created
    assert twilio_shortcodes.deliver_messages(app=status_app.app) == []  # nothing pending


def test_through_a_messaging_service(twilio_shortcodes, twilio_client, status_app):
    service = twilio_shortcodes.add_messaging_service(
        "Alerts", short_codes=["12345"], status_callback=f"{BASE}/status"
    )
    sent = twilio_client.messages.create(to=US, messaging_service_sid=service, body="alert")
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)
    # No callback for the initial status (accepted); the sender is known from "queued" on.
    assert [c.params["MessageStatus"] for c in callbacks] == THROUGH_A_SERVICE
    assert {c.params["From"] for c in callbacks} == {"12345"}
    assert {c.params["MessagingServiceSid"] for c in callbacks} == {service}
    assert twilio_client.messages(sent.sid).fetch().from_ == "12345"


def test_a_message_s_callback_wins_over_the_service_s(twilio_shortcodes, twilio_client, status_app):
    service = twilio_shortcodes.add_messaging_service(
        short_codes=["12345"], status_callback=f"{BASE}/broken"
    )
    twilio_client.messages.create(
        to=US, messaging_service_sid=service, body="a", status_callback=f"{BASE}/status"
    )
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)
    assert {c.url for c in callbacks} == {f"{BASE}/status"}


def test_without_a_callback_url_statuses_still_move(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_short_code("12345")
    twilio_client.messages.create(to=US, from_="12345", body="quiet")
    assert twilio_shortcodes.deliver_messages() == []
    assert [m["status"] for m in twilio_shortcodes.messages] == ["delivered"]


def test_messages_move_one_after_the_other_oldest_first(
    twilio_shortcodes, twilio_client, status_app
):
    twilio_shortcodes.add_short_code("12345")
    first, second = (
        twilio_client.messages.create(
            to=n, from_="12345", body="x", status_callback=f"{BASE}/status"
        )
        for n in (US, OTHER)
    )
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)
    assert [sid for sid, _ in statuses(callbacks)] == [first.sid] * 3 + [second.sid] * 3


UNDELIVERED = ["sending", "sent", "undelivered"]


@pytest.mark.parametrize(
    ("status", "code", "expected_code", "expected_message", "path"),
    [
        ("undelivered", None, 30003, "Unreachable destination handset", UNDELIVERED),
        ("undelivered", 30006, 30006, "Landline or unreachable carrier", UNDELIVERED),
        ("failed", None, 30008, "Unknown error", ["failed"]),
        ("failed", 30007, 30007, "Message filtered", ["failed"]),
        ("undelivered", 30999, 30999, None, UNDELIVERED),
    ],
)  # fmt: skip
def test_scripted_failures(
    twilio_shortcodes, twilio_client, status_app, status, code, expected_code, expected_message,
    path,
):  # fmt: skip
    twilio_shortcodes.add_short_code("12345")
    twilio_shortcodes.fail_delivery(US, status=status, error_code=code)
    failing = twilio_client.messages.create(
        to=US, from_="12345", body="x", status_callback=f"{BASE}/status"
    )
    fine = twilio_client.messages.create(
        to=OTHER, from_="12345", body="x", status_callback=f"{BASE}/status"
    )
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)
    assert [s for sid, s in statuses(callbacks) if sid == failing.sid] == path
    assert [s for sid, s in statuses(callbacks) if sid == fine.sid] == [
        "sending",
        "sent",
        "delivered",
    ]
    last = [c for c in callbacks if c.params["MessageSid"] == failing.sid][-1]
    assert last.params["ErrorCode"] == str(expected_code)
    message = twilio_client.messages(failing.sid).fetch()
    assert (message.status, message.error_code, message.error_message) == (
        status, expected_code, expected_message,
    )  # fmt: skip


def test_a_failure_scripted_twice_then_normal_service(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_short_code("12345")
    twilio_shortcodes.fail_delivery(US, times=2)
    for _ in range(3):
        twilio_client.messages.create(to=US, from_="12345", body="x")
    twilio_shortcodes.deliver_messages()
    assert [m["status"] for m in twilio_shortcodes.messages] == [
        "undelivered", "undelivered", "delivered",
    ]  # fmt: skip


def test_scripted_failure_arguments(twilio_shortcodes):
    with pytest.raises(ValueError, match="status must be 'failed' or 'undelivered', not 'lost'"):
        twilio_shortcodes.fail_delivery(US, status="lost")
    with pytest.raises(ValueError, match="times must be at least 1"):
        twilio_shortcodes.fail_delivery(US, times=0)


def test_an_unused_scripted_failure_fails_the_test(pytester):
    pytester.makepyfile(
        """
        def test_forgets_to_send(twilio_shortcodes):
            twilio_shortcodes.fail_delivery("+15558675310", status="failed", times=2)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*pytest-twilio-shortcodes: 1 scripted delivery failure(s) were not used up:",
            "*  to +15558675310 -> failed 30008 (used 0 of 2)",
        ]
    )


def test_scheduled_messages_wait_for_the_clock(twilio_shortcodes, twilio_client, status_app):
    service = twilio_shortcodes.add_messaging_service(
        short_codes=["12345"], status_callback=f"{BASE}/status"
    )
    send_at = mock_now(twilio_shortcodes) + timedelta(minutes=30)
    scheduled = twilio_client.messages.create(
        to=US, messaging_service_sid=service, body="later", schedule_type="fixed", send_at=send_at
    )
    assert scheduled.status == "scheduled"
    assert twilio_shortcodes.deliver_messages(app=status_app.app) == []
    assert twilio_client.messages(scheduled.sid).fetch().status == "scheduled"
    twilio_shortcodes.advance_clock(31 * 60)
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)
    assert [c.params["MessageStatus"] for c in callbacks] == THROUGH_A_SERVICE


def test_the_pool_is_consulted_when_the_message_leaves(
    twilio_shortcodes, twilio_client, status_app
):
    sms = twilio_shortcodes.add_short_code("12345")
    twilio_shortcodes.add_short_code("67890", capabilities=("SMS", "MMS"))
    service = twilio_shortcodes.add_messaging_service(
        short_codes=["12345", "67890"], status_callback=f"{BASE}/status"
    )
    text = twilio_client.messages.create(to=US, messaging_service_sid=service, body="text")
    photo = twilio_client.messages.create(
        to=US, messaging_service_sid=service, media_url="https://m.example/cat.png"
    )
    lost = twilio_client.messages.create(to=OTHER, messaging_service_sid=service, body="x")
    twilio_shortcodes.deliver_messages(app=status_app.app)
    assert twilio_client.messages(text.sid).fetch().from_ == "12345"  # the first in the pool
    assert twilio_client.messages(photo.sid).fetch().from_ == "67890"  # the first MMS one
    # The pool changes before a message leaves: nothing in it can send this any more.
    twilio_client.messaging.v1.services(service).short_codes(sms).delete()
    late = twilio_client.messages.create(to=US, messaging_service_sid=service, body="x")
    twilio_client.messaging.v1.services(service).short_codes(
        twilio_shortcodes.short_code("67890").sid
    ).delete()
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)
    assert [c.params["MessageStatus"] for c in callbacks] == ["failed"]
    assert callbacks[0].params["ErrorCode"] == "21703"
    assert callbacks[0].params["From"] == ""
    message = twilio_client.messages(late.sid).fetch()
    assert (message.status, message.error_code, message.from_) == ("failed", 21703, None)
    assert twilio_client.messages(lost.sid).fetch().status == "delivered"


def test_a_failing_callback_endpoint_changes_nothing(twilio_shortcodes, twilio_client, status_app):
    twilio_shortcodes.add_short_code("12345")
    twilio_client.messages.create(to=US, from_="12345", body="x", status_callback=f"{BASE}/broken")
    twilio_client.messages.create(
        to=US, from_="12345", body="x", status_callback="https://callbacks.twilio.com/status"
    )
    callbacks = twilio_shortcodes.deliver_messages(app=status_app.app)
    assert [(c.status, c.error_code) for c in callbacks[:3]] == [(500, 11200)] * 3
    assert [(c.status, c.error_code) for c in callbacks[3:]] == [(None, 11205)] * 3
    assert [m["status"] for m in twilio_shortcodes.messages] == ["delivered", "delivered"]


@pytest.fixture
def live(twilio_shortcodes):
    """The status app behind a real HTTP server on 127.0.0.1."""
    web = StatusApp(twilio_shortcodes.auth_token)
    server = make_server("127.0.0.1", 0, web.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield web, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_callbacks_over_http(twilio_shortcodes, twilio_client, live):
    web, base = live
    twilio_shortcodes.add_short_code("12345")
    twilio_client.messages.create(
        to=US, from_="12345", body="x", status_callback=f"{base}/status?tenant=7"
    )
    callbacks = twilio_shortcodes.deliver_messages()
    assert [c.status for c in callbacks] == [204, 204, 204]
    assert [r["MessageStatus"] for r in web.received] == ["sending", "sent", "delivered"]


def test_sending_and_delivering_from_several_threads(twilio_shortcodes):
    twilio_shortcodes.add_short_code("12345")
    service = twilio_shortcodes.add_messaging_service(short_codes=["67890"])
    errors: list[BaseException] = []
    done = threading.Event()

    def sender(n: int) -> None:
        client = Client(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
        try:
            for i in range(40):
                target = {"from_": "12345"} if i % 2 else {"messaging_service_sid": service}
                client.messages.create(to=f"+1555867{n}{i:03d}", body=str(i), **target)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def deliverer() -> None:
        while not done.is_set():
            twilio_shortcodes.deliver_messages()

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(4)]
    background = threading.Thread(target=deliverer)
    background.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    background.join()
    twilio_shortcodes.deliver_messages()
    assert errors == []
    messages = twilio_shortcodes.messages
    assert len({m["sid"] for m in messages}) == len(messages) == 160
    assert {m["status"] for m in messages} == {"delivered"}
    assert {m["from"] for m in messages} == {"12345", "67890"}


def test_a_reset_during_delivery_finishes_delivering_the_account_it_began_with(
    twilio_shortcodes,
):
    """A status-callback app that resets the mock (its own "start over" path, say) does not
    break the delivery under way: the account it began with is held to the end, and the
    new account starts empty."""
    mock = twilio_shortcodes
    mock.add_short_code("12345")
    client = Client(mock.account_sid, mock.auth_token)
    sent = client.messages.create(to=US, from_="12345", body="hi", status_callback=f"{BASE}/status")

    def resetting_app(environ, start_response):
        mock.reset()
        start_response("204 No Content", [])
        return [b""]

    attempts = mock.deliver_messages(resetting_app)
    assert [a.params["MessageStatus"] for a in attempts] == ["sending", "sent", "delivered"]
    assert {a.params["MessageSid"] for a in attempts} == {sent.sid}
    assert mock.messages == []


def test_delivery_helpers_race_resets_without_an_error(twilio_shortcodes):
    """``deliver_messages``, ``fail_delivery`` and ``add_opt_out`` while another thread
    resets the mock as fast as it can: each works on the account it found, and none fails."""
    import sys

    mock = twilio_shortcodes
    stop, errors = threading.Event(), []

    def resetter():
        while not stop.is_set():
            mock.reset()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    thread = threading.Thread(target=resetter)
    thread.start()
    try:
        for _ in range(2000):
            for call in (
                mock.deliver_messages,
                lambda: mock.fail_delivery(US),
                lambda: mock.add_opt_out(US, mock.add_messaging_service(advanced_opt_out=True)),
            ):
                try:
                    call()
                except KeyError:  # the service was reset away before its opt-out was added
                    pass
                except Exception as error:  # any other is the failure
                    errors.append(repr(error))
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)
        mock.reset()  # the scripted failures left behind are this test's own
    assert errors == []
