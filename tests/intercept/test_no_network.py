"""While the mock is active, no request to a Twilio host leaves the process."""

from __future__ import annotations

import socket

import pytest
import requests
from twilio.rest import Client


class NetworkUsed(Exception):
    pass


@pytest.fixture
def no_sockets(monkeypatch):
    """Any attempt to resolve a name or open a connection fails the test loudly."""

    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_the_guard_itself_blocks_other_hosts(twilio_shortcodes, no_sockets):
    with pytest.raises((NetworkUsed, requests.ConnectionError)) as caught:
        requests.get("https://example.com/")
    assert "network access attempted" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://messaging.twilio.com/v1/Services/{mg}/ShortCodes",
        "http://messaging.twilio.com/v1/Services/{mg}/ShortCodes",
        "https://MESSAGING.TWILIO.COM/v1/Services/{mg}/ShortCodes",
        "https://messaging.twilio.com./v1/Services/{mg}/ShortCodes",
        "https://messaging.twilio.com:443/v1/Services/{mg}/ShortCodes",
        "https://messaging.sydney.au1.twilio.com/v1/Services/{mg}/ShortCodes",
        "https://messaging.ie1.twilio.com/v1/Services/{mg}/ShortCodes",
        "https://api.twilio.com/2010-04-01/Accounts/{ac}/Messages.json",
        "https://api.twilio.com/2010-04-01/Accounts/{ac}/Calls",
        "https://verify.twilio.com/v2/Services",
        "https://twilio.com/",
        "https://www.twilio.com/docs",
        "https://chat.dublin.ie1.twilio.com/v2/Services",
        "https://Api.Twilio.Com:8443/anything?x=1",
    ],
)
def test_no_twilio_request_reaches_the_network(twilio_shortcodes, no_sockets, url):
    service = twilio_shortcodes.add_messaging_service()
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    for method in ("GET", "POST", "DELETE"):
        response = requests.request(
            method, url.format(mg=service, ac=twilio_shortcodes.account_sid), auth=auth
        )
        assert response.status_code in (200, 201, 400, 404, 405)  # answered in-process
    twilio_shortcodes.unmatched.clear()  # unknown routes are provoked on purpose here


def test_the_sdk_with_edge_and_region_stays_in_process(twilio_shortcodes, no_sockets):
    sid = twilio_shortcodes.add_short_code("12345")
    service = twilio_shortcodes.add_messaging_service()
    client = Client(
        twilio_shortcodes.account_sid, twilio_shortcodes.auth_token, edge="sydney", region="au1"
    )
    client.messaging.v1.services(service).short_codes.create(short_code_sid=sid)
    assert [sc.sid for sc in client.messaging.v1.services(service).short_codes.list()] == [sid]
    assert client.short_codes(sid).fetch().sid == sid


def test_the_suites_own_guard_refuses_non_loopback_connections():
    """tests/conftest.py: nothing in this suite may connect beyond loopback."""
    from tests import conftest

    for family, address in (
        (socket.AF_INET, ("192.0.2.1", 80)),
        (socket.AF_INET6, ("2001:db8::1", 80)),
    ):
        with socket.socket(family) as sock, pytest.raises(OSError, match="only reaches loopback"):
            sock.connect(address)
    assert conftest._ESCAPES[-2:] == ["connect '192.0.2.1'", "connect '2001:db8::1'"]
    del conftest._ESCAPES[-2:]  # provoked on purpose
