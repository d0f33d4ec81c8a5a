"""Interception: how Twilio requests reach the active mock, and never the network.

One module per client (``requests_client``, ``aiohttp_client``, ``httpx_client``), each
with ``install()`` (called when the first mock starts) and ``uninstall()`` (when the last
one stops); every client hands its request to ``answer`` as a client-neutral
``HttpRequest``. The last mock started answers. ``guard`` refuses, while any mock is
active, every other way to a Twilio host (``refuse``).
"""

from __future__ import annotations

import threading
from typing import Protocol

from ..wire import HttpAnswer, HttpRequest
from . import aiohttp_client, guard, httpx_client, requests_client
from .requests_client import others_mock

__all__ = [
    "SERVED",
    "activate",
    "active",
    "answer",
    "deactivate",
    "others_mock",
    "refuse",
    "started",
]

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


_CLIENTS = (requests_client, aiohttp_client, httpx_client, guard)
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


def activate(mock: Responder) -> None:
    """Make ``mock`` the one that answers Twilio requests (the last activated wins)."""
    with _ACTIVE_LOCK:
        _ACTIVE.append(mock)
        if len(_ACTIVE) == 1:
            for client in _CLIENTS:
                client.install()


def started() -> list[Responder]:
    """The started mocks, oldest first."""
    return list(_ACTIVE)


def deactivate(mock: Responder) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.remove(mock)
        if not _ACTIVE:
            for client in _CLIENTS:
                client.uninstall()
