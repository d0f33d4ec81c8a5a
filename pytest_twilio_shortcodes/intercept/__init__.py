"""Interception: how Twilio requests reach the active mock, and never the network.

One module per client, each with ``install()`` (called when the first mock starts) and
``uninstall()`` (when the last one stops); every client hands its request to ``answer``
as a client-neutral ``HttpRequest``. The last mock started answers.
"""

from __future__ import annotations

import threading
from typing import Protocol

from ..wire import HttpAnswer, HttpRequest
from . import requests_client
from .requests_client import others_mock

__all__ = ["activate", "active", "answer", "deactivate", "others_mock"]


class Responder(Protocol):
    def respond(self, request: HttpRequest) -> HttpAnswer: ...


class NoMockActive(Exception):
    """Raised by a client's seam when a Twilio request arrives after every mock stopped."""


_CLIENTS = (requests_client,)
_ACTIVE: list[Responder] = []  # the started mocks; the last one answers
_ACTIVE_LOCK = threading.Lock()


def answer(request: HttpRequest) -> HttpAnswer:
    """The active mock's answer to one Twilio request."""
    try:
        mock = _ACTIVE[-1]
    except IndexError:
        raise NoMockActive("pytest-twilio-shortcodes: no mock is active") from None
    return mock.respond(request)


def activate(mock: Responder) -> None:
    """Make ``mock`` the one that answers Twilio requests (the last activated wins)."""
    with _ACTIVE_LOCK:
        if not _ACTIVE:
            for client in _CLIENTS:
                client.install()
        _ACTIVE.append(mock)


def active() -> list[Responder]:
    """The started mocks, oldest first."""
    return list(_ACTIVE)


def deactivate(mock: Responder) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.remove(mock)
        if not _ACTIVE:
            for client in _CLIENTS:
                client.uninstall()
