"""Who answers, and who is told: the started mocks, the watches, the refusals.

Every seam and the guard read this module; it imports none of them. The last mock started
answers Twilio requests (``answer``). A connection to a Twilio host by a client the mock
does not serve is refused (``refusal``): recorded on the active mock when there is one,
else on the innermost *watch* (a pytest session: see ``plugin``), which may let it out
on purpose (``@pytest.mark.twilio_live``, ``--twilio-live``). With neither, nothing is
refused: outside pytest, the guard is on only while a mock is.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Optional, Protocol

if TYPE_CHECKING:
    from ..wire.http import HttpAnswer, HttpRequest

# The clients whose Twilio requests the mock answers (in messages that refuse the others).
SERVED = (
    "requests (the twilio SDK's default client), aiohttp (the SDK's AsyncTwilioHttpClient) "
    "and httpx"
)


class Responder(Protocol):
    refused: list[str]

    def respond(self, request: HttpRequest) -> HttpAnswer: ...


class Watch(Protocol):
    """What keeps Twilio out of reach while no mock is active (a pytest session)."""

    def lets_out(self) -> bool:
        """Whether a Twilio connection may leave now, on purpose."""
        ...

    def refused(self, attempt: str) -> str:
        """Record a refused attempt; return the message of the error raised for it."""
        ...


class OwnProxy(Protocol):
    """A proxy ``serve()`` started in this process (it answers Twilio from the mock)."""

    port: int
    serving: bool


class NoMockActive(Exception):
    """Raised by a client's seam when a Twilio request arrives after every mock stopped."""


class TwilioHostRefused(ConnectionRefusedError):
    """A connection to a Twilio host from a client the mock does not serve."""


_ACTIVE: list[Responder] = []  # the started mocks; the last one answers
_WATCHES: list[Watch] = []  # the innermost last (pytest runs pytest in-process)
_OWN_PROXIES: list[OwnProxy] = []  # serve()'s proxies: they answer Twilio themselves
LOCK = threading.Lock()


def active() -> bool:
    """Whether any mock is active (seams pass straight through when none is)."""
    return bool(_ACTIVE)


def watched() -> bool:
    """Whether the guard must be on: a mock is active or a watch is on."""
    return bool(_ACTIVE or _WATCHES)


def answer(request: HttpRequest) -> HttpAnswer:
    """The active mock's answer to one Twilio request."""
    try:
        mock = _ACTIVE[-1]
    except IndexError:
        raise NoMockActive("pytest-twilio-shortcodes: no mock is active") from None
    return mock.respond(request)


def refusal(host: str, how: str) -> Optional[TwilioHostRefused]:
    """The error for an attempt to reach ``host`` some other way (``how``), recorded where
    it fails the test; None when the attempt may go on (no mock, and no watch or a watch
    that lets it out)."""
    attempt = f"{host} ({how})"
    mocks = _ACTIVE
    if mocks:
        mocks[-1].refused.append(attempt)
        return TwilioHostRefused(
            f"pytest-twilio-shortcodes: refused a connection to {attempt}: the mock serves "
            f"Twilio requests made with {SERVED}, not this client"
        )
    watches = _WATCHES
    if not watches or watches[-1].lets_out():
        return None
    return TwilioHostRefused(watches[-1].refused(attempt))


def is_own_proxy(address: tuple[str, int]) -> bool:
    """Whether ``address`` is a proxy serve() started in this process, still serving."""
    return any(
        proxy.serving and address == ("127.0.0.1", proxy.port) for proxy in list(_OWN_PROXIES)
    )


def add_own_proxy(proxy: OwnProxy) -> None:
    """A proxy that answers Twilio requests from the mock: clients may CONNECT through it
    while it serves."""
    _OWN_PROXIES[:] = [known for known in _OWN_PROXIES if known.serving] + [proxy]


def remove_own_proxy(proxy: OwnProxy) -> None:
    if proxy in _OWN_PROXIES:
        _OWN_PROXIES.remove(proxy)


def add(mock: Responder) -> bool:
    """Start ``mock`` answering; True if it is the first."""
    _ACTIVE.append(mock)
    return len(_ACTIVE) == 1


def remove(mock: Responder) -> bool:
    """Stop ``mock`` answering; True if it was the last."""
    _ACTIVE.remove(mock)
    return not _ACTIVE


def started() -> list[Responder]:
    """The started mocks, oldest first."""
    return list(_ACTIVE)


def push_watch(watch: Watch) -> None:
    _WATCHES.append(watch)


def pop_watch(watch: Watch) -> None:
    if watch in _WATCHES:
        _WATCHES.remove(watch)
