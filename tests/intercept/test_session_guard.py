"""A test run never reaches the real Twilio by accident: from the session's start to its
end, a Twilio request made while no mock is active is refused before it leaves, says what
to do, and fails the test (set-up, call or teardown) or the collection that made it, even
when the application swallowed the error. ``@pytest.mark.twilio_live`` and
``--twilio-live`` let it out on purpose. Outside pytest nothing changes.

The inner runs are in-process: a spy on ``socket.getaddrinfo`` put under the inner run's
guard answers Twilio names with an error of its own, so a look-up let out is seen without
any network."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

REFUSED = (
    "pytest-twilio-shortcodes: refused a connection to api.twilio.com (socket.getaddrinfo): "
    "no Twilio mock is active, and a test run never reaches the real Twilio by accident. "
    "Request the twilio_shortcodes fixture (or start a TwilioShortCodeMock) to have Twilio "
    "answered in memory, or mark the test @pytest.mark.twilio_live (or run with "
    "--twilio-live) to reach the real Twilio on purpose."
)
REPORT = [
    "pytest-twilio-shortcodes: 1 connection(s) to Twilio refused while no mock was active:",
    "  api.twilio.com (socket.getaddrinfo)",
    "  Request the twilio_shortcodes fixture to have Twilio answered in memory, or mark the "
    "test @pytest.mark.twilio_live (or run with --twilio-live) to reach the real Twilio on "
    "purpose.",
]
SPY = "spy: no look-up of api.twilio.com here"

# An application that swallows every error of its Twilio client.
APP = """
from twilio.rest import Client


def send_reminder():
    try:
        client = Client("AC" + "0" * 32, "0" * 32)
        client.messages.create(to="+15005550006", from_="12345", body="hi")
    except Exception as error:
        print("swallowed:", error)
"""


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Twilio names looked up past the guard: answered by the spy with an error of its own."""
    seen: list[Any] = []
    original = socket.getaddrinfo

    def spy(host: Any, *args: Any, **kwargs: Any) -> Any:
        if "twilio" in str(host):
            seen.append(host)
            raise socket.gaierror(socket.EAI_NONAME, SPY)
        return original(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    yield seen


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(app=APP)
    # pytest-responses (installed with the test extra) would answer requests before any socket
    return pytester.runpytest("-p", "no:randomly", "-p", "no:pytest-responses", "-s", *args)


def test_a_test_without_the_fixture_is_refused_and_fails(pytester, lookups):
    pytester.makepyfile(
        test_forgot="""
        import pytest
        import requests
        from app import send_reminder

        def test_swallowed():
            send_reminder()

        def test_raised():
            with pytest.raises(requests.ConnectionError) as caught:
                requests.get("https://api.twilio.com/2010-04-01/Accounts.json")
            print("seen:", caught.value)

        def test_with_the_fixture(twilio_shortcodes):
            send_reminder()  # answered by the mock (a 401: the app's own credentials)
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([f"*swallowed: *{REFUSED}*"])
    result.stdout.fnmatch_lines([f"*seen: *{REFUSED}*"])
    result.stdout.fnmatch_lines(["*_ test_swallowed _*", *REPORT])
    result.stdout.fnmatch_lines(["*_ test_raised _*", *REPORT])
    assert lookups == []


EVERY_CLIENT = """
import asyncio, urllib.request
import aiohttp, httpx, pytest, requests
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

URL = "https://api.twilio.com/2010-04-01/Accounts.json"


async def aiohttp_get():
    async with aiohttp.ClientSession() as session:  # aiohttp's aiodns resolver, if installed
        await session.get(URL)


async def httpx_get():
    async with httpx.AsyncClient() as client:
        await client.get(URL)


async def sdk_async():
    http_client = AsyncTwilioHttpClient()
    try:
        await Client("AC" + "0" * 32, "0" * 32, http_client=http_client).messages.list_async()
    finally:
        await http_client.close()


CLIENTS = {
    "requests": lambda: requests.get(URL),
    "httpx": lambda: httpx.get(URL),
    "httpx async": lambda: asyncio.run(httpx_get()),
    "aiohttp": lambda: asyncio.run(aiohttp_get()),
    "sdk async": lambda: asyncio.run(sdk_async()),
    "urllib": lambda: urllib.request.urlopen(URL),
}


@pytest.mark.parametrize("name", CLIENTS)
def test_client(name):
    try:
        CLIENTS[name]()
    except Exception as error:
        print(name, "swallowed:", type(error).__name__)
"""


def test_every_client_is_refused_without_the_fixture(pytester, lookups):
    pytester.makepyfile(test_every_client=EVERY_CLIENT)
    result = run(pytester)
    result.assert_outcomes(failed=6)
    for name in ("requests", "httpx", "httpx async", "aiohttp", "sdk async", "urllib"):
        result.stdout.fnmatch_lines(
            [
                f"*_ test_client?{name}? _*",
                "pytest-twilio-shortcodes: 1 connection(s) to Twilio refused while no mock "
                "was active:",
                "  api.twilio.com (*)",
            ]
        )
    assert lookups == []


def test_a_session_fixture_is_refused_at_set_up_and_teardown(pytester, lookups):
    pytester.makeconftest(
        """
        import pytest
        from app import send_reminder

        @pytest.fixture(scope="session")
        def reminders():
            send_reminder()
            yield
            send_reminder()
        """
    )
    pytester.makepyfile(
        test_session="""
        def test_first(reminders):
            pass

        def test_second(reminders):
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_first*", *REPORT])
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_second*", *REPORT])
    assert lookups == []


def test_a_module_calling_twilio_at_import_fails_its_collection(pytester, lookups):
    pytester.makepyfile(
        test_at_import="""
        from app import send_reminder

        send_reminder()

        def test_never_run():
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting test_at_import.py*", *REPORT])
    assert lookups == []


def test_a_client_through_a_proxy_is_refused_too(pytester, lookups):
    pytester.makepyfile(
        test_proxied="""
        import http.client, socket, socketserver, threading

        def test_tunnel():
            server = socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler)
            threading.Thread(target=server.handle_request, daemon=True).start()
            connection = http.client.HTTPSConnection("127.0.0.1", server.server_address[1])
            connection.set_tunnel("api.twilio.com", 443)
            try:
                connection.request("GET", "/")
            except OSError as error:
                print("swallowed:", error)
            server.server_close()
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "pytest-twilio-shortcodes: 1 connection(s) to Twilio refused while no mock was active:",
            "  api.twilio.com (CONNECT to the HTTP proxy 127.0.0.1:*)",
        ]
    )
    assert lookups == []


def test_an_attempt_outside_any_test_fails_the_run(pytester, lookups):
    pytester.makeconftest(
        """
        from app import send_reminder

        def pytest_collection_finish(session):
            send_reminder()  # a hook of the user's, between collection and the first test
        """
    )
    pytester.makepyfile(test_fine="def test_fine():\n    pass\n")
    result = run(pytester)
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*pytest-twilio-shortcodes*",
            "1 connection(s) to Twilio refused outside any test, while no mock was active "
            "(the run fails):",
            "  api.twilio.com (socket.getaddrinfo)",
        ]
    )
    assert lookups == []


LIVE = """
import pytest
import requests

def look_up():
    with pytest.raises(requests.ConnectionError, match="{spy}"):  # let out, to the spy
        requests.get("https://api.twilio.com/2010-04-01/Accounts.json")

{tests}
"""


@pytest.mark.parametrize(
    "tests",
    [
        "@pytest.mark.twilio_live\ndef test_live():\n    look_up()",
        "@pytest.mark.twilio_live\nclass TestLive:\n    def test_live(self):\n        look_up()",
        "pytestmark = pytest.mark.twilio_live\n\ndef test_live():\n    look_up()",
    ],
    ids=["test", "class", "module"],
)
def test_the_marker_lets_a_test_reach_twilio(pytester, lookups, tests):
    pytester.makepyfile(
        test_live=LIVE.format(spy=SPY, tests=tests),
        test_not_live="""
        import requests

        def test_still_guarded():
            try:
                requests.get("https://api.twilio.com/2010-04-01/Accounts.json")
            except requests.ConnectionError:
                pass
        """,
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*_ test_still_guarded _*", *REPORT])
    assert lookups == ["api.twilio.com"]  # the live test's look-up, and only that one


def test_the_flag_lets_the_whole_run_reach_twilio(pytester, lookups):
    pytester.makepyfile(
        test_run=LIVE.format(spy=SPY, tests="def test_one():\n    look_up()")
        + "\nlook_up()  # at collection too\n",
        test_other="""
        import pytest
        from test_run import look_up

        @pytest.fixture(scope="session")
        def early():
            look_up()

        def test_two(early):
            look_up()
        """,
    )
    result = run(pytester, "--twilio-live")
    result.assert_outcomes(passed=2)
    assert lookups == ["api.twilio.com"] * 4  # at import, the session fixture, each test


def test_the_marker_and_flag_are_documented_in_pytest_help(pytester):
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*--twilio-live*let Twilio requests made while no mock is*"])
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.twilio_live: let this test*"])


OUTSIDE = """
import socket

def spy(host, *args, **kwargs):
    raise socket.gaierror(socket.EAI_NONAME, f"spy saw {host}")

socket.getaddrinfo = spy
import pytest_twilio_shortcodes.plugin  # imported, as pytest would, but no session runs
from pytest_twilio_shortcodes import TwilioShortCodeMock
import requests

for when in ("before", "after"):
    try:
        requests.get("https://api.twilio.com/2010-04-01/Accounts.json")
    except requests.ConnectionError as error:
        print(when, "spy saw api.twilio.com" in str(error))
    with TwilioShortCodeMock():
        pass
"""


def test_outside_pytest_nothing_changes():
    done = subprocess.run(
        [sys.executable, "-c", OUTSIDE], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split("\n") == ["before True", "after True", ""]
