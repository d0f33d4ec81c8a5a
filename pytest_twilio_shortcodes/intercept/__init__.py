"""Interception: how Twilio requests reach the active mock, and never the network.

One module per client (``requests_client``, ``aiohttp_client``, ``httpx_client``), each
with ``install()`` (called when the first mock starts) and ``uninstall()`` (when the last
one stops); every client hands its request to ``answer`` as a client-neutral
``HttpRequest``. The last mock started answers. ``guard`` refuses, while any mock is
active, every other way to a Twilio host (``refuse``).
"""

from __future__ import annotations

import threading
from typing import Optional

import responses

from . import aiohttp_client, guard, httpx_client, requests_client
from .registry import SERVED, Responder, active, answer, pop, push, refuse, started
from .requests_client import others_mock

__all__ = [
    "SERVED",
    "Interception",
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


class Interception:
    """One mock's place in the interception: started or stopped, and its ``responses``
    mock for other hosts (started on first use, or at start when passthrough is limited).
    It holds no reference to the mock (which holds it): no cycle keeps a dropped mock."""

    def __init__(self, passthrough: tuple[str, ...]) -> None:
        self.passthrough = passthrough
        self.started = False
        self._others: Optional[responses.RequestsMock] = None

    def start(self, mock: Responder) -> None:
        if self.started:
            raise RuntimeError("this TwilioShortCodeMock is already started")
        activate(mock)
        self.started = True
        if self.passthrough != ("*",):
            self.others()  # other hosts must meet the passthrough rule from the start

    def stop(self, mock: Responder) -> None:
        if self._others is not None:
            self._others.stop()
            self._others.reset()
            self._others = None
        deactivate(mock)
        self.started = False

    def others(self) -> responses.RequestsMock:
        """Other hosts: the user's routes here, then whatever answered before (the
        network, or a ``responses`` mock started earlier), for the hosts allowed through."""
        if self._others is None:
            self._others = others_mock(self.passthrough)
        return self._others
