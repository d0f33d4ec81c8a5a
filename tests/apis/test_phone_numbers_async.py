"""The account's phone numbers and a Messaging Service's phone numbers through the SDK's
``*_async`` methods (aiohttp)."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

pytestmark = pytest.mark.asyncio


async def test_buy_fetch_update_list_release(twilio_shortcodes, async_client):
    numbers = async_client.incoming_phone_numbers
    bought = await numbers.create_async(phone_number="+14155550100", sms_url="https://a.example/s")
    assert (bought.phone_number, bought.sms_url) == ("+14155550100", "https://a.example/s")
    fetched = await numbers(bought.sid).fetch_async()
    assert fetched.friendly_name == "(415) 555-0100"
    updated = await numbers(bought.sid).update_async(friendly_name="Main", sms_method="GET")
    assert (updated.friendly_name, updated.sms_method) == ("Main", "GET")
    other = await numbers.create_async(area_code="212")
    assert [n.sid for n in await numbers.list_async()] == [bought.sid, other.sid]
    assert [n.sid for n in await numbers.list_async(friendly_name="Main")] == [bought.sid]
    assert await numbers(bought.sid).delete_async() is True
    with pytest.raises(TwilioRestException) as caught:
        await numbers(bought.sid).fetch_async()
    assert (caught.value.status, caught.value.code) == (404, 20404)


async def test_a_services_phone_numbers(twilio_shortcodes, async_client):
    service = twilio_shortcodes.add_messaging_service("Pool")
    first = twilio_shortcodes.add_phone_number("+14155550100")
    second = twilio_shortcodes.add_phone_number("+14155550101")
    pool = async_client.messaging.v1.services(service).phone_numbers

    added = await pool.create_async(phone_number_sid=first)
    assert (added.sid, added.service_sid, added.phone_number) == (first, service, "+14155550100")
    await pool.create_async(phone_number_sid=second)
    assert [n.sid for n in await pool.list_async(page_size=1)] == [first, second]
    assert (await pool(second).fetch_async()).phone_number == "+14155550101"
    with pytest.raises(TwilioRestException) as caught:
        await pool.create_async(phone_number_sid=first)
    assert (caught.value.status, caught.value.code) == (409, 21710)
    assert await pool(first).delete_async() is True
    assert twilio_shortcodes.messaging_service_phone_numbers(service) == [second]


async def test_send_from_a_long_code(twilio_shortcodes, async_client):
    twilio_shortcodes.add_phone_number("+14155550100")
    message = await async_client.messages.create_async(
        to="+15558675310", from_="+14155550100", body="Hello"
    )
    assert (message.status, message.from_) == ("queued", "+14155550100")
