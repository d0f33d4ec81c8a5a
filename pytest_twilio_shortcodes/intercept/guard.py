"""The guard: a client the mock does not serve cannot reach a Twilio host, directly or
through an HTTP proxy.

Directly: ``urllib.request``, ``http.client``, ``urllib3`` pools, asyncio streams and raw
sockets all resolve or connect through the ``socket`` functions patched here; aiohttp with
the ``aiodns`` resolver asks c-ares instead, so ``aiodns.DNSResolver`` is guarded too.

Through a proxy: a client configured with one (``HTTPS_PROXY``, ``ProxyHandler``,
``set_tunnel``, ``urllib3.ProxyManager``) never looks the Twilio name up: it connects to the
proxy and writes ``CONNECT api.twilio.com:443`` or ``GET http://api.twilio.com/...``. So
the first bytes of every write to a socket (plain, or TLS to an HTTPS proxy) are read: a
request line whose target is a Twilio authority or absolute URL is refused before it is
written, unless the socket's peer is a proxy ``serve()`` started here.

Every path is refused before any packet for Twilio leaves; ``registry.refusal`` says where
the attempt is recorded (the active mock, or the pytest session) and whether it may go.
Other hosts pass: one comparison of the host name per look-up or connection, and one byte
compared per write (an origin-form request line costs a few more).

The guard comes in layers, each a set of patches over whatever was there when it started:
one while a mock is active, and one for each pytest session (``Layer``). A spy a test puts
on ``socket`` before starting a mock sits under the mock's layer.
"""

from __future__ import annotations

import socket
from typing import Any, Callable, Optional

from ..wire.hosts import (
    HEAD,
    INITIALS,
    is_twilio_host,
    match_ascii_twilio_host,
    proxied_twilio_host,
)
from . import registry
from .patching import LateSeam, Patch


def _stop(host: Any, how: str) -> None:
    """Raise if the attempt to reach ``host`` is refused."""
    name = bytes(host).decode("ascii", "replace") if isinstance(host, (bytes, bytearray)) else host
    error = registry.refusal(name, how)
    if error is not None:
        raise error


def _check_target(target: Any, how: str) -> None:
    """Refuse when ``target`` names a Twilio host: a host name, or an address ``(host,
    port, ...)``. A plain ASCII name, the usual case, is matched without a further call."""
    host = target[0] if isinstance(target, tuple) and target else target
    if host.__class__ is str and host.isascii():
        if match_ascii_twilio_host(host) is not None:
            _stop(host, how)
    elif is_twilio_host(host):
        _stop(host, how)


def _at_the_name(how: str, at: int) -> Callable[[Any], Any]:
    """A patch maker: check the argument at ``at`` (or ``host=``), then call the original
    with exactly what the caller gave."""

    def make(original: Any) -> Any:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            _check_target(args[at] if len(args) > at else kwargs.get("host"), how)
            return original(*args, **kwargs)

        return guarded

    return make


def _on_connect(how: str) -> Callable[[Any], Any]:
    """``socket.connect`` and ``connect_ex`` under their own signature (one address,
    positional only, as theirs): handed on as given, without packing the arguments."""

    def make(original: Any) -> Any:
        def guarded(sock: Any, address: Any, /) -> Any:
            _check_target(address, how)
            return original(sock, address)

        return guarded

    return make


# -- requests written to a proxy ------------------------------------------------------------


def _first_byte(data: Any) -> Optional[int]:
    try:
        first = data[0]
    except (TypeError, IndexError, KeyError):
        return None
    return first if type(first) is int else None


def _check_write(sock: Any, data: Any) -> None:
    found = proxied_twilio_host(data)
    if found is None:
        return
    try:
        peer = sock.getpeername()
    except OSError:
        peer = ("?", 0)
    address = (str(peer[0]), int(peer[1])) if isinstance(peer, tuple) else (str(peer), 0)
    if registry.is_own_proxy(address):
        return
    host, method = found
    _stop(host, f"{method} to the HTTP proxy {address[0]}:{address[1]}")


_ORIGIN_FORM = tuple(
    f"{method} /".encode()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
)


def _check_first_bytes(sock: Any, data: Any) -> None:
    """The one rule for a write: bytes that may start a request line are read whole,
    except a request line in origin form (``GET /...``), which passes at once; a TLS
    record or a body costs one byte's look-up."""
    if data.__class__ is bytes:
        if data and data[0] in INITIALS and not data.startswith(_ORIGIN_FORM):
            _check_write(sock, data)
    elif _first_byte(data) in INITIALS:
        _check_write(sock, data)


def _on_write(original: Any) -> Any:
    """``sendto`` and ``ssl.SSLSocket.send`` (whose arguments vary or take keywords)."""

    def guarded(sock: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
        _check_first_bytes(sock, data)
        return original(sock, data, *args, **kwargs)

    return guarded


_NO_FLAGS = object()


def _on_send(original: Any) -> Any:
    """``socket.send`` and ``sendall`` under their own signature (data and optional
    flags, positional only, as theirs): every request a client writes comes here, so the
    arguments are handed on without being packed."""

    def guarded(sock: Any, data: Any, flags: Any = _NO_FLAGS, /) -> Any:
        _check_first_bytes(sock, data)
        if flags is _NO_FLAGS:
            return original(sock, data)
        return original(sock, data, flags)

    return guarded


def _on_sendmsg(original: Any) -> Any:
    def guarded(sock: Any, buffers: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(buffers, (list, tuple)):
            buffers = list(buffers)
        if buffers and _first_byte(buffers[0]) in INITIALS:
            _check_write(sock, b"".join(bytes(part[:HEAD]) for part in buffers[:8]))
        return original(sock, buffers, *args, **kwargs)

    return guarded


def _socket_patches() -> list[Patch]:
    # getaddrinfo takes keywords: its wrapper hands on exactly what the caller gave
    names = [
        Patch(socket, name, _at_the_name(f"socket.{name}", 0))
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr")
    ]
    addresses = [
        Patch(socket.socket, name, _on_connect(f"socket.{name}"))
        for name in ("connect", "connect_ex")
    ] + [Patch(socket.socket, "sendto", _at_the_name("socket.sendto", -1))]
    writes = [Patch(socket.socket, name, _on_send) for name in ("send", "sendall")]
    # sendto on a connected TCP socket sends its data there, whatever address it names
    writes.append(Patch(socket.socket, "sendto", _on_write))
    if hasattr(socket.socket, "sendmsg"):
        writes.append(Patch(socket.socket, "sendmsg", _on_sendmsg))
    return names + addresses + writes


def _on_tls_write(original: Any) -> Any:
    """``SSLObject.write``: asyncio's TLS (aiohttp's and httpx's async clients to an
    ``https://`` proxy) encrypts here and writes only ciphertext to the socket."""

    def guarded(tls: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
        if _first_byte(data) in INITIALS:
            found = proxied_twilio_host(data)
            if found is not None:
                host, method = found
                _stop(host, f"{method} inside TLS, to an HTTPS proxy")
        return original(tls, data, *args, **kwargs)

    return guarded


def _ssl_patches() -> list[Patch]:
    """TLS to an HTTPS proxy: ``SSLSocket.sendall`` writes through ``send``; asyncio's
    TLS writes through ``SSLObject.write``."""
    import ssl

    return [Patch(ssl.SSLSocket, "send", _on_write), Patch(ssl.SSLObject, "write", _on_tls_write)]


def _aiodns_patches() -> list[Patch]:
    """The c-ares resolver of aiohttp's ``AsyncResolver``."""
    import aiodns

    return [
        Patch(aiodns.DNSResolver, name, _at_the_name(f"aiodns.DNSResolver.{name}", 1))
        for name in ("query", "query_dns", "getaddrinfo", "gethostbyname")
        if hasattr(aiodns.DNSResolver, name)
    ]


class Layer:
    """One layer of the guard: ``start()`` wraps what is there now, ``stop()`` unwraps it
    (or, if someone patched on top meanwhile, leaves it to ask ``registry``, which lets
    everything through once no mock and no watch is on)."""

    def __init__(self) -> None:
        self._socket = _socket_patches()
        self._late = [
            LateSeam("ssl", _ssl_patches, registry.watched),
            LateSeam("aiodns", _aiodns_patches, registry.watched),
        ]

    def start(self) -> None:
        for patch in self._socket:
            patch.start()
        for seam in self._late:
            seam.install()

    def stop(self) -> None:
        for seam in self._late:
            seam.uninstall()
        for patch in reversed(self._socket):
            patch.stop()


_WHILE_A_MOCK_IS_ACTIVE = Layer()
install, uninstall = _WHILE_A_MOCK_IS_ACTIVE.start, _WHILE_A_MOCK_IS_ACTIVE.stop
