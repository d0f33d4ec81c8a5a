"""``snapshot()`` speaks the resources' language: a message as the Messages resource renders
it, never the mock's internal field names."""

from __future__ import annotations

import json

import requests

API = "https://api.twilio.com/2010-04-01/Accounts"
INTERNAL = {"seq", "fate", "from_", "media", "send_at"}


def test_a_snapshot_message_is_the_resource_as_the_api_renders_it(twilio_shortcodes):
    mock = twilio_shortcodes
    auth = (mock.account_sid, mock.auth_token)
    mock.add_short_code("12345")
    service = mock.add_messaging_service(short_codes=["12345"])
    url = f"{API}/{mock.account_sid}/Messages.json"
    sent = requests.post(url, data={"To": "+15558675310", "From": "12345", "Body": "hi"}, auth=auth)
    routed = requests.post(
        url,
        data={"To": "+15558675311", "MessagingServiceSid": service, "Body": "pool"},
        auth=auth,
    )
    mock.fail_delivery("+15558675311", "undelivered")
    mock.deliver_messages()
    mock.receive_sms("12345", from_="+15558675310", body="reply")

    messages = mock.snapshot()["messages"]

    listed = requests.get(url, auth=auth).json()["messages"]
    assert sorted(messages, key=lambda m: m["sid"]) == sorted(listed, key=lambda m: m["sid"])
    by_sid = {m["sid"]: m for m in messages}
    for created in (sent.json(), routed.json()):
        fetched = requests.get(url.replace(".json", f"/{created['sid']}.json"), auth=auth)
        assert by_sid[created["sid"]] == fetched.json()
    assert by_sid[routed.json()["sid"]]["error_code"] == 30003
    assert by_sid[sent.json()["sid"]]["from"] == "12345"
    for message in messages:
        assert not INTERNAL & set(message), sorted(message)
    assert json.loads(json.dumps(messages)) == messages


def test_the_sdk_reads_the_same_message_the_snapshot_shows(twilio_shortcodes, twilio_client):
    twilio_shortcodes.add_short_code("12345")
    sent = twilio_client.messages.create(to="+15558675310", from_="12345", body="hello")
    (message,) = twilio_shortcodes.snapshot()["messages"]
    assert (message["sid"], message["from"], message["to"], message["body"]) == (
        sent.sid,
        sent.from_,
        sent.to,
        sent.body,
    )
    assert (message["status"], message["num_segments"]) == (sent.status, sent.num_segments)
