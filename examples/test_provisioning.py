"""The deploy script's provisioning against the in-memory Twilio: the service it creates,
what Twilio stores, a second run, and a sender that serves another service."""

from __future__ import annotations

import pytest
from provisioning import Plan, SenderTaken, provision
from twilio.rest import Client

PLAN = Plan(
    name="Alerts",
    inbound_url="https://alerts.example.com/sms",
    status_url="https://alerts.example.com/status",
    short_code="12345",
    long_code="+14155550100",
)


@pytest.fixture
def bought(twilio_shortcodes):
    """The numbers the account bought in Twilio's console."""
    twilio_shortcodes.add_short_code(PLAN.short_code)
    twilio_shortcodes.add_phone_number(PLAN.long_code)


def test_creates_the_service_with_its_senders(twilio_shortcodes, bought):
    client = Client()
    sid = provision(client, PLAN)

    service = client.messaging.v1.services(sid).fetch()  # what Twilio stored
    assert (service.friendly_name, service.inbound_request_url, service.status_callback) == (
        PLAN.name, PLAN.inbound_url, PLAN.status_url,
    )  # fmt: skip
    pool = client.messaging.v1.services(sid)
    assert [sc.short_code for sc in pool.short_codes.list()] == [PLAN.short_code]
    assert [n.phone_number for n in pool.phone_numbers.list()] == [PLAN.long_code]


def test_a_second_run_changes_nothing(twilio_shortcodes, bought):
    client = Client()
    first = provision(client, PLAN)
    before = twilio_shortcodes.snapshot()
    assert provision(client, PLAN) == first
    after = twilio_shortcodes.snapshot()
    assert after["messaging_services"] == before["messaging_services"]
    assert len(client.messaging.v1.services.list()) == 1


def test_a_new_webhook_is_stored(twilio_shortcodes, bought):
    client = Client()
    sid = provision(client, PLAN)
    moved = Plan(**{**PLAN.__dict__, "inbound_url": "https://alerts2.example.com/sms"})
    assert provision(client, moved) == sid
    assert client.messaging.v1.services(sid).fetch().inbound_request_url == moved.inbound_url


def test_a_short_code_of_another_service(twilio_shortcodes, bought):
    twilio_shortcodes.add_messaging_service("Marketing", short_codes=[PLAN.short_code])
    with pytest.raises(SenderTaken, match="12345"):
        provision(Client(), PLAN)


def test_the_long_code_sends_what_the_short_code_cannot_reach(twilio_shortcodes, bought):
    client = Client()
    sid = provision(client, PLAN)
    client.messages.create(to="+447700900456", messaging_service_sid=sid, body="Storm warning")
    client.messages.create(to="+15558675310", messaging_service_sid=sid, body="Storm warning")
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.assert_sent(to="+447700900456", from_=PLAN.long_code, status="delivered")
    twilio_shortcodes.assert_sent(to="+15558675310", from_=PLAN.short_code, status="delivered")
