"""Bad input on every endpoint: always a Twilio-shaped answer in the format asked for,
never a 5xx or an exception escaping into the test, and no change after a rejection."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_twilio_shortcodes import TwilioShortCodeMock, validate

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
HOSTS = {"messaging": "https://messaging.twilio.com", "proxy": "https://proxy.twilio.com",
         "api": "https://api.twilio.com"}  # fmt: skip
# (host, path template, answers in XML): every route the mock serves, in every format.
ENDPOINTS = [
    ("messaging", "/v1/Services/{mg}/ShortCodes", False),
    ("messaging", "/v1/Services/{mg}/ShortCodes/{sc}", False),
    ("proxy", "/v1/Services/{ks}/ShortCodes", False),
    ("proxy", "/v1/Services/{ks}/ShortCodes/{sc}", False),
    ("api", "/2010-04-01/Accounts/{ac}/SMS/ShortCodes.json", False),
    ("api", "/2010-04-01/Accounts/{ac}/SMS/ShortCodes/{sc}.json", False),
    ("api", "/2010-04-01/Accounts/{ac}/SMS/ShortCodes.xml", True),
    ("api", "/2010-04-01/Accounts/{ac}/SMS/ShortCodes/{sc}", True),
    ("api", "/2008-08-01/Accounts/{ac}/SMS/ShortCodes", True),
    ("api", "/2008-08-01/Accounts/{ac}/SMS/ShortCodes/{sc}", True),
    ("api", "/2010-04-01/Accounts/{ac}/Messages.json", False),
    ("api", "/2010-04-01/Accounts/{ac}/Messages/{sm}.json", False),
]
PARAMS = ["ShortCodeSid", "Sid", "IsReserved", "FriendlyName", "ApiVersion", "SmsUrl", "SmsMethod",
          "SmsFallbackUrl", "SmsFallbackMethod", "PageSize", "Page", "PageToken", "ShortCode",
          "Unknown", "shortcodesid", "Sid[]", "ÜnïcødeKey", "", "To", "From", "Body", "MediaUrl",
          "MessagingServiceSid", "StatusCallback", "ScheduleType", "SendAt", "Status",
          "DateSent", "DateSent<", "DateSent>", "ContentSid"]  # fmt: skip
NASTY = st.sampled_from(
    ["", " ", "true", "False", "GET", "POST", "2010-04-01", "0", "-1", "1001", "9" * 40, "PA",
     "PAzz", "PB00000001", "SC" + "0" * 32, "SC" + "g" * 32, "MG" + "0" * 32, "12*", "*", "%",
     "%ZZ", "%C3",
     "http://x", "https://example.com/a?b=<c>&d='e'", "javascript:alert(1)", "x" * 65, "x" * 10_000,
     "\x00", "\x01\x02", "\u202e", "\ud7ff", "😀" * 20, "<TwilioResponse/>", '{"a": 1}', "\n\r\t",
     "+15558675310", "+447700900123", "12345", "67890", "fixed", "canceled", "2030-01-01",
     "2030-01-01T00:00:00Z", "Thu, 01 Apr 2010 00:00:00 +0000", "STOP"]
) | st.text(max_size=30)  # fmt: skip
SID_SWAPS = st.sampled_from(
    [None, "", "..", "%00", "%2F", "MG123", "MG" + "0" * 32, "KS" + "0" * 32, "SC" + "0" * 32,
     "SM" + "0" * 32,
     "AC" + "0" * 32, "sc" + "a" * 32, "\uff33\uff23" + "a" * 32, "x" * 3000,
     "SC" + "a" * 32 + ".json"]
)  # fmt: skip
BODIES = st.sampled_from(["form", "raw", "json", "multipart", "empty", "bytes"])


def world(mock: TwilioShortCodeMock) -> dict[str, str]:
    sc = mock.add_short_code("12345")
    mock.add_short_code("67890", friendly_name="Other")
    mg = mock.add_messaging_service(short_codes=[sc])
    ks = mock.add_proxy_service(short_codes=[sc])
    mock.add_messaging_service(short_codes=["67890"], advanced_opt_out=True)
    sent = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json",
        data={"To": "+15558675310", "From": "12345", "Body": "hi"},
        auth=(mock.account_sid, mock.auth_token),
    ).json()
    return {"sc": sc, "mg": mg, "ks": ks, "ac": mock.account_sid, "sm": sent["sid"]}


def check_answer(response: requests.Response, xml: bool, method: str) -> None:
    assert response.status_code < 500, response.text
    if method == "HEAD" or response.status_code < 400:
        return
    if xml:
        assert response.headers["Content-Type"].startswith("application/xml")
        exception = ET.fromstring(response.content).find("RestException")
        fields = {child.tag: child.text for child in exception}
        assert fields["Status"] == str(response.status_code)
        assert fields["MoreInfo"] == f"https://www.twilio.com/docs/errors/{fields['Code']}"
        assert fields["Message"]
    else:
        assert response.headers["Content-Type"].startswith("application/json")
        body = response.json()
        validate(body, "twilio.error")
        assert body["status"] == response.status_code


@settings(max_examples=2000, deadline=None)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    method=st.sampled_from(METHODS),
    swap=SID_SWAPS,
    params=st.lists(st.tuples(st.sampled_from(PARAMS), NASTY), max_size=6),
    query=st.lists(st.tuples(st.sampled_from(PARAMS), NASTY), max_size=2),
    body=BODIES,
    raw=st.binary(max_size=40),
)
def test_generated_bad_requests(record_property, endpoint, method, swap, params, query, body, raw):
    product, template, _ = endpoint
    with TwilioShortCodeMock() as mock:
        ids = world(mock)
        if swap is not None:
            inner = next((k for k in ("sc", "sm") if f"{{{k}}}" in template), None)
            ids[inner or template.split("{")[1][:2]] = swap  # the SID last in the path
        path = template.format(**ids)
        url = HOSTS[product] + path
        # The format follows the path requested: XML on api.twilio.com unless it ends .json.
        xml = product == "api" and (path.startswith("/2008") or not path.endswith(".json"))
        kwargs: dict = {"auth": (mock.account_sid, mock.auth_token)}
        if method in ("POST", "PUT", "PATCH"):
            kwargs["params"] = query  # a query string on a POST is ignored
            if body == "form":
                kwargs["data"] = params
            elif body == "raw":
                kwargs["data"] = "&".join(f"{k}={v}" for k, v in params).encode(
                    "utf-8", "surrogatepass"
                )
                kwargs["headers"] = {"Content-Type": "application/x-www-form-urlencoded"}
            elif body == "json":
                kwargs["json"] = dict(params)
            elif body == "multipart":
                kwargs["files"] = {k or "f": (None, v) for k, v in params}
            elif body == "bytes":
                kwargs["data"] = raw
                kwargs["headers"] = {"Content-Type": "application/x-www-form-urlencoded"}
        else:
            kwargs["params"] = params + query
        before = mock.snapshot()
        response = requests.request(method, url, **kwargs)
        record_property("reliability: bad inputs tried", 1)
        check_answer(response, xml, method)
        if response.status_code >= 400:
            assert mock.snapshot() == before, (method, url, kwargs)
        assert mock.response_failures == []
        if swap == "..":  # the client folds the dot segment away: a route nobody serves
            assert [c.status for c in mock.unmatched] in ([], [404])
            mock.unmatched.clear()
        assert mock.unmatched == []


def test_every_method_on_every_endpoint(record_property):
    tried = 0
    with TwilioShortCodeMock() as mock:
        ids = world(mock)
        for product, template, xml in ENDPOINTS:
            for method in METHODS:
                url = HOSTS[product] + template.format(**ids)
                before = mock.snapshot()
                response = requests.request(method, url, auth=(mock.account_sid, mock.auth_token))
                tried += 1
                check_answer(response, xml, method)
                if response.status_code >= 400:
                    assert mock.snapshot() == before
    assert tried == len(ENDPOINTS) * len(METHODS)
    record_property("reliability: bad inputs tried", tried)
