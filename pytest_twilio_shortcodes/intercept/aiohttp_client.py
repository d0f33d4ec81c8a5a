"""aiohttp: Twilio requests reach the active mock over a connection that never leaves the
process; other hosts keep their connections. Switched on when aiohttp is importable (the
seam goes in when aiohttp is first imported, if that happens after the mock started).

The seam is ``TCPConnector._create_connection``: for a Twilio host it hands aiohttp its
own ``ResponseHandler`` wired to an in-memory transport (``_Wire``) instead of resolving
the name and opening a socket. Everything above it stays aiohttp's: the request is built
and written as aiohttp writes it (headers, Basic auth from ``auth=`` or the URL's
userinfo, form or JSON body, any resolver, a proxy), and the answer is parsed, pooled,
redirected and handed to middlewares and ``aiohttp_retry`` as a server's would be. So
``twilio.http.async_http_client.AsyncTwilioHttpClient`` and an application's own
``ClientSession`` are served alike.

A scripted timeout raises ``aiohttp.SocketTimeoutError`` (an ``asyncio.TimeoutError``;
``ConnectionTimeoutError`` for ``requests.ConnectTimeout``), a connection fault
``aiohttp.ClientConnectionError``, as aiohttp raises them.
"""

from __future__ import annotations

import asyncio
from http.client import responses as REASONS
from typing import Any, Optional

import requests

from ..wire.hosts import is_twilio_host
from ..wire.http import HttpRequest
from .patching import LateSeam, Patch
from .registry import NoMockActive, active, answer


class _Wire(asyncio.Transport):
    """One in-memory connection to a Twilio host: it reads the requests aiohttp writes and
    feeds the mock's answers back to the protocol, as a server would."""

    def __init__(self, protocol: Any, loop: asyncio.AbstractEventLoop, scheme: str) -> None:
        super().__init__()
        self._protocol, self._loop, self._scheme = protocol, loop, scheme
        self._buffer = bytearray()
        self._closing = False

    def write(self, data: Any) -> None:
        if self._closing:
            return
        self._buffer += data
        while True:
            request = self._take_request()
            if request is None:
                return
            self._loop.call_soon(self._answer, request)

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(list_of_data))

    def is_closing(self) -> bool:
        # Once every mock has stopped, a pooled connection is closed: aiohttp opens a new
        # one, through the connector as it was before.
        return self._closing or not active()

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._loop.call_soon(self._protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def is_reading(self) -> bool:
        return not self._closing

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def set_write_buffer_limits(
        self, high: Optional[int] = None, low: Optional[int] = None
    ) -> None:
        pass

    def can_write_eof(self) -> bool:
        return False

    def _take_request(self) -> Optional[HttpRequest]:
        """The first complete request in the buffer, if there is one (then removed)."""
        buffer = self._buffer
        head_end = buffer.find(b"\r\n\r\n")
        if head_end < 0:
            return None
        request_line, *lines = bytes(buffer[:head_end]).decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        start = head_end + 4
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body, end = _dechunk(buffer, start)
            if body is None:
                return None
        else:
            end = start + int(headers.get("content-length") or 0)
            if len(buffer) < end:
                return None
            body = bytes(buffer[start:end])
        del buffer[:end]
        url = target if "://" in target else f"{self._scheme}://{headers.get('host', '')}{target}"
        return HttpRequest(method.upper(), url, headers, body)

    def _answer(self, request: HttpRequest) -> None:
        if self._closing:
            return
        try:
            status, headers, body = answer(request)
        except (requests.RequestException, NoMockActive) as error:
            self._protocol.set_exception(_as_aiohttp(error))
            return
        except Exception as error:  # a response that broke its schema: raised in the caller
            self._protocol.set_exception(error)
            return
        head = [f"HTTP/1.1 {status} {REASONS.get(status, '')}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        if "Content-Length" not in headers:  # a HEAD answer carries the GET's
            head.append(f"Content-Length: {len(body)}")
        head += ["", ""]
        self._protocol.data_received("\r\n".join(head).encode("latin-1") + body)


def _dechunk(buffer: bytearray, at: int) -> tuple[Optional[bytes], int]:
    """A chunked body starting at ``at``: (body, end), or (None, 0) while incomplete."""
    body = bytearray()
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None, 0
        size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
        at = line_end + 2
        if size == 0:
            end = buffer.find(b"\r\n", at)  # aiohttp sends no trailers: the blank line
            return (bytes(body), end + 2) if end >= 0 else (None, 0)
        if len(buffer) < at + size + 2:
            return None, 0
        body += buffer[at : at + size]
        at += size + 2


def _as_aiohttp(error: Exception) -> Exception:
    """A scripted fault (or no mock) as aiohttp would raise it."""
    import aiohttp

    timeout = getattr(aiohttp, "SocketTimeoutError", aiohttp.ServerTimeoutError)
    if isinstance(error, requests.ConnectTimeout):
        return getattr(aiohttp, "ConnectionTimeoutError", aiohttp.ServerTimeoutError)(str(error))
    if isinstance(error, requests.Timeout):
        return timeout(str(error))
    return aiohttp.ClientConnectionError(str(error))


def _create_connection(original: Any) -> Any:
    async def create_connection(connector: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        if active() and is_twilio_host(req.url.raw_host):
            from aiohttp.client_proto import ResponseHandler

            loop = asyncio.get_running_loop()
            protocol = ResponseHandler(loop)
            protocol.connection_made(_Wire(protocol, loop, req.url.scheme))
            return protocol
        return await original(connector, req, *args, **kwargs)

    return create_connection


def _patches() -> list[Patch]:
    from aiohttp.connector import TCPConnector

    return [Patch(TCPConnector, "_create_connection", _create_connection)]


_SEAM = LateSeam("aiohttp", _patches)
install, uninstall = _SEAM.install, _SEAM.uninstall
