"""State never leaks from one test to the next, in random order and under pytest-xdist."""

from __future__ import annotations

SUITE = """
import os
import pytest
import requests

SEEN = set()


@pytest.mark.parametrize("n", range(40))
def test_starts_clean_and_leaves_a_mess(twilio_shortcodes, n):
    mock = twilio_shortcodes
    assert mock.calls == [] and mock.faults == [] and mock.snapshot() == {
        "short_codes": {}, "phone_numbers": {}, "messaging_services": {}, "proxy_services": {},
        "messages": [], "opted_out": {}}
    assert os.environ["TWILIO_ACCOUNT_SID"] == mock.account_sid
    assert mock.account_sid not in SEEN  # a fresh account every test
    SEEN.add(mock.account_sid)
    sid = mock.add_short_code("12345")  # the same number, every test
    service = mock.add_messaging_service(
        short_codes=[sid], phone_numbers=["+14155550100"], advanced_opt_out=True
    )
    mock.add_proxy_service(short_codes=[sid])
    mock.add_opt_out("+15558675310", service)
    sent = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json",
        data={"To": "+15558675311", "MessagingServiceSid": service, "Body": "hi"},
        auth=(mock.account_sid, mock.auth_token),
    )
    assert sent.status_code == 201
    url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
    page = requests.get(url, auth=(mock.account_sid, mock.auth_token)).json()
    assert [sc["sid"] for sc in page["short_codes"]] == [sid]
    mock.fail_next("GET", status=500)  # an unused fault in the next test would fail it
    requests.get(url, auth=(mock.account_sid, mock.auth_token))


def test_after_everything(twilio_shortcodes):
    assert twilio_shortcodes.snapshot()["short_codes"] == {}
    assert "TWILIO_ACCOUNT_SID" in os.environ
"""


def test_random_order(pytester):
    pytester.makepyfile(test_mess=SUITE)
    for seed in ("1", "2", "3"):
        result = pytester.runpytest_subprocess(
            "-p", "randomly", "-p", "no:cacheprovider", f"--randomly-seed={seed}"
        )
        result.assert_outcomes(passed=41)


def test_random_order_under_xdist(pytester):
    pytester.makepyfile(test_mess=SUITE)
    result = pytester.runpytest_subprocess("-n", "4", "--randomly-seed=7")
    result.assert_outcomes(passed=41)


def test_credentials_are_restored_after_the_test(pytester):
    pytester.makepyfile(
        """
        import os
        import pytest

        @pytest.fixture(autouse=True)
        def outer(monkeypatch):
            monkeypatch.setenv("TWILIO_ACCOUNT_SID", "ACmine")

        def test_inside(twilio_shortcodes):
            assert os.environ["TWILIO_ACCOUNT_SID"] == twilio_shortcodes.account_sid

        def test_without_the_fixture():
            assert os.environ["TWILIO_ACCOUNT_SID"] == "ACmine"
            assert "TWILIO_AUTH_TOKEN" not in os.environ
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_a_mock_a_test_left_started_is_stopped_and_named(pytester):
    """A test that crashes between ``start()`` and ``stop()`` (or never stops its mock)
    fails at teardown naming the mock; later tests never reach it."""
    pytester.makepyfile(
        """
        import pytest
        import requests
        from pytest_twilio_shortcodes import TwilioShortCodeMock

        STARTED_AT_IMPORT = TwilioShortCodeMock().start()  # not any test's: left alone
        LEFT = []

        @pytest.fixture(scope="module")
        def module_mock():
            with TwilioShortCodeMock() as mock:  # a broader scope's: may outlive a test
                yield mock

        @pytest.fixture
        def sloppy():
            mock = TwilioShortCodeMock(account_sid="AC" + "2" * 32)
            yield mock.start()  # never stopped

        def test_crashes_with_a_started_mock():
            mock = TwilioShortCodeMock(account_sid="AC" + "1" * 32)
            LEFT.append(mock)
            mock.start()
            raise RuntimeError("the application crashed")

        def test_a_sloppy_fixture(sloppy):
            LEFT.append(sloppy)

        def test_both_teardown_failures_are_kept(twilio_shortcodes):
            twilio_shortcodes.fail_next(status=503)
            LEFT.append(TwilioShortCodeMock(account_sid="AC" + "3" * 32).start())

        def test_later_tests_never_reach_them():
            assert [mock._started for mock in LEFT] == [False, False, False]
            url = "https://api.twilio.com/2010-04-01/Accounts/AC1/SMS/ShortCodes.json"
            assert requests.get(url).status_code == 401  # the import-time mock answers
            assert STARTED_AT_IMPORT.calls[-1].url == url

        def test_broader_scopes_are_left_alone(module_mock):
            pass

        def test_after_the_module_fixture(module_mock):
            assert module_mock._started
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=5, failed=1, errors=3)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_crashes_with_a_started_mock*",
            "pytest-twilio-shortcodes: this test left 1 mock(s) started:",
            f"  TwilioShortCodeMock for account AC{'1' * 32} (0 call(s) answered): now stopped",
            "  Stop every mock you start (a with block, the decorator, or the twilio_shortcodes "
            "fixture), or it answers later tests' Twilio requests.",
            "*ERROR at teardown of test_a_sloppy_fixture*",
            "pytest-twilio-shortcodes: this test left 1 mock(s) started:",
            f"  TwilioShortCodeMock for account AC{'2' * 32} (0 call(s) answered): now stopped",
            "*ERROR at teardown of test_both_teardown_failures_are_kept*",
            f"  TwilioShortCodeMock for account AC{'3' * 32} (0 call(s) answered): now stopped",
            "*",
            "pytest-twilio-shortcodes: 1 scripted fault(s) were not used up:",
        ]
    )
