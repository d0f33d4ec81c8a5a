"""The plugin's hooks: a teardown failure is a clean error with the plugin's message."""

from __future__ import annotations

pytest_plugins = ["pytester"]


def test_a_left_started_mock_fails_teardown_without_a_pytest_warning(pytester):
    """The teardown check is a new-style hook wrapper (``wrapper=True``): the failure is the
    test's teardown error with the plugin's own message, and pytest warns about nothing (an
    old-style hookwrapper that raises gets ``PluggyTeardownRaisedWarning``)."""
    pytester.makepyfile(
        """
        from pytest_twilio_shortcodes import TwilioShortCodeMock

        def test_leaves_a_mock_started():
            TwilioShortCodeMock(account_sid="AC" + "4" * 32).start()
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-W", "default")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaves_a_mock_started*",
            "pytest-twilio-shortcodes: this test left 1 mock(s) started:",
            f"  TwilioShortCodeMock for account AC{'4' * 32} (0 call(s) answered): now stopped",
        ]
    )
    output = result.stdout.str() + result.stderr.str()
    assert "PluggyTeardownRaisedWarning" not in output
    assert "hookwrapper" not in output
    assert "warnings summary" not in output


def test_a_teardown_failure_of_the_test_is_kept_beside_the_plugins(pytester):
    """A fixture whose own teardown fails and that leaves a mock started: one teardown
    error showing both messages, still without a pytest warning."""
    pytester.makepyfile(
        """
        import pytest
        from pytest_twilio_shortcodes import TwilioShortCodeMock

        @pytest.fixture
        def broken():
            TwilioShortCodeMock(account_sid="AC" + "5" * 32).start()
            yield
            raise RuntimeError("the fixture's own teardown broke")

        def test_uses_a_broken_fixture(broken):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-W", "default")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_uses_a_broken_fixture*",
            "pytest-twilio-shortcodes: this test left 1 mock(s) started:",
            f"  TwilioShortCodeMock for account AC{'5' * 32} (0 call(s) answered): now stopped",
            "*the fixture's own teardown broke",
        ]
    )
    output = result.stdout.str() + result.stderr.str()
    assert "PluggyTeardownRaisedWarning" not in output
    assert "warnings summary" not in output
