"""httpx: Twilio requests reach the active mock; other hosts are untouched. Switched on
when httpx is importable (the seam goes in when httpx is first imported, if that happens
after the mock started).

The seam is httpx's transport, as in pytest-httpx: ``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request``, the default transports of ``httpx.Client``
and ``httpx.AsyncClient``. A Twilio request there is answered from the mock; any other
goes on to the original transport. A scripted fault raises ``httpx.ConnectError``,
``httpx.ReadTimeout`` or ``httpx.ConnectTimeout``.
"""

from __future__ import annotations

from http.client import responses as REASONS
from typing import Any

import requests

from ..wire.hosts import is_twilio_host
from ..wire.http import HttpRequest
from .patching import LateSeam, Patch
from .registry import NoMockActive, active, answer


def _response(request: Any, body: bytes) -> Any:
    """The mock's answer to one httpx request, or the error a fault raises."""
    import httpx

    try:
        status, headers, content = answer(
            HttpRequest.of(request.method, str(request.url), request.headers.items(), body)
        )
    except (requests.RequestException, NoMockActive) as error:
        kind = (
            httpx.ConnectTimeout
            if isinstance(error, requests.ConnectTimeout)
            else httpx.ReadTimeout
            if isinstance(error, requests.Timeout)
            else httpx.ConnectError
        )
        raise kind(str(error), request=request) from None
    return httpx.Response(
        status,
        headers=list(headers.items()),
        content=content,
        request=request,
        extensions={
            "http_version": b"HTTP/1.1",
            "reason_phrase": REASONS.get(status, "").encode("ascii"),
        },
    )


def _for_twilio(request: Any) -> bool:
    return is_twilio_host(request.url.raw_host) and active()


def _sync(original: Any) -> Any:
    def handle_request(transport: Any, request: Any) -> Any:
        if _for_twilio(request):
            return _response(request, request.read())
        return original(transport, request)

    return handle_request


def _async(original: Any) -> Any:
    async def handle_async_request(transport: Any, request: Any) -> Any:
        if _for_twilio(request):
            return _response(request, await request.aread())
        return await original(transport, request)

    return handle_async_request


def _patches() -> list[Patch]:
    import httpx

    return [
        Patch(httpx.HTTPTransport, "handle_request", _sync),
        Patch(httpx.AsyncHTTPTransport, "handle_async_request", _async),
    ]


_SEAM = LateSeam("httpx", _patches)
install, uninstall = _SEAM.install, _SEAM.uninstall
