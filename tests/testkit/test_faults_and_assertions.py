"""Scripted faults, recorded calls and the assertion helpers (messages pinned)."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

MESSAGING = "https://messaging.twilio.com/v1/Services"


@pytest.fixture
def world(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_short_code("12345")
    service = twilio_shortcodes.add_messaging_service("Alerts")
    return sid, service, twilio_client.messaging.v1.services(service).short_codes


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, 20500), (503, 20503)])
def test_status_faults_then_normal_service(twilio_shortcodes, world, status, code):
    sid, service, short_codes = world
    twilio_shortcodes.fail_next("POST", "messaging.v1.service.short_code", status=status, times=2)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as caught:
            short_codes.create(short_code_sid=sid)
        assert (caught.value.status, caught.value.code) == (status, code)
    assert twilio_shortcodes.messaging_service_short_codes(service) == []  # no state change
    assert short_codes.create(short_code_sid=sid).sid == sid
    assert [c.fault for c in twilio_shortcodes.calls] == [True, True, False]


def test_429_carries_retry_after(twilio_shortcodes, world):
    _, service, _ = world
    twilio_shortcodes.fail_next("GET", "messaging", status=429, retry_after=7)
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    response = requests.get(f"{MESSAGING}/{service}/ShortCodes", auth=auth)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json() == {
        "code": 20429,
        "message": "Too many requests",
        "more_info": "https://www.twilio.com/docs/errors/20429",
        "status": 429,
    }


@pytest.mark.parametrize("error", [requests.ConnectionError, requests.Timeout])
def test_connection_faults_raise_in_the_application(twilio_shortcodes, world, error):
    sid, service, short_codes = world
    twilio_shortcodes.fail_next("POST", error=error)
    with pytest.raises(error, match="scripted"):
        short_codes.create(short_code_sid=sid)
    assert twilio_shortcodes.messaging_service_short_codes(service) == []
    assert twilio_shortcodes.calls[-1].status == 0
    assert short_codes.create(short_code_sid=sid).sid == sid


def test_scripted_twilio_error_with_any_code(twilio_shortcodes, world):
    sid, _, short_codes = world
    twilio_shortcodes.fail_next(
        status=400, code=21714, message="Messaging Service Number Pool size limit reached"
    )
    with pytest.raises(TwilioRestException) as caught:
        short_codes.create(short_code_sid=sid)
    assert (caught.value.status, caught.value.code) == (400, 21714)
    assert caught.value.msg.endswith("Number Pool size limit reached")


def test_faults_match_by_short_code_and_service(twilio_shortcodes, twilio_client, world):
    sid, _, short_codes = world
    other_sid = twilio_shortcodes.add_short_code("67890")
    other_service = twilio_shortcodes.add_messaging_service("Other")
    twilio_shortcodes.fail_next(short_code="12345", status=503)  # by number
    twilio_shortcodes.fail_next(service=other_service, status=500)
    assert short_codes.create(short_code_sid=other_sid).sid == other_sid  # not matched
    with pytest.raises(TwilioRestException) as caught:
        short_codes.create(short_code_sid=sid)
    assert caught.value.status == 503
    other = twilio_client.messaging.v1.services(other_service).short_codes
    with pytest.raises(TwilioRestException) as caught:
        other(sid).fetch()
    assert caught.value.status == 500
    assert short_codes.create(short_code_sid=sid).sid == sid


def test_bad_fault_arguments():
    from pytest_twilio_shortcodes import TwilioShortCodeMock

    mock = TwilioShortCodeMock()
    with pytest.raises(ValueError, match="exactly one of status"):
        mock.fail_next("GET")
    with pytest.raises(ValueError, match="give code="):
        mock.fail_next("GET", status=418)
    with pytest.raises(ValueError, match="error must be"):
        mock.fail_next("GET", error=ValueError)
    with pytest.raises(ValueError, match="times must be"):
        mock.fail_next("GET", status=500, times=0)


def test_calls_filter_and_assertions(twilio_shortcodes, world):
    sid, service, short_codes = world
    short_codes.create(short_code_sid=sid)
    short_codes.list()
    short_codes(sid).fetch()
    assert len(twilio_shortcodes.calls.filter(method="GET")) == 2
    assert len(twilio_shortcodes.calls.filter(resource="messaging")) == 3
    assert len(twilio_shortcodes.calls.filter(params={"ShortCodeSid": sid})) == 1
    twilio_shortcodes.assert_called("POST", "messaging.v1.service.short_code", times=1)
    twilio_shortcodes.assert_called("GET", f"/v1/Services/{service}/ShortCodes/*")
    twilio_shortcodes.assert_called("POST", params={"ShortCodeSid": sid})
    found = twilio_shortcodes.assert_called("GET", f"{MESSAGING}/{service}/ShortCodes")
    assert found[0].status == 200
    twilio_shortcodes.assert_not_called("DELETE")
    twilio_shortcodes.assert_not_called("GET", "api")


def test_assertion_messages(pytester):
    pytester.makepyfile(
        """
        def test_called(twilio_shortcodes, twilio_client):
            sid = twilio_shortcodes.add_short_code("12345")
            service = twilio_shortcodes.add_messaging_service()
            twilio_client.messaging.v1.services(service).short_codes.create(short_code_sid=sid)
            twilio_client.messaging.v1.services(service).short_codes.list()
            twilio_shortcodes.assert_called("POST", "messaging", times=2)

        def test_not_called(twilio_shortcodes, twilio_client):
            service = twilio_shortcodes.add_messaging_service()
            twilio_client.messaging.v1.services(service).short_codes.list()
            twilio_shortcodes.assert_not_called("GET", "/v1/Services/*/ShortCodes")

        def test_nothing(twilio_shortcodes):
            twilio_shortcodes.assert_called("DELETE", "proxy", params={"Sid": "x"})
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: expected POST messaging to be called 2 times, it was called "
            "1 time; the calls made were:",
            "E*  POST https://messaging.twilio.com/v1/Services/MG*/ShortCodes "
            "{'ShortCodeSid': 'SC*'} -> 201",
            "E*  GET https://messaging.twilio.com/v1/Services/MG*/ShortCodes -> 200",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: expected GET /v1/Services/*/ShortCodes not to be called, it was "
            "called 1 time; the calls made were:",
            "E*  GET https://messaging.twilio.com/v1/Services/MG*/ShortCodes -> 200",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: expected DELETE proxy with params {'Sid': 'x'} to be called at "
            "least once, it was called 0 times; no calls were made",
        ]
    )


def test_teardown_messages(pytester):
    pytester.makepyfile(
        """
        import pytest, requests

        @pytest.mark.twilio_shortcodes(strict=True, messaging_services=["Alerts"])
        def test_strict(twilio_shortcodes):
            service = twilio_shortcodes.messaging_service_sid("Alerts")
            auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            assert requests.post(url, data={"ShortCodeSid": "SC1"}, auth=auth).status_code == 400

        def test_unused_fault(twilio_shortcodes):
            twilio_shortcodes.fail_next("POST", "proxy", status=429, times=2)

        def test_unmocked(twilio_shortcodes):
            requests.get("https://api.twilio.com/2010-04-01/Accounts.json")

        def test_bad_seed_data(twilio_shortcodes):
            sid = twilio_shortcodes.add_short_code("12345")
            twilio_shortcodes._find(sid).country_code = "usa"
            service = twilio_shortcodes.add_messaging_service()
            auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            try:  # the application swallows the error; the teardown check still fails the test
                requests.post(url, data={"ShortCodeSid": sid}, auth=auth)
            except Exception:
                pass

        def test_not_strict_by_default(twilio_shortcodes):
            service = twilio_shortcodes.add_messaging_service()
            auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            assert requests.post(url, data={}, auth=auth).status_code == 400
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=5, errors=4)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_strict*",
            "pytest-twilio-shortcodes: 1 request(s) broke their schema (strict mode):",
            "  POST https://messaging.twilio.com/v1/Services/MG*/ShortCodes "
            "{'ShortCodeSid': 'SC1'} -> 400",
            "    $.ShortCodeSid: 'SC1' does not match '^SC[0-9a-fA-F]{32}$'",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unused_fault*",
            "pytest-twilio-shortcodes: 1 scripted fault(s) were not used up:",
            "  POST proxy -> 429 (used 0 of 2)",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_bad_seed_data*",
            "pytest-twilio-shortcodes: 1 response(s) broke their schema:",
            "  payload does not match schema 'messaging.v1.service.short_code' (1 violation(s)):",
            "    $.country_code: 'usa' does not match '^[A-Z]{2}$'",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unmocked*",
            "pytest-twilio-shortcodes: 1 request(s) to Twilio routes this mock does not serve:",
            "  GET https://api.twilio.com/2010-04-01/Accounts.json",
        ]
    )


def test_a_response_that_breaks_its_schema_fails_loudly(twilio_shortcodes, world):
    sid, _, short_codes = world
    twilio_shortcodes._find(sid).country_code = "usa"  # bad seed data, set behind its back
    from pytest_twilio_shortcodes import SchemaValidationError

    with pytest.raises(SchemaValidationError, match=r"\$\.country_code"):
        short_codes.create(short_code_sid=sid)
    assert "country_code" in twilio_shortcodes.teardown_report()
    twilio_shortcodes.response_failures.clear()  # expected here; teardown would fail otherwise


def test_an_application_catching_exception_swallows_a_schema_failure(twilio_shortcodes, world):
    """``SchemaValidationError`` is an ``AssertionError``, so an application's ``except
    Exception`` catches it inside the HTTP call; the request was served (state changed)
    and the teardown check still fails the test."""
    sid, service, short_codes = world
    twilio_shortcodes._find(sid).country_code = "usa"

    def add_or_give_up() -> object:  # an application with a broad handler
        try:
            return short_codes.create(short_code_sid=sid)
        except Exception:
            return None

    assert add_or_give_up() is None
    assert twilio_shortcodes.messaging_service_short_codes(service) == [sid]
    assert twilio_shortcodes.teardown_report().startswith(
        "pytest-twilio-shortcodes: 1 response(s) broke their schema:"
    )
    twilio_shortcodes.response_failures.clear()  # expected here; teardown would fail otherwise
