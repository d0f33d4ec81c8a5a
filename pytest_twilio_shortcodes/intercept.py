"""Interception: how Twilio requests reach the active mock, and other hosts do not.

While any mock is active, ``requests.Session.get_adapter`` hands Twilio URLs to one
``_TwilioAdapter``, whose ``send`` is patched by the process's one
``responses.RequestsMock`` (the engine). Twilio traffic therefore reaches the mock
whatever other ``responses`` mocks a test starts, in any order, and nothing else can let
it through to the network. Other hosts keep their usual adapters.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Optional, Protocol

import requests
import responses
import responses.registries
from requests.adapters import HTTPAdapter

from .routing import TWILIO_URL


class Responder(Protocol):
    def respond(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]: ...


class _TwilioAdapter(HTTPAdapter):
    """The adapter for Twilio URLs while a mock is active; ``_engine`` patches its ``send``."""

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise requests.ConnectionError("pytest-twilio-shortcodes: no mock is active")


class _SessionAdapterPatch:
    """While any mock is active, ``Session.get_adapter`` hands Twilio URLs to one
    ``_TwilioAdapter`` and every other URL to the adapter it had before."""

    def __init__(self) -> None:
        self.original: Any = None
        self.adapter: Optional[_TwilioAdapter] = None

    def start(self) -> None:
        original = self.original = requests.Session.get_adapter
        adapter = self.adapter = self.adapter or _TwilioAdapter()

        def get_adapter(session: requests.Session, url: str) -> Any:
            if TWILIO_URL.match(url):
                return adapter
            return original(session, url)

        requests.Session.get_adapter = get_adapter  # type: ignore[method-assign]

    def stop(self) -> None:
        requests.Session.get_adapter = self.original  # type: ignore[method-assign]


_ACTIVE: list[Responder] = []  # the started mocks; the last one answers
_ACTIVE_LOCK = threading.Lock()
_ADAPTER_PATCH = _SessionAdapterPatch()
_ENGINE: list[responses.RequestsMock] = []


class _EveryRequest(responses.registries.FirstMatchRegistry):
    """The engine's registry: its one callback answers every request it sees (only
    Twilio URLs reach ``_TwilioAdapter``), whatever the method; the route table decides."""

    def find(self, request: Any) -> tuple[Any, list[str]]:
        return self.registered[0], []


def _engine() -> responses.RequestsMock:
    """The process's one ``responses`` mock for Twilio traffic. It patches only
    ``_TwilioAdapter.send``, which nothing reaches unless a mock is active, so it is
    started once and left running; it answers through the active mock."""
    if not _ENGINE:
        with _ACTIVE_LOCK:
            if not _ENGINE:
                engine = responses.RequestsMock(
                    assert_all_requests_are_fired=False,
                    target=f"{__name__}._TwilioAdapter.send",
                    registry=_EveryRequest,
                )
                engine.add_callback("GET", TWILIO_URL, callback=_answer, content_type=None)
                engine.start()
                _ENGINE.append(engine)
    return _ENGINE[0]


def _answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    # The mock keeps its own record of calls. responses records each one twice, on the
    # mock and on the matched response: drop both, or they would hold every request
    # and response of the process.
    engine = _ENGINE[0]
    engine.calls.reset()
    engine.registered()[0].calls.reset()
    if not _ACTIVE:
        raise requests.ConnectionError("pytest-twilio-shortcodes: no mock is active")
    return _ACTIVE[-1].respond(request)


def activate(mock: Responder) -> None:
    """Make ``mock`` the one that answers Twilio requests (the last activated wins)."""
    _engine()
    with _ACTIVE_LOCK:
        if not _ACTIVE:
            _ADAPTER_PATCH.start()
        _ACTIVE.append(mock)


def deactivate(mock: Responder) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.remove(mock)
        if not _ACTIVE:
            _ADAPTER_PATCH.stop()


def others_mock(passthrough: tuple[str, ...]) -> responses.RequestsMock:
    """A started ``responses`` mock for other hosts: routes the user adds, then whatever
    answered before (the network, or a mock started earlier), for the allowed hosts."""
    others = responses.RequestsMock(
        assert_all_requests_are_fired=False, real_adapter_send=HTTPAdapter.send
    )
    others.add_passthru(_passthrough_pattern(passthrough))
    others.start()
    return others


def _passthrough_pattern(hosts: tuple[str, ...]) -> re.Pattern[str]:
    """Non-Twilio URLs whose host matches one of ``hosts`` (``*`` and ``?`` globs)."""
    globs = "|".join(
        re.escape(host).replace(r"\*", "[^/?#@:]*").replace(r"\?", "[^/?#@:]") for host in hosts
    )
    never = TWILIO_URL.pattern[1:]
    return re.compile(
        rf"^(?!{never})https?://(?:[^/?#@]*@)?(?:{globs or '(?!)'})\.?(?::\d+)?(?:[/?#]|$)",
        re.IGNORECASE,
    )
