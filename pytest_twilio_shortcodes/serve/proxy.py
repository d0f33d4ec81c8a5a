"""The mock, served to other processes: an HTTP proxy on 127.0.0.1.

A child process that reads the standard proxy variables sends its Twilio traffic here:
``CONNECT`` to a Twilio host is answered by terminating TLS with a certificate for that
host from the throw-away authority (``certs``) and answering every request inside from
the mock; a plain-HTTP request with an absolute URL to a Twilio host is answered the same
way. Other hosts are tunnelled (``CONNECT``) or forwarded (plain HTTP) when the mock's
``passthrough`` allows them, and refused (403) otherwise.

Built on the standard library (``socketserver``, ``http.server``, ``ssl``): one thread a
connection, keep-alive, and nothing between a request and ``mock.respond``.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import re
import selectors
import socket
import socketserver
import ssl
import sys
import threading
from fnmatch import fnmatchcase
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable, Optional, Protocol
from urllib.parse import SplitResult, urlsplit

from ..schemas import SchemaValidationError
from ..testkit.faults import RAISABLE
from ..wire.http import TWILIO_URL, HttpAnswer, HttpRequest
from . import certs


class Served(Protocol):
    """What the proxy needs of what it serves: the account's credentials for the child's
    environment, the passthrough rule, and the answer to a Twilio request."""

    account_sid: str
    auth_token: str
    passthrough: tuple[str, ...]

    def respond(self, request: HttpRequest) -> HttpAnswer: ...


LOOPBACK = "localhost,127.0.0.1,::1"
MAX_BODY = 10 * 1024 * 1024  # a request body the proxy reads; more is answered 413
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
# Headers that belong to one connection, not to the request a proxy forwards.
_HOP_BY_HOP = frozenset(
    ("connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
     "te", "trailer", "transfer-encoding", "upgrade")
)  # fmt: skip


class TwilioProxy:
    """A running proxy for one mock: ``url``, the ``env`` a child process needs, ``stop()``."""

    def __init__(self, mock: Served, port: int = 0) -> None:
        authority = certs.authority()
        self.mock = mock
        self._server = _Server(mock, authority, port)
        self.port: int = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        bundle, ca = str(authority.bundle_file), str(authority.ca_file)
        self.env: dict[str, str] = {
            **dict.fromkeys(("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"), self.url),
            **dict.fromkeys(("NO_PROXY", "no_proxy"), LOOPBACK),
            **dict.fromkeys(("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"), bundle),
            "NODE_EXTRA_CA_CERTS": ca,
            "TWILIO_ACCOUNT_SID": mock.account_sid,
            "TWILIO_AUTH_TOKEN": mock.auth_token,
        }
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"twilio-shortcodes-proxy-{self.port}"
        )
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, close every open connection and tunnel, free the port."""
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()

    def __repr__(self) -> str:
        return f"<TwilioProxy {self.url}>"


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mock: Served, authority: certs.Authority, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.mock = mock
        self.authority = authority
        self.open: set[socket.socket] = set()
        self.open_lock = threading.Lock()

    def track(self, sock: socket.socket, open: bool = True) -> None:
        with self.open_lock:
            (self.open.add if open else self.open.discard)(sock)

    def close_connections(self) -> None:
        with self.open_lock:
            for sock in self.open:
                with contextlib.suppress(OSError):  # the plain shutdown, for TLS too: EOF
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up or refuses the certificate is not news; a bug in the
        # mock is (printed with its traceback by the default).
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def allows(self, host: str) -> bool:
        """The mock's passthrough rule for a non-Twilio host."""
        return any(fnmatchcase(host, pattern.lower()) for pattern in self.mock.passthrough)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    default_request_version = "HTTP/1.1"  # answer garbage with a status line, not HTTP/0.9
    wbufsize = -1  # an answer leaves in one write when the request is done ...
    disable_nagle_algorithm = True  # ... and at once: no wait for the client's ACK
    server: _Server
    base: Optional[str] = None  # inside a CONNECT to a Twilio host: its scheme and authority

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, open=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the mock records every Twilio call; stderr stays quiet

    def version_string(self) -> str:
        return "pytest-twilio-shortcodes"

    def __getattr__(self, name: str) -> Callable[[], None]:
        # BaseHTTPRequestHandler calls do_<METHOD>: serve every method the same way.
        if name.startswith("do_"):
            return self._request
        raise AttributeError(name)

    # -- CONNECT ------------------------------------------------------------------------------

    def do_CONNECT(self) -> None:
        if self.base is not None:
            return self._plain(400, "CONNECT inside a tunnel")
        try:
            parts = urlsplit(f"//{self.path}")
            host, port = _address(parts)
        except ValueError:  # "[::1", a port out of range or not a number
            host = ""
        if not host or parts.path or parts.query or parts.fragment:
            return self._plain(400, f"CONNECT needs host:port, not {self.path!r}")
        if TWILIO_URL.match(f"https://{host}"):
            self._terminate(host, port or 443)  # an empty port is the default one
        elif self.server.allows(host):
            self._tunnel(host, port or 443)
        else:
            self._plain(403, f"{host} is not in the mock's passthrough hosts")

    def _established(self) -> None:
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()

    def _terminate(self, host: str, port: int) -> None:
        """Answer the tunnel's requests ourselves: TLS with a certificate for ``host``
        (plain HTTP if the client sends no TLS handshake)."""
        self._established()
        # The client may have sent its first bytes with the CONNECT: they are in rfile.
        first = self.rfile.peek(1)[:1]
        if not first:
            self.close_connection = True
            return
        authority = host if port == 443 else f"{host}:{port}"
        self.close_connection = False  # the tunnel stays open, even after an HTTP/1.0 CONNECT
        if first != b"\x16":  # not a TLS handshake
            self.base = f"http://{authority}"
            return
        tls = _TLS(self.connection, self.server.authority.context(host), self.rfile.read1())
        try:
            tls.handshake()
        except (ssl.SSLError, OSError):  # the client does not trust the authority, or left
            self.close_connection = True
            return
        self.rfile.close()
        self.wfile.close()
        self.rfile, self.wfile = io.BufferedReader(tls), io.BufferedWriter(tls)
        self.base = f"https://{authority}"

    def _tunnel(self, host: str, port: int) -> None:
        """Relay bytes both ways between the client and ``host:port``."""
        try:
            upstream = socket.create_connection((host, port), timeout=30)
        except OSError as error:
            return self._plain(502, f"cannot reach {host}:{port}: {error}")
        self.close_connection = True
        with upstream:
            upstream.settimeout(None)
            self.server.track(upstream)
            try:
                self._established()
                upstream.sendall(self._read_ahead())
                _relay(self.connection, upstream)
            finally:
                self.server.track(upstream, open=False)

    def _read_ahead(self) -> bytes:
        """What the client sent after the ``CONNECT`` and the request parser already read."""
        self.connection.setblocking(False)
        try:
            return self.rfile.read1() or b""  # only what is buffered: never waits
        finally:
            self.connection.setblocking(True)

    # -- every other method --------------------------------------------------------------------

    def _request(self) -> None:
        if self.path.startswith("/") and self.base is not None:
            url = self.base + self.path  # origin form, inside a tunnel
        else:
            url = self.path  # absolute form, as clients send to a proxy
        try:
            parts = urlsplit(url)
            host, _ = _address(parts) if parts.scheme in ("http", "https") else ("", None)
        except ValueError:  # "http://[::1", a port out of range or not a number
            host = ""
        if not host:  # "*", "http:///", ...
            self.close_connection = True  # its body, if any, is left unread
            return self._plain(400, f"this is a proxy: send absolute URLs or CONNECT, not {url!r}")
        try:
            body = self._body()
        except _Unreadable as error:
            self.close_connection = True
            return self._plain(error.status, str(error))
        if parts.netloc.endswith(":"):  # an empty port: the default one
            url = parts._replace(netloc=parts.netloc[:-1]).geturl()
        if TWILIO_URL.match(url):
            self._answer(url, body)
        else:
            self._forward(parts, host, body)

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return _read_chunked(self.rfile)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not (length.strip().isascii() and length.strip().isdigit()):
            raise _Unreadable(400, f"bad Content-Length: {length!r}")
        return _read(self.rfile, int(length))

    def _answer(self, url: str, body: bytes) -> None:
        request = HttpRequest.of(self.command, url, self.headers.items(), body)
        try:
            status, headers, content = self.server.mock.respond(request)
        except RAISABLE:  # a scripted connection error or timeout: drop the connection
            self.close_connection = True
            return
        except SchemaValidationError as error:  # recorded: the test fails at teardown
            return self._plain(500, f"pytest-twilio-shortcodes: {error}")
        self._send(status, headers, content)

    def _forward(self, parts: SplitResult, host: str, body: bytes) -> None:
        """A plain request to another host: forward it if passthrough allows the host."""
        if not self.server.allows(host):
            return self._plain(403, f"{host} is not in the mock's passthrough hosts")
        https = parts.scheme == "https"
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = kind(host, parts.port, timeout=30)
        try:
            upstream.request(self.command, path, body or None, headers)
            answer = upstream.getresponse()
            data = answer.read()
        except OSError as error:
            return self._plain(502, f"cannot reach {host}: {error}")
        finally:
            upstream.close()
        kept = {
            k: v
            for k, v in answer.getheaders()
            if k.lower() not in _HOP_BY_HOP and k.lower() != "content-length"
        }
        self._send(answer.status, kept, data)

    # -- answers ---------------------------------------------------------------------------

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _plain(self, status: int, message: str) -> None:
        """The proxy's own answer (not Twilio's): a line of text."""
        self._send(status, {"Content-Type": "text/plain; charset=utf-8"}, f"{message}\n".encode())


class _Unreadable(Exception):
    """A request body the proxy does not read: answered ``status``, the connection closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _address(parts: SplitResult) -> tuple[str, Optional[int]]:
    """The host (lower case, no final dot) and port of a URL; ``ValueError`` for a bad port."""
    return (parts.hostname or "").rstrip(".").lower(), parts.port


def _read(rfile: Any, size: int, read: int = 0) -> bytes:
    """``size`` bytes of a body of which ``read`` are already read, within ``MAX_BODY``."""
    if read + size > MAX_BODY:
        raise _Unreadable(413, f"request body larger than {MAX_BODY} bytes")
    data = rfile.read(size)
    if len(data) < size:
        raise _Unreadable(400, "the request body ends early")
    return data


def _read_chunked(rfile: Any) -> bytes:
    chunks: list[bytes] = []
    read = 0
    while True:
        line = rfile.readline(1024).split(b";")[0].strip()
        if not _CHUNK_SIZE.fullmatch(line):
            raise _Unreadable(400, f"bad chunk size: {line[:20]!r}")
        size = int(line, 16)
        if size == 0:
            while rfile.readline(1024).strip():  # trailers
                pass
            return b"".join(chunks)
        chunks.append(_read(rfile, size, read))
        read += size
        rfile.readline(1024)


class _TLS(io.RawIOBase):
    """The server side of TLS over a client's socket, through an ``ssl.SSLObject`` so that
    it starts from the bytes already read past the ``CONNECT`` (a client may send its
    handshake, or more, in the same packet): an ``SSLSocket`` would only see what is left
    in the kernel, and wait for the rest for ever. Buffered by ``io``, one read or write
    of the socket a TLS record or more."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, pending: bytes) -> None:
        super().__init__()
        self._sock = sock
        self._incoming, self._outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self._incoming.write(pending)

    def _run(self, operation: Callable[..., Any], *args: Any) -> Any:
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self._send()
                data = self._sock.recv(65536)
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()  # the next try raises SSLEOFError
            else:
                self._send()
                return result

    def _send(self) -> None:
        data = self._outgoing.read()
        if data:
            self._sock.sendall(data)

    def handshake(self) -> None:
        self._run(self._tls.do_handshake)

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            return self._run(self._tls.read, len(buffer), buffer)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):  # the client closed
            return 0

    def write(self, data: Any) -> int:
        return self._run(self._tls.write, data)


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes between two sockets until either side closes."""
    other = {client: upstream, upstream: client}
    with selectors.DefaultSelector() as selector:
        selector.register(client, selectors.EVENT_READ)
        selector.register(upstream, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                try:
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    other[key.fileobj].sendall(data)  # type: ignore[index]
                except OSError:
                    return
