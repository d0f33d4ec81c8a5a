"""What a hostile client sends the proxy, on raw sockets: Twilio hosts written oddly are
answered by the mock (never looked up, never forwarded), a forwarded body carries its own
length, a bad upstream answer is a one-line 502, and an early 400 reads the body it left
unread before closing (no reset)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pytest_twilio_shortcodes import TwilioShortCodeMock

pytestmark = pytest.mark.slow

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name this process resolves that is not loopback (and refused)."""
    seen: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK:
            seen.append(name)
            raise socket.gaierror(socket.EAI_NONAME, f"the test refuses to look up {name}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


@pytest.fixture
def served() -> Iterator[Any]:
    """A mock letting every other host through (so nothing but the Twilio check stops a
    forward), served across stops like the session server, and stopped: the state
    between two tests."""
    mock = TwilioShortCodeMock(passthrough=("*",))
    proxy = mock._serve_across_stops()
    try:
        yield proxy
    finally:
        proxy.stop()


def exchange(port: int, data: bytes) -> bytes:
    """Send ``data``, read until the proxy closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


@pytest.mark.parametrize(
    "url",
    [
        "http://api.twilio.com../2010-04-01/Accounts.json",
        "http://u:p@api.twilio.com..:80/2010-04-01/Accounts.json",
        "http://[v1.api.twilio.com]/2010-04-01/Accounts.json",
        "http://API.TWILIO.COM.../x",
    ],
)
def test_a_twilio_host_written_oddly_is_answered_by_the_mock(served, lookups, url):
    port = served.port
    request = f"GET {url} HTTP/1.1\r\nHost: api.twilio.com\r\nConnection: close\r\n\r\n"

    out = exchange(port, request.encode())

    assert lookups == []
    status = int(out.split()[1])
    assert status not in (403, 502)  # neither refused as another host nor forwarded
    assert b"twilio.com" not in out.split(b"\r\n\r\n", 1)[0].lower()  # no proxy message
    assert b'"code"' in out or b"<Code>" in out  # Twilio's error, from the mock


@pytest.mark.parametrize("target", ["api.twilio.com..:443", "[v1.api.twilio.com]:443"])
def test_a_connect_to_a_twilio_host_written_oddly_is_not_tunnelled(served, lookups, target):
    port = served.port
    request = f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        first = sock.makefile("rb").readline()
    assert lookups == []
    assert first.startswith(b"HTTP/1.1 200")  # the mock terminates it: no upstream


class Upstream:
    """A loopback server that records the bytes of one connection and answers ``reply``."""

    def __init__(self, reply: bytes) -> None:
        self.reply, self.received = reply, b""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        with self.server:
            self.server.settimeout(10)
            conn, _ = self.server.accept()
            with conn:
                conn.settimeout(10)
                while b"\r\n\r\n" not in self.received:
                    self.received += conn.recv(65536)
                head, _, rest = self.received.partition(b"\r\n\r\n")
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        while len(rest) < int(line.split(b":")[1]):
                            rest += conn.recv(65536)
                self.received = head + b"\r\n\r\n" + rest
                conn.sendall(self.reply)


def get(port: int) -> str:
    return f"GET http://127.0.0.1:{port}/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def test_a_forwarded_chunked_body_carries_its_own_length_not_the_clients(served):
    upstream = Upstream(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    port = served.port
    hidden = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    request = (
        f"POST http://127.0.0.1:{upstream.port}/a HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode() + b"%x\r\n%s\r\n0\r\n\r\n" % (len(hidden), hidden)

    out = exchange(port, request)
    upstream.thread.join(10)

    assert out.startswith(b"HTTP/1.1 200") and out.endswith(b"ok")
    head, _, body = upstream.received.partition(b"\r\n\r\n")
    assert f"content-length: {len(hidden)}".encode() in head.lower()
    assert b"transfer-encoding" not in head.lower()
    assert body == hidden  # one request upstream, its body whole


def test_content_length_and_transfer_encoding_together_are_refused(served):
    port = served.port
    request = (
        b"POST http://127.0.0.1:9/a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    out = exchange(port, request)
    assert out.startswith(b"HTTP/1.1 400")
    assert out.endswith(b"a request with both Content-Length and Transfer-Encoding\n")


@pytest.mark.parametrize(
    "reply",
    [
        b"garbage\r\n\r\n",  # BadStatusLine
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc",  # IncompleteRead
        b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70000 + b"\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nX: a\x00b\r\nContent-Length: 2\r\n\r\nok",  # h11 refuses it
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ],
    ids=["bad-status-line", "incomplete-read", "line-too-long", "nul", "101", "103"],
)
def test_a_bad_upstream_answer_is_a_one_line_502(served, reply, capfd):
    upstream = Upstream(reply)
    port = served.port
    request = get(upstream.port)

    out = exchange(port, request.encode())

    head, _, body = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 502")
    assert body.endswith(b"\n") and body.count(b"\n") == 1
    assert "Traceback" not in capfd.readouterr().err


def test_repeated_set_cookie_headers_are_forwarded_each(served):
    reply = b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\n\r\nok"
    upstream = Upstream(reply)
    port = served.port
    request = get(upstream.port)

    head = exchange(port, request.encode()).partition(b"\r\n\r\n")[0]

    assert [h for h in head.split(b"\r\n") if h.lower().startswith(b"set-cookie")] == [
        b"Set-Cookie: a=1",
        b"Set-Cookie: b=2",
    ]


def test_a_400_for_an_origin_form_request_reads_its_body_before_closing(served):
    port = served.port
    body = b"x" * 200_000  # more than the socket buffers hold: unread, the close resets
    head = f"POST /v1/Services HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + body)  # the whole body, whenever the proxy answers
        out = b""
        while chunk := sock.recv(65536):  # a reset would raise ConnectionResetError
            out += chunk
    assert out.startswith(b"HTTP/1.1 400")
    assert out.endswith(b"not '/v1/Services'\n")


@pytest.mark.parametrize("method", ["GET", "CONNECT"])
def test_an_upstream_socket_is_tracked_before_its_connect(served, monkeypatch, method):
    """So that ``stop()`` shuts it down, which aborts a connect under way (it waited out
    the connect timeout)."""
    upstream = Upstream(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    tracked_when_connecting: list[bool] = []
    real = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> None:
        if address[1] == upstream.port:
            with served._lock:
                tracked_when_connecting.append(sock in served._sockets)
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    if method == "GET":
        out = exchange(served.port, get(upstream.port).encode())
        assert out.endswith(b"ok")
    else:
        request = f"CONNECT 127.0.0.1:{upstream.port} HTTP/1.1\r\nHost: x\r\n\r\n"
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(request.encode())
            assert sock.makefile("rb").readline().startswith(b"HTTP/1.1 200")
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    assert tracked_when_connecting == [True]
    if method == "GET":  # untracked before the answer is sent (the raw one under TLS too)
        with served._lock:
            assert not [s for s in served._sockets if s.fileno() == -1 or peer(s) == upstream.port]


def peer(sock: socket.socket) -> int:
    try:
        return sock.getpeername()[1]
    except OSError:
        return -1
