"""The error catalogue: every error the mock answers over HTTP has the status, code and
message its catalogue entry gives; the schemas name its entries; the documentation's errors
table is rendered from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from pytest_twilio_shortcodes.model import catalogue, errors_table
from tests.conftest import in_seconds_on

ROOT = Path(__file__).resolve().parents[2]
API = "https://api.twilio.com/2010-04-01/Accounts"
MESSAGING = "https://messaging.twilio.com/v1/Services"
PROXY = "https://proxy.twilio.com/v1/Services"
TO, OPTED_OUT = "+15558675310", "+15558675311"
NO_SC = "SC" + "0" * 32


class World:
    """One account: short codes in a Messaging and a Proxy Service, one message sent."""

    def __init__(self, mock):
        self.mock = mock
        self.auth = (mock.account_sid, mock.auth_token)
        self.sc = mock.add_short_code("12345")
        mock.add_short_code("11111", capabilities=("MMS",))
        mock.add_short_code("22222", country_code="GB")
        self.mg = mock.add_messaging_service(short_codes=["12345"])
        self.other_mg = mock.add_messaging_service()
        self.uk_mg = mock.add_messaging_service(short_codes=["22222"])
        self.aoo = mock.add_messaging_service(short_codes=["33333"], advanced_opt_out=True)
        mock.add_opt_out(OPTED_OUT, self.aoo)
        self.ks = mock.add_proxy_service("pool", short_codes=["12345"])
        self.other_ks = mock.add_proxy_service("other pool")
        self.short_codes = f"{API}/{mock.account_sid}/SMS/ShortCodes"
        self.messages = f"{API}/{mock.account_sid}/Messages.json"
        sent = self.send(To=TO, From="12345", Body="hi").json()
        self.sent_url = self.messages.replace(".json", f"/{sent['sid']}.json")

    def get(self, url, params=None, auth=True):
        return requests.get(url, params=params, auth=self.auth if auth is True else auth)

    def post(self, url, data):
        return requests.post(url, data=data, auth=self.auth)

    def send(self, **params):
        return self.post(self.messages, params)


def later(w, seconds):
    """A time ``seconds`` ahead (60 s is inside the 300 s Twilio refuses, whatever second
    the clock reads)."""
    return in_seconds_on(w.mock, seconds)


def second_alpha_sender(w):
    senders = f"{MESSAGING}/{w.other_mg}/AlphaSenders"
    first = w.post(senders, {"AlphaSender": "Acme"}).json()
    return w.post(senders, {"AlphaSender": "Other"}), {
        "service": w.other_mg,
        "sender": first["sid"],
    }


def numbers(w):
    return f"{API}/{w.mock.account_sid}/IncomingPhoneNumbers.json"


def buy(**params):
    """Buy a phone number through the API with ``params``."""
    return lambda w: w.post(numbers(w), params)


def update_number(**params):
    """Update a phone number of the account through the API with ``params``."""

    def update(w):
        sid = w.mock.add_phone_number("+15558675399")
        return w.post(numbers(w).replace(".json", f"/{sid}.json"), params)

    return update


def join_pool(w, sid):
    return w.post(f"{MESSAGING}/{w.other_mg}/PhoneNumbers", {"PhoneNumberSid": sid})


def area_code_exhausted(w):
    for line in range(100):
        w.mock.add_phone_number(f"+1212555{100 + line:04d}")
    return buy(AreaCode="212")(w), {"area_code": "212"}


def pool_limit_reached(w):
    full = w.mock.add_messaging_service(short_codes=[str(20000 + n) for n in range(400)])
    sid = w.mock.add_phone_number("+15558675398")
    return w.post(f"{MESSAGING}/{full}/PhoneNumbers", {"PhoneNumberSid": sid}), {}


def new_service(**params):
    """A Messaging Service created through the API with ``params`` beside its name."""
    return lambda w: w.post(MESSAGING, {"FriendlyName": "s", **params})


# name -> (provoke the error, the fields its message is filled from)
SCENARIOS = {
    "not_found": lambda w: (
        w.get(f"{MESSAGING}/MGnope/ShortCodes"),
        {"path": "/Services/MGnope/ShortCodes"},
    ),
    "not_mocked": lambda w: (
        w.get(f"{API}/{w.mock.account_sid}/Calls.json"),
        {"method": "GET", "url": f"{API}/{w.mock.account_sid}/Calls.json"},
    ),
    "method_not_allowed": lambda w: (
        requests.put(f"{MESSAGING}/{w.mg}/ShortCodes", auth=w.auth),
        {"method": "PUT", "path": f"/v1/Services/{w.mg}/ShortCodes"},
    ),
    "no_credentials": lambda w: (w.get(f"{MESSAGING}/{w.mg}/ShortCodes", auth=None), {}),
    "wrong_credentials": lambda w: (
        w.get(f"{MESSAGING}/{w.mg}/ShortCodes", auth=(w.mock.account_sid, "wrong")),
        {},
    ),
    "wrong_account": lambda w: (
        w.get(f"{API}/AC{'0' * 32}/SMS/ShortCodes.json"),
        {"account": f"AC{'0' * 32}"},
    ),
    "missing_parameter": lambda w: (
        w.post(f"{MESSAGING}/{w.mg}/ShortCodes", {}),
        {"name": "ShortCodeSid"},
    ),
    "invalid_parameter": lambda w: (
        w.get(f"{MESSAGING}/{w.mg}/ShortCodes", {"PageSize": "0"}),
        {"name": "PageSize", "value": "0", "expected": "must be an integer from 1 to 1000"},
    ),
    "invalid_page_token": lambda w: (
        w.get(f"{PROXY}/{w.ks}/ShortCodes", {"PageToken": "PXnope"}),
        {"token": "PXnope"},
    ),
    "page_token_required": lambda w: (w.get(f"{w.short_codes}.json", {"Page": "1"}), {}),
    "short_code_sid_invalid": lambda w: (
        w.post(f"{MESSAGING}/{w.other_mg}/ShortCodes", {"ShortCodeSid": "SC1"}),
        {"value": "SC1"},
    ),
    "short_code_not_in_account": lambda w: (
        w.post(f"{MESSAGING}/{w.other_mg}/ShortCodes", {"ShortCodeSid": NO_SC}),
        {"sid": NO_SC},
    ),
    "already_in_messaging_service": lambda w: (
        w.post(f"{MESSAGING}/{w.mg}/ShortCodes", {"ShortCodeSid": w.sc}),
        {},
    ),
    "in_another_messaging_service": lambda w: (
        w.post(f"{MESSAGING}/{w.other_mg}/ShortCodes", {"ShortCodeSid": w.sc}),
        {},
    ),
    "invalid_service_friendly_name": lambda w: (
        w.post(MESSAGING, {"FriendlyName": "x" * 65}),
        {"value": "x" * 65},
    ),
    "invalid_boolean": lambda w: (
        new_service(StickySender="yes")(w),
        {"field": "StickySender", "value": "yes"},
    ),
    "invalid_scan_message_content": lambda w: (
        new_service(ScanMessageContent="maybe")(w),
        {"value": "maybe"},
    ),
    "invalid_validity_period": lambda w: (new_service(ValidityPeriod="0")(w), {"value": "0"}),
    "invalid_usecase": lambda w: (new_service(Usecase="spam")(w), {"value": "spam"}),
    "invalid_alpha_sender": lambda w: (
        w.post(f"{MESSAGING}/{w.mg}/AlphaSenders", {"AlphaSender": "12345"}),
        {"value": "12345"},
    ),
    "alpha_sender_taken": second_alpha_sender,
    "unique_name_taken": lambda w: (w.post(PROXY, {"UniqueName": "pool"}), {}),
    "invalid_unique_name": lambda w: (
        w.post(PROXY, {"UniqueName": "x" * 192}),
        {"field": "UniqueName"},
    ),
    "invalid_proxy_parameter": lambda w: (
        w.post(PROXY, {"UniqueName": "new pool", "DefaultTtl": "-1"}),
        {"field": "DefaultTtl", "value": "-1"},
    ),
    "phone_number_sid_invalid": lambda w: (join_pool(w, "PN1"), {"value": "PN1"}),
    "phone_number_not_in_account": lambda w: (
        join_pool(w, "PN" + "0" * 32),
        {"sid": "PN" + "0" * 32},
    ),
    "phone_number_not_sms": lambda w: (
        join_pool(w, w.mock.add_phone_number("+15558675397", capabilities=("voice",))),
        {},
    ),
    "pool_limit_reached": pool_limit_reached,
    "phone_number_or_area_code_required": lambda w: (buy()(w), {}),
    "phone_number_to_buy_invalid": lambda w: (
        buy(PhoneNumber="+10005551234")(w),
        {"number": "+10005551234"},
    ),
    "invalid_phone_number_field": lambda w: (buy(PhoneNumber="555")(w), {"value": "555"}),
    "phone_number_unavailable": lambda w: (
        (w.mock.add_phone_number("+15558675396"), buy(PhoneNumber="+15558675396")(w))[1],
        {"number": "+15558675396"},
    ),
    "area_code_invalid": lambda w: (buy(AreaCode="411")(w), {"area_code": "411"}),
    "invalid_area_code_field": lambda w: (buy(AreaCode="12")(w), {"value": "12"}),
    "area_code_exhausted": area_code_exhausted,
    "invalid_beta_filter": lambda w: (w.get(numbers(w), {"Beta": "maybe"}), {"value": "maybe"}),
    "invalid_origin_filter": lambda w: (
        w.get(numbers(w), {"Origin": "elsewhere"}),
        {"value": "elsewhere"},
    ),
    "invalid_account_sid": lambda w: (
        update_number(AccountSid="AC" + "1" * 32)(w),
        {
            "other": "AC" + "1" * 32,
            "detail": "moving a number to another account is not modelled",
        },
    ),
    "invalid_true_false": lambda w: (
        buy(AreaCode="212", VoiceCallerIdLookup="yes")(w),
        {"field": "VoiceCallerIdLookup", "value": "yes"},
    ),
    "invalid_emergency_status": lambda w: (
        buy(AreaCode="212", EmergencyStatus="On")(w),
        {"value": "On"},
    ),
    "invalid_voice_receive_mode": lambda w: (
        buy(AreaCode="212", VoiceReceiveMode="text")(w),
        {"value": "text"},
    ),
    "invalid_ap_sid": lambda w: (
        buy(AreaCode="212", SmsApplicationSid="AP1")(w),
        {"field": "SmsApplicationSid", "value": "AP1"},
    ),
    "invalid_ad_sid": lambda w: (
        buy(AreaCode="212", AddressSid="AD1")(w),
        {"field": "AddressSid", "value": "AD1"},
    ),
    "invalid_tk_sid": lambda w: (
        buy(AreaCode="212", TrunkSid="TK1")(w),
        {"field": "TrunkSid", "value": "TK1"},
    ),
    "invalid_ri_sid": lambda w: (
        buy(AreaCode="212", IdentitySid="RI1")(w),
        {"field": "IdentitySid", "value": "RI1"},
    ),
    "invalid_bu_sid": lambda w: (
        buy(AreaCode="212", BundleSid="BU1")(w),
        {"field": "BundleSid", "value": "BU1"},
    ),
    "invalid_ac_sid": lambda w: (
        update_number(AccountSid="AC1")(w),
        {"field": "AccountSid", "value": "AC1"},
    ),
    "status_callback_host_invalid": lambda w: (
        w.send(To=TO, From="12345", Body="x", StatusCallback="https://bad_host.example/s"),
        {"value": "https://bad_host.example/s"},
    ),
    "too_many_media": lambda w: (
        w.post(
            w.messages,
            [("To", TO), ("From", "11111")]
            + [("MediaUrl", f"https://m.example/{n}") for n in range(11)],
        ),
        {"count": 11},
    ),
    "invalid_message_validity_period": lambda w: (
        w.send(To=TO, From="12345", Body="x", ValidityPeriod="0"),
        {"value": "0"},
    ),
    "short_code_not_associated": lambda w: (
        w.post(f"{PROXY}/{w.ks}/ShortCodes", {"Sid": NO_SC}),
        {},
    ),
    "already_in_proxy_service": lambda w: (w.post(f"{PROXY}/{w.ks}/ShortCodes", {"Sid": w.sc}), {}),
    "in_another_proxy_service": lambda w: (
        w.post(f"{PROXY}/{w.other_ks}/ShortCodes", {"Sid": w.sc}),
        {"short_code": "12345", "service": w.ks},
    ),
    "invalid_is_reserved": lambda w: (
        w.post(f"{PROXY}/{w.ks}/ShortCodes/{w.sc}", {"IsReserved": "yes"}),
        {"value": "yes"},
    ),
    "invalid_friendly_name": lambda w: (
        w.post(f"{w.short_codes}/{w.sc}.json", {"FriendlyName": "x" * 65}),
        {},
    ),
    "invalid_api_version": lambda w: (
        w.post(f"{w.short_codes}/{w.sc}.json", {"ApiVersion": "2011-01-01"}),
        {"value": "2011-01-01"},
    ),
    "invalid_callback_url": lambda w: (
        w.post(f"{w.short_codes}/{w.sc}.json", {"SmsUrl": "mailto:x@example.com"}),
        {"field": "SmsUrl", "value": "mailto:x@example.com"},
    ),
    "invalid_method": lambda w: (
        w.post(f"{w.short_codes}/{w.sc}.json", {"SmsFallbackMethod": "PUT"}),
        {"field": "SmsFallbackMethod", "value": "PUT"},
    ),
    "invalid_field": lambda w: (
        w.send(To=TO, From="12345", Body="x", ScheduleType="later"),
        {"field": "ScheduleType", "value": "later"},
    ),
    "invalid_message_parameter": lambda w: (
        w.post(w.sent_url, {"Body": "new text"}),
        {"name": "Body", "detail": "only an empty Body (a redaction) is accepted"},
    ),
    "invalid_status_update": lambda w: (
        w.post(w.sent_url, {"Status": "paused"}),
        {"value": "paused"},
    ),
    "message_incomplete": lambda w: (
        requests.delete(w.sent_url, auth=w.auth),
        {"action": "delete"},
    ),
    "to_invalid": lambda w: (
        w.send(To="5558675310", From="12345", Body="x"),
        {
            "to": "5558675310",
            "reason": "give it in E.164 form: + and 7 to 15 digits, nothing else (+15558675310)",
        },
    ),
    "from_invalid": lambda w: (w.send(To=TO, From="ACME!", Body="x"), {"from_": "ACME!"}),
    "to_is_short_code": lambda w: (w.send(To="54321", From="12345", Body="x"), {"to": "54321"}),
    "body_required": lambda w: (w.send(To=TO, From="12345"), {}),
    "from_required": lambda w: (w.send(To=TO, Body="x"), {}),
    "to_required": lambda w: (w.send(From="12345", Body="x"), {}),
    "invalid_status_callback": lambda w: (
        new_service(StatusCallback="mailto:x")(w),
        {"value": "mailto:x"},
    ),
    "unsubscribed_recipient": lambda w: (
        w.send(To=OPTED_OUT, MessagingServiceSid=w.aoo, Body="x"),
        {},
    ),
    "body_too_long": lambda w: (w.send(To=TO, From="12345", Body="x" * 1601), {}),
    "content_required": lambda w: (w.send(To=TO, MessagingServiceSid=w.mg), {}),
    "invalid_media_url": lambda w: (
        w.send(To=TO, From="11111", MediaUrl="ftp://x"),
        {"value": "ftp://x"},
    ),
    "from_not_mms": lambda w: (
        w.send(To=TO, From="12345", Body="x", MediaUrl="https://m.example/a"),
        {"from_": "12345"},
    ),
    "from_wrong_country": lambda w: (
        w.send(To="+447700900123", From="12345", Body="x"),
        {"from_": "12345", "country": "US", "to": "+447700900123"},
    ),
    "from_not_in_account": lambda w: (
        w.send(To=TO, From="99999", Body="x"),
        {"from_": "99999", "account": w.mock.account_sid},
    ),
    "from_not_sms": lambda w: (w.send(To=TO, From="11111", Body="x"), {"from_": "11111"}),
    "messaging_service_not_found": lambda w: (
        w.send(To=TO, MessagingServiceSid="MG" + "0" * 32, Body="x"),
        {"sid": "MG" + "0" * 32},
    ),
    "no_sender_available": lambda w: (w.send(To=TO, MessagingServiceSid=w.uk_mg, Body="x"), {}),
    "service_has_no_numbers": lambda w: (
        w.send(To=TO, MessagingServiceSid=w.other_mg, Body="x"),
        {},
    ),
    "messaging_service_sid_invalid": lambda w: (
        w.send(To=TO, MessagingServiceSid="MG1", Body="x"),
        {"value": "MG1"},
    ),
    "not_cancelable": lambda w: (w.post(w.sent_url, {"Status": "canceled"}), {}),
    "send_at_missing": lambda w: (
        w.send(To=TO, MessagingServiceSid=w.mg, Body="x", ScheduleType="fixed"),
        {},
    ),
    "send_at_out_of_window": lambda w: (
        w.send(
            To=TO, MessagingServiceSid=w.mg, Body="x", ScheduleType="fixed", SendAt=later(w, 60)
        ),
        {},
    ),
    "schedule_needs_service": lambda w: (
        w.send(To=TO, From="12345", Body="x", ScheduleType="fixed"),
        {},
    ),
}
STANDARD_FAULTS = ("too_many_requests", "internal_server_error", "service_unavailable")


def http_entries() -> list[str]:
    return [e.name for e in catalogue.ENTRIES if e.status is not None]


def test_every_error_answered_over_http_has_a_scenario_here():
    assert sorted([*SCENARIOS, *STANDARD_FAULTS]) == sorted(http_entries())


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_answer_is_the_catalogue_entry(twilio_shortcodes, name):
    world = World(twilio_shortcodes)
    response, fields = SCENARIOS[name](world)
    entry = catalogue.entry(name)
    body = response.json()
    assert (response.status_code, body["status"], body["code"]) == (
        entry.status,
        entry.status,
        entry.code,
    )
    assert body["message"] == entry.message.format(**fields)
    assert body.get("detail") == (entry.detail.format(**fields) if entry.detail else None)
    twilio_shortcodes.unmatched.clear()  # the not-mocked route is provoked on purpose


@pytest.mark.parametrize("name", STANDARD_FAULTS)
def test_a_scripted_fault_with_a_standard_status_is_its_catalogue_entry(twilio_shortcodes, name):
    entry = catalogue.entry(name)
    twilio_shortcodes.fail_next(status=entry.status)
    response = requests.get(
        f"{API}/{twilio_shortcodes.account_sid}/SMS/ShortCodes.json",
        auth=(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token),
    )
    body = response.json()
    assert (response.status_code, body["code"], body["message"]) == (
        entry.status,
        entry.code,
        entry.message,
    )


@pytest.mark.parametrize("status", ["undelivered", "failed"])
def test_a_failed_message_carries_the_catalogue_error_message(twilio_shortcodes, status):
    world = World(twilio_shortcodes)
    twilio_shortcodes.fail_delivery("+15558675312", status)
    sent = world.send(To="+15558675312", From="12345", Body="x").json()
    twilio_shortcodes.deliver_messages()
    message = world.get(world.messages.replace(".json", f"/{sent['sid']}.json")).json()
    code = catalogue.DEFAULT_FAILURE_CODES[status]
    assert (message["status"], message["error_code"]) == (status, code)
    assert message["error_message"] == catalogue.entry(code).message


def test_the_documented_errors_table_is_the_catalogues():
    """docs/reference/errors.md shows the table ``errors_table()`` renders."""
    page = (ROOT / "docs" / "reference" / "errors.md").read_text(encoding="utf-8")
    apis = ("any", "messaging", "proxy", "account", "messages")
    rows = [line for line in page.splitlines() if line.startswith(tuple(f"| {a} |" for a in apis))]
    generated = errors_table.errors_table(apis).splitlines()[2:]
    assert rows == generated


def test_schema_error_answers_are_catalogue_entries():
    """Every ``x-twilio-error`` in the bundled schemas names a catalogue entry answered over
    HTTP (by its name, or by a code that has one entry)."""
    found = 0
    for path in sorted((ROOT / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for name, prop in schema.get("properties", {}).items():
            if "x-twilio-error" in prop:
                found += 1
                key = prop["x-twilio-error"]
                assert isinstance(key, (str, int)), (path.name, name, key)
                assert catalogue.entry(key).status is not None, (path.name, name)
    assert found


def test_a_code_with_several_messages_is_named_not_numbered():
    with pytest.raises(KeyError, match="code 20001 has"):
        catalogue.entry(20001)
    assert catalogue.entry(21620).name == "invalid_media_url"


def test_the_markdown_tables_list_every_code():
    table = errors_table.errors_table()
    codes = errors_table.codes_table()
    for entry in catalogue.ENTRIES:
        assert f"| {entry.code} |" in (table if entry.status is not None else codes)
