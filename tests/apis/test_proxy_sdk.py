"""Proxy v1 Services/{KS}/ShortCodes through twilio==9.6.3, the last SDK that has them.

Run with ``python -m pytest -m proxy`` in a virtualenv with ``twilio==9.6.3``
(``.ci/run`` does); the latest SDK no longer has ``proxy.v1.services(...).short_codes``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import twilio
from twilio.base.exceptions import TwilioException, TwilioRestException

pytestmark = pytest.mark.proxy

PROXY = "https://proxy.twilio.com/v1/Services"


def test_runs_on_the_sdk_that_has_proxy_short_codes():
    assert twilio.__version__ == "9.6.3"


@pytest.fixture
def service(twilio_shortcodes):
    return twilio_shortcodes.add_proxy_service("support-pool")


@pytest.fixture
def short_codes(twilio_client, service):
    return twilio_client.proxy.v1.services(service).short_codes


def error(call):
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value


def test_create_fetch_update_delete(twilio_shortcodes, short_codes, service):
    sid = twilio_shortcodes.add_short_code("12345", country_code="GB")
    created = short_codes.create(sid=sid)
    assert created.sid == sid
    assert created.account_sid == twilio_shortcodes.account_sid
    assert created.service_sid == service
    assert created.short_code == "12345"
    assert created.iso_country == "GB"
    assert created.capabilities == {"sms_outbound": True, "voice_inbound": False}
    assert created.is_reserved is False
    assert created.url == f"{PROXY}/{service}/ShortCodes/{sid}"
    assert isinstance(created.date_created, datetime)
    assert created.date_created.utcoffset() == timedelta(0)  # UTC (twilio < 9 uses pytz.utc)

    assert short_codes(sid).fetch().short_code == "12345"

    twilio_shortcodes.advance_clock(5)
    reserved = short_codes(sid).update(is_reserved=True)
    assert reserved.is_reserved is True
    assert reserved.date_created == created.date_created
    assert (reserved.date_updated - created.date_updated).total_seconds() == 5
    assert short_codes(sid).fetch().is_reserved is True
    assert short_codes(sid).update(is_reserved=False).is_reserved is False
    assert short_codes(sid).update().is_reserved is False  # nothing sent, nothing changed

    assert short_codes(sid).delete() is True
    assert twilio_shortcodes.proxy_service_short_codes(service) == []
    assert twilio_shortcodes.short_code(sid).short_code == "12345"  # still the account's
    assert short_codes.create(sid=sid).is_reserved is False


def test_list_over_several_pages(twilio_shortcodes, short_codes):
    sids = [twilio_shortcodes.add_short_code(str(30000 + i)) for i in range(13)]
    for sid in sids:
        short_codes.create(sid=sid)
    assert [sc.sid for sc in short_codes.list()] == sids
    assert [sc.sid for sc in short_codes.list(page_size=4)] == sids
    assert [sc.sid for sc in short_codes.stream(limit=6, page_size=5)] == sids[:6]
    page = short_codes.page(page_size=5)
    walked = []
    while page is not None:
        walked += [sc.sid for sc in page]
        page = page.next_page()
    assert walked == sids


def test_page_size_above_100_is_answered_with_pages_of_100(twilio_shortcodes, short_codes):
    sids = [twilio_shortcodes.add_short_code(str(40000 + i)) for i in range(150)]
    for sid in sids:
        short_codes.create(sid=sid)
    assert [sc.sid for sc in short_codes.list(page_size=500)] == sids
    pages = [c for c in twilio_shortcodes.calls if c.method == "GET"]
    assert [len(c.body["short_codes"]) for c in pages] == [100, 50]
    assert pages[0].body["meta"]["page_size"] == 100


def test_errors(twilio_shortcodes, twilio_client, short_codes, service):
    sid = twilio_shortcodes.add_short_code("12345")
    missing = "SC" + "0" * 32

    e = error(lambda: short_codes.create(sid="not-a-sid"))
    assert (e.status, e.code) == (400, 80303)
    e = error(lambda: short_codes.create(sid=missing))
    assert (e.status, e.code) == (400, 80303)

    short_codes.create(sid=sid)
    e = error(lambda: short_codes.create(sid=sid))
    assert (e.status, e.code) == (400, 80105)
    other = twilio_shortcodes.add_proxy_service("other-pool")
    e = error(lambda: twilio_client.proxy.v1.services(other).short_codes.create(sid=sid))
    assert (e.status, e.code) == (400, 80601)
    assert twilio_shortcodes.proxy_service_short_codes(other) == []

    e = error(lambda: short_codes(missing).fetch())
    assert (e.status, e.code) == (404, 20404)
    e = error(lambda: short_codes(missing).update(is_reserved=True))
    assert (e.status, e.code) == (404, 20404)
    e = error(lambda: short_codes(missing).delete())
    assert (e.status, e.code) == (404, 20404)
    e = error(lambda: twilio_client.proxy.v1.services("KS" + "0" * 32).short_codes(sid).fetch())
    assert (e.status, e.code) == (404, 20404)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        twilio_client.proxy.v1.services("KSnope").short_codes.list()


def test_a_short_code_can_serve_proxy_and_messaging_at_once(
    twilio_shortcodes, twilio_client, short_codes
):
    sid = twilio_shortcodes.add_short_code("12345")
    messaging = twilio_shortcodes.add_messaging_service()
    short_codes.create(sid=sid)
    twilio_client.messaging.v1.services(messaging).short_codes.create(short_code_sid=sid)
    assert short_codes(sid).fetch().sid == sid


# -- the same through the SDK's async client (aiohttp) ------------------------------------


@pytest.fixture
def async_short_codes(async_client, service):
    return async_client.proxy.v1.services(service).short_codes


async def async_error(call):
    with pytest.raises(TwilioRestException) as caught:
        await call()
    return caught.value


@pytest.mark.asyncio
async def test_async_create_fetch_update_delete(
    twilio_shortcodes, async_short_codes, short_codes, service
):
    sid = twilio_shortcodes.add_short_code("12345", country_code="GB")
    created = await async_short_codes.create_async(sid=sid)
    assert (created.sid, created.service_sid, created.iso_country) == (sid, service, "GB")
    assert created.is_reserved is False
    assert (await async_short_codes(sid).fetch_async()).short_code == "12345"
    twilio_shortcodes.advance_clock(5)
    reserved = await async_short_codes(sid).update_async(is_reserved=True)
    assert reserved.is_reserved is True
    assert (reserved.date_updated - created.date_updated).total_seconds() == 5
    assert short_codes(sid).fetch().is_reserved is True  # one account behind both clients
    assert [sc.sid for sc in await async_short_codes.list_async()] == [sid]
    assert await async_short_codes(sid).delete_async() is True
    assert twilio_shortcodes.proxy_service_short_codes(service) == []
    assert [sc.sid for sc in short_codes.list()] == []


@pytest.mark.asyncio
async def test_async_paging_and_errors(twilio_shortcodes, async_short_codes):
    sids = [twilio_shortcodes.add_short_code(str(30000 + i)) for i in range(7)]
    for sid in sids:
        await async_short_codes.create_async(sid=sid)
    assert [sc.sid for sc in await async_short_codes.list_async(page_size=3)] == sids
    streamed = [sc.sid async for sc in await async_short_codes.stream_async(limit=5, page_size=2)]
    assert streamed == sids[:5]
    page, walked = await async_short_codes.page_async(page_size=4), []
    while page is not None:
        walked += [sc.sid for sc in page]
        page = await page.next_page_async()
    assert walked == sids

    e = await async_error(lambda: async_short_codes.create_async(sid=sids[0]))
    assert (e.status, e.code) == (400, 80105)
    e = await async_error(lambda: async_short_codes.create_async(sid="not-a-sid"))
    assert (e.status, e.code) == (400, 80303)
    e = await async_error(lambda: async_short_codes("SC" + "0" * 32).update_async(is_reserved=True))
    assert (e.status, e.code) == (404, 20404)


@pytest.mark.asyncio
async def test_async_faults(twilio_shortcodes, async_short_codes):
    import asyncio

    import aiohttp
    import requests

    sid = twilio_shortcodes.add_short_code("12345")
    twilio_shortcodes.fail_next("POST", "proxy", error=requests.Timeout)
    with pytest.raises(asyncio.TimeoutError):
        await async_short_codes.create_async(sid=sid)
    twilio_shortcodes.fail_next("POST", "proxy", error=requests.ConnectionError)
    with pytest.raises(aiohttp.ClientConnectionError):
        await async_short_codes.create_async(sid=sid)
    twilio_shortcodes.fail_next("POST", "proxy", status=503)
    e = await async_error(lambda: async_short_codes.create_async(sid=sid))
    assert (e.status, e.code) == (503, 20503)
    assert (await async_short_codes.create_async(sid=sid)).sid == sid
    assert [c.fault for c in twilio_shortcodes.calls] == [True, True, True, False]
