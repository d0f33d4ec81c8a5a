"""One server a session: ``twilio_shortcodes_server`` serves one account to child
processes for the whole session; ``twilio_shortcodes_served`` gives each test a fresh
account on it."""

from __future__ import annotations

import json

import pytest

from tests.children import child_env, curl, python

pytestmark = pytest.mark.slow

SUITE = """
import json, os, subprocess, sys

import requests

URLS = []

NODE = '''
const client = require("twilio")();
client.messaging.v1.services(process.argv[2]).shortCodes
  .create({ shortCodeSid: process.argv[3] })
  .then((made) => console.log(JSON.stringify(made.sid)))
  .catch((error) => { console.error(error); process.exit(1); });
'''


def list_short_codes(served):
    mock = served
    url = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/SMS/ShortCodes.json"
    script = "import requests, sys; print(requests.get(sys.argv[1], auth=tuple(sys.argv[2:])).text)"
    env = {**os.environ, **mock.serve().env}
    out = subprocess.run([sys.executable, "-c", script, url, mock.account_sid, mock.auth_token],
                         env=env, capture_output=True, text=True, check=True).stdout
    return [sc["short_code"] for sc in json.loads(out)["short_codes"]]


def test_one(twilio_shortcodes_served):
    URLS.append(twilio_shortcodes_served.serve().url)
    twilio_shortcodes_served.add_short_code("11111")
    assert list_short_codes(twilio_shortcodes_served) == ["11111"]


def test_two(twilio_shortcodes_served):
    URLS.append(twilio_shortcodes_served.serve().url)
    assert list_short_codes(twilio_shortcodes_served) == []  # a fresh account
    twilio_shortcodes_served.add_short_code("22222")
    assert list_short_codes(twilio_shortcodes_served) == ["22222"]


def test_node(twilio_shortcodes_served, tmp_path):
    URLS.append(twilio_shortcodes_served.serve().url)
    sid = twilio_shortcodes_served.add_short_code("33333")
    service = twilio_shortcodes_served.add_messaging_service("Alerts")
    script = tmp_path / "child.js"
    script.write_text(NODE)
    env = {**os.environ, **twilio_shortcodes_served.serve().env}
    out = subprocess.run(["node", str(script), service, sid], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == sid
    twilio_shortcodes_served.assert_called("POST", "messaging.v1.service.short_code", times=1)


def test_an_unserved_route_fails_this_test_only(twilio_shortcodes_served):
    URLS.append(twilio_shortcodes_served.serve().url)
    env = {**os.environ, **twilio_shortcodes_served.serve().env}
    subprocess.run(["curl", "-sS", "-o", os.devnull, "https://messaging.twilio.com/v2/Nothing"],
                   env=env, check=True)


def test_last():
    assert len(URLS) == 4 and len(set(URLS)) == 1  # one server for the session
"""


def test_one_server_serves_every_test_of_the_session(pytester, node_modules, monkeypatch):
    monkeypatch.setenv("NODE_PATH", str(node_modules))  # the twilio npm package
    pytester.makepyfile(SUITE)
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-p", "no:xdist", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_an_unserved_route_fails_this_test_only*",
            "*1 request(s) to Twilio routes this mock does not serve:",
            "*GET https://messaging.twilio.com/v2/Nothing",
        ]
    )


def test_a_fresh_account_each_test_first(twilio_shortcodes_served):
    _fresh_account_each_test(twilio_shortcodes_served)


def test_a_fresh_account_each_test_second(twilio_shortcodes_served):
    _fresh_account_each_test(twilio_shortcodes_served)


SEND = """
import json
from twilio.rest import Client
print(json.dumps(Client().messages.create(to="+15558675310", from_="12345", body="hi").status))
"""


def _fresh_account_each_test(served) -> None:
    assert served.snapshot()["short_codes"] == {}
    assert list(served.calls) == []
    served.add_short_code("12345")
    proxy = served.serve()
    assert python(SEND, env=child_env(proxy)) == "queued"
    auth = f"{served.account_sid}:{served.auth_token}"
    status, _, body = curl("-u", auth, f"{proxy.url}/_mock/calls", env=child_env(proxy))
    assert status == 200
    assert [(c["method"], c["status"]) for c in json.loads(body)] == [("POST", 201)]
    served.assert_sent(to="+15558675310", body="hi", times=1)


OPTIONS = """
import pytest


def test_a_freezes_and_goes_strict(twilio_shortcodes_served):
    twilio_shortcodes_served.freeze_clock()
    twilio_shortcodes_served.strict = True
    twilio_shortcodes_served.validate = "none"


def test_b_gets_the_sessions_options_back(twilio_shortcodes_served):
    assert twilio_shortcodes_served.frozen_clock is False
    assert twilio_shortcodes_served.strict is False
    assert twilio_shortcodes_served.validate == "all"


@pytest.mark.twilio_shortcodes(
    short_codes=["12345"], messaging_services={"Alerts": ["12345"]}, frozen_clock=True,
    strict=True, validate="responses",
)
def test_c_the_marker_applies(twilio_shortcodes_served):
    mock = twilio_shortcodes_served
    numbers = [sc["short_code"] for sc in mock.snapshot()["short_codes"].values()]
    assert numbers == ["12345"]
    assert mock.messaging_service_short_codes(mock.messaging_service_sid("Alerts"))
    assert (mock.frozen_clock, mock.strict, mock.validate) == (True, True, "responses")


@pytest.mark.twilio_shortcodes(account_sid="AC" + "0" * 32)
def test_d_credentials_are_refused(twilio_shortcodes_served):
    pass


def test_e_nothing_leaks_from_the_marker(twilio_shortcodes_served):
    assert twilio_shortcodes_served.snapshot()["short_codes"] == {}
    assert twilio_shortcodes_served.frozen_clock is False
"""


def test_each_test_gets_the_sessions_options_and_its_marker(pytester):
    pytester.makepyfile(OPTIONS)
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-p", "no:xdist", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_d_credentials_are_refused*",
            "*account_sid cannot be set with twilio_shortcodes_served*",
        ]
    )
