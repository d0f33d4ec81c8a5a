"""Messaging v1 Services/{MG}/ShortCodes through the latest twilio SDK and plain requests."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from tests.conftest import assert_twilio_error

MESSAGING = "https://messaging.twilio.com/v1/Services"


@pytest.fixture
def service(twilio_shortcodes):
    return twilio_shortcodes.add_messaging_service("Notifications")


def seed(mock, count, start=10000):
    return [mock.add_short_code(str(start + i)) for i in range(count)]


def test_create_fetch_delete_through_the_sdk(twilio_shortcodes, twilio_client, service):
    sid = twilio_shortcodes.add_short_code("12345", capabilities=("SMS", "MMS"), country_code="CA")
    short_codes = twilio_client.messaging.v1.services(service).short_codes

    created = short_codes.create(short_code_sid=sid)
    assert created.sid == sid
    assert created.account_sid == twilio_shortcodes.account_sid
    assert created.service_sid == service
    assert created.short_code == "12345"
    assert created.country_code == "CA"
    assert created.capabilities == ["SMS", "MMS"]
    assert created.url == f"{MESSAGING}/{service}/ShortCodes/{sid}"
    assert isinstance(created.date_created, datetime)
    assert created.date_created.utcoffset() == timedelta(0)  # UTC (twilio < 9 uses pytz.utc)
    assert created.date_updated == created.date_created

    fetched = short_codes(sid).fetch()
    assert (fetched.sid, fetched.short_code, fetched.date_created) == (
        sid,
        "12345",
        created.date_created,
    )
    assert twilio_shortcodes.messaging_service_short_codes(service) == [sid]

    assert short_codes(sid).delete() is True
    assert twilio_shortcodes.messaging_service_short_codes(service) == []
    # The short code stays in the account and can be added again.
    assert twilio_shortcodes.short_code(sid).short_code == "12345"
    assert short_codes.create(short_code_sid=sid).sid == sid


def test_wire_format_of_create(twilio_shortcodes, api, service):
    sid = twilio_shortcodes.add_short_code("55555")
    response = api.post(f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": sid})
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(r"RQ[0-9a-f]{32}", response.headers["Twilio-Request-Id"])
    body = response.json()
    assert set(body) == {
        "sid",
        "account_sid",
        "service_sid",
        "date_created",
        "date_updated",
        "short_code",
        "country_code",
        "capabilities",
        "url",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["date_created"])
    assert body["capabilities"] == ["SMS"]

    deleted = api.delete(f"{MESSAGING}/{service}/ShortCodes/{sid}")
    assert deleted.status_code == 204
    assert deleted.content == b""


def test_list_stream_and_page_walk_every_item_once(twilio_shortcodes, twilio_client, service):
    sids = seed(twilio_shortcodes, 23)
    short_codes = twilio_client.messaging.v1.services(service).short_codes
    for sid in sids:
        short_codes.create(short_code_sid=sid)

    assert [sc.sid for sc in short_codes.list()] == sids
    assert [sc.sid for sc in short_codes.list(page_size=5)] == sids
    assert [sc.sid for sc in short_codes.stream(limit=7)] == sids[:7]
    assert [sc.sid for sc in short_codes.list(limit=12, page_size=5)] == sids[:12]

    page = short_codes.page(page_size=10)
    walked = []
    while page is not None:
        walked += [sc.sid for sc in page]
        page = page.next_page()
    assert walked == sids
    pages = [c for c in twilio_shortcodes.calls if c.method == "GET" and c.status == 200]
    assert pages[-1].body["meta"]["next_page_url"] is None


def test_list_envelope(twilio_shortcodes, api, service):
    sids = seed(twilio_shortcodes, 3)
    for sid in sids:
        api.post(f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": sid})
    base = f"{MESSAGING}/{service}/ShortCodes"

    first = api.get(base, params={"PageSize": 2}).json()
    assert [sc["sid"] for sc in first["short_codes"]] == sids[:2]
    meta = first["meta"]
    assert meta["key"] == "short_codes"
    assert (meta["page"], meta["page_size"]) == (0, 2)
    assert meta["first_page_url"] == meta["url"] == f"{base}?PageSize=2&Page=0"
    assert meta["previous_page_url"] is None
    assert meta["next_page_url"].startswith(f"{base}?PageSize=2&Page=1&PageToken=PA")

    second = api.get(meta["next_page_url"]).json()
    assert [sc["sid"] for sc in second["short_codes"]] == sids[2:]
    assert second["meta"]["url"] == meta["next_page_url"]
    assert second["meta"]["next_page_url"] is None
    previous = api.get(second["meta"]["previous_page_url"]).json()
    assert [sc["sid"] for sc in previous["short_codes"]] == sids[:2]

    default = api.get(base).json()["meta"]
    assert default["page_size"] == 50
    empty_service = twilio_shortcodes.add_messaging_service()
    empty = api.get(f"{MESSAGING}/{empty_service}/ShortCodes").json()
    assert empty["short_codes"] == []
    assert empty["meta"]["next_page_url"] is None


def test_page_tokens_are_stable_when_items_come_and_go(twilio_shortcodes, api, service):
    sids = seed(twilio_shortcodes, 10)
    for sid in sids[:8]:
        api.post(f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": sid})
    base = f"{MESSAGING}/{service}/ShortCodes"
    first = api.get(base, params={"PageSize": 3}).json()
    assert [sc["sid"] for sc in first["short_codes"]] == sids[:3]

    # Between pages: remove a seen item, the last item of the page, and an unseen one;
    # add two new ones at the end.
    for sid in (sids[0], sids[2], sids[4]):
        assert api.delete(f"{base}/{sid}").status_code == 204
    for sid in sids[8:]:
        api.post(base, data={"ShortCodeSid": sid})

    walked = []
    url = first["meta"]["next_page_url"]
    while url:
        page = api.get(url).json()
        walked += [sc["sid"] for sc in page["short_codes"]]
        url = page["meta"]["next_page_url"]
    assert walked == [sids[3], *sids[5:]]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"PageSize": "0"}, 20001),
        ({"PageSize": "1001"}, 20001),
        ({"PageSize": "ten"}, 20001),
        ({"Page": "-1"}, 20001),
        ({"Page": "2"}, 70002),
        ({"PageToken": "garbage"}, 21481),
        ({"PageToken": "PAzz"}, 21481),
    ],
)
def test_bad_paging_parameters(api, service, query, code):
    response = api.get(f"{MESSAGING}/{service}/ShortCodes", params=query)
    assert_twilio_error(response, 400, code)


def test_list_errors_reach_the_sdk_as_page_errors(twilio_client, twilio_shortcodes):
    unknown = "MG" + "0" * 32
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        twilio_client.messaging.v1.services(unknown).short_codes.list()


def test_error_rows_through_the_sdk(twilio_shortcodes, twilio_client, service):
    short_codes = twilio_client.messaging.v1.services(service).short_codes
    sid = twilio_shortcodes.add_short_code("12345")
    other_service = twilio_shortcodes.add_messaging_service("Other")

    def error(call):
        with pytest.raises(TwilioRestException) as caught:
            call()
        return caught.value

    missing = "SC" + "f" * 32
    e = error(lambda: short_codes(missing).fetch())
    assert (e.status, e.code) == (404, 20404)
    assert e.msg == (
        f"Unable to fetch record: The requested resource /Services/{service}/ShortCodes/"
        f"{missing} was not found"
    )
    e = error(lambda: twilio_client.messaging.v1.services("MGnope").short_codes(sid).fetch())
    assert (e.status, e.code) == (404, 20404)
    e = error(lambda: short_codes(missing).delete())
    assert (e.status, e.code) == (404, 20404)
    e = error(lambda: short_codes.create(short_code_sid="SC123"))
    assert (e.status, e.code) == (400, 21421)
    e = error(lambda: short_codes.create(short_code_sid=missing))
    assert (e.status, e.code) == (400, 21421)

    short_codes.create(short_code_sid=sid)
    e = error(lambda: short_codes.create(short_code_sid=sid))
    assert (e.status, e.code) == (409, 21710)
    e = error(lambda: twilio_client.messaging.v1.services(other_service).short_codes.create(sid))
    assert (e.status, e.code) == (409, 21712)
    assert twilio_shortcodes.messaging_service_short_codes(other_service) == []

    bad_client = Client(twilio_shortcodes.account_sid, "wrong-token")
    e = error(lambda: bad_client.messaging.v1.services(service).short_codes(sid).fetch())
    assert (e.status, e.code) == (401, 20003)


def test_missing_parameter_and_schema_findings_on_the_call(twilio_shortcodes, api, service):
    response = api.post(f"{MESSAGING}/{service}/ShortCodes", data={})
    body = assert_twilio_error(response, 400, 20001)
    assert body["message"] == "Missing required parameter ShortCodeSid in the post body"
    call = twilio_shortcodes.calls[-1]
    assert call.status == 400
    assert call.schema_errors == [("$", "'ShortCodeSid' is a required property")]

    api.post(f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": "nope"})
    assert twilio_shortcodes.calls[-1].schema_errors == [
        ("$.ShortCodeSid", "'nope' does not match '^SC[0-9a-fA-F]{32}$'")
    ]


def test_method_not_allowed(api, service, twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    for method, url in [
        ("POST", f"{MESSAGING}/{service}/ShortCodes/{sid}"),
        ("PUT", f"{MESSAGING}/{service}/ShortCodes"),
        ("DELETE", f"{MESSAGING}/{service}/ShortCodes"),
        ("PATCH", f"{MESSAGING}/{service}/ShortCodes/{sid}"),
    ]:
        assert_twilio_error(api.request(method, url), 405, 20004)


def test_authentication(twilio_shortcodes, api, service):
    url = f"{MESSAGING}/{service}/ShortCodes"
    anonymous = requests.get(url)
    body = assert_twilio_error(anonymous, 401, 20003)
    assert anonymous.headers["WWW-Authenticate"] == 'Basic realm="Twilio API"'
    assert body["message"] == "Authentication Error - No credentials provided"
    wrong = api.get(url, auth=(twilio_shortcodes.account_sid, "nope"))
    assert assert_twilio_error(wrong, 401, 20003)["detail"]
    assert_twilio_error(api.get(url, headers={"Authorization": "Basic !!!"}, auth=None), 401, 20003)
    assert_twilio_error(api.get(url, headers={"Authorization": "Bearer x"}, auth=None), 401, 20003)

    key_sid, secret = twilio_shortcodes.add_api_key()
    assert key_sid.startswith("SK")
    assert api.get(url, auth=(key_sid, secret)).status_code == 200
    assert_twilio_error(api.get(url, auth=(key_sid, "wrong")), 401, 20003)


def test_api_key_through_the_sdk(twilio_shortcodes, service):
    key_sid, secret = twilio_shortcodes.add_api_key()
    sid = twilio_shortcodes.add_short_code("12345")
    client = Client(key_sid, secret, twilio_shortcodes.account_sid)
    created = client.messaging.v1.services(service).short_codes.create(short_code_sid=sid)
    assert created.account_sid == twilio_shortcodes.account_sid


def test_environment_credentials(twilio_shortcodes, service):
    sid = twilio_shortcodes.add_short_code("12345")
    client = Client()  # reads TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN
    assert client.messaging.v1.services(service).short_codes.create(sid).sid == sid


@pytest.mark.parametrize(
    ("edge", "region", "host"),
    [
        ("sydney", "au1", "messaging.sydney.au1.twilio.com"),
        (None, "ie1", "messaging.ie1.twilio.com"),
        ("tokyo", None, "messaging.tokyo.us1.twilio.com"),
    ],
)
def test_edge_and_region_hosts(twilio_shortcodes, service, edge, region, host):
    client = Client(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
    client.edge, client.region = edge, region
    sids = seed(twilio_shortcodes, 3)
    short_codes = client.messaging.v1.services(service).short_codes
    created = short_codes.create(short_code_sid=sids[0])
    assert created.url == f"https://{host}/v1/Services/{service}/ShortCodes/{sids[0]}"
    for sid in sids[1:]:
        short_codes.create(short_code_sid=sid)
    assert [sc.sid for sc in short_codes.list(page_size=2)] == sids
    assert {c.url.split("/")[2] for c in twilio_shortcodes.calls} == {host}


@pytest.mark.parametrize("run", [1, 2])
def test_state_does_not_leak_between_tests(twilio_shortcodes, api, run):
    assert twilio_shortcodes.calls == []
    # The same number can be bought in every test: nothing survives the previous one.
    twilio_shortcodes.add_short_code("77777")
    service = twilio_shortcodes.add_messaging_service()
    assert api.get(f"{MESSAGING}/{service}/ShortCodes").json()["short_codes"] == []
