"""What the inspection helpers return is what the README says: ``short_code()`` a frozen
``ShortCodeRecord``, ``snapshot()`` plain data that ``json.dumps`` takes."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

import pytest

from pytest_twilio_shortcodes import ShortCodeRecord


def test_short_code_returns_a_frozen_record(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_short_code(
        "12345", friendly_name="Alerts", capabilities=("SMS", "MMS"), sms_url="https://a.test/s"
    )
    service = twilio_shortcodes.add_messaging_service(short_codes=[sid])
    pool = twilio_shortcodes.add_proxy_service(short_codes=[sid])
    record = twilio_shortcodes.short_code("12345")
    assert isinstance(record, ShortCodeRecord)
    assert record == twilio_shortcodes.short_code(sid)  # by number or by SID
    assert [field.name for field in dataclasses.fields(record)] == [
        "sid", "short_code", "country_code", "friendly_name", "capabilities", "sms_url",
        "sms_method", "sms_fallback_url", "sms_fallback_method", "api_version",
        "date_created", "date_updated", "messaging_service_sid", "proxy_service_sid",
    ]  # fmt: skip
    assert (record.sid, record.short_code, record.country_code, record.friendly_name) == (
        sid, "12345", "US", "Alerts",
    )  # fmt: skip
    assert (record.capabilities, record.sms_url, record.sms_method) == (
        ("SMS", "MMS"), "https://a.test/s", "POST",
    )  # fmt: skip
    assert (record.sms_fallback_url, record.sms_fallback_method, record.api_version) == (
        None, "POST", "2010-04-01",
    )  # fmt: skip
    assert (record.messaging_service_sid, record.proxy_service_sid) == (service, pool)
    assert record.date_created.tzinfo is not None
    assert record.date_created.utcoffset().total_seconds() == 0
    assert record.date_created == record.date_updated
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.friendly_name = "changed"  # type: ignore[misc]

    # A copy: what the account does later shows in a new record, not in this one.
    twilio_shortcodes.advance_clock(5)
    twilio_client.short_codes(sid).update(friendly_name="Renamed")
    assert record.friendly_name == "Alerts"
    renamed = twilio_shortcodes.short_code(sid)
    assert renamed.friendly_name == "Renamed"
    assert (renamed.date_updated - record.date_updated).total_seconds() >= 5

    assert record.as_dict() == {
        "sid": sid,
        "short_code": "12345",
        "country_code": "US",
        "friendly_name": "Alerts",
        "capabilities": ["SMS", "MMS"],
        "sms_url": "https://a.test/s",
        "sms_method": "POST",
        "sms_fallback_url": None,
        "sms_fallback_method": "POST",
        "api_version": "2010-04-01",
        "date_created": record.date_created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date_updated": record.date_updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "messaging_service_sid": service,
        "proxy_service_sid": pool,
    }
    with pytest.raises(KeyError, match="no short code '99999'"):
        twilio_shortcodes.short_code("99999")


def test_snapshot_is_plain_data_that_json_takes(twilio_shortcodes, api):
    first, second = twilio_shortcodes.add_short_codes(["12345", "67890"])
    service = twilio_shortcodes.add_messaging_service(short_codes=[first])
    pool = twilio_shortcodes.add_proxy_service(short_codes=[first, second])
    url = f"https://proxy.twilio.com/v1/Services/{pool}/ShortCodes/{second}"
    assert api.post(url, data={"IsReserved": "true"}).status_code == 200
    opt_out = twilio_shortcodes.add_messaging_service(
        "Opt-out", short_codes=[second], advanced_opt_out=True, use_inbound_webhook_on_number=True
    )  # logged: the message goes to the short code's own (unset) URL, not dropped
    twilio_shortcodes.receive_sms(
        "67890", from_="+15558675310", body="STOP"
    )  # a message, an opt-out
    snapshot = twilio_shortcodes.snapshot()

    assert json.loads(json.dumps(snapshot)) == snapshot  # only dicts, lists, str, bool, None
    assert snapshot["short_codes"][first] == twilio_shortcodes.short_code(first).as_dict()
    (member,) = snapshot["messaging_services"][service]
    assert member == {
        "sid": first,
        "date_created": member["date_created"],
        "date_updated": member["date_updated"],
    }
    added = datetime.strptime(member["date_created"], "%Y-%m-%dT%H:%M:%SZ")
    assert added.replace(tzinfo=timezone.utc) >= twilio_shortcodes.short_code(first).date_created
    assert [(m["sid"], m["is_reserved"]) for m in snapshot["proxy_services"][pool]] == [
        (first, False),
        (second, True),
    ]
    assert snapshot["opted_out"] == {opt_out: ["+15558675310"]}
    assert [m["body"] for m in snapshot["messages"]][:1] == ["STOP"]
    assert all(isinstance(m["date_created"], str) for m in snapshot["messages"])
    assert set(snapshot) == {
        "short_codes", "phone_numbers", "messaging_services", "proxy_services", "messages",
        "opted_out",
    }  # fmt: skip


def test_snapshot_shows_phone_numbers_as_the_api_renders_them(twilio_shortcodes, api):
    sid = twilio_shortcodes.add_phone_number("+14155550100", friendly_name="Main")
    service = twilio_shortcodes.add_messaging_service(short_codes=["12345"], phone_numbers=[sid])
    snapshot = twilio_shortcodes.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    url = (
        f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/"
        f"IncomingPhoneNumbers/{sid}.json"
    )
    assert snapshot["phone_numbers"] == {sid: api.get(url).json()}
    short_code = twilio_shortcodes.short_code("12345").sid
    assert [m["sid"] for m in snapshot["messaging_services"][service]] == [short_code, sid]
