from __future__ import annotations

from typing import Any

import pytest
import requests

pytest_plugins = ["pytester"]


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
def api(twilio_shortcodes: Any) -> Api:
    return Api(twilio_shortcodes)


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
