"""requests: Twilio URLs reach the active mock; other hosts keep their adapters.

While any mock is active, ``requests.Session.get_adapter`` hands Twilio URLs to one
``_TwilioAdapter``, which answers from the mock and builds the ``requests.Response`` as
``HTTPAdapter`` does, from a ``urllib3`` response. Twilio traffic therefore reaches the
mock whatever ``responses`` mocks a test starts, in any order, and nothing else can let it
through to the network. Other hosts keep their usual adapters.

Each mock's ``responses`` (routes for other hosts, and its passthrough rule) is a
``responses.RequestsMock`` that never patches anything itself: one seam on
``HTTPAdapter.send`` hands a request to the last one started (through its public
``unbound_on_send()``, what its own patch would install), whose passthrough hands it to
the one started before, and so on down to whatever ``send`` was before. Mocks can stop
in any order: each leaves the chain, and the last one out restores ``send``.
"""

from __future__ import annotations

from http.client import responses as REASONS
from io import BytesIO
from typing import Any, cast

import requests
import responses
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import HTTPResponse

from ..wire.hosts import TWILIO_URL
from ..wire.http import HttpRequest, passthrough_pattern
from .patching import Patch
from .registry import NoMockActive, active, answer


class _TwilioAdapter(HTTPAdapter):
    """The adapter for Twilio URLs while a mock is active: it answers from the mock."""

    def send(self, request: Any, stream: bool = False, *args: Any, **kwargs: Any) -> Any:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        elif body is not None and not isinstance(body, (bytes, str)):
            body = b"".join(part.encode() if isinstance(part, str) else part for part in body)
        sent = request.headers  # a plain dict too, if the caller set one
        pairs = sent.lower_items() if isinstance(sent, CaseInsensitiveDict) else sent.items()
        try:
            status, headers, content = answer(
                HttpRequest.of(request.method, request.url, pairs, body)
            )
        except NoMockActive as error:
            raise requests.ConnectionError(str(error), request=request) from None
        raw = HTTPResponse(
            body=BytesIO(content),
            headers=headers,
            status=status,
            reason=REASONS.get(status),
            preload_content=False,
            decode_content=False,
            request_method=request.method,
        )
        response = self.build_response(request, raw)
        if not stream:  # the body read now, as HTTPAdapter does, in one read, not chunks
            response._content = raw.read()
            response._content_consumed = True
            raw.close()
        return response


_ADAPTER = _TwilioAdapter()


def _get_adapter(original: Any) -> Any:
    def get_adapter(session: requests.Session, url: str) -> Any:
        if TWILIO_URL.match(url) and active():
            return _ADAPTER
        return original(session, url)

    return get_adapter


_GET_ADAPTER = Patch(requests.Session, "get_adapter", _get_adapter)


def install() -> None:
    _GET_ADAPTER.start()


def uninstall() -> None:
    _GET_ADAPTER.stop()


# -- other hosts: each mock's ``responses``, chained --------------------------------------

_CHAIN: list[_OthersMock] = []  # the started ones, in start order


class _OthersMock(responses.RequestsMock):
    """A mock's ``responses``: started and stopped by joining and leaving the chain."""

    def start(self) -> None:
        if self not in _CHAIN:
            self.send_here = self.unbound_on_send()  # responses' own send, unpatched
            _CHAIN.append(self)
            _SEND.start()

    def stop(self, allow_assert: bool = True) -> None:
        if self in _CHAIN:
            _CHAIN.remove(self)
            if not _CHAIN:
                _SEND.stop()
        super().stop(allow_assert)


def _through(above: Any, adapter: Any, request: Any, **kwargs: Any) -> Any:
    """Send ``request`` to the chain's mocks started before ``above`` (None: all of them),
    the last started first, then to what ``HTTPAdapter.send`` was before."""
    chain = _CHAIN[:]
    if above is not None:
        chain = chain[: chain.index(above)] if above in chain else []
    if chain:
        return chain[-1].send_here(adapter, request, **kwargs)
    return _SEND.original(adapter, request, **kwargs)


def _send(adapter: Any, request: Any, **kwargs: Any) -> Any:
    return _through(None, adapter, request, **kwargs)


_SEND = Patch(HTTPAdapter, "send", lambda original: _send)


def others_mock(passthrough: tuple[str, ...]) -> responses.RequestsMock:
    """A started ``responses`` mock for other hosts: routes the user adds, then whatever
    answered before (the network, or a mock started earlier), for the allowed hosts."""

    def send_below(adapter: Any, request: Any, **kwargs: Any) -> Any:
        return _through(others, adapter, request, **kwargs)

    others = _OthersMock(
        assert_all_requests_are_fired=False, real_adapter_send=cast(Any, send_below)
    )
    others.add_passthru(passthrough_pattern(passthrough))
    others.start()
    return others
