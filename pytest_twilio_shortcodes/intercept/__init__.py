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

import functools
import importlib
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, TypeVar

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

if TYPE_CHECKING:
    import responses

__all__ = [
    "SERVED",
    "Interception",
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
    "started_during",
    "unwatch",
    "watch",
]

_SEAMS = ("requests_client", "aiohttp_client", "httpx_client")


_CLIENTS: list[Any] = []  # the seams, imported once (on the first activation)


def _clients() -> list[Any]:
    if not _CLIENTS:  # called under registry.LOCK
        _CLIENTS.extend(importlib.import_module(f".{name}", __name__) for name in _SEAMS)
        _CLIENTS.append(guard)
    return _CLIENTS


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


F = TypeVar("F", bound=Callable[..., Any])


def started_during(mock: AbstractContextManager[Any], func: F) -> F:
    """``func``, run with ``mock`` started (a mock used as a decorator)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with mock:
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Served(Protocol):
    """What the interception needs of a proxy ``serve()`` started (``serve.proxy``)."""

    port: int
    serving: bool

    def stop(self) -> None: ...


P = TypeVar("P", bound=Served)


class Interception:
    """One mock's place in the interception: started or stopped, and its ``responses``
    mock for other hosts (started on first use, or at start when passthrough is limited).
    It holds no reference to the mock (which holds it): no cycle keeps a dropped mock."""

    def __init__(self, passthrough: tuple[str, ...]) -> None:
        self.passthrough = passthrough
        self.started = False
        self._others: Optional[responses.RequestsMock] = None
        self.proxy: Optional[Served] = None  # serving the mock to other processes
        self._proxy_outlives_stop = False  # the session server's proxy

    def start(self, mock: Responder) -> None:
        if self.started:
            raise RuntimeError("this TwilioShortCodeMock is already started")
        activate(mock)
        self.started = True
        if self.passthrough != ("*",):
            self.others()  # other hosts must meet the passthrough rule from the start

    def stop(self, mock: Responder) -> None:
        if self.proxy is not None and not self._proxy_outlives_stop:
            self.proxy.stop()
            remove_own_proxy(self.proxy)
            self.proxy = None
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

    def serve(self, port: int, new_proxy: Callable[[int], P]) -> P:
        """The proxy serving the mock on ``port`` (0: any free one, or the one serving),
        made by ``new_proxy`` the first time; it stops when the mock does."""
        if not self.started:
            raise RuntimeError("start the TwilioShortCodeMock before serve()")
        if self.proxy is None:
            return self._serve_with(new_proxy(port))
        if port not in (0, self.proxy.port):
            raise ValueError(f"this mock is already served on port {self.proxy.port}")
        return self.proxy  # type: ignore[return-value]  # made by new_proxy: a P

    def serve_across_stops(self, new_proxy: Callable[[int], P]) -> P:
        """A proxy serving the mock until stopped itself (the session server's)."""
        self._proxy_outlives_stop = True
        return self._serve_with(new_proxy(0))

    def _serve_with(self, proxy: P) -> P:
        self.proxy = proxy
        add_own_proxy(proxy)  # this process's clients may CONNECT through it
        return proxy
