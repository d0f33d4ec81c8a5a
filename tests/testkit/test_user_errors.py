"""Mistakes users make get messages that say what to do (each message pinned)."""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock
from pytest_twilio_shortcodes.apis import ROUTES

MESSAGING = "https://messaging.twilio.com/v1/Services"
TESTING_TOOLS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing-tools.md"
OTHER_ACCOUNT = "AC" + "1" * 32
RESOURCES = sorted({route.resource for route in ROUTES})


# -- a 401: which SID was sent, which one the mock has, and how to line them up ------------

THREE_WAYS = [
    "  - build the client from the environment: twilio.rest.Client() with no arguments "
    "reads TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, which the twilio_shortcodes fixture "
    "sets to the mock's credentials;",
    "  - use the twilio_client fixture, a Client bound to the mock's account;",
    "  - give the mock your application's credentials: "
    "@pytest.mark.twilio_shortcodes(account_sid=..., auth_token=...) "
    "(or TwilioShortCodeMock(account_sid=..., auth_token=...)).",
]


def test_a_401_from_the_applications_own_credentials_explains_itself(pytester):
    pytester.makepyfile(
        f"""
        from twilio.rest import Client

        SID, TOKEN = "{OTHER_ACCOUNT}", "{"2" * 32}"  # the application's own settings

        def test_app_with_its_own_settings(twilio_shortcodes):
            service = twilio_shortcodes.add_messaging_service()
            client = Client(SID, TOKEN)
            for _ in range(3):  # explained once
                try:
                    client.messaging.v1.services(service).short_codes.list()
                except Exception:
                    pass
            assert twilio_shortcodes.calls[-1].status == 200

        def test_a_deliberate_401_passes_quietly(twilio_shortcodes):
            service = twilio_shortcodes.add_messaging_service()
            short_codes = Client(SID, TOKEN).messaging.v1.services(service).short_codes
            try:
                short_codes.list()
            except Exception:
                pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Captured log call*",
            "WARNING *pytest-twilio-shortcodes: a request was refused with 401 Authenticate: "
            f"it sent account SID {OTHER_ACCOUNT}; the mock's account is AC*. Line the "
            "credentials up in one of three ways:",
            *THREE_WAYS,
            "*short test summary info*",
        ]
    )
    assert result.stdout.str().count("was refused with 401") == 1  # only the failed test's


@pytest.mark.parametrize(
    ("auth", "sent"),
    [
        (None, "it sent no credentials"),
        ("same account", "it sent the mock's account SID {sid} with another auth token"),
        (
            "unknown key",
            "it sent API key SK{x}, which this mock did not issue (add_api_key() does)",
        ),
        ("issued key", "it sent API key {key} with another secret"),
        ("bearer", "its Authorization header is not HTTP Basic credentials"),
        ("garbage", "its Authorization header is not HTTP Basic credentials"),
    ],
)
def test_each_kind_of_refusal_is_named(twilio_shortcodes, caplog, auth, sent):
    service = twilio_shortcodes.add_messaging_service()
    key, _ = twilio_shortcodes.add_api_key()
    url = f"{MESSAGING}/{service}/ShortCodes"
    headers = {}
    if auth == "same account":
        headers["Authorization"] = _basic(twilio_shortcodes.account_sid, "0" * 32)
    elif auth == "unknown key":
        headers["Authorization"] = _basic("SK" + "f" * 32, "x")
    elif auth == "issued key":
        headers["Authorization"] = _basic(key, "x")
    elif auth == "bearer":
        headers["Authorization"] = "Bearer abc"
    elif auth == "garbage":
        headers["Authorization"] = "Basic !!!"
    with caplog.at_level(logging.WARNING, logger="pytest_twilio_shortcodes"):
        response = requests.get(url, headers=headers)
    assert response.status_code == 401
    assert "pytest-twilio-shortcodes" not in response.text  # the wire body stays Twilio's
    (record,) = caplog.records
    expected = sent.format(sid=twilio_shortcodes.account_sid, x="f" * 32, key=key)
    assert record.getMessage().startswith(
        f"pytest-twilio-shortcodes: a request was refused with 401 Authenticate: {expected}. "
    )


def test_the_hint_comes_once_per_credentials_and_again_after_reset(caplog):
    with TwilioShortCodeMock() as mock, caplog.at_level(logging.WARNING):
        service = mock.add_messaging_service()
        client = Client(OTHER_ACCOUNT, "2" * 32)
        for _ in range(2):
            with pytest.raises(TwilioRestException):
                client.messaging.v1.services(service).short_codes(SC).fetch()
        assert len(caplog.records) == 1
        mock.reset()
        service = mock.add_messaging_service()
        with pytest.raises(TwilioRestException):
            client.messaging.v1.services(service).short_codes(SC).fetch()
        assert len(caplog.records) == 2


SC = "SC" + "a" * 32


def _basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


# -- fixed credentials are checked up front -------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"account_sid": "ACtest"},
            "account_sid 'ACtest' must be 'AC' followed by 32 hexadecimal digits, as a Twilio "
            "account SID is; leave them out for fresh test credentials",
        ),
        (
            {"account_sid": "SK" + "a" * 32},
            "account_sid 'SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' must be 'AC' followed by",
        ),
        (
            {"auth_token": "t0ken"},
            "auth_token must be 32 hexadecimal digits, as a Twilio auth token is (the one "
            "given: 5 characters); leave them out for fresh test credentials",
        ),
        (
            {"account_sid": "AC" + "g" * 32, "auth_token": "z" * 32},
            "account_sid 'ACgggggggggggggggggggggggggggggggg' must be 'AC' followed by 32 "
            "hexadecimal digits, as a Twilio account SID is; auth_token must be 32 "
            "hexadecimal digits, as a Twilio auth token is (the one given: 32 characters)",
        ),
        ({"strict": "yes"}, "strict must be True or False, not 'yes'"),
    ],
)
def test_the_constructor_checks_its_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        TwilioShortCodeMock(**kwargs)


def test_fixed_credentials_that_are_well_formed_are_taken():
    mock = TwilioShortCodeMock(account_sid="AC" + "aB" * 16, auth_token="Ff" * 16)
    assert (mock.account_sid, mock.auth_token) == ("AC" + "aB" * 16, "Ff" * 16)


def test_the_serve_command_checks_credentials(capsys):
    from pytest_twilio_shortcodes.__main__ import main

    assert main(["serve", "--account-sid", "ACtest", "--auth-token", "secret"]) == 2
    assert capsys.readouterr().err == (
        "error: account_sid 'ACtest' must be 'AC' followed by 32 hexadecimal digits, as a "
        "Twilio account SID is; auth_token must be 32 hexadecimal digits, as a Twilio auth "
        "token is (the one given: 6 characters); leave them out for fresh test credentials\n"
    )


def test_the_marker_checks_credentials_at_set_up(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.twilio_shortcodes(account_sid="ACtest")
        def test_bad_sid(twilio_shortcodes):
            pass

        @pytest.mark.twilio_shortcodes(short_codes=["1234"])
        def test_bad_seed(twilio_shortcodes):
            pass
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ValueError: @pytest.mark.twilio_shortcodes: account_sid 'ACtest' must be 'AC' "
            "followed by 32 hexadecimal digits*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["*ValueError: @pytest.mark.twilio_shortcodes: short_code '1234' must be 5 or 6 digits*"]
    )


# -- resource names are checked where they are written --------------------------------------

VALID = (
    "one of api, api.v2010, api.v2010.account, api.v2010.account.incoming_phone_number, "
    "api.v2010.account.message, api.v2010.account.short_code, messaging, "
    "messaging.v1, messaging.v1.service, messaging.v1.service.alpha_sender, "
    "messaging.v1.service.phone_number, "
    "messaging.v1.service.short_code, proxy, proxy.v1, "
    "proxy.v1.service, proxy.v1.service.short_code"
)


def test_an_unknown_resource_name_lists_the_valid_ones(twilio_shortcodes):
    message = (
        "unknown Twilio resource 'mesaging': give a resource name or a prefix of one, " + VALID
    )
    with pytest.raises(ValueError, match=re.escape(message) + "$"):
        twilio_shortcodes.fail_next("POST", "mesaging", status=429)
    assert twilio_shortcodes.faults == []
    paths = "; or a path starting with '/' (with * globs), or a URL"
    plural = "messaging.v1.services.short_codes"
    for check in (
        lambda: twilio_shortcodes.assert_called("POST", plural),
        lambda: twilio_shortcodes.assert_not_called("POST", plural),
        lambda: twilio_shortcodes.calls.filter(resource=plural),
    ):
        with pytest.raises(
            ValueError, match=re.escape(f"{plural!r}: give") + ".*" + re.escape(paths)
        ):
            check()


def test_every_valid_name_prefix_path_and_url_is_taken(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_short_code("12345")
    service = twilio_shortcodes.add_messaging_service()
    twilio_client.messaging.v1.services(service).short_codes.create(short_code_sid=sid)
    for name in re.findall(r"[a-z0-9._]+", VALID.removeprefix("one of ")):
        twilio_shortcodes.calls.filter(resource=name)
        twilio_shortcodes.fail_next("DELETE", name, status=503)
        twilio_shortcodes.faults.clear()
    twilio_shortcodes.assert_called("POST", "messaging.v1.service", times=1)
    twilio_shortcodes.assert_called("POST", "/v1/Services/*/ShortCodes", times=1)
    twilio_shortcodes.assert_not_called("GET", "https://messaging.twilio.com/v1/Services")


def test_the_valid_names_come_from_the_route_table_and_the_docs_list_them():
    names = re.findall(r"[a-z0-9._]+", VALID.removeprefix("one of "))
    assert set(RESOURCES) <= set(names)
    assert all(any(r == n or r.startswith(n + ".") for r in RESOURCES) for n in names)
    page = TESTING_TOOLS_PAGE.read_text(encoding="utf-8")
    section = page[page.index("### Resource names") :]
    for resource in RESOURCES:
        assert f"| `{resource}` |" in section


# -- option values are checked once, at start-up ---------------------------------------------


@pytest.mark.parametrize(
    ("ini", "args", "message"),
    [
        (
            "twilio_shortcodes_strict = maybe",
            (),
            "ERROR: twilio_shortcodes_strict: invalid truth value 'maybe'; give true or false "
            "(yes/no, on/off, 1/0)",
        ),
        (
            "twilio_shortcodes_validate = sometimes",
            (),
            "ERROR: twilio_shortcodes_validate must be one of all, requests, responses, none, "
            "not 'sometimes'",
        ),
        (
            "twilio_shortcodes_passthrough =\n    localhost\n    *.twilio.com",
            (),
            "ERROR: twilio_shortcodes_passthrough: '*.twilio.com' names Twilio hosts, which "
            "never pass through (every Twilio request is answered by the mock); remove it",
        ),
        (
            "",
            ("--twilio-shortcodes-passthrough=API.Twilio.com",),
            "ERROR: --twilio-shortcodes-passthrough: 'API.Twilio.com' names Twilio hosts, "
            "which never pass through*",
        ),
    ],
)
def test_a_bad_option_is_one_usage_error_at_start_up(pytester, ini, args, message):
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile("def test_one(twilio_shortcodes): pass\ndef test_two(): pass")
    result = pytester.runpytest_subprocess(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "test_one" not in result.stdout.str()


# -- strict mode, and invalid requests sent on purpose ---------------------------------------


def test_strict_mode_allows_invalid_requests_in_a_block_and_says_how(pytester):
    pytester.makepyfile(
        """
        import pytest, requests

        def post(mock, data):
            service = mock.add_messaging_service()
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            return requests.post(url, data=data, auth=(mock.account_sid, mock.auth_token))

        @pytest.mark.twilio_shortcodes(strict=True)
        def test_on_purpose(twilio_shortcodes):
            with twilio_shortcodes.allow_invalid_requests():
                assert post(twilio_shortcodes, {"ShortCodeSid": "SC1"}).status_code == 400
            assert twilio_shortcodes.calls[-1].schema_errors  # still recorded

        @pytest.mark.twilio_shortcodes(strict=True)
        def test_by_accident(twilio_shortcodes):
            with twilio_shortcodes.allow_invalid_requests():
                post(twilio_shortcodes, {"ShortCodeSid": "SC1"})
            post(twilio_shortcodes, {"ShortCodeSid": "SC2"})
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_by_accident*",
            "pytest-twilio-shortcodes: 1 request(s) broke their schema (strict mode):",
            "  POST https://messaging.twilio.com/v1/Services/MG*/ShortCodes "
            "{'ShortCodeSid': 'SC2'} -> 400",
            "    $.ShortCodeSid: 'SC2' does not match '^SC[0-9a-fA-F]{32}$'",
            "  To send invalid requests on purpose, make them inside "
            "`with twilio_shortcodes.allow_invalid_requests():`, or turn strict mode off for "
            "the test: @pytest.mark.twilio_shortcodes(strict=False).",
        ]
    )
    assert "'SC1'" not in result.stdout.str()


def test_the_documented_teardown_example_is_what_pytest_prints(pytester):
    page = TESTING_TOOLS_PAGE.read_text(encoding="utf-8")
    section = page[page.index("## Teardown checks") :]
    example = section.split("```\n", 2)[1].splitlines()
    pytester.makepyfile(
        """
        import socket
        import pytest, requests

        @pytest.mark.twilio_shortcodes(strict=True)
        def test_everything_at_once(twilio_shortcodes):
            mock = twilio_shortcodes
            auth = (mock.account_sid, mock.auth_token)
            requests.post(
                f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Calls.json",
                data={"To": "+15555550100"}, auth=auth,
            )
            with pytest.raises(ConnectionRefusedError):  # a client the mock does not serve
                socket.getaddrinfo("api.twilio.com", 443)
            service = mock.add_messaging_service()
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            requests.post(url, data={"ShortCodeSid": "SC1"}, auth=auth)
            mock.fail_next("POST", "proxy", status=429, times=2)
            mock.fail_delivery("+15558675310")
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.re_match_lines(
        [re.escape(line).replace("…", "[0-9a-f]{32}") + "$" for line in example]
    )
