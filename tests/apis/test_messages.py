"""The 2010-04-01 Messages resource through the latest twilio SDK and plain requests:
every operation, every sending rule and every error, from short codes and Messaging
Services."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import requests
from twilio.base import values
from twilio.base.exceptions import TwilioException, TwilioRestException

from pytest_twilio_shortcodes import validate
from tests.conftest import assert_twilio_error, in_seconds_on, mock_now

US = "+15558675310"
OTHER = "+15558675311"
UK = "+447700900123"
MG0 = "MG" + "0" * 32
# Twilio parameter -> twilio SDK keyword.
SDK_NAMES = {
    "To": "to", "From": "from_", "Body": "body", "MediaUrl": "media_url",
    "MessagingServiceSid": "messaging_service_sid", "StatusCallback": "status_callback",
    "ScheduleType": "schedule_type", "SendAt": "send_at", "ContentSid": "content_sid",
}  # fmt: skip


class World:
    """Short codes and services covering every sending rule."""

    def __init__(self, mock: Any) -> None:
        self.mock = mock
        self.sms_only = "12345"  # standalone, US, SMS
        mock.add_short_code(self.sms_only)
        mock.add_short_code("67890", capabilities=("SMS", "MMS"))
        mock.add_short_code("11111", capabilities=("MMS",))
        mock.add_short_code("22222", country_code="GB")
        mock.add_short_code("33333", country_code="CA")
        self.pool = mock.add_messaging_service("Pool", short_codes=["67890"], advanced_opt_out=True)
        self.empty = mock.add_messaging_service("Empty")
        self.uk_pool = mock.add_messaging_service("UK", short_codes=["22222"])
        self.sms_pool = mock.add_messaging_service("SMS pool", short_codes=["33333"])
        mock.add_opt_out(OTHER, self.pool)
        self.url = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json"


@pytest.fixture
def world(twilio_shortcodes):
    return World(twilio_shortcodes)


# (why, parameters, code): every refusal of a create; each is tried through the SDK and
# through plain requests, and must leave the account as it was.
REFUSALS = [
    ("no To", {"From": "12345", "Body": "x"}, 21604),
    ("empty To", {"To": "", "From": "12345", "Body": "x"}, 21604),
    ("national format", {"To": "5558675310", "From": "12345", "Body": "x"}, 21211),
    ("too short", {"To": "+1555", "From": "12345", "Body": "x"}, 21211),
    ("NANP area code 0xx", {"To": "+10558675310", "From": "12345", "Body": "x"}, 21211),
    ("spaces", {"To": "+1 555 867 5310", "From": "12345", "Body": "x"}, 21211),
    ("letters", {"To": "call me", "From": "12345", "Body": "x"}, 21211),
    ("a final newline", {"To": US + "\n", "From": "12345", "Body": "x"}, 21211),
    ("To a short code", {"To": "54321", "From": "12345", "Body": "x"}, 21265),
    ("no sender", {"To": US, "Body": "x"}, 21603),
    ("no body", {"To": US, "From": "12345"}, 21602),
    ("empty body", {"To": US, "From": "12345", "Body": ""}, 21602),
    ("no body, service", {"To": US, "MessagingServiceSid": "<pool>"}, 21619),
    ("1,601 characters", {"To": US, "From": "12345", "Body": "x" * 1601}, 21617),
    ("media not a URL", {"To": US, "From": "67890", "MediaUrl": ["ftp://x/a.png"]}, 21620),
    ("second media bad", {"To": US, "From": "67890", "MediaUrl": ["https://x/a", "b"]}, 21620),
    ("media, final newline", {"To": US, "From": "67890", "MediaUrl": ["https://x/a\n"]}, 21620),
    (
        "second media, newline",
        {"To": US, "From": "67890", "MediaUrl": ["https://x/a", "https://x/b\n"]},
        21620,
    ),
    ("From malformed", {"To": US, "From": "ACME!", "Body": "x"}, 21212),
    ("From not the account's", {"To": US, "From": "99999", "Body": "x"}, 21660),
    ("From a long code", {"To": US, "From": "+15550001111", "Body": "x"}, 21660),
    ("From MMS-only, SMS", {"To": US, "From": "11111", "Body": "x"}, 21661),
    ("From SMS-only, MMS", {"To": US, "From": "12345", "MediaUrl": ["https://x/a.png"]}, 21621),
    ("US short code to UK", {"To": UK, "From": "12345", "Body": "x"}, 21659),
    ("UK short code to US", {"To": US, "From": "22222", "Body": "x"}, 21659),
    ("unknown service", {"To": US, "MessagingServiceSid": MG0, "Body": "x"}, 21701),
    ("unknown service in From", {"To": US, "From": MG0, "Body": "x"}, 21701),
    ("malformed service", {"To": US, "MessagingServiceSid": "MG123", "Body": "x"}, 21705),
    ("empty pool", {"To": US, "MessagingServiceSid": "<empty>", "Body": "x"}, 21704),
    ("no sender for US", {"To": US, "MessagingServiceSid": "<uk_pool>", "Body": "x"}, 21703),
    (
        "no sender for MMS",
        {"To": US, "MessagingServiceSid": "<sms_pool>", "MediaUrl": ["https://x/a.png"]},
        21703,
    ),
    ("opted out", {"To": OTHER, "MessagingServiceSid": "<pool>", "Body": "x"}, 21610),
    ("opted out, From in service", {"To": OTHER, "From": "67890", "Body": "x"}, 21610),
    ("bad StatusCallback", {"To": US, "From": "12345", "Body": "x", "StatusCallback": "x"}, 21609),
    (
        "schedule without service",
        {"To": US, "From": "12345", "Body": "x", "ScheduleType": "fixed", "SendAt": "<+3600>"},
        35118,
    ),
    (
        "schedule without SendAt",
        {"To": US, "MessagingServiceSid": "<pool>", "Body": "x", "ScheduleType": "fixed"},
        35111,
    ),
    *[
        (
            f"SendAt {label}",
            {
                "To": US,
                "MessagingServiceSid": "<pool>",
                "Body": "x",
                "ScheduleType": "fixed",
                "SendAt": send_at,
            },
            35114,
        )
        for label, send_at in (
            ("in a minute", "<+60>"),
            ("in 36 days", "<+3110400>"),
            ("not a time", "tomorrow"),
            ("a date", "2030-01-01"),
        )
    ],
]


def fill(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """Put the world's SIDs and times in place of ``<name>`` and ``<+seconds>``."""
    filled = {}
    for name, value in params.items():
        if isinstance(value, str) and value.startswith("<+"):
            value = in_seconds_on(world.mock, float(value[2:-1]))
        elif isinstance(value, str) and value.startswith("<"):
            value = getattr(world, value[1:-1])
        filled[name] = value
    return filled


def create_through(client: str, world: World, twilio_client: Any, params: dict[str, Any]):
    """Create a message through the SDK or plain requests: (status, JSON body)."""
    if client == "requests":
        mock = world.mock
        response = requests.post(world.url, data=params, auth=(mock.account_sid, mock.auth_token))
        if response.status_code >= 400:
            return response.status_code, assert_twilio_error(response, 400, response.json()["code"])
        return response.status_code, response.json()
    kwargs = {SDK_NAMES[name]: value for name, value in params.items()}
    kwargs.setdefault("to", values.unset)  # the SDK requires it; leave it out on the wire
    try:
        message = twilio_client.messages.create(**kwargs)
    except TwilioRestException as error:
        return error.status, {"code": error.code, "message": error.msg}
    return 201, message


@pytest.mark.parametrize("client", ["sdk", "requests"])
@pytest.mark.parametrize(("why", "params", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_every_refusal_is_twilio_s_error_and_records_nothing(
    twilio_shortcodes, twilio_client, world, client, why, params, code
):
    before = twilio_shortcodes.snapshot()
    status, body = create_through(client, world, twilio_client, fill(world, params))
    assert (status, body["code"]) == (400, code), body
    assert twilio_shortcodes.snapshot() == before
    assert twilio_shortcodes.messages == []


def test_refusal_messages_name_the_problem(twilio_shortcodes, api, world):
    def message(**params):
        response = api.post(world.url, data=fill(world, params))
        return assert_twilio_error(response, 400, response.json()["code"])["message"]

    assert message(To="5558675310", From="12345", Body="x") == (
        "The 'To' number 5558675310 is not a valid phone number: give it in E.164 form: + and "
        "7 to 15 digits, nothing else (+15558675310)."
    )
    assert message(To="+15551234567", From="12345", Body="x") == (  # the usual placeholder
        "The 'To' number +15551234567 is not a valid phone number: 123 is not a valid North "
        "American exchange code: the three digits after the area code cannot start with 0 or 1 "
        "(+15558675310 works)."
    )
    assert message(To="+10558675310", From="12345", Body="x") == (
        "The 'To' number +10558675310 is not a valid phone number: 055 is not a valid North "
        "American area code: it cannot start with 0 or 1."
    )
    assert message(To="+1555867531", From="12345", Body="x") == (
        "The 'To' number +1555867531 is not a valid phone number: a +1 number is North "
        "American: +1 and 10 digits (+1 NPA NXX XXXX)."
    )
    assert message(To=US, From="99999", Body="x") == (
        f"Mismatch between the 'From' number 99999 and the account {twilio_shortcodes.account_sid}."
    )
    assert message(To=UK, From="12345", Body="x") == (
        f"'From' 12345 is a short code of US and cannot send to {UK}."
    )
    assert message(To=US, MessagingServiceSid="<empty>", Body="x") == (
        "The Messaging Service contains no phone numbers"
    )
    assert message(To=OTHER, MessagingServiceSid="<pool>", Body="x") == (
        "Attempt to send to unsubscribed recipient"
    )


@pytest.mark.parametrize("client", ["sdk", "requests"])
def test_send_from_a_short_code(twilio_shortcodes, twilio_client, world, client):
    status, sent = create_through(
        client, world, twilio_client, {"To": US, "From": "12345", "Body": "Hello, world!"}
    )
    assert status == 201
    sent = sent if isinstance(sent, dict) else twilio_shortcodes.messages[0]
    validate(sent, "api.v2010.account.message")
    account = twilio_shortcodes.account_sid
    assert re.fullmatch(r"SM[0-9a-f]{32}", sent["sid"])
    assert sent == {
        **sent,
        "account_sid": account,
        "api_version": "2010-04-01",
        "body": "Hello, world!",
        "date_sent": None,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": "12345",
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": None,
        "status": "queued",
        "to": US,
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sent['sid']}.json",
        "subresource_uris": {
            "media": f"/2010-04-01/Accounts/{account}/Messages/{sent['sid']}/Media.json"
        },
    }
    assert sent["date_created"] == sent["date_updated"]
    assert twilio_shortcodes.messages == [sent]


def test_the_sdk_reads_every_field(twilio_shortcodes, twilio_client, world):
    message = twilio_client.messages.create(
        to=US,
        from_="67890",
        body="Photo",
        media_url=["https://m.example/a.png", "https://m.example/b.png"],
    )
    assert (message.status, message.direction, message.from_, message.to) == (
        "queued", "outbound-api", "67890", US,
    )  # fmt: skip
    assert (message.num_media, message.num_segments, message.body) == ("2", "1", "Photo")
    assert message.date_created.utcoffset() == timedelta(0)  # UTC (pytz on older SDKs)
    assert message.date_sent is None
    assert message.error_code is None
    assert message.account_sid == twilio_shortcodes.account_sid
    assert message.subresource_uris["media"].endswith(f"/Messages/{message.sid}/Media.json")


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("x" * 160, "1"),
        ("x" * 161, "2"),
        ("x" * 306, "2"),
        ("x" * 307, "3"),
        ("[" * 80, "1"),  # GSM-7 extension characters take two septets
        ("[" * 81, "2"),
        ("é" * 160, "1"),  # é is in the GSM-7 alphabet
        ("ж" * 70, "1"),  # not GSM-7: UCS-2, 70 a message
        ("ж" * 71, "2"),
        ("👋" * 35, "1"),  # beyond the BMP: two UCS-2 units each
        ("👋" * 36, "2"),
        ("x" * 1600, "11"),
    ],
)
def test_segments_as_twilio_counts_them(twilio_client, world, body, segments):
    assert twilio_client.messages.create(to=US, from_="12345", body=body).num_segments == segments


@pytest.mark.parametrize("client", ["sdk", "requests"])
def test_send_through_a_messaging_service(twilio_shortcodes, twilio_client, world, client):
    status, _ = create_through(
        client, world, twilio_client, {"To": US, "MessagingServiceSid": world.pool, "Body": "Hi"}
    )
    assert status == 201
    (message,) = twilio_shortcodes.messages
    assert (message["status"], message["from"], message["num_segments"]) == ("accepted", None, "0")
    assert message["messaging_service_sid"] == world.pool
    twilio_shortcodes.deliver_messages()
    (message,) = twilio_shortcodes.messages
    # The sender comes from the pool when the message leaves it.
    assert (message["status"], message["from"], message["num_segments"]) == (
        "delivered", "67890", "1",
    )  # fmt: skip


def test_a_service_sid_in_from_is_the_service(twilio_shortcodes, twilio_client, world):
    message = twilio_client.messages.create(to=US, from_=world.pool, body="Hi")
    assert (message.messaging_service_sid, message.from_, message.status) == (
        world.pool, None, "accepted",
    )  # fmt: skip


def test_from_and_service_together(twilio_shortcodes, twilio_client, world):
    message = twilio_client.messages.create(
        to=US, from_="12345", messaging_service_sid=world.pool, body="Hi"
    )
    assert (message.messaging_service_sid, message.from_, message.status) == (
        world.pool, "12345", "accepted",
    )  # fmt: skip
    twilio_shortcodes.deliver_messages()
    assert twilio_client.messages(message.sid).fetch().from_ == "12345"  # not re-chosen


def test_canadian_short_code_sends_to_plus_one(twilio_client, world):
    assert twilio_client.messages.create(to=US, from_="33333", body="eh").status == "queued"


def test_a_body_of_exactly_1600_characters(twilio_client, world):
    assert len(twilio_client.messages.create(to=US, from_="12345", body="y" * 1600).body) == 1600


def test_content_sid_without_body(twilio_client, world):
    message = twilio_client.messages.create(
        to=US, messaging_service_sid=world.pool, content_sid="HX" + "a" * 32
    )
    assert (message.status, message.body) == ("accepted", "")


def test_media_only(twilio_client, world):
    message = twilio_client.messages.create(to=US, from_="67890", media_url="https://m.example/a")
    assert (message.body, message.num_media) == ("", "1")


# -- fetch, list ------------------------------------------------------------------------


def test_fetch(twilio_shortcodes, twilio_client, api, world):
    sent = twilio_client.messages.create(to=US, from_="12345", body="one")
    fetched = twilio_client.messages(sent.sid).fetch()
    assert (fetched.sid, fetched.body, fetched.status) == (sent.sid, "one", "queued")
    response = api.get(world.url.replace(".json", f"/{sent.sid}.json"))
    assert response.status_code == 200
    assert response.json() == twilio_shortcodes.messages[0]


@pytest.mark.parametrize("sid", ["SM" + "0" * 32, "nope", "MM" + "0" * 32])
def test_fetch_update_delete_unknown(twilio_shortcodes, twilio_client, api, world, sid):
    url = world.url.replace(".json", f"/{sid}.json")
    path = url.removeprefix("https://api.twilio.com")
    for response in (api.get(url), api.post(url, data={"Body": ""}), api.delete(url)):
        body = assert_twilio_error(response, 404, 20404)
        assert body["message"] == f"The requested resource {path} was not found"
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages(sid).fetch()
    assert (caught.value.status, caught.value.code) == (404, 20404)


def test_list_newest_first_and_filtered(twilio_shortcodes, twilio_client, api, world):
    first = twilio_client.messages.create(to=US, from_="12345", body="1")
    twilio_shortcodes.advance_clock(5)
    second = twilio_client.messages.create(to=OTHER, from_="12345", body="2")
    third = twilio_client.messages.create(to=US, from_="67890", body="3")
    sids = [m.sid for m in twilio_client.messages.list()]
    assert sids == [third.sid, second.sid, first.sid]
    assert [m.sid for m in twilio_client.messages.list(to=US)] == [third.sid, first.sid]
    assert [m.sid for m in twilio_client.messages.list(from_="12345")] == [second.sid, first.sid]
    assert [m.sid for m in twilio_client.messages.list(to=US, from_="12345")] == [first.sid]
    assert twilio_client.messages.list(to="+15550000000") == []
    page = api.get(world.url, params={"To": US, "PageSize": 1}).json()
    validate(page, "api.v2010.account.message.list")
    assert set(page) == {
        "first_page_uri", "next_page_uri", "previous_page_uri", "uri", "page", "page_size",
        "start", "end", "messages",
    }  # fmt: skip
    base = f"/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/Messages.json"
    assert page["uri"] == f"{base}?To=%2B15558675310&PageSize=1&Page=0"
    assert page["next_page_uri"].startswith(f"{base}?To=%2B15558675310&PageSize=1&Page=1&")
    assert [m["sid"] for m in page["messages"]] == [third.sid]
    second_page = api.get("https://api.twilio.com" + page["next_page_uri"]).json()
    assert [m["sid"] for m in second_page["messages"]] == [first.sid]
    assert second_page["next_page_uri"] is None


def test_paging_through_many_messages(twilio_shortcodes, twilio_client, world):
    sent = [twilio_client.messages.create(to=US, from_="12345", body=str(n)).sid for n in range(45)]
    listed = [m.sid for m in twilio_client.messages.stream(page_size=20)]
    assert listed == sent[::-1]
    pages = twilio_shortcodes.calls.filter("GET", "api.v2010.account.message")
    assert len(pages) == 3
    previous = twilio_client.messages.page(page_size=20).next_page().previous_page()
    assert [m.sid for m in previous] == sent[::-1][:20]


def test_list_by_date_sent(twilio_shortcodes, twilio_client, api, world):
    def send(body):
        return twilio_client.messages.create(to=US, from_="12345", body=body).sid

    early = {send("early 1"), send("early 2")}
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.advance_clock(2 * 86400)
    late = {send("late 1"), send("late 2")}
    twilio_shortcodes.deliver_messages()
    send("still queued")  # not sent: no date filter finds it
    day = twilio_client.messages(min(early)).fetch().date_sent
    moment = twilio_client.messages(min(late)).fetch().date_sent

    def listed(**filters):
        return {m.sid for m in twilio_client.messages.list(**filters)}

    assert listed(date_sent=day.strftime("%Y-%m-%d")) == early
    assert listed(date_sent=day) == early  # a time: its UTC day
    assert listed(date_sent_before=day.strftime("%Y-%m-%d")) == early  # on or before
    assert listed(date_sent_after=day.strftime("%Y-%m-%d")) == early | late  # on or after
    assert listed(date_sent_after=moment) == late  # a time: the moment
    assert listed(date_sent_before=moment - timedelta(seconds=1)) == early
    rfc = api.get(world.url, params={"DateSent>": "Thu, 01 Jan 1970 00:00:00 +0000"}).json()
    assert {m["sid"] for m in rfc["messages"]} == early | late
    assert (
        "?DateSent%3E=Thu%2C%2001%20Jan%201970%2000%3A00%3A00%20%2B0000&PageSize=50" in rfc["uri"]
    )
    for bad in ("yesterday", "2024-13-01", "01/02/2024"):
        response = api.get(world.url, params={"DateSent<": bad})
        assert "DateSent<" in assert_twilio_error(response, 400, 20001)["message"]
    with pytest.raises(TwilioException):
        twilio_client.messages.list(date_sent="yesterday")


def test_list_paging_errors(api, world):
    assert_twilio_error(api.get(world.url, params={"PageSize": "0"}), 400, 20001)
    assert_twilio_error(api.get(world.url, params={"Page": "2"}), 400, 70002)
    assert_twilio_error(api.get(world.url, params={"PageToken": "PZ1"}), 400, 21481)


# -- update, delete ---------------------------------------------------------------------


def test_redact_a_delivered_message(twilio_shortcodes, twilio_client, api, world):
    sent = twilio_client.messages.create(to=US, from_="12345", body="secret")
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages(sent.sid).update(body="")
    assert (caught.value.status, caught.value.code) == (400, 20009)
    twilio_shortcodes.deliver_messages()
    twilio_shortcodes.advance_clock(3)
    redacted = twilio_client.messages(sent.sid).update(body="")
    assert (redacted.body, redacted.status) == ("", "delivered")
    assert redacted.date_updated > redacted.date_created
    url = world.url.replace(".json", f"/{sent.sid}.json")
    assert_twilio_error(api.post(url, data={"Body": "other text"}), 400, 20001)
    assert api.post(url, data={}).json()["body"] == ""  # nothing to change: answered as is


def test_cancel_a_scheduled_message(twilio_shortcodes, twilio_client, api, world):
    scheduled = twilio_client.messages.create(
        to=US, messaging_service_sid=world.pool, body="later",
        schedule_type="fixed", send_at=mock_now(twilio_shortcodes) + timedelta(hours=1),
    )  # fmt: skip
    assert (scheduled.status, scheduled.from_, scheduled.num_segments) == ("scheduled", None, "0")
    canceled = twilio_client.messages(scheduled.sid).update(status="canceled")
    assert canceled.status == "canceled"
    twilio_shortcodes.advance_clock(7200)
    assert twilio_shortcodes.deliver_messages() == []
    assert twilio_client.messages(scheduled.sid).fetch().status == "canceled"
    # Canceled is final: it can be redacted and deleted, not canceled again.
    url = world.url.replace(".json", f"/{scheduled.sid}.json")
    assert_twilio_error(api.post(url, data={"Status": "canceled"}), 400, 30409)
    assert twilio_client.messages(scheduled.sid).update(body="").body == ""
    assert twilio_client.messages(scheduled.sid).delete() is True


def test_only_a_scheduled_message_can_be_canceled(twilio_shortcodes, twilio_client, api, world):
    sent = twilio_client.messages.create(to=US, from_="12345", body="now")
    url = world.url.replace(".json", f"/{sent.sid}.json")
    before = twilio_shortcodes.snapshot()
    assert_twilio_error(api.post(url, data={"Status": "canceled"}), 400, 30409)
    assert_twilio_error(api.post(url, data={"Status": "paused"}), 400, 20001)
    twilio_shortcodes.deliver_messages()
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages(sent.sid).update(status="canceled")
    assert (caught.value.status, caught.value.code) == (400, 30409)
    assert [m["status"] for m in twilio_shortcodes.messages] == ["delivered"]
    assert before["messages"][0]["status"] == "queued"


def test_delete(twilio_shortcodes, twilio_client, api, world):
    sent = twilio_client.messages.create(to=US, from_="12345", body="bye")
    url = world.url.replace(".json", f"/{sent.sid}.json")
    assert_twilio_error(api.delete(url), 400, 20009)  # still on its way
    twilio_shortcodes.deliver_messages()
    response = api.delete(url)
    assert (response.status_code, response.text) == (204, "")
    assert twilio_shortcodes.messages == []
    assert_twilio_error(api.get(url), 404, 20404)
    other = twilio_client.messages.create(to=US, from_="12345", body="again")
    twilio_shortcodes.deliver_messages()
    assert twilio_client.messages(other.sid).delete() is True
    assert twilio_client.messages.list() == []


def test_methods_not_allowed(api, world):
    assert_twilio_error(api.delete(world.url), 405, 20004)
    assert_twilio_error(api.request("PUT", world.url), 405, 20004)


def test_another_account_in_the_path(twilio_shortcodes, api, world):
    url = world.url.replace(twilio_shortcodes.account_sid, "AC" + "0" * 32)
    assert_twilio_error(api.post(url, data={"To": US, "From": "12345", "Body": "x"}), 401, 20003)
    assert twilio_shortcodes.messages == []


def test_xml_is_not_served(twilio_shortcodes, api, world):
    response = api.get(world.url.replace(".json", ".xml"))
    assert response.status_code == 404
    assert [c.url for c in twilio_shortcodes.unmatched] == [world.url.replace(".json", ".xml")]
    twilio_shortcodes.unmatched.clear()


# -- assert_sent -------------------------------------------------------------------------


def test_assert_sent(twilio_shortcodes, twilio_client, world):
    twilio_client.messages.create(to=US, from_="12345", body="Your code is 1234")
    twilio_client.messages.create(to=US, messaging_service_sid=world.pool, body="Alert!")
    twilio_shortcodes.receive_sms("12345", from_=US, body="thanks")  # inbound: not "sent"

    (found,) = twilio_shortcodes.assert_sent(to=US, body="Your code is 1234", from_="12345")
    assert found["status"] == "queued"
    twilio_shortcodes.assert_sent(messaging_service_sid=world.pool, body="Alert!", times=1)
    twilio_shortcodes.assert_sent(to=US, times=2)
    twilio_shortcodes.assert_sent(body="thanks", times=0)
    with pytest.raises(AssertionError) as caught:
        twilio_shortcodes.assert_sent(to=US, body="Your code is 9999")
    text = str(caught.value)
    assert text.splitlines()[0] == (
        "expected a message with to='+15558675310' body='Your code is 9999' to have been sent "
        "at least once, found 0; the messages sent were:"
    )
    assert re.search(r"^  SM[0-9a-f]{32} 12345 -> \+15558675310: 'Your code is 1234' "
                     r"\(outbound-api, queued\)$", text, re.M)  # fmt: skip
    assert re.search(rf"^  SM[0-9a-f]{{32}} {world.pool} -> \+15558675310: 'Alert!' "
                     r"\(outbound-api, accepted\)$", text, re.M)  # fmt: skip
    assert "thanks" not in text
    with pytest.raises(AssertionError, match="to have been sent 3 time"):
        twilio_shortcodes.assert_sent(to=US, times=3)
    with pytest.raises(TypeError, match="unknown message fields \\['colour'\\]"):
        twilio_shortcodes.assert_sent(colour="blue")


def test_assert_sent_with_nothing_sent(twilio_shortcodes):
    with pytest.raises(AssertionError, match=r"the messages sent were:\n  \(none\)"):
        twilio_shortcodes.assert_sent(to=US)
