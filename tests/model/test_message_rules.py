"""The Messages parameter rules Twilio's description states: at most ten media URLs,
``ValidityPeriod`` from 1 to 36000, a ``StatusCallback`` with a valid host name, and
segments that never split a character."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.conftest import assert_twilio_error

US = "+15558675310"
MEDIA = [f"https://m.example/{n}.png" for n in range(11)]


@pytest.fixture
def messages_url(twilio_shortcodes):
    twilio_shortcodes.add_short_code("12345", capabilities=("SMS", "MMS"))
    return (
        f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/Messages.json"
    )


# -- MediaUrl -------------------------------------------------------------------------------


def test_ten_media_urls_are_accepted(twilio_client, messages_url):
    message = twilio_client.messages.create(to=US, from_="12345", media_url=MEDIA[:10])
    assert message.num_media == "10"


def test_eleven_media_urls_are_refused(twilio_shortcodes, twilio_client, api, messages_url):
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(to=US, from_="12345", media_url=MEDIA)
    assert (caught.value.status, caught.value.code) == (400, 21623)
    form = [("To", US), ("From", "12345"), *(("MediaUrl", url) for url in MEDIA)]
    assert_twilio_error(api.post(messages_url, data=form), 400, 21623)
    assert twilio_shortcodes.messages == []


# -- ValidityPeriod -------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", ["1", "600", "14400", "36000"])
def test_validity_period_in_range(twilio_client, messages_url, seconds):
    message = twilio_client.messages.create(
        to=US, from_="12345", body="x", validity_period=int(seconds)
    )
    assert message.status == "queued"


@pytest.mark.parametrize("seconds", ["0", "36001", "99999", "-1", "1.5", "ten", ""])
def test_validity_period_out_of_range(twilio_shortcodes, api, messages_url, seconds):
    form = {"To": US, "From": "12345", "Body": "x", "ValidityPeriod": seconds}
    with twilio_shortcodes.allow_invalid_requests():
        assert_twilio_error(api.post(messages_url, data=form), 400, 90007)
    assert twilio_shortcodes.messages == []


def test_validity_period_through_the_sdk(twilio_client, messages_url):
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(to=US, from_="12345", body="x", validity_period=36001)
    assert (caught.value.status, caught.value.code) == (400, 90007)


# -- StatusCallback ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/status",
        "https://app.example.com/status_callback?tenant_id=7",  # underscores past the host
        "https://user:secret@app.example.com/s",
        "http://127.0.0.1:8000/status",
        "http://[::1]:8000/status",
        "https://app-1.example.com./status",
        "https://localhost",
    ],
)
def test_status_callbacks_with_a_valid_host(twilio_client, messages_url, url):
    message = twilio_client.messages.create(to=US, from_="12345", body="x", status_callback=url)
    assert message.status == "queued"


@pytest.mark.parametrize(
    "url",
    [
        "https://my_app.example.com/status",  # an underscore in the host name
        "https://app.my_company.com/status",
        "https:///status",  # no host
        "https://:8080/status",
        "https://?x=1",
        "https://-app.example.com/",
        "https://app..example.com/",
        "mailto:ops@example.com",
        "app.example.com/status",
    ],
)
def test_status_callbacks_without_a_valid_host(twilio_shortcodes, api, messages_url, url):
    form = {"To": US, "From": "12345", "Body": "x", "StatusCallback": url}
    with twilio_shortcodes.allow_invalid_requests():
        body = assert_twilio_error(api.post(messages_url, data=form), 400, 21609)
    assert "host name" in body["message"]
    assert twilio_shortcodes.messages == []


# -- num_segments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        # GSM-7: 160 septets in one message; 153 a part once split.
        ("a" * 153 + "€", "1"),  # 155 septets: one message, the extension char fits
        ("a" * 152 + "€" + "a" * 152, "3"),  # 306 septets, but "€" cannot straddle parts
        ("a" * 151 + "€" + "a" * 153, "2"),  # "€" ends the first part exactly
        ("a" * 152 + "a" + "€" * 76, "2"),  # 153 + 152: no split character
        ("€" * 77, "1"),  # 154 septets: one message
        ("€" * 153, "3"),  # 306 septets, but 76 pairs fill a part (152 of 153)
        ("a" * 305 + "{", "3"),  # "{" would straddle the second and third parts
        # UCS-2: 70 code units in one message, 67 a part; an emoji takes two.
        ("ж" * 66 + "👋" + "ж" * 66, "3"),  # 134 units, but the emoji cannot straddle
        ("ж" * 65 + "👋" + "ж" * 67, "2"),  # the emoji ends the first part exactly
        ("👋" * 35, "1"),  # 70 units
        ("👋" * 67, "3"),  # 134 units: 33 emoji a part
    ],
    ids=lambda value: f"{len(value)} characters" if len(value) > 3 else value,
)
def test_segments_never_split_a_character(twilio_client, messages_url, body, segments):
    assert twilio_client.messages.create(to=US, from_="12345", body=body).num_segments == segments


def test_inbound_segments_count_the_same_way(twilio_shortcodes, messages_url):
    delivery = twilio_shortcodes.receive_sms("12345", body="a" * 152 + "€" + "a" * 152)
    assert delivery.params["NumSegments"] == "3"
