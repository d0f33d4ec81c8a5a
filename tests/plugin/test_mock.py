"""The mock outside the fixture, seeding rules, interception and coexistence."""

from __future__ import annotations

import http.server
import threading

import pytest
import requests
import responses
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock

MESSAGING = "https://messaging.twilio.com/v1/Services"


def test_context_manager_and_credentials():
    with TwilioShortCodeMock() as mock:
        assert mock.account_sid.startswith("AC") and len(mock.account_sid) == 34
        int(mock.account_sid[2:], 16)
        assert len(mock.auth_token) == 32
        service = mock.add_messaging_service()
        client = Client(mock.account_sid, mock.auth_token)
        assert client.messaging.v1.services(service).short_codes.list() == []
    assert TwilioShortCodeMock().account_sid != mock.account_sid
    # Stopped: the mock no longer answers; a request would go to the (absent) network.
    assert mock.responses is None


def test_decorator():
    mock = TwilioShortCodeMock()

    @mock
    def add_and_count(number: str) -> int:
        sid = mock.add_short_code(number)
        service = mock.add_messaging_service()
        client = Client(mock.account_sid, mock.auth_token)
        client.messaging.v1.services(service).short_codes.create(short_code_sid=sid)
        return len(client.messaging.v1.services(service).short_codes.list())

    assert add_and_count.__name__ == "add_and_count"
    assert add_and_count("12345") == 1
    assert mock.responses is None


def test_fixed_credentials():
    with TwilioShortCodeMock(account_sid="AC" + "1" * 32, auth_token="5" * 32) as mock:
        service = mock.add_messaging_service()
        response = requests.get(
            f"{MESSAGING}/{service}/ShortCodes", auth=("AC" + "1" * 32, "5" * 32)
        )
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("1234",), {}, "short_code '1234' must be 5 or 6 digits"),
        (("1234567",), {}, "must be 5 or 6 digits"),
        (("12a45",), {}, "must be 5 or 6 digits"),
        (("12345\n",), {}, "must be 5 or 6 digits"),
        (("12345",), {"sms_method": "PUT"}, "sms_method 'PUT' must be GET or POST"),
        (("12345",), {"sms_fallback_method": "get"}, "sms_fallback_method 'get'"),
        (("12345",), {"capabilities": ("VOICE",)}, "capabilities"),
        (("12345",), {"capabilities": ()}, "capabilities"),
        (("12345",), {"api_version": "2012-01-01"}, "api_version"),
        (("12345",), {"country_code": "usa"}, "country_code"),
        (("12345",), {"country_code": "US\n"}, "country_code"),
        (("12345",), {"friendly_name": "x" * 65}, "friendly_name"),
    ],
)
def test_add_short_code_rejects_bad_arguments(twilio_shortcodes, args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        twilio_shortcodes.add_short_code(*args, **kwargs)


def test_add_short_code_rejects_a_duplicate_and_names_every_problem(twilio_shortcodes):
    twilio_shortcodes.add_short_code("12345")
    with pytest.raises(ValueError, match="already in the account") as caught:
        twilio_shortcodes.add_short_code("12345", sms_method="PUT")
    assert "sms_method" in str(caught.value)


def test_reset_forgets_everything(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    service = twilio_shortcodes.add_messaging_service()
    key_sid, secret = twilio_shortcodes.add_api_key()
    requests.get(f"{MESSAGING}/{service}/ShortCodes", auth=(key_sid, secret))
    assert twilio_shortcodes.calls
    twilio_shortcodes.reset()
    assert twilio_shortcodes.calls == []
    with pytest.raises(KeyError):
        twilio_shortcodes.short_code(sid)
    response = requests.get(f"{MESSAGING}/{service}/ShortCodes", auth=(key_sid, secret))
    assert response.status_code == 401
    twilio_shortcodes.add_short_code("12345")  # the number is free again


def test_unmocked_twilio_route_gets_a_404_and_is_recorded(twilio_shortcodes):
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/Calls.json"
    response = requests.post(url, data={"To": "+15555550100"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == 20404
    assert "does not mock this Twilio route" in body["message"]
    assert [c.url for c in twilio_shortcodes.unmatched] == [url]
    twilio_shortcodes.unmatched.clear()  # this test expects it; teardown would fail otherwise


def test_unmocked_route_fails_the_test_at_teardown(pytester):
    pytester.makepyfile(
        """
        import requests

        def test_makes_a_call(twilio_shortcodes):
            requests.post("https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json")
            requests.get("https://verify.twilio.com/v2/Services")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*pytest-twilio-shortcodes: 2 request(s) to Twilio routes this mock does not serve:",
            "*  POST https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json",
            "*  GET https://verify.twilio.com/v2/Services",
        ]
    )


def test_user_routes_on_the_underlying_responses_mock(twilio_shortcodes):
    twilio_shortcodes.responses.add(responses.GET, "https://example.com/ping", json={"ok": 1})
    assert requests.get("https://example.com/ping").json() == {"ok": 1}


def test_other_hosts_pass_through_untouched(twilio_shortcodes):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"real server")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert requests.get(url, timeout=5).text == "real server"
    finally:
        server.shutdown()
    assert twilio_shortcodes.calls == []


def test_coexists_with_an_outer_responses_mock():
    with responses.RequestsMock() as outer:
        outer.add(responses.GET, "https://example.com/outer", body="outer")
        with TwilioShortCodeMock() as mock:
            service = mock.add_messaging_service()
            assert requests.get("https://example.com/outer").text == "outer"
            twilio = requests.get(
                f"{MESSAGING}/{service}/ShortCodes", auth=(mock.account_sid, mock.auth_token)
            )
            assert twilio.status_code == 200
        assert requests.get("https://example.com/outer").text == "outer"


@pytest.mark.parametrize(
    "url",
    [
        "https://MESSAGING.TWILIO.COM/v1/Services/{mg}/ShortCodes",
        "https://messaging.twilio.com./v1/Services/{mg}/ShortCodes",
        "https://messaging.twilio.com:443/v1/Services/{mg}/ShortCodes",
        "http://messaging.twilio.com/v1/Services/{mg}/ShortCodes",
    ],
)
def test_every_spelling_of_a_twilio_host_is_served(twilio_shortcodes, url):
    service = twilio_shortcodes.add_messaging_service()
    response = requests.get(
        url.format(mg=service), auth=(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    )
    assert response.status_code == 200
    assert response.json()["meta"]["url"].startswith("https://messaging.twilio.com/v1/")
