"""Input a hostile or careless client sends: headers given as bytes or malformed, HEAD,
page tokens the mock never issued, values with a trailing newline. Always Twilio's answer,
never an exception in the caller or a silent acceptance."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest
import requests
from twilio.rest import Client

from tests.conftest import assert_twilio_error


@pytest.fixture
def world(twilio_shortcodes):
    mock = twilio_shortcodes
    sids = mock.add_short_codes(["12345", "23456", "34567"])
    mg = mock.add_messaging_service(short_codes=sids)
    ks = mock.add_proxy_service(short_codes=sids)
    account = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/SMS/ShortCodes"
    legacy = f"https://api.twilio.com/2008-08-01/Accounts/{mock.account_sid}/SMS/ShortCodes"
    return {
        "sid": sids[0],
        "lists": {
            "messaging": f"https://messaging.twilio.com/v1/Services/{mg}/ShortCodes",
            "proxy": f"https://proxy.twilio.com/v1/Services/{ks}/ShortCodes",
            "2010 json": account + ".json",
            "2010 xml": account + ".xml",
            "2008": legacy,
        },
        "instances": {
            "messaging": f"https://messaging.twilio.com/v1/Services/{mg}/ShortCodes/{sids[0]}",
            "proxy": f"https://proxy.twilio.com/v1/Services/{ks}/ShortCodes/{sids[0]}",
            "2010 json": f"{account}/{sids[0]}.json",
            "2010 xml": f"{account}/{sids[0]}.xml",
            "2010 bare": f"{account}/{sids[0]}",
            "2008": f"{legacy}/{sids[0]}",
        },
    }


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")


def error_of(response: requests.Response) -> tuple[int, int]:
    """(status, Twilio code) of an error answer, JSON or XML."""
    if response.headers["Content-Type"].startswith("application/xml"):
        code = ET.fromstring(response.content).findtext("RestException/Code")
    else:
        code = response.json()["code"]
    return response.status_code, int(code)


# -- 1. headers: bytes are what requests allows; malformed credentials are a 401 ---------


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic ééé",  # Latin-1, not base64
        "Basic 日本",  # not even Latin-1
        b"Basic \xe9\xe9\xe9",
        "Basic !!!!",
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),  # not UTF-8 once decoded
        "Basic",
        "Bearer abc",
        "",
    ],
)
@pytest.mark.parametrize("label", ["2010 json", "2008"])
def test_a_malformed_authorization_header_is_a_401(twilio_shortcodes, world, authorization, label):
    response = requests.get(world["instances"][label], headers={"Authorization": authorization})
    assert error_of(response) == (401, 20003)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Twilio API"'


def test_headers_given_as_bytes_work(twilio_shortcodes, world):
    mock = twilio_shortcodes
    header = basic(mock.account_sid, mock.auth_token).encode("ascii")
    url = world["instances"]["2010 json"]
    assert requests.get(url, headers={"Authorization": header}).status_code == 200
    assert requests.get(url, headers={b"Authorization": header}).status_code == 200
    updated = requests.post(
        url,
        data=b"FriendlyName=from+bytes",
        headers={
            "Authorization": header,
            "Content-Type": b"application/x-www-form-urlencoded; charset=utf-8",
        },
    )
    assert updated.status_code == 200
    assert mock.short_code(world["sid"]).friendly_name == "from bytes"
    key, secret = mock.add_api_key()
    answer = requests.get(url, headers={"Authorization": basic(key, secret).encode()})
    assert answer.status_code == 200


# -- 4. HEAD: the status and headers a GET would get, no body ---------------------------


def test_head_gets_exactly_what_get_gets_without_a_body(twilio_shortcodes, world):
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    urls = [*world["lists"].values(), *world["instances"].values()]
    cases = [(url, auth, 200) for url in urls]
    cases.append((world["instances"]["2010 xml"].replace(world["sid"], "SC" + "0" * 32), auth, 404))
    cases.append((world["lists"]["messaging"], ("AC" + "0" * 32, "x"), 401))
    cases.append((world["lists"]["2010 json"] + "?PageSize=0", auth, 400))
    for url, credentials, status in cases:
        get = requests.get(url, auth=credentials)
        head = requests.head(url, auth=credentials)
        assert (get.status_code, head.status_code) == (status, status), url
        assert head.content == b""
        assert get.content != b""
        assert head.headers["Twilio-Request-Id"].startswith("RQ")
        assert {**head.headers, "Twilio-Request-Id": ""} == {
            **get.headers,
            "Twilio-Request-Id": "",
        }, url
    heads = [call for call in twilio_shortcodes.calls if call.method == "HEAD"]
    assert [call.status for call in heads] == [status for _, _, status in cases]


# -- 5. page tokens: only what the mock issues ------------------------------------------

FORGED = ["PA-1", "PA0x1", "PA 1", "PA+1", "PA1_0", "PB-0", "PA\u0661", "PA1\n", "PA1",
          "PA00000001\n", "PA000000001", "PA0000000A", "pa00000001", "PC00000001"]  # fmt: skip


@pytest.mark.parametrize("label", ["messaging", "proxy", "2010 json", "2010 xml"])
def test_page_tokens_the_mock_never_issued_are_refused(twilio_shortcodes, world, label):
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    url = world["lists"][label]
    for token in FORGED:
        response = requests.get(url, params={"PageToken": token, "Page": 1}, auth=auth)
        assert error_of(response) == (400, 21481), token
    # What the mock does issue still works.
    first = requests.get(url, params={"PageSize": 1}, auth=auth)
    if label.endswith("xml"):
        next_uri = ET.fromstring(first.content).find("ShortCodes").get("nextpageuri")
        next_url = "https://api.twilio.com" + next_uri
    elif label.startswith("2010"):
        next_url = "https://api.twilio.com" + first.json()["next_page_uri"]
    else:
        next_url = first.json()["meta"]["next_page_url"]
    assert requests.get(next_url, auth=auth).status_code == 200


# -- 6. a trailing newline (or a non-ASCII digit) never passes validation ----------------


@pytest.mark.parametrize("label", ["2010 json", "2010 xml", "2008"])
@pytest.mark.parametrize("param", ["SmsUrl", "SmsFallbackUrl"])
def test_a_url_with_a_trailing_newline_is_refused(twilio_shortcodes, world, label, param):
    before = twilio_shortcodes.snapshot()
    auth = (twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    response = requests.post(
        world["instances"][label], data={param: "https://example.com/sms\n"}, auth=auth
    )
    assert error_of(response) == (400, 21502)
    assert twilio_shortcodes.snapshot() == before


@pytest.mark.twilio_shortcodes(strict=True)
def test_sids_and_numbers_must_match_whole(twilio_shortcodes, twilio_client, world, api):
    mock = twilio_shortcodes
    spare = mock.add_short_code("45678")
    for label, param, code in (("messaging", "ShortCodeSid", 21421), ("proxy", "Sid", 80303)):
        response = api.post(world["lists"][label], data={param: spare + "\n"})
        assert_twilio_error(response, 400, code)
        assert mock.calls[-1].schema_errors  # the request schema refuses it, not only a lookup
    mock.calls.clear()  # strict mode would fail the test on the two requests above
    for bad in ("12345\n", "\u0661\u0662\u0663\u0664\u0665", "1234\n"):
        with pytest.raises(ValueError, match="5 or 6 digits"):
            mock.add_short_code(bad)
    with pytest.raises(ValueError, match="two capital letters"):
        mock.add_short_code("56789", country_code="US\n")
    for page_size in ("5\n", "\u0665", " 5"):
        response = api.get(world["lists"]["2010 json"], params={"PageSize": page_size})
        assert_twilio_error(response, 400, 20001)
    client = Client(mock.account_sid, mock.auth_token)  # and valid input still works
    assert len(client.api.v2010.account.short_codes.list(page_size=2)) == 4
