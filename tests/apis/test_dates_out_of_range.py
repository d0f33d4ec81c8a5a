"""Dates at the edges of what Python holds: a time whose UTC instant falls outside years
1 to 9999 gets the same 400 as the parameter's other bad values (it raised
``OverflowError`` into the client), for ``DateSent`` filters and ``SendAt``."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.conftest import assert_twilio_error

EDGES = [
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+05:00",
    "Fri, 31 Dec 9999 23:59:59 -0100",
]


@pytest.mark.parametrize("value", EDGES)
@pytest.mark.parametrize("name", ["DateSent", "DateSent<", "DateSent>"])
def test_a_date_sent_filter_out_of_range_is_a_20001(twilio_shortcodes, name, value):
    mock = twilio_shortcodes
    url = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json"
    answer = requests.get(url, auth=(mock.account_sid, mock.auth_token), params={name: value})
    assert name in assert_twilio_error(answer, 400, 20001)["message"]


@pytest.mark.parametrize("value", EDGES)
def test_a_send_at_out_of_range_is_a_35114_through_the_sdk(twilio_shortcodes, value):
    mock = twilio_shortcodes
    service = mock.add_messaging_service("Alerts", short_codes=["12345"])
    client = Client(mock.account_sid, mock.auth_token)
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(
            to="+15558675310",
            messaging_service_sid=service,
            body="later",
            schedule_type="fixed",
            send_at=value,
        )
    assert (raised.value.status, raised.value.code) == (400, 35114)
    assert mock.messages == []
