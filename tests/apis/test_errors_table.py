"""Walks the errors table of the documentation (docs/reference/errors.md): every row is
provoked, and provoked as documented."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from tests.conftest import in_seconds_on

ERRORS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "errors.md"
MESSAGING = "https://messaging.twilio.com/v1/Services"
PROXY = "https://proxy.twilio.com/v1/Services"
API = "https://api.twilio.com"
TO, OPTED_OUT = "+15558675310", "+15558675311"


def documented_rows() -> list[tuple[str, int, int]]:
    section = ERRORS_PAGE.read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (any|messaging|proxy|account|messages) \| (\d{3}) \| (\d{5}) \|", section, re.M
    )
    return [(api, int(status), int(code)) for api, status, code in rows]


class World:
    """One account with a short code in a Messaging and a Proxy Service."""

    def __init__(self, mock):
        self.mock = mock
        self.auth = (mock.account_sid, mock.auth_token)
        self.sc = mock.add_short_code("12345")
        self.free_sc = mock.add_short_code("54321")
        self.mg = mock.add_messaging_service()
        self.other_mg = mock.add_messaging_service()
        self.ks = mock.add_proxy_service("pool")
        self.other_ks = mock.add_proxy_service("other pool")
        assert self.post(f"{MESSAGING}/{self.mg}/ShortCodes", {"ShortCodeSid": self.sc}).ok
        assert self.post(f"{PROXY}/{self.ks}/ShortCodes", {"Sid": self.sc}).ok
        self.account = f"{API}/2010-04-01/Accounts/{mock.account_sid}/SMS/ShortCodes"
        # Messages: an MMS-only and a British short code, a pool with Advanced Opt-Out.
        mock.add_short_code("11111", capabilities=("MMS",))
        mock.add_short_code("22222", country_code="GB")
        self.uk_mg = mock.add_messaging_service(short_codes=["22222"])
        self.aoo = mock.add_messaging_service(short_codes=["33333"], advanced_opt_out=True)
        mock.add_opt_out(OPTED_OUT, self.aoo)
        self.messages = f"{API}/2010-04-01/Accounts/{mock.account_sid}/Messages.json"
        self.sent = self.post(self.messages, {"To": TO, "From": "12345", "Body": "hi"}).json()
        self.sent_url = self.messages.replace(".json", f"/{self.sent['sid']}.json")

    def send(self, **params):
        return self.post(self.messages, params)

    def get(self, url, params=None, auth=True):
        return requests.get(url, params=params, auth=self.auth if auth is True else auth)

    def post(self, url, data):
        return requests.post(url, data=data, auth=self.auth)

    def lists(self):
        return [
            f"{MESSAGING}/{self.mg}/ShortCodes",
            f"{PROXY}/{self.ks}/ShortCodes",
            f"{self.account}.json",
            self.account,
        ]


def any_401(w):
    return (
        [w.get(url, auth=None) for url in w.lists()]
        + [w.get(url, auth=(w.mock.account_sid, "wrong")) for url in w.lists()]
        + [w.get(f"{API}/2010-04-01/Accounts/AC{'0' * 32}/SMS/ShortCodes/{w.sc}.json")]
    )


def any_404(w):
    return [
        w.get(f"{MESSAGING}/{w.mg}/ShortCodes/SC{'0' * 32}"),
        w.get(f"{MESSAGING}/MGnope/ShortCodes"),
        w.get(f"{PROXY}/{w.ks}/ShortCodes/nope"),
        w.get(f"{w.account}/SC{'0' * 32}.json"),
        w.get(f"{w.account}/SC{'0' * 32}.xml"),
        w.get(f"https://api.twilio.com/2010-04-01/Accounts/{w.mock.account_sid}/Calls.json"),
        w.get(w.messages.replace(".json", f"/SM{'0' * 32}.json")),
    ]


def any_405(w):
    auth = w.auth
    return [
        requests.put(f"{MESSAGING}/{w.mg}/ShortCodes", auth=auth),
        requests.post(f"{MESSAGING}/{w.mg}/ShortCodes/{w.sc}", auth=auth),
        requests.delete(f"{PROXY}/{w.ks}/ShortCodes", auth=auth),
        requests.delete(f"{w.account}/{w.sc}.json", auth=auth),
        requests.post(f"{w.account}.json", auth=auth),
        requests.delete(
            f"{API}/2008-08-01/Accounts/{w.mock.account_sid}/SMS/ShortCodes/{w.sc}", auth=auth
        ),
    ]


def paging(params):
    return lambda w: [w.get(url, params) for url in w.lists()]


SCENARIOS = {
    ("any", 401, 20003): any_401,
    ("any", 404, 20404): any_404,
    ("any", 405, 20004): any_405,
    ("any", 400, 20001): lambda w: paging({"PageSize": "0"})(w) + paging({"Page": "x"})(w),
    ("any", 400, 70002): paging({"Page": "1"}),
    ("any", 400, 21481): paging({"PageToken": "PXnope"}),
    ("messaging", 400, 20001): lambda w: [
        w.post(f"{MESSAGING}/{w.mg}/ShortCodes", {}),
        w.post(MESSAGING, {}),
        w.post(MESSAGING, {"FriendlyName": "x" * 65}),
        w.post(f"{MESSAGING}/{w.mg}", {"ValidityPeriod": "36001"}),
        w.post(f"{MESSAGING}/{w.mg}", {"StickySender": "yes"}),
        w.post(f"{MESSAGING}/{w.mg}", {"Usecase": "spam"}),
        w.post(f"{MESSAGING}/{w.mg}/AlphaSenders", {}),
        w.post(f"{MESSAGING}/{w.mg}/AlphaSenders", {"AlphaSender": "12345"}),
    ],
    ("messaging", 400, 21403): lambda w: [w.post(f"{MESSAGING}/{w.mg}", {"InboundMethod": "PUT"})],
    ("messaging", 400, 21502): lambda w: [
        w.post(MESSAGING, {"FriendlyName": "x", "InboundRequestUrl": "ftp://x"}),
        w.post(f"{MESSAGING}/{w.mg}", {"FallbackUrl": "//no-scheme"}),
    ],
    ("messaging", 400, 21609): lambda w: [w.post(f"{MESSAGING}/{w.mg}", {"StatusCallback": "x"})],
    ("messaging", 409, 20409): lambda w: [
        w.post(f"{MESSAGING}/{w.mg}/AlphaSenders", {"AlphaSender": "First"}),
        w.post(f"{MESSAGING}/{w.mg}/AlphaSenders", {"AlphaSender": "Second"}),
    ][1:],
    ("messaging", 400, 21421): lambda w: [
        w.post(f"{MESSAGING}/{w.mg}/ShortCodes", {"ShortCodeSid": "SC1"}),
        w.post(f"{MESSAGING}/{w.mg}/ShortCodes", {"ShortCodeSid": "SC" + "0" * 32}),
    ],
    ("messaging", 409, 21710): lambda w: [
        w.post(f"{MESSAGING}/{w.mg}/ShortCodes", {"ShortCodeSid": w.sc})
    ],
    ("messaging", 409, 21712): lambda w: [
        w.post(f"{MESSAGING}/{w.other_mg}/ShortCodes", {"ShortCodeSid": w.sc})
    ],
    ("proxy", 400, 20001): lambda w: [
        w.post(f"{PROXY}/{w.ks}/ShortCodes", {}),
        w.post(PROXY, {"DefaultTtl": "5"}),
        w.post(f"{PROXY}/{w.ks}/ShortCodes/{w.sc}", {"IsReserved": "yes"}),
    ],
    ("proxy", 400, 80303): lambda w: [
        w.post(f"{PROXY}/{w.ks}/ShortCodes", {"Sid": "12345"}),
        w.post(f"{PROXY}/{w.ks}/ShortCodes", {"Sid": "SC" + "0" * 32}),
    ],
    ("proxy", 400, 80105): lambda w: [w.post(f"{PROXY}/{w.ks}/ShortCodes", {"Sid": w.sc})],
    ("proxy", 400, 80601): lambda w: [w.post(f"{PROXY}/{w.other_ks}/ShortCodes", {"Sid": w.sc})],
    ("proxy", 400, 80602): lambda w: [
        w.post(PROXY, {"UniqueName": "pool"}),
        w.post(f"{PROXY}/{w.other_ks}", {"UniqueName": "pool"}),
    ],
    ("proxy", 400, 80701): lambda w: [
        w.post(PROXY, {"UniqueName": "x" * 192}),
        w.post(f"{PROXY}/{w.ks}", {"GeoMatchLevel": "planet"}),
        w.post(f"{PROXY}/{w.ks}", {"DefaultTtl": "-1"}),
    ],
    ("account", 400, 20001): lambda w: [
        w.post(f"{w.account}/{w.sc}.json", {"FriendlyName": "x" * 65}),
        w.post(f"{w.account}/{w.sc}", {"ApiVersion": "2011-01-01"}),
    ],
    ("account", 400, 21403): lambda w: [
        w.post(f"{w.account}/{w.sc}.json", {"SmsMethod": "PUT"}),
        w.post(f"{w.account}/{w.sc}.xml", {"SmsFallbackMethod": "DELETE"}),
    ],
    ("account", 400, 21502): lambda w: [
        w.post(f"{w.account}/{w.sc}.json", {"SmsUrl": "mailto:x@example.com"}),
        w.post(f"{w.account}/{w.sc}", {"SmsFallbackUrl": "//no-scheme"}),
    ],
}


def later(w, seconds):
    return in_seconds_on(w.mock, seconds)


MESSAGES = {
    21604: lambda w: [w.send(From="12345", Body="x")],
    21211: lambda w: [w.send(To="5558675310", From="12345", Body="x")],
    21265: lambda w: [w.send(To="54321", From="12345", Body="x")],
    21603: lambda w: [w.send(To=TO, Body="x")],
    21602: lambda w: [w.send(To=TO, From="12345")],
    21619: lambda w: [w.send(To=TO, MessagingServiceSid=w.mg)],
    21617: lambda w: [w.send(To=TO, From="12345", Body="x" * 1601)],
    21620: lambda w: [w.send(To=TO, From="11111", MediaUrl="ftp://x")],
    21609: lambda w: [w.send(To=TO, From="12345", Body="x", StatusCallback="mailto:x")],
    21212: lambda w: [w.send(To=TO, From="ACME!", Body="x")],
    21660: lambda w: [w.send(To=TO, From="99999", Body="x")],
    21661: lambda w: [w.send(To=TO, From="11111", Body="x")],
    21621: lambda w: [w.send(To=TO, From="12345", Body="x", MediaUrl="https://m.example/a")],
    21659: lambda w: [w.send(To="+447700900123", From="12345", Body="x")],
    21701: lambda w: [w.send(To=TO, MessagingServiceSid="MG" + "0" * 32, Body="x")],
    21705: lambda w: [w.send(To=TO, MessagingServiceSid="MG1", Body="x")],
    21704: lambda w: [w.send(To=TO, MessagingServiceSid=w.other_mg, Body="x")],
    21703: lambda w: [w.send(To=TO, MessagingServiceSid=w.uk_mg, Body="x")],
    21610: lambda w: [w.send(To=OPTED_OUT, MessagingServiceSid=w.aoo, Body="x")],
    35118: lambda w: [w.send(To=TO, From="12345", Body="x", ScheduleType="fixed")],
    35111: lambda w: [w.send(To=TO, MessagingServiceSid=w.mg, Body="x", ScheduleType="fixed")],
    35114: lambda w: [
        w.send(To=TO, MessagingServiceSid=w.mg, Body="x", ScheduleType="fixed", SendAt=later(w, 60))
    ],
    30409: lambda w: [w.post(w.sent_url, {"Status": "canceled"})],
    20009: lambda w: [w.post(w.sent_url, {"Body": ""}), requests.delete(w.sent_url, auth=w.auth)],
    20001: lambda w: [
        w.post(w.sent_url, {"Status": "paused"}),
        w.post(w.sent_url, {"Body": "new text"}),
        w.get(w.messages, {"DateSent>": "yesterday"}),
    ],
}
SCENARIOS.update({("messages", 400, code): scenario for code, scenario in MESSAGES.items()})


# -- the account's phone numbers, a service's phone numbers, the Messages parameter rules ----


def buy(w, form, ext=".json"):
    url = f"{API}/2010-04-01/Accounts/{w.mock.account_sid}/IncomingPhoneNumbers{ext}"
    return w.post(url, form)


def add_to(w, service, sid):
    return w.post(f"{MESSAGING}/{service}/PhoneNumbers", {"PhoneNumberSid": sid})


def number_in(w, service, number):
    """A phone number of the account, added to ``service``."""
    sid = w.mock.add_phone_number(number)
    assert add_to(w, service, sid).ok
    return sid


def full_pool(w):
    """A service holding 400 senders (its short codes and phone numbers) takes no more."""
    senders = [f"+1415555{1000 + n}" for n in range(399)]
    full = w.mock.add_messaging_service(short_codes=["44444"], phone_numbers=senders)
    spare = w.mock.add_phone_number("+12125550100")
    return [add_to(w, full, spare)]


def area_code_used_up(w):
    for _ in range(100):
        assert buy(w, {"AreaCode": "628"}).ok
    return [buy(w, {"AreaCode": "628"})]


def bought_twice(w):
    w.mock.add_phone_number("+14155550103")
    return [buy(w, {"PhoneNumber": "+14155550103"})]


def too_many_media(w):
    media = [("MediaUrl", f"https://m.example/{n}") for n in range(11)]
    return [w.post(w.messages, [("To", TO), ("From", "11111"), *media])]


def also(row, more):
    """The row's scenario, and ``more``."""
    first = SCENARIOS[row]
    SCENARIOS[row] = lambda w: first(w) + more(w)


also(("messaging", 400, 20001), lambda w: [w.post(f"{MESSAGING}/{w.mg}/PhoneNumbers", {})])
also(
    ("messaging", 400, 21421), lambda w: [add_to(w, w.mg, "PN1"), add_to(w, w.mg, "PN" + "0" * 32)]
)
also(("messaging", 409, 21710), lambda w: [add_to(w, w.mg, number_in(w, w.mg, "+14155550100"))])
also(
    ("messaging", 409, 21712),
    lambda w: [add_to(w, w.other_mg, number_in(w, w.mg, "+14155550101"))],
)
also(
    ("account", 400, 20001),
    lambda w: [
        buy(w, {}),
        buy(w, {"PhoneNumber": "+14155550102", "FriendlyName": "x" * 65}),
        w.get(f"{API}/2010-04-01/Accounts/{w.mock.account_sid}/IncomingPhoneNumbers.json",
              {"Beta": "maybe"}),
    ],
)  # fmt: skip
also(("account", 400, 21403), lambda w: [buy(w, {"AreaCode": "415", "SmsMethod": "PUT"})])
also(("account", 400, 21502), lambda w: [buy(w, {"AreaCode": "415", "SmsUrl": "x"}, ".xml")])
SCENARIOS.update(
    {
        ("account", 400, 21421): lambda w: [buy(w, {"PhoneNumber": "4155550100"})],
        ("account", 400, 21422): bought_twice,
        ("account", 400, 21451): lambda w: [buy(w, {"AreaCode": "911"})],
        ("account", 400, 21452): area_code_used_up,
        ("messaging", 412, 21714): full_pool,
        ("messaging", 400, 21715): lambda w: [
            add_to(w, w.mg, w.mock.add_phone_number("+14155550104", capabilities=("voice",)))
        ],
        ("messages", 400, 21623): too_many_media,
        ("messages", 400, 90007): lambda w: [
            w.send(To=TO, From="12345", Body="x", ValidityPeriod="0"),
            w.send(To=TO, From="12345", Body="x", ValidityPeriod="36001"),
        ],
    }
)


def status_and_code(response):
    if response.headers["Content-Type"].startswith("application/xml"):
        exception = ET.fromstring(response.content).find("RestException")
        return int(exception.findtext("Status")), int(exception.findtext("Code"))
    body = response.json()
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{body['code']}"
    assert body["message"]
    return body["status"], body["code"]


def test_the_table_and_the_scenarios_name_the_same_errors():
    assert sorted(documented_rows()) == sorted(SCENARIOS)


@pytest.mark.parametrize("row", documented_rows(), ids=lambda r: f"{r[0]}-{r[1]}-{r[2]}")
def test_every_documented_error(twilio_shortcodes, row):
    world = World(twilio_shortcodes)
    responses = SCENARIOS[row](world)
    assert responses
    for response in responses:
        assert response.status_code == row[1], (response.request.url, response.text)
        assert status_and_code(response) == (row[1], row[2]), response.request.url
    twilio_shortcodes.unmatched.clear()  # the not-mocked route is provoked on purpose
