"""What parsing one SDK request costs in the aiohttp seam: its own narrow parser (what the
in-memory connection uses) against h11 and aiohttp's own C parser, on the same bytes the
SDK's async client writes for a send. Prints microseconds per request and the ratios.

    python benchmarks/parsers.py

docs/performance.md says why the seam keeps its own parser (issue 20: keep it only if h11
or aiohttp's parser would break the async target)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

import h11
from aiohttp.base_protocol import BaseProtocol
from aiohttp.http_parser import HttpRequestParser

from pytest_twilio_shortcodes.intercept.aiohttp_client import _Wire

REQUEST = (
    b"POST /2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json HTTP/1.1\r\n"
    b"Host: api.twilio.com\r\nUser-Agent: twilio-python/9.6.3 (Linux x86_64) Python/3.11\r\n"
    b"Accept-Charset: utf-8\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Accept: application/json\r\n"
    b"Authorization: Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjpzZWNyZXQ=\r\n"
    b"Accept-Encoding: gzip, deflate\r\nContent-Length: 45\r\n\r\n"
    b"To=%2B15558675310&From=12345&Body=Hello+there"
)
ROUNDS, CALLS = 7, 5_000


class _Buffer(_Wire):  # the seam's parser alone, without a protocol or a loop
    def __init__(self) -> None:
        self._buffer, self._scheme = bytearray(), "https"


def own() -> Any:
    wire = _Buffer()
    wire._buffer += REQUEST
    return wire._take_request()


def with_h11() -> Any:
    connection = h11.Connection(h11.SERVER)
    connection.receive_data(REQUEST)
    head = connection.next_event()
    body = b""
    while isinstance(event := connection.next_event(), h11.Data):
        body += event.data
    return head, body


LOOP = asyncio.new_event_loop()


def with_aiohttp() -> Any:  # the head only: aiohttp hands the body to an async stream
    return HttpRequestParser(BaseProtocol(LOOP), LOOP, 2**16).feed_data(REQUEST)


def median_us(parse: Callable[[], Any]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(CALLS):
            parse()
        times.append((time.perf_counter() - start) / CALLS * 1e6)
    return sorted(times)[ROUNDS // 2]


if __name__ == "__main__":
    parsers = {"own narrow parser": own, "h11": with_h11, "aiohttp (C)": with_aiohttp}
    for parse in parsers.values():
        parse()  # warm up
    costs = {name: median_us(parse) for name, parse in parsers.items()}
    mine = costs["own narrow parser"]
    for name, cost in costs.items():
        print(f"{name:>18}: {cost:6.1f} us a request ({cost / mine:.2f}x the seam's own)")
