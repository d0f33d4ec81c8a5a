"""Interception: how Twilio requests reach the active mock, and never the network.

One module per client (``requests_client``, ``aiohttp_client``, ``httpx_client``), each
with ``install()`` (called when the first mock starts) and ``uninstall()`` (when the last
one stops); every client hands its request to ``answer`` as a client-neutral
``HttpRequest``. The last mock started answers. ``guard`` refuses, while any mock is
active, every other way to a Twilio host (``refuse``).
"""

from __future__ import annotations

import threading

from . import aiohttp_client, guard, httpx_client, requests_client
from .registry import SERVED, Responder, active, answer, pop, push, refuse, started
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

_CLIENTS = (requests_client, aiohttp_client, httpx_client, guard)
_INSTALL_LOCK = threading.Lock()


def activate(mock: Responder) -> None:
    """Make ``mock`` the one that answers Twilio requests (the last activated wins); the
    first one puts every client's seam in."""
    with _INSTALL_LOCK:
        if push(mock):
            for client in _CLIENTS:
                client.install()


def deactivate(mock: Responder) -> None:
    with _INSTALL_LOCK:
        if pop(mock):
            for client in _CLIENTS:
                client.uninstall()
