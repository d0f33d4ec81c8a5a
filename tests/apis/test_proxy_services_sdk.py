"""Proxy v1 ``Services[/{KS}]`` through twilio==9.6.3 (sync and ``*_async``), the SDK the
Proxy resources are served to. Run with ``python -m pytest -m proxy`` in its virtualenv."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import twilio
from twilio.base.exceptions import TwilioException, TwilioRestException

pytestmark = pytest.mark.proxy

PROXY = "https://proxy.twilio.com/v1/Services"


def error(call):
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value


def test_runs_on_the_sdk_that_has_proxy():
    assert twilio.__version__ == "9.6.3"


def test_create_fetch_update_delete(twilio_shortcodes, twilio_client):
    services = twilio_client.proxy.v1.services
    created = services.create(unique_name="support")
    assert created.unique_name == "support"
    assert created.account_sid == twilio_shortcodes.account_sid
    assert (created.default_ttl, created.geo_match_level, created.number_selection_behavior) == (
        0,
        "country",
        "prefer-sticky",
    )
    assert created.callback_url is None and created.chat_instance_sid is None
    assert created.url == f"{PROXY}/{created.sid}"
    assert created.links["short_codes"] == f"{PROXY}/{created.sid}/ShortCodes"
    assert isinstance(created.date_created, datetime)
    assert created.date_created.utcoffset() == timedelta(0)

    fetched = services(created.sid).fetch()
    assert (fetched.sid, fetched.unique_name, fetched.date_created) == (
        created.sid,
        "support",
        created.date_created,
    )
    twilio_shortcodes.advance_clock(3)
    updated = services(created.sid).update(
        unique_name="support-2",
        default_ttl=600,
        callback_url="https://app.example.com/cb",
        geo_match_level="area-code",
        number_selection_behavior="avoid-sticky",
        intercept_callback_url="https://app.example.com/intercept",
        out_of_session_callback_url="https://app.example.com/oos",
        chat_instance_sid="IS" + "b" * 32,
    )
    assert (updated.unique_name, updated.default_ttl) == ("support-2", 600)
    assert (updated.geo_match_level, updated.number_selection_behavior) == (
        "area-code",
        "avoid-sticky",
    )
    assert updated.callback_url == "https://app.example.com/cb"
    assert updated.intercept_callback_url == "https://app.example.com/intercept"
    assert updated.out_of_session_callback_url == "https://app.example.com/oos"
    assert updated.chat_instance_sid == "IS" + "b" * 32
    assert (updated.date_updated - created.date_updated).total_seconds() == 3
    assert twilio_shortcodes.proxy_service_sid("support-2") == created.sid

    assert services(created.sid).delete() is True
    e = error(lambda: services(created.sid).fetch())
    assert (e.status, e.code) == (404, 20404)
    assert e.msg == (
        f"Unable to fetch record: The requested resource /Services/{created.sid} was not found"
    )


def test_create_with_every_keyword(twilio_client):
    created = twilio_client.proxy.v1.services.create(
        unique_name="all",
        default_ttl=3600,
        callback_url="https://app.example.com/cb",
        geo_match_level="overlay",
        number_selection_behavior="avoid-sticky",
        intercept_callback_url="https://app.example.com/intercept",
        out_of_session_callback_url="https://app.example.com/oos",
        chat_instance_sid="IS" + "c" * 32,
    )
    assert (created.default_ttl, created.geo_match_level) == (3600, "overlay")
    assert created.chat_instance_sid == "IS" + "c" * 32


def test_list_helpers_and_api_alike(twilio_shortcodes, twilio_client):
    first = twilio_shortcodes.add_proxy_service("seeded")
    second = twilio_client.proxy.v1.services.create(unique_name="created").sid
    services = twilio_client.proxy.v1.services
    listed = services.list()
    assert [(s.sid, s.unique_name) for s in listed] == [(first, "seeded"), (second, "created")]
    assert [s.sid for s in services.list(page_size=1)] == [first, second]
    assert [s.sid for s in services.stream(limit=1)] == [first]


def test_errors(twilio_shortcodes, twilio_client):
    services = twilio_client.proxy.v1.services
    twilio_shortcodes.add_proxy_service("taken")
    e = error(lambda: services.create(unique_name="taken"))
    assert (e.status, e.code) == (400, 80602)
    e = error(lambda: services.create(unique_name="x", geo_match_level="planet"))
    assert (e.status, e.code) == (400, 80701)
    e = error(lambda: services("KS" + "0" * 32).update(default_ttl=5))
    assert (e.status, e.code) == (404, 20404)
    e = error(lambda: services("KS" + "0" * 32).delete())
    assert (e.status, e.code) == (404, 20404)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        services.list(page_size=1001)


def test_delete_releases_short_codes(twilio_shortcodes, twilio_client):
    sc = twilio_shortcodes.add_short_code("12345")
    doomed = twilio_client.proxy.v1.services.create(unique_name="doomed").sid
    twilio_client.proxy.v1.services(doomed).short_codes.create(sid=sc)
    assert twilio_client.proxy.v1.services(doomed).delete() is True
    other = twilio_client.proxy.v1.services.create(unique_name="other").sid
    assert twilio_client.proxy.v1.services(other).short_codes.create(sid=sc).service_sid == other


@pytest.mark.asyncio
async def test_every_operation_async(async_client):
    services = async_client.proxy.v1.services
    created = await services.create_async(unique_name="async", default_ttl=30)
    assert (await services(created.sid).fetch_async()).default_ttl == 30
    updated = await services(created.sid).update_async(unique_name="async-2")
    assert updated.unique_name == "async-2"
    assert [s.sid for s in await services.list_async()] == [created.sid]
    assert await services(created.sid).delete_async() is True
    assert await services.list_async() == []
