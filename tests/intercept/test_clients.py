"""Every client the mock serves (requests, aiohttp, httpx and its async client) reads and
writes one account; URLs with userinfo are Twilio's; other hosts are untouched."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import urllib.request

import aiohttp
import httpx
import pytest
import requests

MESSAGING = "https://messaging.twilio.com/v1/Services"


async def with_requests(method, url, data=None, auth=None):
    response = requests.request(method, url, data=data, auth=auth)
    return response.status_code, response.text


async def with_aiohttp(method, url, data=None, auth=None):
    basic = aiohttp.BasicAuth(*auth) if auth else None
    async with aiohttp.ClientSession() as session:  # noqa: SIM117 (Python 3.9)
        async with session.request(method, url, data=data, auth=basic) as response:
            return response.status, await response.text()


async def with_httpx(method, url, data=None, auth=None):
    with httpx.Client() as client:
        response = client.request(method, url, data=data, auth=auth)
        return response.status_code, response.text


async def with_httpx_async(method, url, data=None, auth=None):
    async with httpx.AsyncClient() as client:
        response = await client.request(method, url, data=data, auth=auth)
        return response.status_code, response.text


CLIENTS = {
    "requests": with_requests,
    "aiohttp": with_aiohttp,
    "httpx": with_httpx,
    "httpx async": with_httpx_async,
}
clients = pytest.mark.parametrize("send", CLIENTS.values(), ids=CLIENTS.keys())


@pytest.mark.asyncio
@clients
async def test_create_fetch_list_delete_on_one_account(twilio_shortcodes, twilio_client, send):
    mock = twilio_shortcodes
    auth = (mock.account_sid, mock.auth_token)
    service = mock.add_messaging_service()
    sid, other = mock.add_short_code("12345"), mock.add_short_code("67890")
    twilio_client.messaging.v1.services(service).short_codes.create(short_code_sid=other)
    url = f"{MESSAGING}/{service}/ShortCodes"

    status, text = await send("POST", url, {"ShortCodeSid": sid}, auth)
    assert (status, mock.messaging_service_short_codes(service)) == (201, [other, sid])
    assert requests.models.complexjson.loads(text)["short_code"] == "12345"
    assert (await send("GET", f"{url}/{sid}", auth=auth))[0] == 200
    status, text = await send("GET", url, auth=auth)
    assert status == 200
    assert [sc["sid"] for sc in requests.models.complexjson.loads(text)["short_codes"]] == [
        other,
        sid,
    ]
    assert await send("DELETE", f"{url}/{sid}", auth=auth) == (204, "")
    assert [sc.sid for sc in twilio_client.messaging.v1.services(service).short_codes.list()] == [
        other
    ]
    assert (await send("GET", f"{url}/{sid}", auth=auth))[0] == 404
    assert (await send("GET", url, auth=(mock.account_sid, "wrong")))[0] == 401
    assert [(c.method, c.status) for c in mock.calls][1:] == [
        ("POST", 201), ("GET", 200), ("GET", 200), ("DELETE", 204), ("GET", 200), ("GET", 404),
        ("GET", 401),
    ]  # fmt: skip


@pytest.mark.asyncio
@clients
async def test_userinfo_urls_are_twilio_urls(twilio_shortcodes, send):
    service = twilio_shortcodes.add_messaging_service()
    sid, token = twilio_shortcodes.account_sid, twilio_shortcodes.auth_token
    url = f"https://{sid}:{token}@messaging.twilio.com/v1/Services/{service}/ShortCodes"
    status, text = await send("GET", url)
    assert status == 200
    assert requests.models.complexjson.loads(text)["meta"]["key"] == "short_codes"
    wrong = f"https://{sid}:nope@messaging.twilio.com/v1/Services/{service}/ShortCodes"
    assert (await send("GET", wrong))[0] == 401
    # The call records never hold the credentials.
    assert [c.url for c in twilio_shortcodes.calls] == [
        f"{MESSAGING}/{service}/ShortCodes",
        f"{MESSAGING}/{service}/ShortCodes",
    ]


@pytest.mark.asyncio
@clients
async def test_userinfo_urls_never_pass_through(twilio_shortcodes, send):
    """Even with a mock for other hosts started (passthrough ``*``), and an unknown route."""
    twilio_shortcodes.responses.add("GET", "https://api.example.com/", body="other")
    status, _ = await send("GET", "https://user:pw@api.twilio.com/2010-04-01/Accounts.json")
    assert status == 404  # answered in-process: a Twilio route the mock does not serve
    assert twilio_shortcodes.unmatched[-1].url == "https://api.twilio.com/2010-04-01/Accounts.json"
    twilio_shortcodes.unmatched.clear()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "fault, raised",
    [
        (requests.Timeout, httpx.ReadTimeout),
        (requests.ConnectTimeout, httpx.ConnectTimeout),
        (requests.ConnectionError, httpx.ConnectError),
    ],
)
async def test_httpx_faults(twilio_shortcodes, fault, raised):
    service = twilio_shortcodes.add_messaging_service()
    url = f"{MESSAGING}/{service}/ShortCodes"
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    twilio_shortcodes.fail_next("GET", error=fault, times=2)
    with pytest.raises(raised, match="scripted"):
        httpx.get(url, auth=auth)
    async with httpx.AsyncClient() as client:
        with pytest.raises(raised, match="scripted"):
            await client.get(url, auth=auth)
        assert (await client.get(url, auth=auth)).status_code == 200


@pytest.mark.asyncio
async def test_aiohttp_session_pools_and_middlewares(twilio_shortcodes):
    """What aiohttp does above the connection still happens: pooling, middlewares, cookies."""
    service = twilio_shortcodes.add_messaging_service()
    url = f"{MESSAGING}/{service}/ShortCodes"
    seen = []

    async def middleware(request, handler):
        seen.append(request.url.path)
        return await handler(request)

    auth = aiohttp.BasicAuth(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    async with aiohttp.ClientSession(middlewares=(middleware,)) as session:
        for _ in range(3):
            async with session.get(url, auth=auth) as response:
                assert response.status == 200
                assert response.headers["Twilio-Request-Id"].startswith("RQ")
        assert len(session.connector._conns) == 1  # one pooled connection served all three
    assert seen == [f"/v1/Services/{service}/ShortCodes"] * 3


@pytest.mark.asyncio
async def test_other_hosts_are_untouched(twilio_shortcodes, loopback):
    base = loopback()
    async with aiohttp.ClientSession() as session, session.get(f"{base}/aiohttp") as response:
        assert await response.text() == "local /aiohttp"
    assert httpx.get(f"{base}/httpx").text == "local /httpx"
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{base}/httpx-async")).text == "local /httpx-async"
    with urllib.request.urlopen(f"{base}/urllib") as response:
        assert response.read() == b"local /urllib"
    assert requests.get(f"{base}/requests").text == "local /requests"
    assert loopback.hits == ["/aiohttp", "/httpx", "/httpx-async", "/urllib", "/requests"]
    assert twilio_shortcodes.calls == []


@pytest.mark.slow
@pytest.mark.parametrize("module", ["aiohttp", "httpx"])
def test_served_when_first_imported_after_the_mock_started(module):
    """aiohttp and httpx are not imported by the plugin: their seams go in when the
    application first imports them, even in the middle of a test."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pytest_twilio_shortcodes import TwilioShortCodeMock

        mock = TwilioShortCodeMock()
        service = mock.add_messaging_service()
        url = f"https://messaging.twilio.com/v1/Services/{{service}}/ShortCodes"
        with mock:
            assert "{module}" not in sys.modules
            import {module}
            if "{module}" == "httpx":
                status = httpx.get(url, auth=(mock.account_sid, mock.auth_token)).status_code
            else:
                async def get():
                    auth = aiohttp.BasicAuth(mock.account_sid, mock.auth_token)
                    async with aiohttp.ClientSession() as session:
                        async with session.get(url, auth=auth) as response:
                            return response.status
                status = asyncio.run(get())
        print(status, len(mock.calls))
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["200", "1"], done.stderr


def test_run_in_a_thread_with_its_own_loop(twilio_shortcodes):
    """A Twilio request from aiohttp in another thread's event loop is served too."""
    service = twilio_shortcodes.add_messaging_service()
    url = f"{MESSAGING}/{service}/ShortCodes"
    results = []

    def run():
        results.append(asyncio.run(with_aiohttp("GET", url, auth=(
            twilio_shortcodes.account_sid, twilio_shortcodes.auth_token
        ))))  # fmt: skip

    import threading

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert results[0][0] == 200


def _requests_response_state(response: requests.Response) -> dict:
    """What a caller may read of a ``requests`` response after ``send``."""
    return {
        "status": response.status_code,
        "reason": response.reason,
        "content_type": response.headers["Content-Type"],
        "length": response.headers["Content-Length"],
        "json": response.json(),
        "raw closed": response.raw.closed,
        "raw read again": response.raw.read(),
        "content again": response.content,
        "iter_content": b"".join(response.iter_content(7)),
    }


@pytest.mark.parametrize("stream", [False, True], ids=["read at once", "stream"])
def test_a_requests_response_is_left_as_HTTPAdapter_leaves_it(twilio_shortcodes, stream):
    """The mock reads a non-streamed body in one read, not in chunks as ``HTTPAdapter``
    does; what a caller sees afterwards is the same as from a bare ``responses`` stub
    of the same answer, which reads it as ``HTTPAdapter`` does."""
    import responses

    mock = twilio_shortcodes
    service = mock.add_messaging_service("state", short_codes=["12345", "67890"])
    url = f"{MESSAGING}/{service}/ShortCodes"
    auth = (mock.account_sid, mock.auth_token)
    served = requests.get(url, auth=auth, stream=stream)
    assert served.raw.closed is not stream  # a streamed body is read when asked for
    state = _requests_response_state(served)  # a streamed body: read here, in chunks
    mock.stop()
    with responses.RequestsMock() as stub:
        stub.add(
            "GET",
            url,
            body=served.content,
            content_type=served.headers["Content-Type"],
            headers={"Content-Length": served.headers["Content-Length"]},
        )
        floor = requests.get(url, auth=auth, stream=stream)
    assert state == _requests_response_state(floor)
    assert len(state["json"]["short_codes"]) == 2 and state["raw closed"] is True
    assert state["raw read again"] == b"" and state["iter_content"] == served.content
