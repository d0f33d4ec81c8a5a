"""One client connection to the proxy, framed by ``h11``: requests in, answers out.

Requests to a Twilio host (absolute URLs, or origin-form inside a ``CONNECT`` tunnel whose
TLS this side terminates) go to the host's ``respond``; ``/_mock/`` on the proxy's own
address to its control API; other hosts are tunnelled or forwarded when the passthrough
rule allows them. The proxy's own answers are one line of ``text/plain``.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import time
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, Callable, Optional, Protocol, Union
from urllib.parse import SplitResult, urlsplit

import h11

from ..schemas import SchemaValidationError
from ..testkit.faults import RAISABLE
from ..wire.hosts import TWILIO_URL, is_twilio_host
from ..wire.http import HttpAnswer, HttpRequest
from . import certs
from .control import plain_answer
from .tls import PlainStream, TLSStream, relay

MAX_BODY = 10 * 1024 * 1024  # a request body the proxy reads; more is answered 413
SERVER = "pytest-twilio-shortcodes"
LINGER = 1.0  # seconds, in all, to read what a client sends after an early answer
LINGER_BYTES = 4 * MAX_BODY  # and bytes, in all (a body a little over MAX_BODY gets its 413)
# Headers that belong to one connection, not to the request a proxy forwards.
_HOP_BY_HOP = frozenset(
    ("connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
     "te", "trailer", "transfer-encoding", "upgrade")
)  # fmt: skip

Stream = Union[PlainStream, TLSStream]


class Control(Protocol):
    """What answers requests to the proxy's own address under ``/_mock/``."""

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> HttpAnswer: ...


class Host(Protocol):
    """What a connection needs of the proxy that accepted it."""

    port: int
    serving: bool
    authority: certs.Authority
    control: Optional[Control]

    def respond(self, request: HttpRequest) -> HttpAnswer: ...
    def allows(self, host: str) -> bool: ...
    def track(self, sock: socket.socket, open: bool = True) -> None: ...
    def connect(self, address: tuple[str, int], timeout: float) -> socket.socket: ...


class _Unreadable(Exception):
    """A request the proxy does not read on: answered ``status``, the connection closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Drop(Exception):
    """Close the connection without an answer (a scripted connection fault, or stopping)."""


class Connection:
    """One client connection: requests in, answers out, until either side closes."""

    def __init__(self, proxy: Host, sock: socket.socket) -> None:
        self.proxy = proxy
        self.sock = sock

    def serve(self, stream: Stream, base: Optional[str], pending: bytes) -> None:
        """Answer requests on ``stream`` (``base``: inside a tunnel to a Twilio host, its
        scheme and authority); ``pending``: bytes already read from the client."""
        conn = h11.Connection(h11.SERVER)
        if pending:  # (no bytes would tell h11 the client has closed)
            conn.receive_data(pending)
        while True:
            switch = None
            try:
                event = _next(conn, stream)
                if not isinstance(event, h11.Request):  # ConnectionClosed
                    return
                switch = self._request(conn, stream, event, base)
            except h11.RemoteProtocolError as error:
                self._plain(conn, stream, error.error_status_hint, f"bad request: {error}")
                return self._linger()
            except _Unreadable as error:
                self._plain(conn, stream, error.status, str(error))
                return self._linger()
            except _Drop:
                return
            if switch is not None:  # a CONNECT: the connection is a tunnel now
                return switch(conn.trailing_data[0])
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return  # a body left unread, or Connection: close
            conn.start_next_cycle()

    def _linger(self) -> None:
        """Close after an answer given before the request was read to its end: stop
        writing, then read what the client still sends (LINGER seconds and LINGER_BYTES
        at most, in all), so that the close does not reset the connection before the client
        has read the answer."""
        deadline = time.monotonic() + LINGER
        with contextlib.suppress(OSError):  # (a timeout is an OSError)
            self.sock.shutdown(socket.SHUT_WR)
            drained = 0
            while drained <= LINGER_BYTES and (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                if not (data := self.sock.recv(65536)):
                    return
                drained += len(data)

    def _request(
        self, conn: h11.Connection, stream: Stream, request: h11.Request, base: Optional[str]
    ) -> Optional[Callable[[bytes], None]]:
        if not self.proxy.serving:  # stopping: nothing more is answered or recorded
            raise _Drop
        method = request.method.decode("ascii")
        target = request.target.decode("latin-1")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers]
        names = {name for name, _ in headers}
        if "content-length" in names and "transfer-encoding" in names:  # smuggling, perhaps
            raise _Unreadable(400, "a request with both Content-Length and Transfer-Encoding")
        if method == "CONNECT":
            return self._connect(conn, stream, request, target, base)
        # The origin form inside a tunnel; else the absolute form, as clients send a proxy.
        url = base + target if base is not None and target.startswith("/") else target
        try:
            parts = urlsplit(url)
            host, port = _address(parts) if parts.scheme in ("http", "https") else ("", None)
        except ValueError:  # "http://[::1", a port out of range or not a number
            host, port = "", None
        control = self.proxy.control
        if control is not None and base is None and _is_control(url, host, port, self.proxy):
            path = url if url.startswith("/") else url.split(parts.netloc, 1)[1]
            body = self._body(conn, stream, request)
            return self._send(
                conn, stream, method, control.answer(method, path, dict(headers), body)
            )
        if not host:  # "*", "http:///", "/v1/Services" outside a tunnel, ...
            message = f"this is a proxy: send absolute URLs or CONNECT, not {url!r}"
            raise _Unreadable(400, message)  # its body, if any, left unread: then linger
        body = self._body(conn, stream, request)
        if parts.netloc.endswith(":"):  # an empty port: the default one
            url = parts._replace(netloc=parts.netloc[:-1]).geturl()
        if _twilio(host, url):  # never forwarded, whether the mock is started or not
            return self._answer(conn, stream, method, url, headers, body)
        return self._forward(conn, stream, method, parts, host, headers, body)

    def _body(self, conn: h11.Connection, stream: Stream, request: h11.Request) -> bytes:
        """The request's body, read whole (``100 Continue`` first if the client waits)."""
        length = next((v for k, v in request.headers if k == b"content-length"), None)
        if length is not None and int(length) > MAX_BODY:
            raise _Unreadable(413, f"request body larger than {MAX_BODY} bytes")
        if conn.they_are_waiting_for_100_continue:
            stream.sendall(
                conn.send(
                    h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")
                )
            )
        chunks, size = [], 0
        while True:
            event = _next(conn, stream)
            if isinstance(event, h11.EndOfMessage):
                return b"".join(chunks)
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size > MAX_BODY:
                    raise _Unreadable(413, f"request body larger than {MAX_BODY} bytes")
                chunks.append(bytes(event.data))

    # -- CONNECT ------------------------------------------------------------------------------

    def _connect(
        self,
        conn: h11.Connection,
        stream: Stream,
        request: h11.Request,
        target: str,
        base: Optional[str],
    ) -> Optional[Callable[[bytes], None]]:
        self._body(conn, stream, request)
        if base is not None:
            return self._plain(conn, stream, 400, "CONNECT inside a tunnel")
        try:
            parts = urlsplit(f"//{target}")
            host, port = _address(parts)
        except ValueError:  # "[::1", a port out of range or not a number
            host, port = "", None
        if not host or parts.path or parts.query or parts.fragment:
            return self._plain(conn, stream, 400, f"CONNECT needs host:port, not {target!r}")
        port = port or 443  # an empty port is the default one
        if _twilio(host, f"https://{target}"):
            self._established(conn, stream)
            return lambda pending: self._terminate(host, port, pending)
        if not self.proxy.allows(host):
            return self._plain(conn, stream, 403, f"{host} is not in the mock's passthrough hosts")
        try:
            upstream = self.proxy.connect((host, port), 30)  # tracked: _tunnel untracks it
        except OSError as error:
            return self._plain(conn, stream, 502, f"cannot reach {host}:{port}: {error}")
        upstream.settimeout(None)
        self._established(conn, stream)
        return lambda pending: self._tunnel(upstream, pending)

    def _established(self, conn: h11.Connection, stream: Stream) -> None:
        response = h11.Response(status_code=200, headers=[], reason=b"Connection established")
        stream.sendall(conn.send(response))

    def _terminate(self, host: str, port: int, pending: bytes) -> None:
        """Answer the tunnel's requests ourselves: TLS with a certificate for ``host``
        (plain HTTP if the client sends no TLS handshake)."""
        if not pending:
            pending = self.sock.recv(65536)
            if not pending:
                return
        authority = host if port == 443 else f"{host}:{port}"
        if pending[:1] != b"\x16":  # not a TLS handshake
            return self.serve(PlainStream(self.sock), f"http://{authority}", pending)
        tls = TLSStream(self.sock, self.proxy.authority.context(host), pending)
        try:
            tls.handshake()
        except (ssl.SSLError, OSError):  # the client does not trust the authority, or left
            return
        self.serve(tls, f"https://{authority}", b"")

    def _tunnel(self, upstream: socket.socket, pending: bytes) -> None:
        """Relay bytes both ways between the client and another host."""
        with upstream:
            self.proxy.track(upstream)
            try:
                upstream.sendall(pending)
                relay(self.sock, upstream)
            finally:
                self.proxy.track(upstream, open=False)

    # -- answers ---------------------------------------------------------------------------

    def _answer(
        self,
        conn: h11.Connection,
        stream: Stream,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> None:
        try:
            answer = self.proxy.respond(HttpRequest.of(method, url, headers, body))
        except RAISABLE:  # a scripted connection error or timeout: drop the connection
            raise _Drop from None
        except SchemaValidationError as error:  # recorded: the test fails at teardown
            message = f"pytest-twilio-shortcodes: the answer broke schema {error.schema_name!r}"
            return self._plain(conn, stream, 500, message + "; the test fails at teardown")
        self._send(conn, stream, method, answer)

    def _forward(
        self,
        conn: h11.Connection,
        stream: Stream,
        method: str,
        parts: SplitResult,
        host: str,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> None:
        """A plain request to another host: forward it if passthrough allows the host."""
        if not self.proxy.allows(host):
            return self._plain(conn, stream, 403, f"{host} is not in the mock's passthrough hosts")
        https = parts.scheme == "https"
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # The body is sent whole: its length is its own (http.client sets it), never the client's.
        sent = {k: v for k, v in headers if k not in _HOP_BY_HOP and k != "content-length"}
        upstream = kind(host, parts.port, timeout=30)
        opened: list[socket.socket] = []  # tracked before connecting (then TLS may wrap it)

        def connect(address: tuple[str, int], timeout: float, *_: object) -> socket.socket:
            opened.append(self.proxy.connect(address, timeout))
            return opened[-1]

        upstream._create_connection = connect  # type: ignore[attr-defined]
        try:
            upstream.connect()
            self.proxy.track(upstream.sock)
            upstream.request(method, path, body or None, sent)
            answer = upstream.getresponse()
            data = answer.read()
        except OSError as error:
            return self._plain(conn, stream, 502, f"cannot reach {host}: {error}")
        except http.client.HTTPException as error:  # BadStatusLine, IncompleteRead, ...
            name = type(error).__name__
            return self._plain(conn, stream, 502, f"a bad answer from {host}: {name}")
        finally:
            for sock in [*opened, upstream.sock]:
                if sock is not None:
                    self.proxy.track(sock, open=False)
            upstream.close()
        if not 200 <= answer.status <= 999:  # 101 Switching Protocols, 103 Early Hints, ...
            message = f"{host} answered {answer.status}, which this proxy does not forward"
            return self._plain(conn, stream, 502, message)
        kept = [  # a list, not a dict: Set-Cookie and others may repeat
            (k, v)
            for k, v in answer.getheaders()
            if k.lower() not in _HOP_BY_HOP and (k.lower() != "content-length" or method == "HEAD")
        ]
        try:
            self._emit(conn, stream, method, answer.status, kept, data)
        except h11.LocalProtocolError as error:  # a header value HTTP forbids (a NUL, ...)
            self._plain(conn, stream, 502, f"{host} answered what cannot be forwarded: {error}")

    def _send(self, conn: h11.Connection, stream: Stream, method: str, answer: HttpAnswer) -> None:
        status, headers, body = answer
        self._emit(conn, stream, method, status, list(headers.items()), body)

    def _emit(
        self,
        conn: h11.Connection,
        stream: Stream,
        method: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> None:
        pairs = [(b"Server", SERVER.encode()), (b"Date", formatdate(usegmt=True).encode())]
        pairs += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        if status not in (204, 304) and not any(k.lower() == "content-length" for k, _ in headers):
            pairs.append((b"Content-Length", str(len(body)).encode()))
        data = conn.send(h11.Response(status_code=status, headers=pairs, reason=_reason(status)))
        if body and method != "HEAD":
            data += conn.send(h11.Data(data=body))
        stream.sendall(data + conn.send(h11.EndOfMessage()))

    def _plain(self, conn: h11.Connection, stream: Stream, status: int, message: str) -> None:
        """The proxy's own answer (not Twilio's): one line of text."""
        if conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        self._send(conn, stream, "", plain_answer(status, message))


def _next(conn: h11.Connection, stream: Stream) -> Any:
    """The next h11 event, reading from the client as needed."""
    while True:
        event = conn.next_event()
        if event is not h11.NEED_DATA:
            return event
        conn.receive_data(stream.recv(65536))


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


def _twilio(host: str, url: str) -> bool:
    """Whether a request goes to Twilio: judged on the host as parsed (and so as it would
    be looked up), and on the URL as written; either is enough to answer it here."""
    return is_twilio_host(host) or TWILIO_URL.match(url) is not None


def _is_control(url: str, host: str, port: Optional[int], proxy: Host) -> bool:
    """A request for the control API: origin form, or an absolute URL naming the proxy."""
    if url.startswith("/"):
        path = url
    elif host in ("127.0.0.1", "localhost") and port == proxy.port:
        path = urlsplit(url).path
    else:
        return False
    return path == "/_mock" or path.startswith("/_mock/")


def _address(parts: SplitResult) -> tuple[str, Optional[int]]:
    """The host (lower case, no final dot) and port of a URL; ``ValueError`` for a bad port."""
    return (parts.hostname or "").rstrip(".").lower(), parts.port
