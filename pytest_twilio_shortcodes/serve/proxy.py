"""The mock, served to other processes: an HTTP proxy on 127.0.0.1.

A child process that reads the standard proxy variables sends its Twilio traffic here:
``CONNECT`` to a Twilio host is answered by terminating TLS with a certificate for that
host from the throw-away authority (``certs``) and answering every request inside with
``respond``; a plain-HTTP request with an absolute URL to a Twilio host is answered the
same way. Other hosts are tunnelled (``CONNECT``) or forwarded (plain HTTP) when the
passthrough rule allows them, and refused (403) otherwise. Requests to the proxy's own
address under ``/_mock/`` go to the control API (``control``).

HTTP/1.1 is framed by ``h11`` (untrusted bytes from other processes arrive here); TLS runs
over ``ssl.MemoryBIO`` (``tls``). One thread a connection, keep-alive; ``stop()`` returns
once every connection's thread has finished.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import ssl
import sys
import threading
import traceback
from fnmatch import fnmatchcase
from typing import Callable, Iterable, Optional

try:
    import h11  # noqa: F401  (the [serve] extra: say so here, before anything is served)
except ImportError:  # pragma: no cover - the [serve] extra is missing
    raise ImportError(
        "serving Twilio to other processes needs h11: pip install 'pytest-twilio-shortcodes[serve]'"
    ) from None

from ..wire.http import HttpAnswer, HttpRequest
from . import certs, children
from .connection import Connection, Control
from .tls import PlainStream

LOOPBACK = "localhost,127.0.0.1,::1"
BACKLOG = max(128, socket.SOMAXCONN)  # connections waiting to be accepted

Respond = Callable[[HttpRequest], HttpAnswer]


def allowed_by(patterns: Iterable[str]) -> Callable[[str], bool]:
    """The passthrough rule: whether a (lower-case) non-Twilio host matches a pattern."""
    lowered = tuple(pattern.lower() for pattern in patterns)
    return lambda host: any(fnmatchcase(host, pattern) for pattern in lowered)


class TwilioProxy:
    """A running proxy: ``url``, the ``env`` a child process needs, ``ca_file``, ``stop()``.

    ``respond`` answers a request to a Twilio host; ``credentials`` (account SID, auth
    token) go in ``env``; ``allows`` is the passthrough rule for other hosts; ``control``
    answers ``/_mock/`` on the proxy's own address."""

    def __init__(
        self,
        respond: Respond,
        port: int = 0,
        *,
        credentials: tuple[str, str] = ("", ""),
        allows: Callable[[str], bool] = lambda host: True,
        control: Optional[Control] = None,
    ) -> None:
        self.respond: Respond = respond
        self.allows = allows
        self.control = control
        self.authority = certs.authority()
        self._listener = socket.create_server(("127.0.0.1", port), backlog=BACKLOG)
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.ca_file = str(self.authority.ca_file)
        bundle = str(self.authority.bundle_file)
        self.env: dict[str, str] = {
            **dict.fromkeys(("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"), self.url),
            **dict.fromkeys(("NO_PROXY", "no_proxy"), LOOPBACK),
            **dict.fromkeys(("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"), bundle),
            "NODE_EXTRA_CA_CERTS": self.ca_file,
            "TWILIO_ACCOUNT_SID": credentials[0],
            "TWILIO_AUTH_TOKEN": credentials[1],
            **children.python_env(self.url),  # Python children: every client served
        }
        self.serving = True
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()  # clients' and upstream connections
        self._threads: set[threading.Thread] = set()
        self._wake, self._waker = socket.socketpair()
        self._thread = threading.Thread(
            target=self._accept, name=f"twilio-shortcodes-proxy-{self.port}", daemon=True
        )
        self._thread.start()

    def __repr__(self) -> str:
        return f"<TwilioProxy {self.url}>"

    def stop(self) -> None:
        """Stop accepting, close every open connection and tunnel, free the port; return
        once every connection's thread has finished (so no request is answered after)."""
        with self._lock:
            if not self.serving:
                return
            self.serving = False
            sockets = list(self._sockets)
        self._waker.send(b"x")
        self._thread.join()
        self._listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):  # the plain shutdown, for TLS too: EOF
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
        with self._lock:  # no thread starts now; each removes itself as it ends
            threads = list(self._threads)
        for thread in threads:
            thread.join()
        self._wake.close()
        self._waker.close()

    def track(self, sock: socket.socket, open: bool = True) -> None:
        """Keep ``sock`` among the connections ``stop()`` closes (``OSError`` once stopped)."""
        with self._lock:
            if open and not self.serving:
                raise ConnectionAbortedError("the proxy is stopping")
            (self._sockets.add if open else self._sockets.discard)(sock)

    def connect(self, address: tuple[str, int], timeout: float, *_: object) -> socket.socket:
        """A connection to another host (``socket.create_connection``'s part), among those
        ``stop()`` closes from before it is made: a shutdown cuts a connect under way short.
        The caller untracks it when done."""
        host, port = address
        error: OSError = OSError(f"no address for {host}")
        for family, kind, proto, _, where in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
            sock = socket.socket(family, kind, proto)
            try:
                self.track(sock)
                sock.settimeout(timeout)
                sock.connect(where)
                return sock
            except OSError as failed:
                error = failed
                self.track(sock, open=False)
                sock.close()
        raise error

    def _accept(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select():
                    if key.fileobj is self._wake:
                        return
                    while True:  # every connection waiting, not one a wake-up
                        try:
                            sock, _ = self._listener.accept()
                        except OSError:  # BlockingIOError: none left
                            break
                        self._start(sock)

    def _start(self, sock: socket.socket) -> None:
        sock.setblocking(True)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        name = f"twilio-shortcodes-proxy-{self.port}-connection"
        thread = threading.Thread(target=self._serve, args=(sock,), name=name, daemon=True)
        with self._lock:
            if not self.serving:
                sock.close()
                return
            self._sockets.add(sock)
            self._threads.add(thread)
        thread.start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            Connection(self, sock).serve(PlainStream(sock), None, b"")
        except (OSError, ssl.SSLError):
            pass  # a client that hangs up or refuses the certificate is not news
        except Exception:  # a bug in the mock is
            traceback.print_exc(file=sys.stderr)
        finally:
            with self._lock:
                self._sockets.discard(sock)
                self._threads.discard(threading.current_thread())
            sock.close()
