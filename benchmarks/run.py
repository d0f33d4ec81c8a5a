"""Measure the mock against the floor: a bare ``responses`` stub answering a fixed body.

Prints a table of ratios, each measured in this one run with the two sides interleaved
(median of several rounds). Exits non-zero only on errors, never on a missed target.

    python benchmarks/run.py            # everything (about four minutes)
    python benchmarks/run.py --quick    # fewer rounds (under a minute)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import warnings
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from socketserver import ThreadingTCPServer
from typing import Callable, Iterable, Iterator, Optional

import provisioning_rows
import requests
import responses
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock, intercept
from pytest_twilio_shortcodes.intercept import aiohttp_client
from pytest_twilio_shortcodes.intercept.patching import Patch

ROWS: list[tuple[str, str, Optional[float], str]] = []


def report(name: str, detail: str, ratio: Optional[float], target: str) -> None:
    """One row; ``ratio`` None for a row that is a figure of its own (a seeding time)."""
    ROWS.append((name, detail, ratio, target))
    shown = detail if ratio is None else f"{ratio:.3f} ({detail})"
    print(f"  {name}: {shown} target {target}", flush=True)


# pytest as users run it: with bytecode caching, which this sandbox turns off
# (PYTHONDONTWRITEBYTECODE=1 would make every run re-parse and re-rewrite every plugin
# and test module from source, on both sides).
SUBPROCESS_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class Timings(dict):  # type: ignore[type-arg]
    """Two sides' seconds in the median round: the round whose ratio (first side over
    second) is the median of every round's. The two halves of a round run back to back, so
    a slow spell of a shared machine weighs on both alike, and the times shown divide to
    the ratio shown."""

    def __init__(self, times: dict[str, list[float]]) -> None:
        side, floor = times
        ratios = [a / b for a, b in zip(times[side], times[floor], strict=True)]
        middle = sorted(range(len(ratios)), key=ratios.__getitem__)[(len(ratios) - 1) // 2]
        super().__init__({name: values[middle] for name, values in times.items()})
        self.ratio = ratios[middle]


def turns(sides: Iterable[str], rounds: int) -> Iterator[str]:
    """Each side once a round, in alternating order from one round to the next."""
    order = list(sides)
    for _ in range(rounds):
        yield from order
        order.reverse()


def interleaved(
    sides: dict[str, Callable[[], float]], rounds: int, warm_up: bool = False
) -> Timings:
    """The sides taking turns round after round (after one untimed run each, with
    ``warm_up``): the first side over the second, in the median round."""
    return Timings(interleaved_rounds(sides, rounds, warm_up))


def interleaved_rounds(
    sides: dict[str, Callable[[], float]], rounds: int, warm_up: bool = False
) -> dict[str, list[float]]:
    """Every round's seconds, each side (any number of sides), taking turns as in
    ``interleaved``."""
    if warm_up:
        for run in sides.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for name in turns(sides, rounds):
        times[name].append(sides[name]())
    return times


# -- 1. per request ---------------------------------------------------------------------


def per_request(rounds: int, calls: int) -> None:
    mock = TwilioShortCodeMock()
    numbers = [str(20000 + i) for i in range(50)]
    service = mock.add_messaging_service("bench", short_codes=numbers)
    sid = mock.short_code(numbers[0]).sid
    client = Client(mock.account_sid, mock.auth_token)
    account = client.api.v2010.accounts(mock.account_sid)
    auth = (mock.account_sid, mock.auth_token)
    xml_url = f"https://api.twilio.com/2008-08-01/Accounts/{mock.account_sid}/SMS/ShortCodes/{sid}"
    messaging = client.messaging.v1.services(service).short_codes
    spare = mock.add_short_codes(str(300000 + i) for i in range(2 * rounds * calls + 10))

    # Capture the mock's answers, so that each bare stub returns exactly the same body.
    with mock:
        fetch_url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes/{sid}"
        list_url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
        v2010_url = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/SMS/ShortCodes/{sid}.json"
        bodies = {
            "fetch": requests.get(fetch_url, auth=auth).text,
            "list": requests.get(list_url, params={"PageSize": 50}, auth=auth).text,
            "2010 fetch": requests.get(v2010_url, auth=auth).text,
            "2008 XML fetch": requests.get(xml_url, auth=auth).text,
        }
        created = requests.post(list_url, data={"ShortCodeSid": spare[-1]}, auth=auth)
        bodies["create"] = created.text
        messages_url = (
            f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json"
        )
        sms = {"To": "+15558675310", "From": numbers[0], "Body": "Your code is 123456"}
        bodies["send a message"] = requests.post(messages_url, data=sms, auth=auth).text
    pool = iter(spare)
    operations: dict[str, tuple[Callable[[], object], str, str, int]] = {
        "fetch": (lambda: messaging(sid).fetch(), "GET", fetch_url, 200),
        "create": (lambda: messaging.create(short_code_sid=next(pool)), "POST", list_url, 201),
        "list": (lambda: messaging.page(page_size=50), "GET", list_url, 200),
        "2010 fetch": (lambda: account.short_codes(sid).fetch(), "GET", v2010_url, 200),
        "2008 XML fetch": (lambda: requests.get(xml_url, auth=auth), "GET", xml_url, 200),
        "send a message": (
            lambda: client.messages.create(to=sms["To"], from_=sms["From"], body=sms["Body"]),
            "POST",
            messages_url,
            201,
        ),
    }
    for name, (operation, method, url, status) in operations.items():
        content_type = "application/xml" if "XML" in name else "application/json"

        def with_mock(operation: Callable[[], object] = operation) -> float:
            with mock:
                start = time.perf_counter()
                for _ in range(calls):
                    operation()
                return time.perf_counter() - start

        def with_stub(
            operation: Callable[[], object] = operation,
            method: str = method,
            url: str = url,
            body: str = bodies[name],
            status: int = status,
            content_type: str = content_type,
        ) -> float:
            with responses.RequestsMock() as stub:
                stub.add(method, url, body=body, status=status, content_type=content_type)
                start = time.perf_counter()
                for _ in range(calls):
                    operation()
                return time.perf_counter() - start

        result = interleaved({"mock": with_mock, "stub": with_stub}, rounds)
        per_call = result["mock"] / calls * 1e6
        report(
            f"per request: {name}",
            f"{per_call:.0f} us vs {result['stub'] / calls * 1e6:.0f} us a call",
            result.ratio,
            "<= 1.10" if name in ("fetch", "send a message") else "(reported)",
        )


# -- 1b. per request, async: the SDK's aiohttp client ------------------------------------


class _StubWire(aiohttp_client._Wire):
    """The bare aiohttp stub: the same in-memory connection, answering one route's fixed
    bytes; no state, no routing, no authentication, no validation."""

    raw = b""

    def is_closing(self) -> bool:
        return self._closing

    def _answer(self, request: object) -> None:
        self._protocol.data_received(self.raw)


def _stub_connection(original: object) -> object:
    async def create_connection(connector: object, req: object, *args: object) -> object:
        from aiohttp.client_proto import ResponseHandler

        loop = asyncio.get_running_loop()
        protocol = ResponseHandler(loop)
        protocol.connection_made(_StubWire(protocol, loop, "https"))
        return protocol

    return create_connection


def per_request_async(rounds: int, calls: int) -> None:
    from aiohttp.connector import TCPConnector
    from twilio.http.async_http_client import AsyncTwilioHttpClient

    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's auth=BasicAuth
    mock = TwilioShortCodeMock()
    service = mock.add_messaging_service("bench", short_codes=["12345"])
    sid = mock.short_code("12345").sid
    url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes/{sid}"
    with mock:
        body = requests.get(url, auth=(mock.account_sid, mock.auth_token)).content
    _StubWire.raw = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body
    )
    stub = Patch(TCPConnector, "_create_connection", _stub_connection)

    async def measure() -> Timings:
        http_client = AsyncTwilioHttpClient()
        client = Client(mock.account_sid, mock.auth_token, http_client=http_client)
        short_code = client.messaging.v1.services(service).short_codes(sid)

        async def run() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                await short_code.fetch_async()
            return time.perf_counter() - start

        async def with_stub() -> float:
            stub.start()
            try:
                return await run()
            finally:
                stub.stop()

        async def with_mock() -> float:
            with mock:
                return await run()

        sides = {"mock": with_mock, "stub": with_stub}
        times: dict[str, list[float]] = {"mock": [], "stub": []}
        for name in turns(sides, rounds):  # as interleaved() does
            times[name].append(await sides[name]())
        await http_client.close()
        return Timings(times)

    result = asyncio.run(measure())
    report(
        "per request, async SDK: `fetch_async()` over a bare aiohttp stub",
        f"{result['mock'] / calls * 1e6:.0f} us vs {result['stub'] / calls * 1e6:.0f} us a call",
        result.ratio,
        "<= 1.10",
    )


# -- 1c. the guard on other hosts' traffic ----------------------------------------------


# The loopback server runs in a child process: in this one its threads would share the
# GIL and the CPU caches with the client being timed, which left the session rows' ratios
# moving by 2-4% between runs whatever the guard cost.
LOOPBACK_SERVER = """
import http.server
import sys
import threading


class Local(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Local)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()  # until the parent's end closes, however the parent ends (kill -9 too)
"""


class _Session:
    """A pytest session's watch, as the plugin's session guard keeps it: nothing let out."""

    def lets_out(self) -> bool:
        return False

    def refused(self, attempt: str) -> str:
        return attempt


def guard_cost(rounds: int, calls: int) -> None:
    """Traffic to other hosts with the guard on over none: while a mock is active (its
    layer), and as a pytest session keeps it while no mock is (the session's layer)."""
    server = subprocess.Popen(
        [sys.executable, "-c", LOOPBACK_SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = f"http://localhost:{int(server.stdout.readline())}/"
        mock, session = TwilioShortCodeMock(), _Session()
        operations = {
            "urllib GET to a loopback server": lambda: urllib.request.urlopen(url).read(),
            "requests GET to a loopback server": lambda: requests.get(url).content,
        }
        # The session's rows time the calling thread's CPU (the guard runs there; the server's
        # threads and a busy machine's waits are left out): a stricter ratio than wall time.
        guards = {
            "mock active": (mock.start, mock.stop, time.perf_counter, "", "(reported)"),
            "session guard, no mock": (
                lambda: intercept.watch(session),
                lambda: intercept.unwatch(session),
                time.thread_time,
                ", client CPU",
                "<= 1.02",
            ),
        }
        for guard, (on, off, clock, measured, target) in guards.items():
            for name, operation in operations.items():

                def run(
                    active: bool,
                    operation: Callable[[], object] = operation,
                    on: Callable[[], object] = on,
                    off: Callable[[], object] = off,
                    clock: Callable[[], float] = clock,
                ) -> float:
                    if active:
                        on()
                    try:
                        start = clock()
                        for _ in range(calls):
                            operation()
                        return clock() - start
                    finally:
                        if active:
                            off()

                result = interleaved(
                    {"guard": lambda run=run: run(True), "none": lambda run=run: run(False)},
                    rounds,
                )
                report(
                    f"guard: {name}, {guard} over none{measured}",
                    f"{result['guard'] / calls * 1e6:.1f} us vs "
                    f"{result['none'] / calls * 1e6:.1f} us",
                    result.ratio,
                    target,
                )
    finally:
        server.kill()
        server.communicate()  # reaped, its pipes closed


def fresh_pages(rounds: int, calls: int) -> None:
    """A page of 50 through the SDK, each page one the mock has not served before, as
    across real tests, where SIDs differ. Issue 20's measure first: before a round
    (untimed) ``calls`` Messaging Services of 50 new short codes are seeded, each call
    pages the next one, its recorded calls cleared before it; the stub serves the same
    page and does nothing between pages. Then a stricter one: before each call the account
    is reset and 50 short codes with new SIDs go into a new service (the CPU caches as
    cold as that work leaves them), over a stub doing the same untimed work (the two sides
    differ in what answers and nothing else), and over a stub idle between pages (the
    mock's side alone meeting cold caches: reported). Each side is started once a round."""
    mock = TwilioShortCodeMock()
    client = Client(mock.account_sid, mock.auth_token)
    numbers = [str(20000 + i) for i in range(50)]

    def new_page() -> str:
        mock.reset()
        return mock.add_messaging_service("page", short_codes=numbers)

    def new_services() -> list[str]:
        mock.reset()
        return [
            mock.add_messaging_service(
                f"page {i}", short_codes=[str(20000 + i * 50 + j) for j in range(50)]
            )
            for i in range(calls)
        ]

    service = new_page()
    url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
    with mock:  # the stub answers the mock's own bytes
        body = requests.get(url, params={"PageSize": 50}, auth=(mock.account_sid, mock.auth_token))

    def seeded_first() -> float:  # started once a round, as the stub is
        total = 0.0
        services = new_services()
        with mock:
            for service in services:
                mock.calls.clear()
                start = time.perf_counter()
                client.messaging.v1.services(service).short_codes.page(page_size=50)
                total += time.perf_counter() - start
        return total

    def reset_before_each() -> float:
        total = 0.0
        with mock:
            for _ in range(calls):
                service = new_page()
                start = time.perf_counter()
                client.messaging.v1.services(service).short_codes.page(page_size=50)
                total += time.perf_counter() - start
        return total

    def with_stub(idle: bool) -> Callable[[], float]:
        def run() -> float:
            total = 0.0
            with responses.RequestsMock() as stub:
                stub.add("GET", url, body=body.content, content_type="application/json")
                for _ in range(calls):
                    if not idle:
                        new_page()  # the same untimed work between calls as the mock's side
                    start = time.perf_counter()
                    client.messaging.v1.services(service).short_codes.page(page_size=50)
                    total += time.perf_counter() - start
            return total

        return run

    sides = {  # each side beside the floor it is divided by (the last pair is reported)
        "seeded": seeded_first,
        "idle": with_stub(idle=True),
        "stub": with_stub(idle=False),
        "reset": reset_before_each,
    }
    times = interleaved_rounds(sides, rounds, warm_up=True)
    for mock_side, floor, name, target in (
        (
            "seeded",
            "idle",
            "per request: a page of 50 not served before, over an idle stub",
            "<= 1.10",
        ),
        (
            "reset",
            "stub",
            "per request: the same, the account reset and reseeded before each",
            "<= 1.10",
        ),
        ("reset", "idle", "per request: the same, over a stub idle between pages", "(reported)"),
    ):
        result = Timings({"mock": times[mock_side], floor: times[floor]})
        report(
            name,
            f"{result['mock'] / calls * 1e6:.0f} us vs {result[floor] / calls * 1e6:.0f} us a page",
            result.ratio,
            target,
        )


# -- 2. scale ---------------------------------------------------------------------------


def scale(rounds: int, calls: int) -> None:
    big, small = TwilioShortCodeMock(), TwilioShortCodeMock()
    start = time.perf_counter()
    numbers = [f"{n:06d}" for n in range(100000, 200000)]
    big.add_messaging_service("big", short_codes=numbers)
    seeding = time.perf_counter() - start
    name = "seeding 100,000 short codes into a Messaging Service"
    report(name, f"{seeding:.2f} s", None, "< 2 s")
    big.add_proxy_service("big", short_codes=numbers)
    small.add_messaging_service("small", short_codes=numbers[:100])
    small.add_proxy_service("small", short_codes=numbers[:100])
    for api in ("messaging v1 JSON", "proxy v1 JSON", "2010 JSON", "2010 XML", "2008 XML"):
        sides = {}
        for label, mock in (("100,000", big), ("100", small)):
            url = middle_page(mock, api)
            auth = (mock.account_sid, mock.auth_token)

            def run(mock: TwilioShortCodeMock = mock, url: str = url, auth: tuple = auth) -> float:
                with mock:
                    start = time.perf_counter()
                    for _ in range(calls):
                        text = requests.get(url, auth=auth).text
                        assert text.count('"sid":"SC') + text.count("<Sid>SC") == 50
                    return time.perf_counter() - start

            sides[label] = run
        report_scale(
            f"scale: {api}, a page of 50 from 100,000 over one from 100", sides, rounds, calls
        )


def report_scale(
    name: str,
    sides: dict[str, Callable[[], float]],
    rounds: int,
    calls: int,
    big: str = "100,000",
) -> None:
    result = interleaved(sides, rounds)
    report(
        name,
        f"{result[big] / calls * 1e6:.0f} us vs {result['100'] / calls * 1e6:.0f} us",
        result.ratio,
        "<= 1.5",
    )


def middle_page(mock: TwilioShortCodeMock, api: str) -> str:
    """The URL of a page of 50 from the middle of the collection: a token that seeks
    there, or (2008) a page number."""
    account = mock._account
    middle = len(account.short_codes) // 2
    accounts = f"https://api.twilio.com/{{}}/Accounts/{mock.account_sid}/SMS/ShortCodes"
    if api == "2008 XML":
        return accounts.format("2008-08-01") + f"?PageSize=50&Page={middle // 50}"
    if api.startswith("2010"):
        seq = account.short_codes._keys[middle - 1]
        ext = ".json" if api.endswith("JSON") else ".xml"
        return accounts.format("2010-04-01") + f"{ext}?PageSize=50&Page=1&PageToken=PA{seq:08x}"
    product, services = (
        ("messaging", account.messaging_services)
        if api.startswith("messaging")
        else ("proxy", account.proxy_services)
    )
    service = next(iter(services.values()))
    seq = service.members._keys[middle - 1]
    return (
        f"https://{product}.twilio.com/v1/Services/{service.sid}/ShortCodes"
        f"?PageSize=50&Page=1&PageToken=PA{seq:08x}"
    )


def message_scale(rounds: int, calls: int) -> None:
    """A page of 50 messages from the middle of 100,000, over one from 100."""
    sides = {}
    for label, count in (("100,000", 100_000), ("100", 100)):
        mock = TwilioShortCodeMock()
        mock.add_short_code("12345")
        account = mock._account
        start = time.perf_counter()
        for n in range(count):
            account.send_message(
                {"To": f"+1555{2_000_000 + n:07d}", "From": "12345", "Body": "x"}, []
            )
        if count == 100_000:
            seeding = time.perf_counter() - start
            report("seeding 100,000 messages", f"{seeding:.2f} s", None, "(reported)")
        middle = list(account.messages)[count // 2].seq
        url = (
            f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json"
            f"?PageSize=50&Page=1&PageToken=PA{middle:08x}"
        )
        client = Client(mock.account_sid, mock.auth_token)

        def run(mock: TwilioShortCodeMock = mock, url: str = url, client: Client = client) -> float:
            with mock:
                start = time.perf_counter()
                for _ in range(calls):
                    assert len(list(client.messages.get_page(url))) == 50
                return time.perf_counter() - start

        sides[label] = run
    report_scale(
        "scale: a page of 50 from 100,000 messages over one from 100", sides, rounds, calls
    )


def service_scale(rounds: int, calls: int) -> None:
    """A page of 50 Messaging (then Proxy) Services from the middle of 20,000, over one
    from 100: a page costs what it holds, not what the account holds."""
    for product in ("messaging", "proxy"):
        sides = {}
        for label, count in (("20,000", 20_000), ("100", 100)):
            mock = TwilioShortCodeMock()
            add = mock.add_messaging_service if product == "messaging" else mock.add_proxy_service
            sids = [add(f"service {n}") for n in range(count)]
            services = getattr(mock._account, f"{product}_services")
            seq = services[sids[count // 2 - 1]].seq
            url = (
                f"https://{product}.twilio.com/v1/Services?PageSize=50&Page=1&PageToken=PA{seq:08x}"
            )
            auth = (mock.account_sid, mock.auth_token)

            def run(mock: TwilioShortCodeMock = mock, url: str = url, auth: tuple = auth) -> float:
                with mock:
                    start = time.perf_counter()
                    for _ in range(calls):
                        assert len(requests.get(url, auth=auth).json()["services"]) == 50
                    return time.perf_counter() - start

            sides[label] = run
        report_scale(
            f"scale: {product} v1 Services, a page of 50 from 20,000 over one from 100",
            sides,
            rounds,
            calls,
            big="20,000",
        )


# -- 3. per test ------------------------------------------------------------------------

# Both suites: one SDK call per test, the account's (empty) short-code list, with nothing
# seeded, so that the only difference is the fixture and what answers the call.
MOCK_SUITE = """
from twilio.rest import Client

{tests}
"""
MOCK_TEST = """
def test_{n}(twilio_shortcodes):
    client = Client(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    assert client.api.v2010.account.short_codes.list() == []
"""
STUB_SUITE = """
import pytest
import responses
from twilio.rest import Client

ACCOUNT = "AC" + "1" * 32
URL = f"https://api.twilio.com/2010-04-01/Accounts/{{ACCOUNT}}/SMS/ShortCodes.json"
FIRST = f"/2010-04-01/Accounts/{{ACCOUNT}}/SMS/ShortCodes.json?PageSize=50&Page=0"
BODY = {{"first_page_uri": FIRST, "end": 0, "previous_page_uri": None, "short_codes": [],
        "uri": FIRST, "page_size": 50, "start": 0, "next_page_uri": None, "page": 0}}


@pytest.fixture
def stub():
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, URL, json=BODY)
        yield mock

{tests}
"""
STUB_TEST = """
def test_{n}(stub):
    client = Client(ACCOUNT, "token")
    assert client.api.v2010.account.short_codes.list() == []
"""


def per_test(rounds: int, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, suite, test in (("mock", MOCK_SUITE, MOCK_TEST), ("stub", STUB_SUITE, STUB_TEST)):
            folder = root / name
            folder.mkdir()
            tests = "".join(test.format(n=n) for n in range(count))
            (folder / f"test_{name}.py").write_text(suite.format(tests=tests))

        def run(name: str) -> Callable[[], float]:
            def go() -> float:
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                     "-p", "no:pytest-responses", "-p", "no:randomly", str(root / name)],
                    check=True,
                    capture_output=True,
                    cwd=root / name,
                    env=SUBPROCESS_ENV,
                )  # fmt: skip
                return time.perf_counter() - start

            return go

        result = interleaved({"mock": run("mock"), "stub": run("stub")}, rounds, warm_up=True)
    report(
        f"per test: {count} tests, fixture + one SDK call",
        f"{result['mock']:.2f} s vs {result['stub']:.2f} s",
        result.ratio,
        "<= 1.10",
    )


# -- 4. start-up ------------------------------------------------------------------------


def start_up(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "test_empty.py").write_text("")

        def collect(*extra: str) -> Callable[[], float]:
            def go() -> float:
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "pytest", "--collect-only", "-q",
                     "-p", "no:cacheprovider", *extra, "test_empty.py"],
                    cwd=tmp,
                    capture_output=True,
                    env=SUBPROCESS_ENV,
                )  # fmt: skip
                return time.perf_counter() - start

            return go

        result = interleaved(
            {"with": collect(), "without": collect("-p", "no:twilio_shortcodes")},
            rounds,
            warm_up=True,
        )
    report(
        "start-up: pytest --collect-only on an empty file",
        f"{result['with'] * 1e3:.0f} ms vs {result['without'] * 1e3:.0f} ms",
        result.ratio,
        "<= 1.10",
    )


# -- 5. other processes: the proxy ----------------------------------------------------------

# The child: one keep-alive session, one untimed fetch (connection, CONNECT, TLS), then
# the timed ones; it prints its own seconds, so process start-up is not counted.
FETCH_CHILD = """
import sys, time, requests
url, user, password, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
session = requests.Session()
session.get(url, auth=(user, password)).raise_for_status()
start = time.perf_counter()
for _ in range(count):
    session.get(url, auth=(user, password)).raise_for_status()
print(time.perf_counter() - start)
"""


class _Stub(BaseHTTPRequestHandler):
    """The floor: HTTPS on 127.0.0.1 answering one fixed body (the mock's own answer)."""

    protocol_version = "HTTP/1.1"
    wbufsize = -1  # headers and body in one write, as the proxy sends them
    disable_nagle_algorithm = True
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Twilio-Request-Id", "RQ" + os.urandom(16).hex())
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def other_processes(rounds: int, count: int) -> None:
    from pytest_twilio_shortcodes.serve import certs

    mock = TwilioShortCodeMock()
    service = mock.add_messaging_service("bench", short_codes=["12345"])
    sid = mock.short_code("12345").sid
    url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes/{sid}"
    with mock:
        served = mock.serve()
        _Stub.body = requests.get(url, auth=(mock.account_sid, mock.auth_token)).content
        stub = ThreadingTCPServer(("127.0.0.1", 0), _Stub)
        stub.daemon_threads = True
        stub.socket = (
            certs.authority().context("localhost").wrap_socket(stub.socket, server_side=True)
        )
        threading.Thread(target=stub.serve_forever, daemon=True).start()
        stub_url = f"https://localhost:{stub.server_address[1]}{url.split('.com', 1)[1]}"
        env = {**SUBPROCESS_ENV, **served.env}

        def child(target: str) -> Callable[[], float]:
            def go() -> float:
                args = [target, mock.account_sid, mock.auth_token, str(count)]
                done = subprocess.run(
                    [sys.executable, "-c", FETCH_CHILD, *args],
                    env=env, capture_output=True, text=True, check=True,
                )  # fmt: skip
                return float(done.stdout)

            return go

        result = interleaved({"proxy": child(url), "stub": child(stub_url)}, rounds)
        stub.shutdown()
        stub.server_close()
    report(
        "other processes: a fetch from a child, through serve()'s proxy over a bare HTTPS stub",
        f"{result['proxy'] / count * 1e6:.0f} us vs {result['stub'] / count * 1e6:.0f} us a fetch",
        result.ratio,
        "<= 2",
    )


def session_server(rounds: int, count: int) -> None:
    """What a test's fixture costs: starting its own served mock (a new mock, started,
    served, stopped, its teardown report) over resetting the session's
    (``twilio_shortcodes_served``: reset, start, stop, the teardown report). Both then make
    the same request over HTTP to the proxy, untimed (it costs the same either side)."""
    session = TwilioShortCodeMock()
    session_proxy = session._serve_across_stops()

    def one_request(mock: TwilioShortCodeMock, url: str) -> None:
        answer = requests.get(f"{url}/_mock/calls", auth=(mock.account_sid, mock.auth_token))
        assert answer.status_code == 200 and answer.json() == []

    def reuse() -> float:
        total = 0.0
        for _ in range(count):
            start = time.perf_counter()
            session.reset()
            with session:
                total += time.perf_counter() - start
                one_request(session, session_proxy.url)
                start = time.perf_counter()
            assert not session.teardown_report()
            total += time.perf_counter() - start
        return total

    def own() -> float:
        total = 0.0
        for _ in range(count):
            start = time.perf_counter()
            mock = TwilioShortCodeMock()
            with mock:
                url = mock.serve().url
                total += time.perf_counter() - start
                one_request(mock, url)
                start = time.perf_counter()
            assert not mock.teardown_report()
            total += time.perf_counter() - start
        return total

    try:
        result = interleaved({"own": own, "reuse": reuse}, rounds, warm_up=True)
    finally:
        session_proxy.stop()
    report(
        "other processes: a test's fixture, its own served mock over the session server's reset",
        f"{result['own'] / count * 1e3:.3f} ms vs {result['reuse'] / count * 1e3:.3f} ms a test",
        result.ratio,
        ">= 3 (the session server several times faster)",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    quick = args.quick
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}"
    )
    per_request(rounds=5 if quick else 15, calls=100 if quick else 300)
    per_request_async(rounds=5 if quick else 15, calls=100 if quick else 300)
    guard_cost(rounds=5 if quick else 61, calls=100 if quick else 300)  # a 2% target: more rounds
    fresh_pages(rounds=9 if quick else 31, calls=50 if quick else 100)
    scale(rounds=5 if quick else 15, calls=20 if quick else 100)
    message_scale(rounds=5 if quick else 15, calls=20 if quick else 100)
    service_scale(rounds=5 if quick else 15, calls=20 if quick else 100)
    provisioning_rows.provisioning(
        report, interleaved, rounds=5 if quick else 15, calls=20 if quick else 100
    )
    provisioning_rows.phone_number_scale(
        report, interleaved, rounds=5 if quick else 15, calls=20 if quick else 100
    )
    per_test(rounds=1 if quick else 9, count=200 if quick else 1000)  # subprocess runs: noisy
    start_up(rounds=5 if quick else 15)
    other_processes(rounds=3 if quick else 9, count=100 if quick else 300)
    session_server(rounds=3 if quick else 9, count=20 if quick else 100)
    print("\n| benchmark | measured | ratio | target |\n|---|---|---|---|")
    for name, detail, ratio, target in ROWS:
        print(f"| {name} | {detail} | {'' if ratio is None else f'{ratio:.3f}'} | {target} |")
    if args.json:
        args.json.write_text(json.dumps(ROWS, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
