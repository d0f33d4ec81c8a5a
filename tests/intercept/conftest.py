"""Shared by the tests of clients and proxies: a loopback proxy that refuses everything,
its TLS twin, and a spy put under the mock's guard."""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import trustme


class _Refuser(socketserver.BaseRequestHandler):
    """A proxy that refuses everything it is asked (403), after reading the request."""

    def handle(self) -> None:
        self.request.settimeout(5)
        try:
            self.request.recv(65536)
            self.request.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            pass


def _serve(server: socketserver.TCPServer) -> Iterator[str]:
    server.daemon_threads = True  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def proxy() -> Iterator[str]:
    """host:port of an HTTP proxy on loopback that refuses whatever reaches it."""
    yield from _serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Refuser))


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_proxy(authority: trustme.CA) -> Iterator[str]:
    """host:port of the same proxy behind TLS (an ``https://`` proxy)."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Refuser)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield from _serve(server)


@pytest.fixture
def wire() -> Iterator[list[tuple[str, Any]]]:
    """Every look-up, connection and write that gets past the guard (a spy put under the
    mock's guard: installed before the mock starts)."""
    seen: list[tuple[str, Any]] = []

    def spy(original: Any, name: str, at: int) -> Any:
        def record(*args: Any, **kwargs: Any) -> Any:
            value = args[at] if len(args) > at else None
            seen.append((name, list(value) if name == "sendmsg" else value))
            return original(*args, **kwargs)

        return record

    spied = [
        (socket, "getaddrinfo", 0),
        (socket, "gethostbyname", 0),
        (socket.socket, "connect", 1),
        (socket.socket, "connect_ex", 1),
        (socket.socket, "send", 1),
        (socket.socket, "sendall", 1),
        (socket.socket, "sendmsg", 1),
        (socket.socket, "sendto", 1),
        (ssl.SSLSocket, "send", 1),
    ]
    saved = [(owner, name, vars(owner).get(name)) for owner, name, _ in spied]
    for owner, name, at in spied:
        setattr(owner, name, spy(getattr(owner, name), name, at))
    try:
        yield seen
    finally:
        for owner, name, original in saved:
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def text(value: Any) -> bytes:
    """What the spy saw, as bytes: written data, a host name or an address."""
    if isinstance(value, (list, tuple)):
        return b" ".join(text(part) for part in value)
    if isinstance(value, str):
        return value.encode("utf-8", "replace")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return repr(value).encode()


def connections(seen: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The look-ups and connections the spy saw."""
    return [entry for entry in seen if not entry[0].startswith("send")]


def twilio_in(seen: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """What the spy saw that names Twilio."""
    return [(name, value) for name, value in seen if b"twilio" in text(value).lower()]
