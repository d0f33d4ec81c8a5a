"""The example application's tests: the real twilio SDK against the in-memory Twilio."""

from __future__ import annotations

import pytest
from shortcode_manager import ShortCodeAlreadyUsed, ShortCodeManager, provision_service
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


@pytest.fixture
def manager(twilio_shortcodes):
    service = twilio_shortcodes.add_messaging_service("Alerts")
    # Client() reads TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, which the fixture set.
    return ShortCodeManager(Client(), service)


def test_add_list_and_remove(twilio_shortcodes, manager):
    first = twilio_shortcodes.add_short_code("12345")
    second = twilio_shortcodes.add_short_code("67890", country_code="CA")

    added = manager.add(second)
    assert (added.number, added.country) == ("67890", "CA")
    manager.add(first)
    assert manager.numbers() == ["67890", "12345"]

    assert manager.remove(second) is True
    assert manager.numbers() == ["12345"]
    assert manager.remove(second) is False


def test_a_short_code_serves_one_messaging_service(twilio_shortcodes, manager):
    sid = twilio_shortcodes.add_short_code("12345")
    manager.add(sid)
    with pytest.raises(ShortCodeAlreadyUsed):
        manager.add(sid)
    other = ShortCodeManager(manager.client, twilio_shortcodes.add_messaging_service("Other"))
    with pytest.raises(ShortCodeAlreadyUsed):
        other.add(sid)


def test_lists_many_pages(twilio_shortcodes, manager):
    numbers = [str(50000 + i) for i in range(45)]
    for number in numbers:
        manager.add(twilio_shortcodes.add_short_code(number))
    assert manager.numbers() == numbers
    get_pages = [c for c in twilio_shortcodes.calls if c.method == "GET"]
    assert len(get_pages) == 3  # 20 + 20 + 5


def test_find_the_account_short_code_by_number(twilio_shortcodes, manager):
    sid = twilio_shortcodes.add_short_code("24680")
    twilio_shortcodes.add_short_code("246801")
    assert manager.find_account_short_code("24680") == sid
    assert manager.find_account_short_code("99999") is None


@pytest.mark.twilio_shortcodes(short_codes=["12345"], messaging_services=["Alerts"])
def test_retries_when_twilio_is_busy(twilio_shortcodes):
    service = twilio_shortcodes.messaging_service_sid("Alerts")
    sid = twilio_shortcodes.short_code("12345").sid
    manager = ShortCodeManager(Client(), service, max_wait=0.01)

    twilio_shortcodes.fail_next("POST", "messaging.v1.service.short_code", status=429, times=2)
    assert manager.add(sid).number == "12345"

    twilio_shortcodes.assert_called("POST", "messaging.v1.service.short_code", times=3)
    assert [call.status for call in twilio_shortcodes.calls] == [429, 429, 201]


@pytest.mark.twilio_shortcodes(short_codes=["12345"], messaging_services=["Alerts"])
def test_gives_up_after_the_last_attempt(twilio_shortcodes):
    manager = ShortCodeManager(
        Client(), twilio_shortcodes.messaging_service_sid("Alerts"), max_wait=0.01
    )
    twilio_shortcodes.fail_next("POST", "messaging", status=429, times=3)
    with pytest.raises(TwilioRestException) as caught:
        manager.add(twilio_shortcodes.short_code("12345").sid)
    assert caught.value.status == 429
    twilio_shortcodes.assert_not_called("GET")
    assert manager.numbers() == []  # nothing was added


# -- the inbound webhook -------------------------------------------------------------------

from webhook import SUBSCRIBERS  # noqa: E402
from webhook import app as webhook_app  # noqa: E402


@pytest.mark.twilio_shortcodes(short_codes=["12345"])
def test_people_join_and_leave_by_text(twilio_shortcodes):
    SUBSCRIBERS.clear()
    twilio_shortcodes.add_messaging_service(
        "Alerts", inbound_request_url="https://alerts.example.com/sms", short_codes=["12345"]
    )
    joined = twilio_shortcodes.receive_sms(
        "12345", from_="+15550001111", body="join", app=webhook_app
    )
    assert joined.served_by == "primary"
    assert [r.body for r in joined.replies] == ["Welcome! Text STOP to leave."]
    assert joined.replies[0].to == "+15550001111"
    assert sorted(SUBSCRIBERS) == ["+15550001111"]

    left = twilio_shortcodes.receive_sms(
        "12345", from_="+15550001111", body="STOP", app=webhook_app
    )
    assert left.replies[0].body == "You will get no more alerts."
    assert not SUBSCRIBERS


def test_the_webhook_refuses_unsigned_requests(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "the account's token")
    response = webhook_app.test_client().post("/sms", data={"From": "+1555", "Body": "JOIN"})
    assert response.status_code == 403


@pytest.mark.twilio_shortcodes(short_codes=["12345"])
def test_the_webhook_refuses_a_wrong_signature(twilio_shortcodes, monkeypatch):
    twilio_shortcodes.add_short_code("67890", sms_url="https://alerts.example.com/sms")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "someone else's token")
    delivery = twilio_shortcodes.receive_sms("67890", body="JOIN", app=webhook_app)
    assert delivery.attempts[0].status == 403
    assert delivery.served_by is None


def test_the_deploy_step_provisions_the_service_once(twilio_shortcodes):
    client = Client()
    first = provision_service(
        client, "Alerts", "https://alerts.example.com/sms", "https://alerts.example.com/status"
    )
    assert twilio_shortcodes.messaging_service_sid("Alerts") == first  # the account's own
    again = provision_service(
        client, "Alerts", "https://v2.alerts.example.com/sms", "https://v2.alerts.example.com/s"
    )
    assert again == first
    assert [s.sid for s in client.messaging.v1.services.list()] == [first]
    stored = client.messaging.v1.services(first).fetch()
    assert stored.inbound_request_url == "https://v2.alerts.example.com/sms"
    assert stored.validity_period == 36000  # Twilio's default, untouched

    # The service it made holds short codes and routes inbound SMS to the deploy's URL.
    ShortCodeManager(client, first).add(twilio_shortcodes.add_short_code("12345"))
    delivery = twilio_shortcodes.receive_sms("12345", body="JOIN", app=webhook_app)
    assert delivery.attempts[0].url.startswith("https://v2.alerts.example.com/sms")
