"""The pytest glue: fixtures, the ``twilio_shortcodes`` marker, options, teardown checks.

Imported by pytest at start-up through the ``pytest11`` entry point, so it imports
nothing heavy: the mock, ``responses`` and ``jsonschema`` load when a test asks for them.
"""

from __future__ import annotations

import os
import sys
import threading
import weakref
from typing import TYPE_CHECKING, Any, Generator, Iterable, Iterator, Mapping, Optional, Union

import pytest

if TYPE_CHECKING:
    from .mock import TwilioShortCodeMock

MARKER = (
    "twilio_shortcodes(short_codes=(), messaging_services=(), proxy_services=(), "
    "validate=None, strict=None, account_sid=None, auth_token=None, frozen_clock=None): "
    "seed and configure the "
    "twilio_shortcodes fixture. short_codes: numbers bought in the account; "
    "messaging_services / proxy_services: names, or a mapping of name to the short codes "
    "it holds; validate: 'all', 'requests', 'responses' or 'none'; strict: fail the test "
    "when a request breaks its schema; account_sid / auth_token: fixed credentials; "
    "frozen_clock: the mock's clock moves only by advance_clock. "
    "The marker closest to the test wins."
)
# The session guard (no Twilio request leaves a run while no mock is active): its own module.
pytest_plugins = ["pytest_twilio_shortcodes.session_guard"]
_VALIDATE_CHOICES = ("all", "requests", "responses", "none")
_CREDENTIALS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
_DEFAULTS = pytest.StashKey[dict]()  # the session's options, read at start-up


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("twilio-shortcodes", "in-memory Twilio ShortCode APIs")
    group.addoption(
        "--twilio-shortcodes-validate",
        choices=_VALIDATE_CHOICES,
        default=None,
        help="which bodies to check against the bundled schemas (default: all)",
    )
    group.addoption(
        "--twilio-shortcodes-strict",
        action="store_const",
        const=True,
        default=None,
        help="fail a test whose requests to Twilio break their schema",
    )
    group.addoption(
        "--twilio-shortcodes-passthrough",
        action="append",
        default=None,
        metavar="HOST",
        help="a non-Twilio host (glob) allowed to reach the network; repeatable "
        "(default: all non-Twilio hosts)",
    )
    parser.addini("twilio_shortcodes_validate", "all, requests, responses or none", default="all")
    parser.addini(
        "twilio_shortcodes_strict",
        "fail a test whose requests to Twilio break their schema",
        type="bool",
        default=False,
    )
    parser.addini(
        "twilio_shortcodes_frozen_clock",
        "the mock's clock stands still, moving only by advance_clock",
        type="bool",
        default=False,
    )
    parser.addini(
        "twilio_shortcodes_passthrough",
        "non-Twilio hosts (globs) allowed to reach the network",
        type="linelist",
        default=["*"],
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)
    config.stash[_DEFAULTS] = _read_options(config)


def _read_options(config: pytest.Config) -> dict[str, Any]:
    """The command line over the ini file, checked once, at start-up: a bad value is a
    ``pytest.UsageError`` naming the ini key or flag it came from."""
    validate = config.getoption("twilio_shortcodes_validate") or config.getini(
        "twilio_shortcodes_validate"
    )
    if validate not in _VALIDATE_CHOICES:  # the flag's choices are checked by argparse
        raise pytest.UsageError(
            f"twilio_shortcodes_validate must be one of {', '.join(_VALIDATE_CHOICES)}, "
            f"not {validate!r}"
        )
    try:
        strict = config.getoption("twilio_shortcodes_strict") or config.getini(
            "twilio_shortcodes_strict"
        )
    except (ValueError, pytest.UsageError) as error:  # pytest < 9 raises ValueError
        raise pytest.UsageError(
            f"twilio_shortcodes_strict: {error}; give true or false (yes/no, on/off, 1/0)"
        ) from None
    flag = config.getoption("twilio_shortcodes_passthrough")
    passthrough = tuple(flag or config.getini("twilio_shortcodes_passthrough"))
    if passthrough != ("*",):
        from .wire.hosts import names_twilio_host

        twilio = [pattern for pattern in passthrough if names_twilio_host(pattern)]
        if twilio:
            source = "--twilio-shortcodes-passthrough" if flag else "twilio_shortcodes_passthrough"
            raise pytest.UsageError(
                f"{source}: {', '.join(map(repr, twilio))} names Twilio hosts, which never "
                "pass through (every Twilio request is answered by the mock); remove it"
            )
    try:
        frozen_clock = config.getini("twilio_shortcodes_frozen_clock")
    except (ValueError, pytest.UsageError) as error:
        raise pytest.UsageError(
            f"twilio_shortcodes_frozen_clock: {error}; give true or false (yes/no, on/off, 1/0)"
        ) from None
    return {
        "validate": validate,
        "strict": strict,
        "passthrough": passthrough,
        "frozen_clock": frozen_clock,
    }


def _marker_options(
    *,
    short_codes: Iterable[str] = (),
    messaging_services: Union[Iterable[str], Mapping[str, Iterable[str]]] = (),
    proxy_services: Union[Iterable[str], Mapping[str, Iterable[str]]] = (),
    validate: Optional[Union[bool, str]] = None,
    strict: Optional[bool] = None,
    account_sid: Optional[str] = None,
    auth_token: Optional[str] = None,
    frozen_clock: Optional[bool] = None,
) -> dict[str, Any]:
    return dict(locals())


def _check_marker(marker: pytest.Mark) -> None:
    """Fail the test's set-up with one short line naming every unknown keyword at once, each
    with the closest valid name (a traceback through the plugin would say nothing more)."""
    valid = list(_marker_options.__kwdefaults__ or {})
    unknown = [name for name in marker.kwargs if name not in valid]
    problems = [f"takes keyword arguments only, not {marker.args!r}"] if marker.args else []
    if unknown:
        import difflib

        named = []
        for name in unknown:
            close = difflib.get_close_matches(name, valid, n=1)
            named.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
        s = "s" if len(unknown) > 1 else ""
        problems.append(f"unknown keyword{s} {', '.join(named)}; valid: {', '.join(valid)}")
    if problems:
        pytest.fail(f"@pytest.mark.twilio_shortcodes: {'; '.join(problems)}", pytrace=False)


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("twilio_shortcodes")
    options = _marker_options()  # no marker: nothing seeded, the session's defaults
    if marker is not None:
        _check_marker(marker)
        options = _marker_options(**marker.kwargs)
    defaults = request.config.stash[_DEFAULTS]
    for name in ("validate", "strict", "frozen_clock"):
        if options[name] is None:
            options[name] = defaults[name]
    options["passthrough"] = defaults["passthrough"]
    return options


def _seed(mock: TwilioShortCodeMock, options: dict[str, Any]) -> None:
    if options["short_codes"]:  # most tests seed nothing: skip the bulk set-up then
        mock.add_short_codes(options["short_codes"])
    for kind, add in (
        ("messaging_services", mock.add_messaging_service),
        ("proxy_services", mock.add_proxy_service),
    ):
        services = options[kind]
        if isinstance(services, str):
            raise TypeError(f"@pytest.mark.twilio_shortcodes: {kind} must be names, not a string")
        members: Mapping[str, Iterable[str]] = (
            services if isinstance(services, Mapping) else dict.fromkeys(services, ())
        )
        for name, short_codes in members.items():
            add(name, short_codes=short_codes)


def _one_test(mock: TwilioShortCodeMock) -> Iterator[TwilioShortCodeMock]:
    """One test against ``mock``: its credentials in the environment, the mock started;
    then the environment restored, the teardown checks made and the account reset."""
    saved = {name: os.environ.get(name) for name in _CREDENTIALS}
    os.environ.update(zip(_CREDENTIALS, (mock.account_sid, mock.auth_token), strict=True))
    try:
        with mock:
            yield mock
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    report = mock.teardown_report()
    mock.reset()
    if report:
        pytest.fail(report, pytrace=False)


# The plugin's function-scoped fixtures get their ``request`` from pytest_fixture_setup
# rather than asking for it: under pytest 9 a fixture that asks for ``request`` costs each
# test a new fixture definition and a signature inspection (~40 us, a third of the
# fixture's own cost; benchmarks/run.py's per-test row).
_HANDED_REQUEST = frozenset(("twilio_shortcodes", "twilio_shortcodes_served"))
_SETTING_UP = threading.local()  # .requests: those fixtures' requests, innermost last


def _handed_request() -> pytest.FixtureRequest:
    """The request of the plugin's fixture being set up (pytest never calls a fixture
    function outside its set-up, so the hook below has always pushed one)."""
    request: pytest.FixtureRequest = _SETTING_UP.requests[-1]
    return request


@pytest.fixture
def twilio_shortcodes() -> Iterator[TwilioShortCodeMock]:
    """A started in-memory Twilio for the ShortCode APIs, with ``TWILIO_ACCOUNT_SID`` and
    ``TWILIO_AUTH_TOKEN`` set to its credentials, configured by the closest
    ``@pytest.mark.twilio_shortcodes`` and the ``twilio_shortcodes_*`` options. The test
    fails at teardown on requests to unmocked Twilio routes, responses that broke their
    schema, unused scripted faults, and (strict) requests that broke theirs."""
    from .mock import TwilioShortCodeMock

    options = _options(_handed_request())
    try:
        mock = TwilioShortCodeMock(
            account_sid=options["account_sid"],
            auth_token=options["auth_token"],
            validate=options["validate"],
            strict=options["strict"],
            passthrough=options["passthrough"],
            frozen_clock=options["frozen_clock"],
        )
        _seed(mock, options)
    except ValueError as error:  # the session's options were checked at start-up
        raise ValueError(f"@pytest.mark.twilio_shortcodes: {error}") from None
    yield from _one_test(mock)


@pytest.fixture(scope="session")
def twilio_shortcodes_server(request: pytest.FixtureRequest) -> Iterator[TwilioShortCodeMock]:
    """One in-memory Twilio served to other processes for the whole session (an HTTPS
    proxy on 127.0.0.1 in front of one account), so that suites driving child processes
    pay one server start, not one a test. Tests use it through
    ``twilio_shortcodes_served``, which gives each a fresh account."""
    from .mock import TwilioShortCodeMock

    defaults = request.config.stash[_DEFAULTS]
    mock = TwilioShortCodeMock(
        validate=defaults["validate"],
        strict=defaults["strict"],
        passthrough=defaults["passthrough"],
        frozen_clock=defaults["frozen_clock"],
    )
    proxy = mock._serve_across_stops()
    try:
        yield mock
    finally:
        proxy.stop()


@pytest.fixture
def twilio_shortcodes_served(
    twilio_shortcodes_server: TwilioShortCodeMock,
) -> Iterator[TwilioShortCodeMock]:
    """The session server's mock, with a fresh account for this test (reset before it),
    configured by the closest ``@pytest.mark.twilio_shortcodes`` (seed, ``validate``,
    ``strict``, ``frozen_clock``; not credentials: the server's are the session's) and
    the ``twilio_shortcodes_*`` options, whatever the test before changed; started for the
    test (so in-process clients reach the same account) with ``TWILIO_ACCOUNT_SID``/
    ``TWILIO_AUTH_TOKEN`` set; ``serve()`` returns the session's proxy. The test fails at
    teardown as with ``twilio_shortcodes``."""
    from .mock import TwilioShortCodeMock

    mock = twilio_shortcodes_server
    options = _options(_handed_request())
    fixed = [name for name in ("account_sid", "auth_token") if options[name] is not None]
    if fixed:
        raise ValueError(
            f"@pytest.mark.twilio_shortcodes: {', '.join(fixed)} cannot be set with "
            "twilio_shortcodes_served (the session server's credentials are fixed); "
            "use the twilio_shortcodes fixture"
        )
    try:  # the options checked as the constructor checks them, then given to the server
        probe = TwilioShortCodeMock(
            validate=options["validate"],
            strict=options["strict"],
            frozen_clock=options["frozen_clock"],
        )
    except ValueError as error:
        raise ValueError(f"@pytest.mark.twilio_shortcodes: {error}") from None
    mock.validate, mock.strict = probe.validate, probe.strict
    mock.frozen_clock = probe.frozen_clock  # the next reset's clock
    mock.reset()
    try:
        _seed(mock, options)
    except ValueError as error:
        mock.reset()
        raise ValueError(f"@pytest.mark.twilio_shortcodes: {error}") from None
    yield from _one_test(mock)


@pytest.fixture
def twilio_client(twilio_shortcodes: TwilioShortCodeMock) -> Any:
    """A ``twilio.rest.Client`` bound to the mock's account."""
    from twilio.rest import Client

    return Client(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)


# -- a mock a test started must not outlive it ------------------------------------------

_BEFORE = pytest.StashKey[list]()  # the mocks already active when a test's setup began
_BROADER: weakref.WeakSet[Any] = weakref.WeakSet()  # started by module/session fixtures


def _active() -> list[Any]:
    """The started mocks (none if nothing has imported the mock yet)."""
    intercept = sys.modules.get("pytest_twilio_shortcodes.intercept")
    return intercept.started() if intercept is not None else []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_BEFORE] = _active()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Generator[None, Any, Any]:
    """The plugin's fixtures are handed their request (``_handed_request``); mocks a
    fixture of a broader scope starts may outlive the test that set it up."""
    if fixturedef.scope == "function":
        if fixturedef.argname not in _HANDED_REQUEST:
            return (yield)
        requests = _SETTING_UP.__dict__.setdefault("requests", [])
        requests.append(request)
        try:
            return (yield)
        finally:
            requests.pop()
    before = _active()
    try:
        return (yield)
    finally:
        _BROADER.update(mock for mock in _active() if mock not in before)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """After every fixture's teardown: a mock the test (or a function-scoped fixture)
    started and left active is stopped, and the test fails saying which.

    A new-style wrapper (``wrapper=True``): the failure it raises is the teardown's own
    error, which pytest reports with this message and no ``PluggyTeardownRaisedWarning``."""
    failure: Optional[BaseException] = None
    try:
        yield
    except BaseException as error:  # pytest.fail() raises an OutcomeException
        failure = error
    before = item.stash.get(_BEFORE, [])
    leaked = [mock for mock in _active() if mock not in before and mock not in _BROADER]
    if not leaked:
        if failure is not None:
            raise failure
        return
    for mock in leaked:
        mock.stop()
    if isinstance(failure, (KeyboardInterrupt, SystemExit)):
        raise failure  # the run is ending: the mocks are stopped, nothing to report
    lines = [f"pytest-twilio-shortcodes: this test left {len(leaked)} mock(s) started:"]
    lines += [
        f"  TwilioShortCodeMock for account {mock.account_sid} ({len(mock.calls)} call(s) "
        "answered): now stopped"
        for mock in leaked
    ]
    lines.append(
        "  Stop every mock you start (a with block, the decorator, or the twilio_shortcodes "
        "fixture), or it answers later tests' Twilio requests."
    )
    if failure is not None:  # keep the teardown's own failure in the report
        lines.append(str(failure))
    pytest.fail("\n".join(lines), pytrace=False)
