"""The guard: while any mock is active, a client the mock does not serve cannot reach a
Twilio host. ``urllib.request``, ``http.client``, ``urllib3`` pools, asyncio streams and
raw sockets all resolve or connect through the ``socket`` functions patched here; aiohttp
with the ``aiodns`` resolver asks c-ares instead, so ``aiodns.DNSResolver`` is guarded
too. Every path is refused at the name (look-up or ``connect``), before any packet
leaves; the attempt is recorded on the active mock and fails the test at teardown.

Other hosts pass untouched: one comparison of the host name per look-up or connection.
"""

from __future__ import annotations

import socket
from typing import Any, Callable

from ..wire.http import is_twilio_host
from .patching import LateSeam, Patch


def _guard(how: str, at: int) -> Callable[[Any], Any]:
    """A patch maker: refuse when the argument at ``at`` names a Twilio host (a host name,
    or an address ``(host, port, ...)``), else call the original."""

    def make(original: Any) -> Any:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            target = args[at] if len(args) > at else kwargs.get("host")
            host = target[0] if isinstance(target, tuple) and target else target
            if is_twilio_host(host):
                from .registry import active, refuse

                if active():
                    name = (
                        bytes(host).decode("ascii", "replace")
                        if isinstance(host, (bytes, bytearray))
                        else host
                    )
                    raise refuse(name, how)
            return original(*args, **kwargs)

        return guarded

    return make


_SOCKET = [
    Patch(socket, name, _guard(f"socket.{name}", 0))
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr")
] + [
    Patch(socket.socket, name, _guard(f"socket.{name}", at))
    for name, at in (("connect", 1), ("connect_ex", 1), ("sendto", -1))
]


def _aiodns_patches() -> list[Patch]:
    """The c-ares resolver of aiohttp's ``AsyncResolver``."""
    import aiodns

    return [
        Patch(aiodns.DNSResolver, name, _guard(f"aiodns.DNSResolver.{name}", 1))
        for name in ("query", "query_dns", "getaddrinfo", "gethostbyname")
        if hasattr(aiodns.DNSResolver, name)
    ]


_AIODNS = LateSeam("aiodns", _aiodns_patches)


def install() -> None:
    for patch in _SOCKET:
        patch.start()
    _AIODNS.install()


def uninstall() -> None:
    _AIODNS.uninstall()
    for patch in _SOCKET:
        patch.stop()
