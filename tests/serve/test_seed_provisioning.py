"""The serve command's seed file: phone numbers, services with phone numbers, and every
keyword of the seeding helpers."""

from __future__ import annotations

import inspect
import json

import pytest
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock
from pytest_twilio_shortcodes.serve.seed import (
    SeedError,
    apply_seed,
    check_seed,
    load_seed,
    seed_all_or_nothing,
)

SEED = {
    "phone_numbers": [
        "+14155550100",
        {
            "phone_number": "+447700900123",
            "friendly_name": "UK",
            "capabilities": ["SMS"],
            "sms_url": "https://app.example/uk",
            "sms_method": "GET",
        },
    ],
    "short_codes": ["12345"],
    "messaging_services": [
        {
            "friendly_name": "Alerts",
            "inbound_request_url": "https://app.example/in",
            "short_codes": ["12345"],
            "phone_numbers": ["+14155550100", "+12125550100"],
            "status_callback": "https://app.example/status",
            "advanced_opt_out": True,
        },
        {
            "friendly_name": "Custom",
            "advanced_opt_out": {"opt_out": "Bye."},
            "alpha_sender": "Alerts",
            "use_inbound_webhook_on_number": True,
        },
    ],
}


def accept(environ, start_response):
    start_response("204 No Content", [])
    return []


def seeded(tmp_path, data):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))
    mock = TwilioShortCodeMock()
    apply_seed(mock, load_seed(path), str(path))
    return mock


def test_phone_numbers_and_services_from_the_seed(tmp_path):
    mock = seeded(tmp_path, SEED)
    alerts = mock.messaging_service_sid("Alerts")
    with mock:
        client = Client(mock.account_sid, mock.auth_token)
        numbers = {n.phone_number: n for n in client.incoming_phone_numbers.list()}
        assert sorted(numbers) == ["+12125550100", "+14155550100", "+447700900123"]
        uk = numbers["+447700900123"]
        assert (uk.friendly_name, uk.sms_url, uk.sms_method) == (
            "UK", "https://app.example/uk", "GET",
        )  # fmt: skip
        assert uk.capabilities == {"voice": False, "sms": True, "mms": False, "fax": False}
        pool = client.messaging.v1.services(alerts).phone_numbers.list()
        assert [n.phone_number for n in pool] == ["+14155550100", "+12125550100"]
        # The service's status callback and Advanced Opt-Out came through.
        client.messages.create(to="+15558675310", messaging_service_sid=alerts, body="x")
    callbacks = mock.deliver_messages(app=accept)
    assert {c.url for c in callbacks} == {"https://app.example/status"}
    mock.add_opt_out("+15558675310", alerts)  # a ValueError without Advanced Opt-Out
    custom = mock.messaging_service_sid("Custom")
    mock.add_opt_out("+15558675311", custom)
    assert mock.opted_out(custom) == {"+15558675311"}
    with mock:
        client = Client(mock.account_sid, mock.auth_token)
        senders = client.messaging.v1.services(custom).alpha_senders.list()
        assert [s.alpha_sender for s in senders] == ["Alerts"]
        assert client.messaging.v1.services(custom).fetch().use_inbound_webhook_on_number is True


HELPERS = {
    "phone_numbers": "add_phone_number",
    "short_codes": "add_short_code",
    "messaging_services": "add_messaging_service",
    "proxy_services": "add_proxy_service",
}


@pytest.mark.parametrize("key", sorted(HELPERS))
def test_every_keyword_of_the_helper_is_a_seed_key(tmp_path, key):
    """A key the file refuses names the keys it takes: they are the helper's parameters."""
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({key: [{"no_such_keyword": 1}]}))
    with pytest.raises(SeedError) as caught:
        load_seed(path)
    message = str(caught.value)
    parameters = inspect.signature(getattr(TwilioShortCodeMock, HELPERS[key])).parameters
    expected = [name for name in parameters if name != "self"]
    assert f"unknown key(s) 'no_such_keyword'; expected some of {', '.join(expected)}" in message


P0, MS = "$.phone_numbers[0]", "$.messaging_services"
BAD = [
    ('{"phone_numbers": "+14155550100"}', "$.phone_numbers: expected a list, not a string"),
    ('{"phone_numbers": [14155550100]}', f"{P0}: expected a string (\"+14155550100\") or an "
                                         "object, not a number (14155550100)"),
    ('{"phone_numbers": [{"friendly_name": "x"}]}', f"{P0}: 'phone_number' is missing"),
    ('{"phone_numbers": ["4155550100"]}', f"{P0}: phone_number '4155550100' must be"),
    ('{"phone_numbers": [{"phone_number": "+14155550100", "sms_url": 7}]}',
     f"{P0}.sms_url: expected a string or null, not a number (7)"),
    ('{"phone_numbers": [{"phone_number": "+14155550100", "capabilities": ["SMS", 1]}]}',
     f"{P0}.capabilities[1]: expected a string, not a number (1)"),
    ('{"phone_numbers": ["+14155550100", "+14155550100"]}',
     "$.phone_numbers[1]: phone number +14155550100 is already in the account"),
    ('{"messaging_services": [{"phone_numbers": "+14155550100"}]}',
     f"{MS}[0].phone_numbers: expected a list, not a string"),
    ('{"messaging_services": [{"advanced_opt_out": "yes"}]}',
     f"{MS}[0].advanced_opt_out: expected true, false or an object, not a string"),
    ('{"messaging_services": [{"advanced_opt_out": {"bye": "x"}}]}',
     f"{MS}[0]: advanced_opt_out: unknown reply kinds ['bye']"),
    ('{"messaging_services": [{"alpha_sender": "12345"}]}',
     f"{MS}[0]: alpha_sender '12345' must be 1 to 11 of"),
    ('{"messaging_services": [{"use_inbound_webhook_on_number": "yes"}]}',
     f"{MS}[0].use_inbound_webhook_on_number: expected true or false, not a string"),
    ('{"messaging_services": [{"status_callback": 1}]}',
     f"{MS}[0].status_callback: expected a string or null, not a number (1)"),
]  # fmt: skip


@pytest.mark.parametrize("content, problem", BAD)
def test_a_bad_seed_names_the_place(tmp_path, content, problem):
    path = tmp_path / "seed.json"
    path.write_text(content)
    with pytest.raises(SeedError) as caught:
        apply_seed(TwilioShortCodeMock(), load_seed(path), str(path))
    assert str(caught.value).startswith(f"{path}: {problem}")


def test_all_or_nothing_rehearses_phone_numbers_too():
    """A seed naming a phone number another service holds fails on the scratch account
    first, so the account keeps what it had; a good one reports the numbers it made."""
    mock = TwilioShortCodeMock()
    mock.add_messaging_service("Taken", phone_numbers=["+14155550100"])
    before = mock.snapshot()
    bad = {
        "phone_numbers": ["+14155550101"],
        "messaging_services": [{"friendly_name": "New", "phone_numbers": ["+14155550100"]}],
    }
    with pytest.raises(SeedError, match="associated with another Messaging Service"):
        seed_all_or_nothing(mock, check_seed(bad))
    assert mock.snapshot() == before
    good = {"messaging_services": [{"friendly_name": "New", "phone_numbers": ["+12125550100"]}]}
    seeded = seed_all_or_nothing(mock, check_seed(good))
    (sid,) = mock.messaging_service_phone_numbers(seeded["messaging_services"]["New"])
    assert seeded["phone_numbers"] == {"+12125550100": sid}
