"""The pytest glue that keeps the real Twilio out of reach for a whole pytest session.

Registered by ``plugin`` (its ``pytest_plugins``). From ``pytest_configure`` to the end of
the run, a connection to a Twilio host made while no mock is active, by any client,
directly or through an HTTP proxy, is refused before it leaves (``intercept.watch``) with
an error that says what to do, and fails the set-up, call or teardown of the test that
made it, or the collection of the module that made it, even if the application swallowed
the error. Ways out, on purpose: ``@pytest.mark.twilio_live`` (a test, class or module)
and ``--twilio-live`` (the whole run). Outside pytest nothing of this is on.
"""

from __future__ import annotations

import threading
from typing import Any, Generator

import pytest

LIVE_MARKER = (
    "twilio_live: let this test (or every test of the class or module) reach the real "
    "Twilio; without it, a Twilio request made while no twilio_shortcodes mock is active "
    "is refused and fails the test"
)
_GUARD = pytest.StashKey["_SessionGuard"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("twilio-shortcodes", "in-memory Twilio ShortCode APIs")
    group.addoption(
        "--twilio-live",
        action="store_true",
        default=False,
        help="let Twilio requests made while no mock is active reach the real Twilio "
        "(the whole run; one test: @pytest.mark.twilio_live)",
    )


class _SessionGuard:
    """The pytest session's watch (``intercept.watch``): while no mock is active, a
    connection to a Twilio host is refused and recorded against the test, fixture or
    collector running, unless the run or that test is live."""

    def __init__(self, live_run: bool) -> None:
        self.live_run = live_run
        self.live_test = False
        self.attempts: list[str] = []
        self.between: list[str] = []  # refused outside any test or collector
        self._lock = threading.Lock()

    def lets_out(self) -> bool:
        return self.live_run or self.live_test

    def refused(self, attempt: str) -> str:
        with self._lock:
            self.attempts.append(attempt)
        return (
            f"pytest-twilio-shortcodes: refused a connection to {attempt}: no Twilio mock is "
            "active, and a test run never reaches the real Twilio by accident. Request the "
            "twilio_shortcodes fixture (or start a TwilioShortCodeMock) to have Twilio "
            "answered in memory, or mark the test @pytest.mark.twilio_live (or run with "
            "--twilio-live) to reach the real Twilio on purpose."
        )

    def take(self) -> list[str]:
        """The attempts refused since the last call."""
        with self._lock:
            taken, self.attempts = self.attempts, []
        return taken


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    from . import intercept

    config.addinivalue_line("markers", LIVE_MARKER)
    guard = _SessionGuard(live_run=bool(config.getoption("twilio_live")))
    config.stash[_GUARD] = guard
    intercept.watch(guard)
    config.add_cleanup(lambda: intercept.unwatch(guard))


def _refusals(config: pytest.Config) -> str:
    """What was refused since the last look, as a failure message ('' if nothing was)."""
    guard = config.stash.get(_GUARD, None)
    attempts = guard.take() if guard is not None else []
    if not attempts:
        return ""
    lines = [
        f"pytest-twilio-shortcodes: {len(attempts)} connection(s) to Twilio refused while no "
        "mock was active:"
    ]
    lines += [f"  {attempt}" for attempt in attempts]
    lines.append(
        "  Request the twilio_shortcodes fixture to have Twilio answered in memory, or mark "
        "the test @pytest.mark.twilio_live (or run with --twilio-live) to reach the real "
        "Twilio on purpose."
    )
    return "\n".join(lines)


def _fail_report(report: Any, message: str) -> None:
    """Fail a test's or a collector's report with ``message`` (kept beside its own failure)."""
    if report.failed:
        report.sections.append(("pytest-twilio-shortcodes", message))
    else:
        report.outcome = "failed"
        report.longrepr = message


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, Any, Any]:
    """A test marked ``twilio_live`` may reach Twilio from set-up to teardown."""
    guard = item.config.stash.get(_GUARD, None)
    if guard is None:
        return (yield)
    guard.between += guard.take()  # since the last test (a hook, a thread): the run's
    guard.live_test = item.get_closest_marker("twilio_live") is not None
    try:
        return (yield)
    finally:
        guard.live_test = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Generator[None, Any, Any]:
    """A refused attempt fails the phase (set-up, call, teardown) that made it, even when
    the application swallowed the error."""
    report = yield
    message = _refusals(item.config)
    if message:
        _fail_report(report, message)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    """A refused attempt at collection (a module calling Twilio at import) fails it."""
    report = yield
    message = _refusals(collector.config)
    if message:
        _fail_report(report, message)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Attempts refused outside any test or collector fail the run."""
    guard = session.config.stash.get(_GUARD, None)
    if guard is None:
        return
    guard.between += guard.take()
    if guard.between and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    guard = terminalreporter.config.stash.get(_GUARD, None)
    if guard is None or not guard.between:
        return
    terminalreporter.section("pytest-twilio-shortcodes")
    terminalreporter.write_line(
        f"{len(guard.between)} connection(s) to Twilio refused outside any test, while no "
        "mock was active (the run fails):"
    )
    for attempt in guard.between:
        terminalreporter.write_line(f"  {attempt}")
