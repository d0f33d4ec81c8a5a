"""A page, a fetch or a create answer always shows the item as it stands now.

The mock may reuse an item's validated rendering from an earlier answer (see
docs/performance.md); these tests change an item between two answers that show it, in
every way the APIs and the seeding helpers can, and read it back through the SDK or plain
``requests`` (JSON and XML, both envelopes), so that a rendering kept past a change fails.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from twilio.rest import Client

MESSAGING = "https://messaging.twilio.com/v1/Services"
PROXY = "https://proxy.twilio.com/v1/Services"


def short_code_page(client, service):
    return {item.sid: item for item in client.messaging.v1.services(service).short_codes.list()}


def test_messaging_item_rejoining_shows_its_new_dates_and_service(twilio_shortcodes, twilio_client):
    sid = twilio_shortcodes.add_short_code("12345")
    first = twilio_shortcodes.add_messaging_service("first")
    second = twilio_shortcodes.add_messaging_service("second")
    pool = twilio_client.messaging.v1.services(first).short_codes
    created = pool.create(short_code_sid=sid)
    assert short_code_page(twilio_client, first)[sid].date_created == created.date_created

    pool(sid).delete()
    twilio_shortcodes.advance_clock(60)
    again = pool.create(short_code_sid=sid)
    listed = short_code_page(twilio_client, first)[sid]
    assert (again.date_created - created.date_created).total_seconds() == 60
    assert listed.date_created == listed.date_updated == again.date_created
    assert pool(sid).fetch().date_created == again.date_created

    pool(sid).delete()
    elsewhere = twilio_client.messaging.v1.services(second).short_codes
    elsewhere.create(short_code_sid=sid)
    moved = short_code_page(twilio_client, second)[sid]
    assert moved.service_sid == second
    assert moved.url == f"{MESSAGING}/{second}/ShortCodes/{sid}"
    assert short_code_page(twilio_client, first) == {}


def test_the_same_page_twice_around_a_change_in_its_middle(twilio_shortcodes, twilio_client, api):
    numbers = [str(20000 + n) for n in range(7)]
    service = twilio_shortcodes.add_proxy_service("pool", short_codes=numbers)
    url = f"{PROXY}/{service}/ShortCodes"
    before = api.get(url, params={"PageSize": 5}).json()["short_codes"]
    middle = before[2]["sid"]

    twilio_shortcodes.advance_clock(30)
    api.post(f"{url}/{middle}", data={"IsReserved": "true"})
    after = api.get(url, params={"PageSize": 5}).json()["short_codes"]

    changed = [n for n, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert changed == [2]
    assert after[2]["is_reserved"] is True
    assert after[2]["date_updated"] != before[2]["date_updated"]
    assert after[2]["date_created"] == before[2]["date_created"]
    assert api.get(f"{url}/{middle}").json() == after[2]

    api.post(f"{url}/{middle}", data={"IsReserved": "false"})
    assert api.get(url, params={"PageSize": 5}).json()["short_codes"][2]["is_reserved"] is False


def test_account_short_code_update_shows_in_every_list_and_format(
    twilio_shortcodes, twilio_client, api
):
    sid = twilio_shortcodes.add_short_code("54321", sms_url="https://app.example/sms")
    account = twilio_client.api.v2010.accounts(twilio_shortcodes.account_sid)
    base = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}"
    listed = account.short_codes.list()[0]
    assert (listed.sms_url, listed.friendly_name) == ("https://app.example/sms", "54321")
    xml = ET.fromstring(api.get(f"{base}/SMS/ShortCodes.xml").content)
    assert xml.findtext(".//ShortCode/SmsUrl") == "https://app.example/sms"

    twilio_shortcodes.advance_clock(5)
    account.short_codes(sid).update(sms_url="", friendly_name="Renamed & <co>")
    listed = account.short_codes.list()[0]
    assert listed.sms_url is None  # emptied: null in JSON, an empty element in XML
    assert listed.friendly_name == "Renamed & <co>"
    assert (listed.date_updated - listed.date_created).total_seconds() == 5
    assert account.short_codes(sid).fetch().sms_url is None

    for url in (f"{base}/SMS/ShortCodes.xml", f"{base}/SMS/ShortCodes",
                f"https://api.twilio.com/2008-08-01/Accounts/{twilio_shortcodes.account_sid}"
                "/SMS/ShortCodes"):  # fmt: skip
        item = ET.fromstring(api.get(url).content).find(".//ShortCode")
        assert item.findtext("SmsUrl") == "", url
        assert item.findtext("FriendlyName") == "Renamed & <co>", url
        assert item.findtext("DateUpdated") != item.findtext("DateCreated"), url
    json_list = api.get(f"{base}/SMS/ShortCodes.json").json()["short_codes"]
    assert json_list[0]["sms_url"] is None
    assert json_list[0]["uri"].endswith(f"/SMS/ShortCodes/{sid}.json")
    xml_uri = ET.fromstring(api.get(f"{base}/SMS/ShortCodes.xml").content).findtext(".//Uri")
    assert xml_uri.endswith(f"/SMS/ShortCodes/{sid}.xml")


def test_reset_and_reseed_lists_only_the_new_items(twilio_shortcodes, twilio_client):
    numbers = ["11111", "22222", "33333"]
    service = twilio_shortcodes.add_messaging_service("pool", short_codes=numbers)
    before = short_code_page(twilio_client, service)
    assert sorted(item.short_code for item in before.values()) == numbers

    twilio_shortcodes.reset()
    twilio_shortcodes.advance_clock(3600)
    service = twilio_shortcodes.add_messaging_service("pool", short_codes=numbers)
    after = short_code_page(twilio_client, service)
    assert sorted(item.short_code for item in after.values()) == numbers
    assert not set(before) & set(after)
    earlier = {item.date_created for item in before.values()}
    later = {item.date_created for item in after.values()}
    assert len(earlier) == len(later) == 1  # a frozen clock: one second for each seeding
    assert (later.pop() - earlier.pop()).total_seconds() == 3600
    assert all(item.service_sid == service for item in after.values())


def test_an_item_on_another_host_names_that_host(twilio_shortcodes):
    service = twilio_shortcodes.add_messaging_service("pool", short_codes=["12345"])
    sid = twilio_shortcodes.short_code("12345").sid
    default = Client(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    regional = Client(
        twilio_shortcodes.account_sid, twilio_shortcodes.auth_token, edge="dublin", region="ie1"
    )
    for client, host in ((default, "messaging.twilio.com"),
                         (regional, "messaging.dublin.ie1.twilio.com"),
                         (default, "messaging.twilio.com")):  # fmt: skip
        pool = client.messaging.v1.services(service).short_codes
        expected = f"https://{host}/v1/Services/{service}/ShortCodes/{sid}"
        assert [item.url for item in pool.list()] == [expected]
        assert pool(sid).fetch().url == expected


def test_messages_list_follows_delivery_and_redaction(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_short_code("12345")
    sent = twilio_client.messages.create(to="+15558675310", from_="12345", body="code 1")
    assert [m.status for m in twilio_client.messages.list()] == [sent.status]

    twilio_shortcodes.advance_clock(2)
    twilio_shortcodes.deliver_messages()
    listed = twilio_client.messages.list()[0]
    assert listed.status == "delivered"
    assert listed.date_sent is not None
    assert listed.date_updated != sent.date_updated

    twilio_client.messages(sent.sid).update(body="")
    assert twilio_client.messages.list()[0].body == ""
    assert twilio_client.messages(sent.sid).fetch().body == ""


@pytest.mark.parametrize("xml", [False, True])
def test_a_recorded_body_changed_by_a_test_changes_no_later_answer(
    twilio_shortcodes, twilio_client, api, xml
):
    service = twilio_shortcodes.add_messaging_service("pool", short_codes=["12345", "23456"])
    first = twilio_client.messaging.v1.services(service).short_codes.list()
    recorded = twilio_shortcodes.calls[-1].body
    recorded["short_codes"][0]["short_code"] = "not a short code"
    recorded["short_codes"][1].clear()
    recorded["short_codes"].append({"sid": "made up"})
    again = twilio_client.messaging.v1.services(service).short_codes.list()
    assert [(i.sid, i.short_code) for i in again] == [(i.sid, i.short_code) for i in first]
    assert twilio_shortcodes.response_failures == []

    base = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}"
    url = f"{base}/SMS/ShortCodes" + ("" if xml else ".json")
    api.get(url)
    twilio_shortcodes.calls[-1].body["short_codes"][0]["friendly_name"] = "tampered"
    answer = api.get(url)
    assert "tampered" not in answer.text
    assert twilio_shortcodes.calls[-1].body["short_codes"][0]["friendly_name"] == "12345"
