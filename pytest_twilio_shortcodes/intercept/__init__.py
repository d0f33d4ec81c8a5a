"""Interception: how Twilio requests reach the active mock, and never the network.

One module per client (``requests_client``, ``aiohttp_client``, ``httpx_client``), each
with ``install()`` (called when the first mock starts) and ``uninstall()`` (when the last
one stops); every client hands its request to ``registry.answer`` as a client-neutral
``HttpRequest``. The last mock started answers. ``guard`` refuses every other way to a
Twilio host, directly or through an HTTP proxy: while any mock is active, and, in a pytest
session, while none is (``watch``).

Importing this package is cheap (the pytest plugin does it at start-up): the clients'
seams load when the first mock starts.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import guard, registry
from .registry import (
    SERVED,
    NoMockActive,
    Responder,
    TwilioHostRefused,
    Watch,
    active,
    add_own_proxy,
    answer,
    remove_own_proxy,
    started,
)

__all__ = [
    "SERVED",
    "NoMockActive",
    "TwilioHostRefused",
    "activate",
    "active",
    "add_own_proxy",
    "answer",
    "deactivate",
    "others_mock",
    "remove_own_proxy",
    "started",
    "unwatch",
    "watch",
]

_SEAMS = ("requests_client", "aiohttp_client", "httpx_client")


def _clients() -> list[Any]:
    return [importlib.import_module(f".{name}", __name__) for name in _SEAMS] + [guard]


def activate(mock: Responder) -> None:
    """Make ``mock`` the one that answers Twilio requests (the last activated wins)."""
    with registry.LOCK:
        if registry.add(mock):
            for client in _clients():
                client.install()


def deactivate(mock: Responder) -> None:
    with registry.LOCK:
        if registry.remove(mock):
            for client in _clients():
                client.uninstall()


def others_mock(passthrough: tuple[str, ...]) -> Any:
    """A started ``responses`` mock for other hosts (see ``requests_client.others_mock``)."""
    from .requests_client import others_mock

    return others_mock(passthrough)


_LAYERS: dict[int, guard.Layer] = {}  # id(watch) -> its layer


def watch(keeper: Watch) -> None:
    """Keep Twilio out of reach while no mock is active, until ``unwatch(keeper)``:
    ``keeper`` records each refused attempt, or lets it out (see ``registry.Watch``)."""
    with registry.LOCK:
        registry.push_watch(keeper)
        layer = _LAYERS[id(keeper)] = guard.Layer()
        layer.start()


def unwatch(keeper: Watch) -> None:
    with registry.LOCK:
        layer = _LAYERS.pop(id(keeper), None)
        if layer is not None:
            layer.stop()
        registry.pop_watch(keeper)
