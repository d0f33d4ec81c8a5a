"""The twilio_shortcodes marker and the ini/command-line options."""

from __future__ import annotations

import pytest
import requests

MESSAGING = "https://messaging.twilio.com/v1/Services"


@pytest.mark.twilio_shortcodes(
    short_codes=["12345", "67890"],
    messaging_services={"Alerts": ["12345", "24680"]},
    proxy_services=["pool"],
)
def test_marker_seeds_the_account(twilio_shortcodes, twilio_client):
    alerts = twilio_shortcodes.messaging_service_sid("Alerts")
    listed = twilio_client.messaging.v1.services(alerts).short_codes.list()
    assert [sc.short_code for sc in listed] == ["12345", "24680"]  # 24680 was bought for it
    numbers = [sc.short_code for sc in twilio_client.short_codes.list()]
    assert numbers == ["12345", "67890", "24680"]
    pool = twilio_shortcodes.proxy_service_sid("pool")
    assert twilio_shortcodes.proxy_service_short_codes(pool) == []


@pytest.mark.twilio_shortcodes(account_sid="AC" + "a" * 32, auth_token="0123456789abcdef" * 2)
def test_marker_fixes_the_credentials(twilio_shortcodes):
    assert (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token) == (
        "AC" + "a" * 32,
        "0123456789abcdef" * 2,
    )
    import os

    assert os.environ["TWILIO_ACCOUNT_SID"] == "AC" + "a" * 32


@pytest.mark.twilio_shortcodes(short_codes=["11111"], validate="none")
class TestClosestMarkerWins:
    def test_class_marker(self, twilio_shortcodes):
        assert twilio_shortcodes.validate == "none"
        assert twilio_shortcodes.short_code("11111").short_code == "11111"

    @pytest.mark.twilio_shortcodes(short_codes=["22222"], strict=True)
    def test_method_marker(self, twilio_shortcodes):
        assert twilio_shortcodes.strict is True
        assert twilio_shortcodes.validate == "all"  # not merged with the class marker
        with pytest.raises(KeyError):
            twilio_shortcodes.short_code("11111")


def test_seeding_accepts_any_iterable(twilio_shortcodes):
    sids = twilio_shortcodes.add_short_codes(str(n) for n in range(70000, 70100))
    service = twilio_shortcodes.add_messaging_service(short_codes=iter(sids[:60]))
    assert twilio_shortcodes.messaging_service_short_codes(service) == sids[:60]
    with pytest.raises(ValueError, match="associated with another Messaging Service"):
        twilio_shortcodes.add_messaging_service(short_codes=[sids[0]])


def test_unknown_marker_keywords_are_one_short_error_naming_each_with_a_suggestion(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.twilio_shortcodes(shortcodes=["12345"], stict=True, colour="red")
        def test_typos(twilio_shortcodes):
            pass

        @pytest.mark.twilio_shortcodes("12345", short_code="12345")
        def test_positional(twilio_shortcodes):
            pass

        @pytest.mark.twilio_shortcodes(short_codes=["12345"], strict=True)
        def test_fine(twilio_shortcodes):
            assert twilio_shortcodes.short_code("12345")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=2)
    valid = (
        "valid: short_codes, messaging_services, proxy_services, validate, strict, "
        "account_sid, auth_token, frozen_clock"
    )
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_typos*",
            "@pytest.mark.twilio_shortcodes: unknown keywords 'shortcodes' (did you mean "
            f"'short_codes'?), 'stict' (did you mean 'strict'?), 'colour'; {valid}",
            "*ERROR at setup of test_positional*",
            "@pytest.mark.twilio_shortcodes: takes keyword arguments only, not ('12345',); "
            f"unknown keyword 'short_code' (did you mean 'short_codes'?); {valid}",
        ]
    )
    output = result.stdout.str()
    assert "Traceback" not in output and "plugin.py" not in output  # no traceback
    lines = output.splitlines()
    first = next(n for n, line in enumerate(lines) if " ERRORS " in line)
    last = next(n for n, line in enumerate(lines) if "short test summary" in line)
    assert last - first - 1 == 4  # per test: its header and its one line


def test_marker_is_registered_with_its_signature(pytester):
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.twilio_shortcodes(short_codes=(), messaging_services=(), "
            "proxy_services=(), validate=None, strict=None, account_sid=None, "
            "auth_token=None, frozen_clock=None): *"
        ]
    )


def test_ini_options(pytester):
    pytester.makeini(
        """
        [pytest]
        twilio_shortcodes_validate = responses
        twilio_shortcodes_strict = true
        twilio_shortcodes_passthrough =
            localhost
            *.example.org
        """
    )
    pytester.makepyfile(
        """
        def test_options(twilio_shortcodes):
            assert twilio_shortcodes.validate == "responses"
            assert twilio_shortcodes.strict is True
            assert twilio_shortcodes.passthrough == ("localhost", "*.example.org")
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_command_line_options_win_over_ini(pytester):
    pytester.makeini("[pytest]\ntwilio_shortcodes_validate = responses\n")
    pytester.makepyfile(
        """
        def test_options(twilio_shortcodes):
            assert twilio_shortcodes.validate == "none"
            assert twilio_shortcodes.strict is True
            assert twilio_shortcodes.passthrough == ("127.0.0.1",)
        """
    )
    result = pytester.runpytest_subprocess(
        "--twilio-shortcodes-validate=none",
        "--twilio-shortcodes-strict",
        "--twilio-shortcodes-passthrough=127.0.0.1",
    )
    result.assert_outcomes(passed=1)


def test_a_bad_ini_value_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\ntwilio_shortcodes_validate = sometimes\n")
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*twilio_shortcodes_validate must be one of*'sometimes'*"])


@pytest.mark.parametrize("validate", ["none", "responses"])
def test_request_validation_off_still_answers_missing_parameters(twilio_shortcodes, validate):
    twilio_shortcodes.validate = validate
    service = twilio_shortcodes.add_messaging_service()
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    response = requests.post(f"{MESSAGING}/{service}/ShortCodes", data={}, auth=auth)
    assert (response.status_code, response.json()["code"]) == (400, 20001)
    assert twilio_shortcodes.calls[-1].schema_errors == []  # the schema did not run
    malformed = requests.post(
        f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": "x"}, auth=auth
    )
    assert (malformed.status_code, malformed.json()["code"]) == (400, 21421)


def test_passthrough_limits_other_hosts(pytester):
    pytester.makepyfile(
        """
        import pytest, requests

        def test_blocked(twilio_shortcodes):
            with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
                requests.get("http://blocked.invalid/")
            # Allowed through: it reaches the network, where nothing listens on port 9.
            with pytest.raises(requests.ConnectionError) as caught:
                requests.get("http://127.0.0.1:9/")
            assert "by Responses" not in str(caught.value)
        """
    )
    # Without pytest-responses, whose auto-started mock would stand in for the network.
    result = pytester.runpytest_subprocess(
        "-p", "no:pytest-responses", "--twilio-shortcodes-passthrough=127.0.0.1"
    )
    result.assert_outcomes(passed=1)


def test_twilio_hosts_cannot_pass_through():
    from pytest_twilio_shortcodes import TwilioShortCodeMock

    with pytest.raises(ValueError, match="Twilio hosts never pass through"):
        TwilioShortCodeMock(passthrough=["api.twilio.com"])
    with pytest.raises(ValueError, match="validate must be one of"):
        TwilioShortCodeMock(validate="sometimes")


def test_the_marker_reaches_the_fixture_however_it_is_requested(pytester):
    """The fixture reads the test's marker through the request pytest hands its set-up
    (it does not ask for ``request`` itself): requested late with ``getfixturevalue``,
    through a fixture of the user's, or under a fixture of the same name that overrides
    it, the closest marker still seeds it."""
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def alerts(twilio_shortcodes):
            return twilio_shortcodes.messaging_service_sid("Alerts")
        """
    )
    pytester.makepyfile(
        test_overridden="""
        import pytest

        @pytest.fixture
        def twilio_shortcodes(twilio_shortcodes):
            twilio_shortcodes.add_short_code("99999")
            return twilio_shortcodes

        @pytest.mark.twilio_shortcodes(short_codes=["12345"])
        def test_override(twilio_shortcodes):
            held = twilio_shortcodes.snapshot()["short_codes"].values()
            assert [s["short_code"] for s in held] == ["12345", "99999"]
        """,
        test_ways="""
        import pytest

        pytestmark = pytest.mark.twilio_shortcodes(messaging_services=["Alerts"])

        def test_through_a_user_fixture(alerts, twilio_shortcodes):
            assert alerts.startswith("MG")

        @pytest.mark.twilio_shortcodes(short_codes=["24680"], validate="none")
        def test_late(request):
            mock = request.getfixturevalue("twilio_shortcodes")
            assert mock.validate == "none"
            held = mock.snapshot()["short_codes"].values()
            assert [s["short_code"] for s in held] == ["24680"]

        def test_served(twilio_shortcodes_served):
            assert twilio_shortcodes_served.messaging_service_sid("Alerts").startswith("MG")
        """,
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=4)
