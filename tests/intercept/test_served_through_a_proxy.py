"""Clients the mock serves, configured with an HTTP proxy (``proxies=``, ``proxy=``,
``trust_env``, ``HTTPS_PROXY``), are still answered in-process: the proxy is never
contacted, and a spy under the guard sees no look-up and no connection."""

from __future__ import annotations

import asyncio

import aiohttp
import httpx
import pytest
import requests
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock
from tests.intercept.conftest import connections, twilio_in


@pytest.fixture
def env_proxy(monkeypatch: pytest.MonkeyPatch, proxy: str) -> str:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, f"http://{proxy}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    return f"http://{proxy}"


def test_requests_with_a_proxy_is_answered_in_process(wire, env_proxy):
    with TwilioShortCodeMock() as mock:
        auth = (mock.account_sid, mock.auth_token)
        url = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/SMS/ShortCodes.json"
        explicit = requests.get(url, auth=auth, proxies={"https": env_proxy})
        from_env = requests.get(url, auth=auth)
        assert (explicit.status_code, from_env.status_code) == (200, 200)
        assert explicit.json()["short_codes"] == []
        sdk = Client(*auth, http_client=TwilioHttpClient(proxy={"https": env_proxy}))
        assert sdk.api.v2010.account.short_codes.list() == []
        assert len(mock.calls) == 3
        assert mock.refused == []
    assert connections(wire) == []  # not even the proxy was reached
    assert twilio_in(wire) == []


def test_httpx_with_a_proxy_is_answered_in_process(wire, env_proxy):
    with TwilioShortCodeMock() as mock:
        service = mock.add_messaging_service()
        url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
        auth = (mock.account_sid, mock.auth_token)
        with httpx.Client(proxy=env_proxy) as explicit, httpx.Client() as from_env:
            assert explicit.get(url, auth=auth).status_code == 200
            assert from_env.get(url, auth=auth).status_code == 200

        async def get() -> int:
            async with httpx.AsyncClient(proxy=env_proxy) as client:
                return (await client.get(url, auth=auth)).status_code

        assert asyncio.run(get()) == 200
        assert len(mock.calls) == 3
        assert mock.refused == []
    assert connections(wire) == []
    assert twilio_in(wire) == []


def test_aiohttp_with_a_proxy_is_answered_in_process(wire, env_proxy):
    with TwilioShortCodeMock() as mock:
        service = mock.add_messaging_service()
        auth = aiohttp.BasicAuth(mock.account_sid, mock.auth_token)

        async def get() -> list[int]:
            statuses = []
            for scheme in ("https", "http"):
                url = f"{scheme}://messaging.twilio.com/v1/Services/{service}/ShortCodes"
                for proxy, trust_env in ((env_proxy, False), (None, True)):
                    async with (
                        aiohttp.ClientSession(trust_env=trust_env) as session,
                        session.get(url, auth=auth, proxy=proxy) as response,
                    ):
                        statuses.append(response.status)
            return statuses

        assert asyncio.run(get()) == [200, 200, 200, 200]
        assert len(mock.calls) == 4
        assert mock.refused == []
    assert connections(wire) == []
    assert twilio_in(wire) == []
