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
        "short_codes": {}, "messaging_services": {}, "proxy_services": {}, "messages": [],
        "opted_out": {}}
    assert os.environ["TWILIO_ACCOUNT_SID"] == mock.account_sid
    assert mock.account_sid not in SEEN  # a fresh account every test
    SEEN.add(mock.account_sid)
    sid = mock.add_short_code("12345")  # the same number, every test
    service = mock.add_messaging_service(short_codes=[sid], advanced_opt_out=True)
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
