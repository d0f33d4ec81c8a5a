"""The registry of active mocks, which every client seam imports: whether one is active,
its answer to a Twilio request, and the refusals it records."""

from __future__ import annotations

import threading
from typing import Protocol

from ..wire.http import HttpAnswer, HttpRequest

# The clients whose Twilio requests the mock answers (in messages that refuse the others).
SERVED = (
    "requests (the twilio SDK's default client), aiohttp (the SDK's AsyncTwilioHttpClient) "
    "and httpx"
)


class Responder(Protocol):
    refused: list[str]

    def respond(self, request: HttpRequest) -> HttpAnswer: ...


class NoMockActive(Exception):
    """Raised by a client's seam when a Twilio request arrives after every mock stopped."""


class TwilioHostRefused(ConnectionRefusedError):
    """A connection to a Twilio host from a client the mock does not serve."""


_ACTIVE: list[Responder] = []  # the started mocks; the last one answers
_ACTIVE_LOCK = threading.Lock()


def active() -> bool:
    """Whether any mock is active (seams pass straight through when none is)."""
    return bool(_ACTIVE)


def answer(request: HttpRequest) -> HttpAnswer:
    """The active mock's answer to one Twilio request."""
    try:
        mock = _ACTIVE[-1]
    except IndexError:
        raise NoMockActive("pytest-twilio-shortcodes: no mock is active") from None
    return mock.respond(request)


def refuse(host: str, how: str) -> TwilioHostRefused:
    """Record, on the active mock, an attempt to reach ``host`` some other way (``how``),
    and return the error to raise."""
    attempt = f"{host} ({how})"
    if _ACTIVE:
        _ACTIVE[-1].refused.append(attempt)
    return TwilioHostRefused(
        f"pytest-twilio-shortcodes: refused a connection to {attempt}: the mock serves Twilio "
        f"requests made with {SERVED}, not this client"
    )


def started() -> list[Responder]:
    """The started mocks, oldest first."""
    return list(_ACTIVE)


def push(mock: Responder) -> bool:
    """Make ``mock`` the one that answers (the last pushed wins); True if it is the first."""
    with _ACTIVE_LOCK:
        _ACTIVE.append(mock)
        return len(_ACTIVE) == 1


def pop(mock: Responder) -> bool:
    """``mock`` answers no more; True if no mock is left."""
    with _ACTIVE_LOCK:
        _ACTIVE.remove(mock)
        return not _ACTIVE
