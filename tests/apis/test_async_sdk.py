"""Messaging v1 and the 2010 account API through the SDK's async client (aiohttp), served
from the same in-memory account as the sync client, with the same checks and records."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest.messaging.v1.service.short_code import ShortCodeList

MESSAGING = "https://messaging.twilio.com/v1/Services"

# Recent twilio releases add *_with_http_info methods; the version run on the lowest
# supported SDK (8.0.0) has none to drive.
needs_http_info = pytest.mark.skipif(
    not hasattr(ShortCodeList, "create_with_http_info_async"),
    reason="this twilio release has no *_with_http_info methods (recent releases do)",
)


async def error(call):
    with pytest.raises(TwilioRestException) as caught:
        await call()
    return caught.value


@pytest.fixture
def service(twilio_shortcodes):
    return twilio_shortcodes.add_messaging_service("Alerts")


@pytest.mark.asyncio
async def test_messaging_create_fetch_list_delete(
    twilio_shortcodes, async_client, twilio_client, service
):
    sid = twilio_shortcodes.add_short_code("12345", country_code="CA")
    short_codes = async_client.messaging.v1.services(service).short_codes

    created = await short_codes.create_async(short_code_sid=sid)
    assert (created.sid, created.service_sid, created.short_code) == (sid, service, "12345")
    assert created.country_code == "CA"
    assert created.url == f"{MESSAGING}/{service}/ShortCodes/{sid}"
    fetched = await short_codes(sid).fetch_async()
    assert (fetched.sid, fetched.date_created) == (sid, created.date_created)
    assert [sc.sid for sc in await short_codes.list_async()] == [sid]

    # One account behind both clients.
    sync = twilio_client.messaging.v1.services(service).short_codes
    assert [sc.sid for sc in sync.list()] == [sid]
    other = twilio_shortcodes.add_short_code("67890")
    sync.create(short_code_sid=other)
    assert [sc.sid for sc in await short_codes.list_async()] == [sid, other]

    assert await short_codes(sid).delete_async() is True
    assert twilio_shortcodes.messaging_service_short_codes(service) == [other]
    assert twilio_shortcodes.short_code(sid).short_code == "12345"  # still in the account
    assert [(c.method, c.status) for c in twilio_shortcodes.calls] == [
        ("POST", 201), ("GET", 200), ("GET", 200), ("GET", 200), ("POST", 201), ("GET", 200),
        ("DELETE", 204),
    ]  # fmt: skip
    twilio_shortcodes.assert_called("DELETE", "messaging.v1.service.short_code", times=1)


@pytest.mark.asyncio
@needs_http_info
async def test_messaging_with_http_info(twilio_shortcodes, async_client, service):
    sid = twilio_shortcodes.add_short_code("12345")
    short_codes = async_client.messaging.v1.services(service).short_codes
    created = await short_codes.create_with_http_info_async(short_code_sid=sid)
    assert (created.status_code, created.data.sid) == (201, sid)
    assert created.headers["Content-Type"] == "application/json; charset=utf-8"
    assert created.headers["Twilio-Request-Id"].startswith("RQ")
    fetched = await short_codes(sid).fetch_with_http_info_async()
    assert (fetched.status_code, fetched.data.short_code) == (200, "12345")
    listed = await short_codes.list_with_http_info_async()
    assert (listed.status_code, [sc.sid for sc in listed.data]) == (200, [sid])
    deleted = await short_codes(sid).delete_with_http_info_async()
    assert (deleted.status_code, deleted.data) == (204, True)


@pytest.mark.asyncio
async def test_messaging_paging(twilio_shortcodes, async_client, service):
    sids = twilio_shortcodes.add_short_codes(str(20000 + n) for n in range(12))
    short_codes = async_client.messaging.v1.services(service).short_codes
    for sid in sids:
        await short_codes.create_async(short_code_sid=sid)

    assert [sc.sid for sc in await short_codes.list_async(page_size=5)] == sids
    assert [sc.sid async for sc in await short_codes.stream_async(limit=7, page_size=3)] == sids[:7]
    page, walked = await short_codes.page_async(page_size=5), []
    while page is not None:
        walked += [sc.sid for sc in page]
        page = await page.next_page_async()
    assert walked == sids
    assert [sc.sid for sc in await short_codes.get_page_async(
        f"{MESSAGING}/{service}/ShortCodes?PageSize=4"
    )] == sids[:4]  # fmt: skip


@pytest.mark.asyncio
async def test_messaging_errors(twilio_shortcodes, async_client, service):
    short_codes = async_client.messaging.v1.services(service).short_codes
    sid = twilio_shortcodes.add_short_code("12345")
    missing = "SC" + "f" * 32

    e = await error(lambda: short_codes(missing).fetch_async())
    assert (e.status, e.code) == (404, 20404)
    e = await error(lambda: short_codes(missing).delete_async())
    assert (e.status, e.code) == (404, 20404)
    e = await error(lambda: short_codes.create_async(short_code_sid="SC123"))
    assert (e.status, e.code) == (400, 21421)
    await short_codes.create_async(short_code_sid=sid)
    e = await error(lambda: short_codes.create_async(short_code_sid=sid))
    assert (e.status, e.code) == (409, 21710)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        await async_client.messaging.v1.services("MG" + "0" * 32).short_codes.list_async()
    assert twilio_shortcodes.calls[2].schema_errors  # the malformed SID, as the sync client


@pytest.mark.asyncio
async def test_wrong_credentials(twilio_shortcodes, service):
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    http_client = AsyncTwilioHttpClient()
    client = Client(twilio_shortcodes.account_sid, "wrong", http_client=http_client)
    try:
        short_codes = client.messaging.v1.services(service).short_codes
        e = await error(lambda: short_codes("SC" + "0" * 32).fetch_async())
    finally:
        await http_client.close()
    assert (e.status, e.code) == (401, 20003)


@pytest.mark.asyncio
async def test_account_fetch_update_list(twilio_shortcodes, async_client):
    account = async_client.api.v2010.accounts(twilio_shortcodes.account_sid)
    sids = [twilio_shortcodes.add_short_code(str(30000 + n)) for n in range(7)]
    short_code = account.short_codes(sids[0])

    fetched = await short_code.fetch_async()
    assert (fetched.sid, fetched.short_code, fetched.friendly_name) == (sids[0], "30000", "30000")
    twilio_shortcodes.advance_clock(3)
    updated = await short_code.update_async(
        friendly_name="Alerts", sms_url="https://example.com/sms", sms_method="GET"
    )
    assert (updated.friendly_name, updated.sms_url, updated.sms_method) == (
        "Alerts", "https://example.com/sms", "GET",
    )  # fmt: skip
    assert (updated.date_updated - fetched.date_updated).total_seconds() == 3
    assert twilio_shortcodes.short_code(sids[0]).friendly_name == "Alerts"

    assert [sc.sid for sc in await account.short_codes.list_async(page_size=3)] == sids
    assert [sc.sid for sc in await account.short_codes.list_async(short_code="30004")] == [sids[4]]
    assert [sc.sid for sc in await account.short_codes.list_async(friendly_name="Alerts")] == [
        sids[0]
    ]
    streamed = [sc.sid async for sc in await account.short_codes.stream_async(limit=4)]
    assert streamed == sids[:4]
    page = await account.short_codes.page_async(page_size=5)
    assert [sc.sid for sc in page] + [sc.sid for sc in await page.next_page_async()] == sids


@pytest.mark.asyncio
@needs_http_info
async def test_account_update_with_http_info(twilio_shortcodes, async_client):
    sid = twilio_shortcodes.add_short_code("12345")
    account = async_client.api.v2010.accounts(twilio_shortcodes.account_sid)
    info = await account.short_codes(sid).update_with_http_info_async(friendly_name="Again")
    assert (info.status_code, info.data.friendly_name) == (200, "Again")


@pytest.mark.asyncio
async def test_account_errors_change_nothing(twilio_shortcodes, async_client):
    account = async_client.api.v2010.accounts(twilio_shortcodes.account_sid)
    sid = twilio_shortcodes.add_short_code("12345")
    before = twilio_shortcodes.snapshot()
    e = await error(lambda: account.short_codes(sid).update_async(sms_method="PUT"))
    assert (e.status, e.code) == (400, 21403)
    e = await error(lambda: account.short_codes(sid).update_async(sms_url="not a url"))
    assert (e.status, e.code) == (400, 21502)
    e = await error(lambda: account.short_codes("SC" + "0" * 32).fetch_async())
    assert (e.status, e.code) == (404, 20404)
    assert twilio_shortcodes.snapshot() == before


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "fault, raised",
    [
        (requests.Timeout, asyncio.TimeoutError),
        (requests.ReadTimeout, asyncio.TimeoutError),
        (requests.ConnectTimeout, asyncio.TimeoutError),
        (requests.ConnectionError, aiohttp.ClientConnectionError),
    ],
)
async def test_connection_faults_raise_what_aiohttp_raises(
    twilio_shortcodes, async_client, service, fault, raised
):
    sid = twilio_shortcodes.add_short_code("12345")
    short_codes = async_client.messaging.v1.services(service).short_codes
    twilio_shortcodes.fail_next("POST", "messaging", error=fault)
    with pytest.raises(raised, match="scripted"):
        await short_codes.create_async(short_code_sid=sid)
    assert twilio_shortcodes.messaging_service_short_codes(service) == []  # no state changed
    assert (twilio_shortcodes.calls[-1].status, twilio_shortcodes.calls[-1].fault) == (0, True)
    assert (await short_codes.create_async(short_code_sid=sid)).sid == sid  # service resumes


@pytest.mark.asyncio
async def test_status_faults(twilio_shortcodes, async_client, service):
    twilio_shortcodes.fail_next("GET", status=429, retry_after=7)
    short_codes = async_client.messaging.v1.services(service).short_codes
    with pytest.raises(TwilioException):
        await short_codes.list_async()
    assert (twilio_shortcodes.calls[-1].status, twilio_shortcodes.calls[-1].fault) == (429, True)
    assert await short_codes.list_async() == []


def test_async_teardown_checks(pytester):
    pytester.makepyfile(
        """
        import pytest
        from twilio.http.async_http_client import AsyncTwilioHttpClient
        from twilio.rest import Client

        @pytest.mark.asyncio
        async def test_unmocked_and_strict(twilio_shortcodes):
            twilio_shortcodes.strict = True
            http = AsyncTwilioHttpClient()
            client = Client(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token,
                            http_client=http)
            try:
                await client.api.v2010.account.calls.list_async()
            except Exception:
                pass
            service = twilio_shortcodes.add_messaging_service()
            try:
                await client.messaging.v1.services(service).short_codes.create_async("SC1")
            except Exception:
                pass
            await http.close()
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unmocked_and_strict*",
            "pytest-twilio-shortcodes: 1 request(s) to Twilio routes this mock does not serve:",
            "  GET https://api.twilio.com/2010-04-01/Accounts/AC*/Calls.json",
            "pytest-twilio-shortcodes: 1 request(s) broke their schema (strict mode):",
            "  POST https://messaging.twilio.com/v1/Services/MG*/ShortCodes "
            "{'ShortCodeSid': 'SC1'} -> 400",
        ]
    )
