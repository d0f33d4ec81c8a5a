"""The Messages resource through the SDK's async client (``*_async`` over aiohttp): every
operation and every refusal, from the same in-memory account as the sync client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from twilio.base import values
from twilio.base.exceptions import TwilioException, TwilioRestException

from tests.apis.test_messages import OTHER, REFUSALS, SDK_NAMES, US, World, fill
from tests.conftest import mock_now

THIRD = "+15558675312"


@pytest.fixture
def world(twilio_shortcodes):
    return World(twilio_shortcodes)


async def error(call):
    with pytest.raises(TwilioRestException) as caught:
        await call()
    return caught.value.status, caught.value.code


@pytest.mark.asyncio
@pytest.mark.parametrize(("why", "params", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
async def test_every_refusal(twilio_shortcodes, async_client, world, why, params, code):
    before = twilio_shortcodes.snapshot()
    kwargs = {SDK_NAMES[name]: value for name, value in fill(world, params).items()}
    kwargs.setdefault("to", values.unset)
    assert await error(lambda: async_client.messages.create_async(**kwargs)) == (400, code)
    assert twilio_shortcodes.snapshot() == before


@pytest.mark.asyncio
async def test_send_fetch_list_deliver(twilio_shortcodes, async_client, twilio_client, world):
    messages = async_client.messages
    sent = await messages.create_async(to=US, from_="12345", body="Hello")
    assert (sent.status, sent.from_, sent.num_segments, sent.direction) == (
        "queued", "12345", "1", "outbound-api",
    )  # fmt: skip
    pooled = await messages.create_async(to=THIRD, messaging_service_sid=world.pool, body="Hi")
    assert (pooled.status, pooled.from_, pooled.num_segments) == ("accepted", None, "0")
    photo = await messages.create_async(
        to=US, from_="67890", media_url=["https://m.example/a.png", "https://m.example/b.png"]
    )
    assert photo.num_media == "2"

    fetched = await messages(sent.sid).fetch_async()
    assert (fetched.sid, fetched.body) == (sent.sid, "Hello")
    assert [m.sid for m in await messages.list_async()] == [photo.sid, pooled.sid, sent.sid]
    assert [m.sid for m in await messages.list_async(to=US, from_="12345")] == [sent.sid]
    # One account behind both clients.
    assert [m.sid for m in twilio_client.messages.list(to=THIRD)] == [pooled.sid]

    twilio_shortcodes.deliver_messages()
    delivered = await messages(pooled.sid).fetch_async()
    assert (delivered.status, delivered.from_) == ("delivered", "67890")
    day = delivered.date_sent.strftime("%Y-%m-%d")
    assert len(await messages.list_async(date_sent=day)) == 3
    assert await messages.list_async(date_sent_before=delivered.date_sent - timedelta(days=1)) == []
    with pytest.raises(TwilioException):
        await messages.list_async(date_sent="yesterday")


@pytest.mark.asyncio
async def test_paging(twilio_shortcodes, async_client, world):
    sent = [
        (await async_client.messages.create_async(to=US, from_="12345", body=str(n))).sid
        for n in range(25)
    ]
    streamed = [m.sid async for m in await async_client.messages.stream_async(page_size=10)]
    assert streamed == sent[::-1]
    page = await async_client.messages.page_async(page_size=10)
    following = await page.next_page_async()
    assert [m.sid for m in following] == sent[::-1][10:20]


@pytest.mark.asyncio
async def test_update_and_delete(twilio_shortcodes, async_client, world):
    messages = async_client.messages
    sent = await messages.create_async(to=US, from_="12345", body="secret")
    assert await error(lambda: messages(sent.sid).update_async(body="")) == (400, 20009)
    assert await error(lambda: messages(sent.sid).delete_async()) == (400, 20009)
    assert await error(lambda: messages(sent.sid).update_async(status="canceled")) == (400, 30409)
    twilio_shortcodes.deliver_messages()
    assert (await messages(sent.sid).update_async(body="")).body == ""
    assert await messages(sent.sid).delete_async() is True
    assert await error(lambda: messages(sent.sid).fetch_async()) == (404, 20404)

    scheduled = await messages.create_async(
        to=US, messaging_service_sid=world.pool, body="later", schedule_type="fixed",
        send_at=mock_now(twilio_shortcodes) + timedelta(hours=1),
    )  # fmt: skip
    assert scheduled.status == "scheduled"
    canceled = await messages(scheduled.sid).update_async(status="canceled")
    assert canceled.status == "canceled"


@pytest.mark.asyncio
async def test_opted_out_through_the_async_client(twilio_shortcodes, async_client, world):
    # OTHER opted out of the Advanced Opt-Out pool (the world seeds it).
    call = async_client.messages.create_async
    assert await error(lambda: call(to=OTHER, messaging_service_sid=world.pool, body="x")) == (
        400, 21610,
    )  # fmt: skip
    twilio_shortcodes.receive_sms("67890", from_=OTHER, body="START")
    assert (await call(to=OTHER, messaging_service_sid=world.pool, body="x")).status == "accepted"
