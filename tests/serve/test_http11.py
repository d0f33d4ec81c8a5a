"""The proxy speaks HTTP/1.1 as clients expect, shown with raw sockets: 100 Continue before
the body is read, a listen backlog of 128 or more, HEAD with the GET's Content-Length,
one line of text/plain for every answer the proxy makes itself, a stop that waits for
every connection, and a CA certificate other users can read."""

from __future__ import annotations

import asyncio
import base64
import socket
import stat
import subprocess
import threading
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from pytest_twilio_shortcodes import TwilioShortCodeMock

pytestmark = pytest.mark.slow


def read_answer(stream: Any) -> tuple[int, dict[str, str], bytes]:
    """One answer (status, headers by lower-case name, body of Content-Length bytes)."""
    status = int(stream.readline().split()[1])
    headers = {}
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, stream.read(int(headers.get("content-length", 0)))


def basic(mock: TwilioShortCodeMock) -> str:
    return base64.b64encode(f"{mock.account_sid}:{mock.auth_token}".encode()).decode()


def test_100_continue_comes_before_the_body_is_read(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    url = f"http://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    body = b"FriendlyName=Renamed"
    head = (
        f"POST {url} HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: Basic "
        f"{basic(twilio_shortcodes)}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(head)
        answers = sock.makefile("rb")
        interim = answers.readline()  # nothing of the body sent yet
        assert answers.readline() == b"\r\n"
        assert twilio_shortcodes.calls == []
        sock.sendall(body)
        status, _, content = read_answer(answers)
    assert interim == b"HTTP/1.1 100 Continue\r\n"
    assert status == 200 and b'"friendly_name":"Renamed"' in content
    assert twilio_shortcodes.short_code(sid).friendly_name == "Renamed"


def test_the_listen_backlog_holds_128_connections(twilio_shortcodes):
    served = twilio_shortcodes.serve()
    listed = subprocess.run(
        ["ss", "-Hltn", f"sport = :{served.port}"], capture_output=True, text=True, check=True
    ).stdout.split()
    # ss: State Recv-Q Send-Q Local Peer; for a listening socket Send-Q is its backlog.
    assert listed[0] == "LISTEN" and int(listed[2]) >= 128
    # And 128 connections opened at once are all answered.
    sockets = [socket.create_connection(("127.0.0.1", served.port), timeout=10) for _ in range(128)]
    request = b"GET * HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n"
    for sock in sockets:
        sock.sendall(request)
    statuses = [read_answer(sock.makefile("rb"))[0] for sock in sockets]
    for sock in sockets:
        sock.close()
    assert statuses == [400] * 128


def test_head_carries_the_get_s_content_length_through_the_proxy(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345", friendly_name="Alerts")
    served = twilio_shortcodes.serve()
    url = f"http://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    answers = {}
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        stream = sock.makefile("rb")
        for method in ("HEAD", "GET", "HEAD"):  # one keep-alive connection: framing holds
            sock.sendall(
                f"{method} {url} HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: Basic "
                f"{basic(twilio_shortcodes)}\r\n\r\n".encode()
            )
            status, headers, content = read_answer(stream) if method == "GET" else _head(stream)
            answers.setdefault(method, []).append((status, headers, content))
    (get_status, get_headers, get_body), *_ = answers["GET"]
    assert get_status == 200 and int(get_headers["content-length"]) == len(get_body) > 100
    for status, headers, content in answers["HEAD"]:
        assert (status, content) == (200, b"")
        assert headers["content-length"] == get_headers["content-length"]
        assert headers["content-type"] == get_headers["content-type"]


def _head(stream: Any) -> tuple[int, dict[str, str], bytes]:
    status = int(stream.readline().split()[1])
    headers = {}
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, b""  # a HEAD answer has no body, whatever its Content-Length


def test_head_carries_the_get_s_content_length_in_process_with_aiohttp(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    auth = aiohttp.BasicAuth(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)

    async def both() -> list[tuple[int, str, bytes]]:
        async with aiohttp.ClientSession() as session:
            answers = []
            for method in ("GET", "HEAD", "GET"):
                async with session.request(method, url, auth=auth) as response:
                    body = await response.read()
                    answers.append((response.status, response.headers["Content-Length"], body))
            return answers

    (get, length, body), (head, head_length, head_body), again = asyncio.run(both())
    assert (get, head) == (200, 200)
    assert head_length == length == str(len(body))
    assert head_body == b""
    assert again == (get, length, body)  # the pooled connection still frames right


TWILIO_GET = b"GET http://api.twilio.com/ HTTP/1.1\r\nHost: api.twilio.com\r\n"


@pytest.mark.parametrize(
    "raw, status",
    [
        (b"NOT A REQUEST LINE\r\n\r\n", 400),
        (b"GET http://api.twilio.com/ HTTP/1.1\r\n\r\n", 400),  # no Host
        (b"GET /v1/Services HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"CONNECT elsewhere.example:443 HTTP/1.1\r\nHost: elsewhere.example\r\n\r\n", 403),
        (TWILIO_GET + b"Content-Length: 99999999\r\n\r\n", 413),
        (TWILIO_GET + b"X: y\r\n" * 15000 + b"\r\n", 431),  # 90 kB of headers
        (b"GET /_mock/snapshot HTTP/1.1\r\nHost: x\r\n\r\n", 401),  # the control API
        (b"GET /_mock/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !\r\n\r\n", 401),
    ],
)  # fmt: skip
def test_the_proxy_s_own_answers_are_one_line_of_text(raw, status, capfd):
    with TwilioShortCodeMock(passthrough=["allowed.example"]) as mock:
        served = mock.serve()
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(raw)
            answer = read_answer(sock.makefile("rb"))
    assert answer[0] == status
    assert answer[1]["content-type"] == "text/plain; charset=utf-8"
    assert answer[2].endswith(b"\n") and answer[2].count(b"\n") == 1
    assert b"<" not in answer[2]  # no HTML page
    assert "Traceback" not in capfd.readouterr().err


def test_stop_waits_for_every_connection_and_nothing_is_recorded_after(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    url = f"http://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    body = b"FriendlyName=Late"
    head = (
        f"POST {url} HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: Basic "
        f"{basic(twilio_shortcodes)}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    prefix = f"twilio-shortcodes-proxy-{served.port}-"
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(head + body[:4])  # a request under way when the proxy stops
        idle = socket.create_connection(("127.0.0.1", served.port), timeout=10)  # keep-alive
        while sum(t.name.startswith(prefix) for t in threading.enumerate()) < 2:
            threading.Event().wait(0.01)  # both connections accepted, each on its thread
        twilio_shortcodes.stop()
        assert [t for t in threading.enumerate() if t.name.startswith(prefix)] == []
        try:
            sock.sendall(body[4:])
            answer = sock.recv(1)
        except OSError:  # reset
            answer = b""
        assert answer == b""  # closed without an answer
        idle.close()
    assert twilio_shortcodes.calls == []
    assert twilio_shortcodes.short_code(sid).friendly_name == "12345"


def test_the_ca_certificate_is_readable_by_other_users_and_no_key_is_written(twilio_shortcodes):
    served = twilio_shortcodes.serve()
    ca = Path(served.ca_file)
    bundle = Path(served.env["SSL_CERT_FILE"])
    assert ca.parent == bundle.parent
    assert ca.parent.stat().st_mode & stat.S_IXOTH  # others may reach the files
    for path in (ca, bundle):
        assert path.stat().st_mode & 0o777 == 0o644
    for path in ca.parent.iterdir():
        assert b"PRIVATE KEY" not in path.read_bytes()
