from __future__ import annotations

import http.server
import inspect
import ipaddress
import socket
import threading
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
import pytest_asyncio
import requests
from twilio.rest.api.v2010.account.message import MessageInstance

pytest_plugins = ["pytester"]

# Older twilio releases (8.x) name a message's sender ``_from``; newer ones ``from_``. The
# mock sends the same "from" field to both: let the tests read it by today's name.
if "self.from_" not in inspect.getsource(MessageInstance.__init__):
    MessageInstance.from_ = property(lambda message: message._from)


# -- the suite never leaves the machine ----------------------------------------------------
# For the whole session, a look-up or a connection to anything but a loopback address is
# refused before it happens, recorded, and fails the test that tried (or the run).


def _loopback(host: Any) -> bool:
    if isinstance(host, (bytes, bytearray)):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or host in ("", "localhost"):
        return True  # a Unix socket path, no host, or the loopback name
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _loopback_only(original: Any, how: str, at: int) -> Any:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        target = args[at] if len(args) > at else kwargs.get("host")
        host = target[0] if isinstance(target, tuple) and target else target
        if not _loopback(host):
            _ESCAPES.append(f"{how} {host!r}")
            raise OSError(f"tests/conftest.py: this suite only reaches loopback, not {host!r}")
        return original(*args, **kwargs)

    return guarded


# Test modules import this file again as ``tests.conftest``: install the guard once.
_ESCAPES: list[str] = getattr(socket, "_suite_escapes", [])
if not hasattr(socket, "_suite_escapes"):
    socket._suite_escapes = _ESCAPES  # type: ignore[attr-defined]
    socket.getaddrinfo = _loopback_only(socket.getaddrinfo, "socket.getaddrinfo", 0)
    for _name in ("connect", "connect_ex"):
        setattr(socket.socket, _name, _loopback_only(getattr(socket.socket, _name), _name, 1))


@pytest.fixture(autouse=True)
def _no_escape() -> Any:
    before = len(_ESCAPES)
    yield
    if len(_ESCAPES) > before:
        pytest.fail(f"tried to leave the machine: {_ESCAPES[before:]}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _ESCAPES:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class Api:
    """Plain ``requests`` against the mock, authenticated as its account."""

    def __init__(self, mock: Any) -> None:
        self.mock = mock
        self.auth = (mock.account_sid, mock.auth_token)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.auth)
        return requests.request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", url, **kwargs)


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Inner runs read no ini file of ours: give them pytest-asyncio's loop scope."""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-o asyncio_default_fixture_loop_scope=function")
    return pytester


@pytest.fixture
def api(twilio_shortcodes: Any) -> Api:
    return Api(twilio_shortcodes)


@pytest_asyncio.fixture
async def async_client(twilio_shortcodes: Any) -> Any:
    """A ``twilio.rest.Client`` on the SDK's aiohttp client, bound to the mock's account."""
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    http_client = AsyncTwilioHttpClient()
    yield Client(
        twilio_shortcodes.account_sid, twilio_shortcodes.auth_token, http_client=http_client
    )
    await http_client.close()


class _Local(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"local {self.path}".encode()
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def loopback() -> Any:
    """``loopback(host="127.0.0.1")``: the base URL of a local HTTP server (``::1`` for
    IPv6) that answers every GET with ``local {path}``; ``.hits`` lists the paths served."""
    servers = []

    def serve(host: str = "127.0.0.1") -> str:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server_class = type(
            "Server", (http.server.ThreadingHTTPServer,), {"address_family": family}
        )
        server = server_class((host, 0), _Local)
        server.hits = []  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        serve.hits = server.hits  # type: ignore[attr-defined]
        name = f"[{host}]" if family == socket.AF_INET6 else host
        return f"http://{name}:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def mock_now(mock: Any) -> Any:
    """The mock's own clock (frozen in the project's tests): a time a test builds for the
    mock to compare, such as a ``SendAt``, comes from it, never from the wall clock."""
    return mock._account.clock.now()


def in_seconds_on(mock: Any, seconds: float) -> str:
    """``seconds`` after the mock's now, as Twilio's ``SendAt`` text."""
    return (mock_now(mock) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def assert_twilio_error(response: requests.Response, status: int, code: int) -> dict[str, Any]:
    """A JSON Twilio error envelope with this status and code."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert body["message"]
    return body


# -- reliability counts and the fixed hypothesis profile --------------------------------

import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Sum the counts the reliability tests record (works under xdist too)."""
    totals: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        if report.when != "call":
            continue
        for name, value in report.user_properties:
            if name.startswith("reliability: "):
                totals[name] = totals.get(name, 0) + int(value)
    if totals:
        terminalreporter.section("reliability counts")
        for name, value in sorted(totals.items()):
            terminalreporter.write_line(f"{name[len('reliability: ') :]}: {value:,}")


def parse_qsl_values(encoded: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """What the mock reads from a query or form, by ``parse_qsl`` alone: each parameter's
    first value, and every value of the repeated ones."""
    params: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        if key in params:
            repeated.setdefault(key, [params[key]]).append(value)
        else:
            params[key] = value
    return params, repeated
