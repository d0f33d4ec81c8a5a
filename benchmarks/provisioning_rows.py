"""The provisioning rows of ``run.py`` (issue 22): a service provisioned and used through the
SDK against bare ``responses`` stubs of the same calls, and the account's phone numbers at
scale. ``run.py`` hands in its ``report`` and ``interleaved``, so the rows land in its table.
"""

from __future__ import annotations

import math
import time
from typing import Any, Callable

import requests
import responses
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock

TO = "+15558675310"
MESSAGING = "https://messaging.twilio.com/v1/Services"


def provisioning(report: Callable[..., None], interleaved: Callable[..., Any], rounds: int,
                 calls: int) -> None:  # fmt: skip
    """Create a Messaging Service, add a phone number and a short code to it, send through
    it: four SDK calls, against bare stubs answering the same four bodies."""
    name = "provisioning: create a service, add a phone number and a short code, send"
    mock = TwilioShortCodeMock()
    spare = 2 * rounds * calls + 2
    phone_numbers = [mock.add_phone_number(f"+1415{2000000 + n:07d}") for n in range(spare)]
    short_codes = mock.add_short_codes(str(300000 + n) for n in range(spare))
    client = Client(mock.account_sid, mock.auth_token)
    senders = iter(zip(phone_numbers, short_codes, strict=True))

    def flow() -> None:
        phone_number, short_code = next(senders, (phone_numbers[0], short_codes[0]))
        service = client.messaging.v1.services.create(friendly_name="Alerts")
        pool = client.messaging.v1.services(service.sid)
        pool.phone_numbers.create(phone_number_sid=phone_number)
        pool.short_codes.create(short_code_sid=short_code)
        client.messages.create(to=TO, messaging_service_sid=service.sid, body="Storm warning")

    # The mock's answers, so that each stub returns exactly the same body.
    auth = (mock.account_sid, mock.auth_token)
    messages = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json"
    with mock:
        created = requests.post(MESSAGING, data={"FriendlyName": "Alerts"}, auth=auth)
        if created.status_code != 201:  # Messaging Services are served from issue 22, item 1
            print(f"  {name}: skipped, POST /v1/Services is not served ({created.status_code})")
            report(name, "Messaging Services create not served", math.nan, "<= 1.10")
            return
        service = created.json()["sid"]
        phone_number, short_code = next(senders)
        stubs = [
            ("POST", MESSAGING, created.text, 201),
            ("POST", f"{MESSAGING}/{service}/PhoneNumbers", requests.post(
                f"{MESSAGING}/{service}/PhoneNumbers", data={"PhoneNumberSid": phone_number},
                auth=auth).text, 201),
            ("POST", f"{MESSAGING}/{service}/ShortCodes", requests.post(
                f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": short_code},
                auth=auth).text, 201),
            ("POST", messages, requests.post(messages, data={
                "To": TO, "MessagingServiceSid": service, "Body": "Storm warning"},
                auth=auth).text, 201),
        ]  # fmt: skip

    def with_mock() -> float:
        with mock:
            start = time.perf_counter()
            for _ in range(calls):
                flow()
            return time.perf_counter() - start

    def with_stub() -> float:
        with responses.RequestsMock() as stub:
            for method, url, body, status in stubs:
                stub.add(method, url, body=body, status=status, content_type="application/json")
            start = time.perf_counter()
            for _ in range(calls):
                flow()
            return time.perf_counter() - start

    try:
        result = interleaved({"mock": with_mock, "stub": with_stub}, rounds)
    except TwilioRestException as error:  # a partly served flow: say so, do not stop the run
        print(f"  {name}: skipped, {error}")
        report(name, "not served in full", math.nan, "<= 1.10")
        return
    report(
        name,
        f"{result['mock'] / calls * 1e6:.0f} us vs {result['stub'] / calls * 1e6:.0f} us a flow",
        result.ratio,
        "<= 1.10",
    )


def phone_number_scale(report: Callable[..., None], interleaved: Callable[..., Any],
                       rounds: int, calls: int) -> None:  # fmt: skip
    """A page of 50 of the account's phone numbers from the middle of 20,000, over one from
    100, in JSON and XML."""
    mocks = {"20,000": TwilioShortCodeMock(), "100": TwilioShortCodeMock()}
    for label, mock in mocks.items():
        count = 20_000 if label == "20,000" else 100
        start = time.perf_counter()
        for n in range(count):
            mock.add_phone_number(f"+1415{2000000 + n:07d}")
        if count == 20_000:
            seeding = time.perf_counter() - start
            report("seeding 20,000 phone numbers", f"{seeding:.2f} s", None, "(reported)")
    for ext in (".json", ".xml"):
        sides = {}
        for label, mock in mocks.items():
            records = mock._account.phone_numbers.records
            seq = records._keys[len(records) // 2 - 1]
            url = (
                f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/"
                f"IncomingPhoneNumbers{ext}?PageSize=50&Page=1&PageToken=PA{seq:08x}"
            )
            auth = (mock.account_sid, mock.auth_token)

            def run(mock: TwilioShortCodeMock = mock, url: str = url, auth: tuple = auth) -> float:
                with mock:
                    start = time.perf_counter()
                    for _ in range(calls):
                        text = requests.get(url, auth=auth).text
                        assert text.count('"sid":"PN') + text.count("<Sid>PN") == 50
                    return time.perf_counter() - start

            sides[label] = run
        result = interleaved(sides, rounds)
        report(
            f"scale: phone numbers 2010 {ext[1:].upper()}, a page of 50 from 20,000 over one "
            "from 100",
            f"{result['20,000'] / calls * 1e6:.0f} us vs {result['100'] / calls * 1e6:.0f} us",
            result.ratio,
            "<= 1.5",
        )
