"""The fixture beside the user's own responses mocks, in either order of activation."""

from __future__ import annotations

import pytest
import requests
import responses

from pytest_twilio_shortcodes import TwilioShortCodeMock

OTHER = "https://api.example.com/data"


def twilio_works(mock):
    service = mock.add_messaging_service()
    response = requests.get(
        f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes",
        auth=(mock.account_sid, mock.auth_token),
    )
    assert response.status_code == 200
    assert response.json()["meta"]["key"] == "short_codes"


@responses.activate
def test_responses_activate_started_after_the_fixture(twilio_shortcodes):
    responses.add(responses.GET, OTHER, json={"from": "user"})
    assert requests.get(OTHER).json() == {"from": "user"}
    twilio_works(twilio_shortcodes)
    assert len(responses.calls) == 1  # the user's mock never saw the Twilio request


def test_requests_mock_started_after_the_fixture(twilio_shortcodes):
    with responses.RequestsMock() as user:
        user.add(responses.GET, OTHER, body="user")
        assert requests.get(OTHER).text == "user"
        twilio_works(twilio_shortcodes)
        assert len(user.calls) == 1


@pytest.fixture
def user_mock_first():
    with responses.RequestsMock() as user:
        user.add(responses.GET, OTHER, body="user, started first")
        yield user


def test_requests_mock_started_before_the_fixture(user_mock_first, twilio_shortcodes):
    assert requests.get(OTHER).text == "user, started first"
    twilio_works(twilio_shortcodes)
    assert len(user_mock_first.calls) == 1


def test_responses_activate_started_before_the_mock():
    @responses.activate
    def run():
        responses.add(responses.GET, OTHER, body="outer")
        with TwilioShortCodeMock() as mock:
            assert requests.get(OTHER).text == "outer"
            twilio_works(mock)
        assert requests.get(OTHER).text == "outer"

    run()


def test_pytest_responses_fixture(pytester):
    pytest.importorskip("pytest_responses", reason="pytest-responses is in the test extra")
    pytester.makepyfile(
        """
        import requests

        def test_both(responses, twilio_shortcodes):
            responses.add(responses.GET, "https://api.example.com/x", body="pytest-responses")
            assert requests.get("https://api.example.com/x").text == "pytest-responses"
            service = twilio_shortcodes.add_messaging_service()
            auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            assert requests.get(url, auth=auth).status_code == 200

        def test_autostarted_mock_alone(twilio_shortcodes):
            # pytest-responses starts responses for every test; Twilio still reaches the mock.
            service = twilio_shortcodes.add_messaging_service()
            auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            assert requests.get(url, auth=auth).status_code == 200
        """
    )
    result = pytester.runpytest_subprocess()  # pytest-responses loads itself
    result.assert_outcomes(passed=2)
