"""What a hostile client sends the control API, on raw sockets: every refusal is one line
of text/plain and changes nothing (deep nesting, NaN and infinite numbers, lone
surrogates, a timeout past the cap, non-ASCII credentials)."""

from __future__ import annotations

import base64
import socket

import pytest

pytestmark = pytest.mark.slow


def ask(mock, method: str, path: str, body: bytes = b"", auth: bytes | None = None):
    """One control request on a raw socket: (status, body)."""
    port = mock.serve().port
    if auth is None:
        auth = b"Basic " + base64.b64encode(f"{mock.account_sid}:{mock.auth_token}".encode())
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head + b"Authorization: " + auth + b"\r\n\r\n" + body)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    top, _, content = out.partition(b"\r\n\r\n")
    assert b"content-type: text/plain; charset=utf-8" in top.lower() or top.split()[1] == b"200"
    return int(top.split()[1]), content


def one_line(content: bytes) -> str:
    assert content.endswith(b"\n") and content.count(b"\n") == 1
    return content.decode().strip()


@pytest.mark.parametrize("path", ["/_mock/seed", "/_mock/deliver", "/_mock/sms"])
def test_deeply_nested_json_is_a_400(twilio_shortcodes, path):
    before = twilio_shortcodes.snapshot()
    status, content = ask(twilio_shortcodes, "POST", path, b"[" * 100_000 + b"]" * 100_000)
    assert status == 400
    assert one_line(content).startswith("the body is not valid JSON")
    assert twilio_shortcodes.snapshot() == before


@pytest.mark.parametrize("header", [b"Basic \xe9\xe9", b"Basic \xff", b"\xff", b"Basic YTpi:"])
def test_non_ascii_credentials_are_a_401(twilio_shortcodes, header):
    status, content = ask(twilio_shortcodes, "GET", "/_mock/calls", auth=header)
    assert status == 401
    assert "account SID and auth token" in one_line(content)


@pytest.mark.parametrize(
    "timeout, problem",
    [
        (b"NaN", "the body is not valid JSON"),
        (b"Infinity", "the body is not valid JSON"),
        (b"1e400", "the body is not valid JSON"),
        (b"61", "'timeout' must be a positive number of seconds, at most 60"),
        (b"-1", "'timeout' must be a positive number of seconds, at most 60"),
        (b"0", "'timeout' must be a positive number of seconds, at most 60"),
    ],
)
def test_a_timeout_not_finite_or_past_the_cap_is_refused_before_anything_changes(
    twilio_shortcodes, timeout, problem
):
    twilio_shortcodes.add_short_code("12345", sms_url="http://127.0.0.1:9/sms")
    before = twilio_shortcodes.snapshot()
    for path, fields in (
        ("/_mock/sms", b'{"to": "12345", "body": "hi", "timeout": %s}' % timeout),
        ("/_mock/deliver", b'{"timeout": %s}' % timeout),
    ):
        status, content = ask(twilio_shortcodes, "POST", path, fields)
        assert status == 400
        assert one_line(content).startswith(problem)
    assert twilio_shortcodes.snapshot() == before
    assert twilio_shortcodes.messages == []


@pytest.mark.parametrize(
    "seed",
    [
        b'{"messaging_services": [{"friendly_name": "\\ud800", "short_codes": ["12345"]}]}',
        b'{"short_codes": [{"short_code": "22222", "friendly_name": "\\udc80"}]}',
        b'{"proxy_services": [{"unique_name": "\\udc80"}]}',
        b'{"short_codes": [{"short_code": "33333", "sms_url": "http://x/\\udc80"}]}',
    ],
)
def test_a_seed_with_a_lone_surrogate_is_refused_and_changes_nothing(twilio_shortcodes, seed):
    before = twilio_shortcodes.snapshot()
    status, content = ask(twilio_shortcodes, "POST", "/_mock/seed", seed)
    assert status == 400
    assert one_line(content).startswith("the body is not valid JSON")
    assert twilio_shortcodes.snapshot() == before
    status, _ = ask(twilio_shortcodes, "GET", "/_mock/snapshot")
    assert status == 200  # and it still renders
