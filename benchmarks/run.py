"""Measure the mock against the floor: a bare ``responses`` stub answering a fixed body.

Prints a table of ratios, each measured in this one run with the two sides interleaved
(median of several rounds). Exits non-zero only on errors, never on a missed target.

    python benchmarks/run.py            # everything (about two minutes)
    python benchmarks/run.py --quick    # fewer rounds
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import requests
import responses
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock

ROWS: list[tuple[str, str, float, str]] = []


def report(name: str, detail: str, ratio: float, target: str) -> None:
    ROWS.append((name, detail, ratio, target))
    print(f"  {name}: {ratio:.3f} ({detail}) target {target}", flush=True)


# pytest as users run it: with bytecode caching, which this sandbox turns off
# (PYTHONDONTWRITEBYTECODE=1 would make every run re-parse and re-rewrite every plugin
# and test module from source, on both sides).
SUBPROCESS_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def interleaved(
    sides: dict[str, Callable[[], float]], rounds: int, warm_up: bool = False
) -> dict[str, float]:
    """Median seconds of each side, the sides taking turns round after round (after one
    untimed run each, with ``warm_up``)."""
    if warm_up:
        for run in sides.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, run in sides.items():
            times[name].append(run())
    return {name: statistics.median(values) for name, values in times.items()}


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
            result["mock"] / result["stub"],
            "<= 1.10" if name in ("fetch", "send a message") else "(reported)",
        )


# -- 2. scale ---------------------------------------------------------------------------


def scale(rounds: int, calls: int) -> None:
    big, small = TwilioShortCodeMock(), TwilioShortCodeMock()
    start = time.perf_counter()
    numbers = [f"{n:06d}" for n in range(100000, 200000)]
    big_service = big.add_messaging_service("big", short_codes=numbers)
    seeding = time.perf_counter() - start
    print(f"  seeding 100,000 short codes into a Messaging Service: {seeding:.2f} s (target < 2 s)")
    ROWS.append(("seeding 100,000 short codes", f"{seeding:.2f} s", seeding, "< 2 s"))
    small_service = small.add_messaging_service("small", short_codes=numbers[:100])

    def middle_page(mock: TwilioShortCodeMock, service: str, position: int) -> str:
        """A page URL that seeks into the middle of the collection."""
        auth = (mock.account_sid, mock.auth_token)
        url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes?PageSize=1"
        with mock:
            seq = mock._account.messaging_services[service].members._keys[position]
            page = requests.get(url + f"&Page=1&PageToken=PA{seq:08x}", auth=auth).json()
        return page["meta"]["url"].replace("PageSize=1", "PageSize=50")

    sides = {}
    for label, mock, service, position in (
        ("100,000", big, big_service, 50000),
        ("100", small, small_service, 25),
    ):
        url = middle_page(mock, service, position)
        client = Client(mock.account_sid, mock.auth_token)

        def run(mock: TwilioShortCodeMock = mock, url: str = url, client: Client = client) -> float:
            with mock:
                start = time.perf_counter()
                for _ in range(calls):
                    page = client.messaging.v1.services("x").short_codes.get_page(url)
                    assert len(list(page)) == 50
                return time.perf_counter() - start

        sides[label] = run
    report_scale("scale: a page of 50 from 100,000 over one from 100", sides, rounds, calls)


def report_scale(name: str, sides: dict[str, Callable[[], float]], rounds: int, calls: int) -> None:
    result = interleaved(sides, rounds)
    report(
        name,
        f"{result['100,000'] / calls * 1e6:.0f} us vs {result['100'] / calls * 1e6:.0f} us a page",
        result["100,000"] / result["100"],
        "<= 1.5",
    )


def message_scale(rounds: int, calls: int) -> None:
    """A page of 50 messages from the middle of 100,000, over one from 100."""
    sides = {}
    for label, count in (("100,000", 100_000), ("100", 100)):
        mock = TwilioShortCodeMock()
        mock.add_short_code("12345")
        outbox = mock._account.outbox
        start = time.perf_counter()
        for n in range(count):
            outbox.send({"To": f"+1555{2_000_000 + n:07d}", "From": "12345", "Body": "x"}, [])
        if count == 100_000:
            seeding = time.perf_counter() - start
            print(f"  seeding 100,000 messages: {seeding:.2f} s (reported)")
            ROWS.append(("seeding 100,000 messages", f"{seeding:.2f} s", seeding, "(reported)"))
        middle = list(outbox.messages)[count // 2].seq
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
        result["mock"] / result["stub"],
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
        result["with"] / result["without"],
        "<= 1.10",
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
    scale(rounds=5 if quick else 15, calls=20 if quick else 100)
    message_scale(rounds=5 if quick else 15, calls=20 if quick else 100)
    per_test(rounds=1 if quick else 5, count=200 if quick else 1000)
    start_up(rounds=5 if quick else 15)
    print("\n| benchmark | measured | ratio | target |\n|---|---|---|---|")
    for name, detail, ratio, target in ROWS:
        print(f"| {name} | {detail} | {ratio:.3f} | {target} |")
    if args.json:
        args.json.write_text(json.dumps(ROWS, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
