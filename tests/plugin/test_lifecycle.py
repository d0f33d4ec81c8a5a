"""The interception cannot be switched off by accident, and leaves nothing behind."""

from __future__ import annotations

import socket
import sys

import aiodns
import aiohttp.connector
import httpx
import pytest
import requests
from requests.adapters import HTTPAdapter

from pytest_twilio_shortcodes import TwilioShortCodeMock

SEAMS = [
    (requests.Session, "get_adapter"),
    (HTTPAdapter, "send"),
    (aiohttp.connector.TCPConnector, "_create_connection"),
    (httpx.HTTPTransport, "handle_request"),
    (httpx.AsyncHTTPTransport, "handle_async_request"),
    (socket, "getaddrinfo"),
    (socket, "gethostbyname"),
    (socket, "gethostbyname_ex"),
    (socket.socket, "connect"),
    (socket.socket, "connect_ex"),
    (aiodns.DNSResolver, "query"),
    (aiodns.DNSResolver, "getaddrinfo"),
]


def everything_patched():
    return [vars(owner).get(name) for owner, name in SEAMS] + [list(sys.meta_path)]


def twilio_answers(mock):
    service = mock.add_messaging_service()
    url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
    auth = (mock.account_sid, mock.auth_token)
    return requests.get(url, auth=auth).status_code == 200 and httpx.get(url, auth=auth).is_success


def test_patch_stopall_does_not_disable_the_plugin(pytester):
    pytester.makepyfile(
        """
        import os, socket, urllib.request
        from unittest import mock

        import httpx, pytest, requests

        def served(twilio_shortcodes):
            service = twilio_shortcodes.add_messaging_service()
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
            return requests.get(url, auth=auth).status_code, httpx.get(url, auth=auth).status_code

        def test_stopall(twilio_shortcodes, request):
            twilio_shortcodes.responses.add("GET", "https://api.example.com/", body="mine")
            mock.patch("os.getcwd", return_value="/patched").start()
            mock.patch.stopall()
            assert os.getcwd() != "/patched"  # stopall did its job
            assert served(twilio_shortcodes) == (200, 200)
            if not request.config.pluginmanager.has_plugin("pytest-responses"):
                # (pytest-responses' own mock, started before, takes these with it)
                assert requests.get("https://api.example.com/").text == "mine"
            with pytest.raises(OSError, match="refused a connection to api.twilio.com"):
                socket.getaddrinfo("api.twilio.com", 443)
            twilio_shortcodes.refused.clear()

        def test_the_next_test(twilio_shortcodes):
            assert served(twilio_shortcodes) == (200, 200)
        """
    )
    for without in ((), ("-p", "no:pytest-responses")):
        result = pytester.runpytest("-p", "no:randomly", *without)
        result.assert_outcomes(passed=2)


@pytest.mark.parametrize("first_out", ["A", "B"])
def test_two_mocks_stopped_in_either_order(loopback, first_out):
    base = loopback()
    port = base.rsplit(":", 1)[1]
    by_name, by_address = f"http://localhost:{port}/", f"http://127.0.0.1:{port}/"

    def passes(url):
        try:
            return requests.get(url).text.startswith("local")
        except requests.ConnectionError as error:
            assert "Connection refused by Responses" in str(error)
            return False

    before = everything_patched()
    mocks = {
        "A": TwilioShortCodeMock(passthrough=["localhost"]).start(),
        "B": TwilioShortCodeMock(passthrough=["127.0.0.1"]).start(),
    }
    # Both rules hold: each host is refused by one of them.
    assert (passes(by_name), passes(by_address)) == (False, False)
    assert twilio_answers(mocks["B"])

    mocks.pop(first_out).stop()
    (remaining_name, remaining), *_ = mocks.items()
    assert (passes(by_name), passes(by_address)) == (
        (True, False) if remaining_name == "A" else (False, True)
    )
    assert twilio_answers(remaining)

    remaining.stop()
    assert (passes(by_name), passes(by_address)) == (True, True)
    assert everything_patched() == before


def test_a_fixture_leaves_nothing_behind(pytester):
    before = everything_patched()
    pytester.makepyfile(
        """
        import requests

        def test_one(twilio_shortcodes):
            twilio_shortcodes.responses  # other hosts' mock, started
            service = twilio_shortcodes.add_messaging_service()
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
            assert requests.get(url, auth=auth).status_code == 200
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
    assert everything_patched() == before


def test_ipv6_literals_pass_through_the_default_rule(twilio_shortcodes, loopback):
    base = loopback("::1")
    assert base.startswith("http://[::1]:")
    twilio_shortcodes.responses.add("GET", "https://api.example.com/", body="mine")  # a mock for
    assert requests.get(f"{base}/v6").text == "local /v6"  # other hosts, with passthrough *
    assert requests.get("https://api.example.com/").text == "mine"


@pytest.mark.parametrize("rule, passes", [("::1", True), ("[::1]", True), ("localhost", False)])
def test_ipv6_literals_in_passthrough_rules(loopback, rule, passes):
    base = loopback("::1")
    with TwilioShortCodeMock(passthrough=[rule]):
        if passes:
            assert requests.get(f"{base}/v6").text == "local /v6"
        else:
            with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
                requests.get(f"{base}/v6")
