"""The mock's clock: wall time by default; frozen (by constructor, marker, ini or method) it
moves only by ``advance_clock``, so date comparisons never depend on a ticking second."""

import time
from datetime import datetime, timedelta

import pytest
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock


def _date_updated(mock: TwilioShortCodeMock, sid: str) -> datetime:
    client = Client(mock.account_sid, mock.auth_token)
    return client.api.v2010.accounts(mock.account_sid).short_codes(sid).fetch().date_updated


def _tick(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the wall clock as the mock sees it, without waiting."""
    now = time.time() + seconds
    monkeypatch.setattr(time, "time", lambda: now)


def test_a_frozen_clock_ignores_the_wall_clock(monkeypatch):
    with TwilioShortCodeMock(frozen_clock=True) as mock:
        sid = mock.add_short_code("55001")
        before = _date_updated(mock, sid)
        _tick(monkeypatch, 3600)
        mock.short_code(sid)  # reading does not move it
        mock.advance_clock(3)
        client = Client(mock.account_sid, mock.auth_token)
        client.api.v2010.accounts(mock.account_sid).short_codes(sid).update(friendly_name="x")
        assert (_date_updated(mock, sid) - before) == timedelta(seconds=3)


def test_the_default_clock_follows_the_wall_clock(monkeypatch):
    with TwilioShortCodeMock() as mock:
        sid = mock.add_short_code("55002")
        before = _date_updated(mock, sid)
        _tick(monkeypatch, 3600)
        client = Client(mock.account_sid, mock.auth_token)
        client.api.v2010.accounts(mock.account_sid).short_codes(sid).update(friendly_name="x")
        assert (_date_updated(mock, sid) - before) >= timedelta(seconds=3600)


def test_freeze_clock_stops_it_and_reset_keeps_it_frozen(monkeypatch):
    with TwilioShortCodeMock() as mock:
        before = int(time.time())
        mock.freeze_clock()
        after = time.time()
        assert mock.frozen_clock is True
        mock.reset()
        sid = mock.add_short_code("55003")
        created = mock.short_code(sid).date_created
        _tick(monkeypatch, 7200)
        other = mock.add_short_code("55004")
        assert mock.short_code(other).date_created == created
        assert before <= created.timestamp() <= after  # the second it was frozen at


def test_frozen_clock_must_be_a_bool():
    with pytest.raises(ValueError, match="frozen_clock must be True or False, not 'yes'"):
        TwilioShortCodeMock(frozen_clock="yes")  # type: ignore[arg-type]


_SUITE = """
import time
import pytest

@pytest.mark.twilio_shortcodes(short_codes=["55005"]{marker})
def test_clock(twilio_shortcodes, monkeypatch):
    created = twilio_shortcodes.short_code("55005").date_created
    later = time.time() + 90
    monkeypatch.setattr(time, "time", lambda: later)
    twilio_shortcodes.add_short_code("55006")
    moved = twilio_shortcodes.short_code("55006").date_created - created
    assert moved.total_seconds() {expect}
"""


@pytest.mark.parametrize(
    ("ini", "marker", "expect"),
    [
        ("", "", ">= 90"),
        ("twilio_shortcodes_frozen_clock = true", "", "== 0"),
        ("", ", frozen_clock=True", "== 0"),
        ("twilio_shortcodes_frozen_clock = true", ", frozen_clock=False", ">= 90"),
    ],
)
def test_frozen_clock_from_ini_and_marker(pytester, ini, marker, expect):
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(_SUITE.format(marker=marker, expect=expect))
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)


def test_a_bad_ini_value_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\ntwilio_shortcodes_frozen_clock = maybe\n")
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*twilio_shortcodes_frozen_clock*give true or false*"])


@pytest.mark.parametrize("seconds", [-1, -3600.0, float("nan"), float("inf"), 1e13, 3.2e10])
def test_advance_clock_refuses_going_back_nan_or_past_a_thousand_years(seconds):
    with TwilioShortCodeMock(frozen_clock=True) as mock:
        sid = mock.add_short_code("12345")
        before = _date_updated(mock, sid)
        with pytest.raises(ValueError, match="advance_clock moves forward"):
            mock.advance_clock(seconds)
        client = Client(mock.account_sid, mock.auth_token)
        client.api.v2010.accounts(mock.account_sid).short_codes(sid).update(friendly_name="x")
        assert _date_updated(mock, sid) == before  # the clock did not move, nor break


def test_advance_clock_allows_up_to_a_thousand_years_in_all():
    with TwilioShortCodeMock(frozen_clock=True) as mock:
        mock.advance_clock(999 * 365 * 86400)
        mock.advance_clock(365 * 86400)
        with pytest.raises(ValueError):
            mock.advance_clock(1)
        sid = mock.add_short_code("12345")
        assert _date_updated(mock, sid).year > 2900
