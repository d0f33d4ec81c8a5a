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
import selectors
import socket
import socketserver
import ssl
import sys
import threading
from fnmatch import fnmatchcase
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Callable, Optional
from urllib.parse import urlsplit

from . import certs
from .faults import RAISABLE
from .schemas import SchemaValidationError
from .wire import TWILIO_URL, HttpRequest

if TYPE_CHECKING:
    from .mock import TwilioShortCodeMock

LOOPBACK = "localhost,127.0.0.1,::1"
# Headers that belong to one connection, not to the request a proxy forwards.
_HOP_BY_HOP = frozenset(
    ("connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
     "te", "trailer", "transfer-encoding", "upgrade")
)  # fmt: skip


class TwilioProxy:
    """A running proxy for one mock: ``url``, the ``env`` a child process needs, ``stop()``."""

    def __init__(self, mock: TwilioShortCodeMock, port: int = 0) -> None:
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

    def __init__(self, mock: TwilioShortCodeMock, authority: certs.Authority, port: int) -> None:
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
            if self.connection is not self.request:  # the TLS socket the server never saw
                self.connection.close()

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
        parts = urlsplit(f"//{self.path}")
        try:
            host, port = (parts.hostname or "").rstrip(".").lower(), parts.port or 443
        except ValueError:
            host = ""
        if not host:
            return self._plain(400, f"CONNECT needs host:port, not {self.path!r}")
        if TWILIO_URL.match(f"https://{self.path}"):
            self._terminate(host, port)
        elif self.server.allows(host):
            self._tunnel(host, port)
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
        raw = self.connection
        first = raw.recv(1, socket.MSG_PEEK)
        if not first:
            self.close_connection = True
            return
        authority = host if port == 443 else f"{host}:{port}"
        self.close_connection = False  # the tunnel stays open, even after an HTTP/1.0 CONNECT
        if first != b"\x16":  # not a TLS handshake
            self.base = f"http://{authority}"
            return
        context = self.server.authority.context(host)
        tls = context.wrap_socket(raw, server_side=True, do_handshake_on_connect=False)
        self.server.track(raw, open=False)
        self.connection = tls
        self.server.track(tls)
        try:
            tls.do_handshake()
        except (ssl.SSLError, OSError):  # the client does not trust the authority, or left
            self.close_connection = True
            return
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
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
                _relay(self.connection, upstream)
            finally:
                self.server.track(upstream, open=False)

    # -- every other method --------------------------------------------------------------------

    def _request(self) -> None:
        if not self.path.startswith("/"):
            url = self.path  # absolute form, as clients send to a proxy
        elif self.base is not None:
            url = self.base + self.path  # origin form, inside a tunnel
        else:
            return self._plain(400, "this is a proxy: send absolute URLs or CONNECT")
        try:
            body = self._body()
        except ValueError as error:
            self.close_connection = True
            return self._plain(400, str(error))
        if TWILIO_URL.match(url):
            self._answer(url, body)
        else:
            self._forward(url, body)

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return _read_chunked(self.rfile)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.strip().isdigit():
            raise ValueError(f"bad Content-Length: {length!r}")
        return self.rfile.read(int(length))

    def _answer(self, url: str, body: bytes) -> None:
        request = HttpRequest.of(self.command, url, dict(self.headers.items()), body)
        try:
            status, headers, content = self.server.mock.respond(request)
        except RAISABLE:  # a scripted connection error or timeout: drop the connection
            self.close_connection = True
            return
        except SchemaValidationError as error:  # recorded: the test fails at teardown
            return self._plain(500, f"pytest-twilio-shortcodes: {error}")
        self._send(status, headers, content)

    def _forward(self, url: str, body: bytes) -> None:
        """A plain request to another host: forward it if passthrough allows the host."""
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
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


def _read_chunked(rfile: Any) -> bytes:
    chunks = []
    while True:
        line = rfile.readline(1024).split(b";")[0].strip()
        try:
            size = int(line, 16)
        except ValueError:
            raise ValueError(f"bad chunk size: {line[:20]!r}") from None
        if size == 0:
            while rfile.readline(1024).strip():  # trailers
                pass
            return b"".join(chunks)
        chunks.append(rfile.read(size))
        rfile.readline(1024)


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
