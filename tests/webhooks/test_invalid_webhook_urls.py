"""A webhook URL no request can be made to (an IPv6 literal left open, a port that is not
a number or out of range), stored through the API, never stops delivery: the attempt is
recorded as a connection failure (11205) and every other message still moves on."""

import pytest
import requests

# (url, how the attempt fails): no request can be made, or none can connect
BAD_URLS = [
    ("http://[::1", "invalid URL"),
    ("http://127.0.0.1:abc/", "invalid URL"),
    ("http://127.0.0.1:99999/", "connection failed"),
]


def _service(mock, **params):
    answer = requests.post(
        "https://messaging.twilio.com/v1/Services",
        data={"FriendlyName": "Bad", **params},
        auth=(mock.account_sid, mock.auth_token),
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["sid"]


def _send(mock, service):
    answer = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json",
        data={"To": "+15558675310", "MessagingServiceSid": service, "Body": "hi"},
        auth=(mock.account_sid, mock.auth_token),
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["sid"]


@pytest.mark.parametrize("url, failure", BAD_URLS)
def test_a_status_callback_no_request_can_reach_does_not_stop_delivery(
    twilio_shortcodes, url, failure
):
    mock = twilio_shortcodes
    bad = _service(mock, StatusCallback=url)
    good = mock.add_messaging_service("Good")
    mock.add_short_code("12345")
    mock.add_short_code("67890")
    requests.post(
        f"https://messaging.twilio.com/v1/Services/{bad}/ShortCodes",
        data={"ShortCodeSid": mock.short_code("12345").sid},
        auth=(mock.account_sid, mock.auth_token),
    ).raise_for_status()
    requests.post(
        f"https://messaging.twilio.com/v1/Services/{good}/ShortCodes",
        data={"ShortCodeSid": mock.short_code("67890").sid},
        auth=(mock.account_sid, mock.auth_token),
    ).raise_for_status()
    first, second = _send(mock, bad), _send(mock, good)

    callbacks = mock.deliver_messages()

    statuses = {message["sid"]: message["status"] for message in mock.messages}
    assert statuses == {first: "delivered", second: "delivered"}
    assert callbacks and {a.error_code for a in callbacks} == {11205}
    assert all(a.error.startswith(failure) for a in callbacks)
    assert mock.deliver_messages() == []  # nothing left stuck, nothing raised


@pytest.mark.parametrize("url, failure", BAD_URLS)
def test_an_inbound_url_no_request_can_reach_is_a_connection_failure(
    twilio_shortcodes, url, failure
):
    mock = twilio_shortcodes
    service = _service(mock, InboundRequestUrl=url)
    sid = mock.add_short_code("12345")
    requests.post(
        f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes",
        data={"ShortCodeSid": sid},
        auth=(mock.account_sid, mock.auth_token),
    ).raise_for_status()

    delivery = mock.receive_sms("12345", body="hello")

    assert [a.error_code for a in delivery.attempts] == [11205]
    assert delivery.attempts[0].error.startswith(failure)
    assert delivery.served_by is None
