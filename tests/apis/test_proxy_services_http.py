"""Proxy v1 ``Services[/{KS}]`` through plain ``requests`` (the SDK side, on twilio==9.6.3,
is ``test_proxy_services_sdk.py``): create, fetch, list, update, delete."""

from __future__ import annotations

import re

import pytest

from pytest_twilio_shortcodes import validate
from tests.conftest import assert_twilio_error

PROXY = "https://proxy.twilio.com/v1/Services"
DEFAULTS = {
    "chat_instance_sid": None,
    "callback_url": None,
    "default_ttl": 0,
    "number_selection_behavior": "prefer-sticky",
    "geo_match_level": "country",
    "intercept_callback_url": None,
    "out_of_session_callback_url": None,
}
EVERY_FIELD = {
    "UniqueName": "Everything",
    "DefaultTtl": "3600",
    "CallbackUrl": "https://app.example.com/callback",
    "GeoMatchLevel": "area-code",
    "NumberSelectionBehavior": "avoid-sticky",
    "InterceptCallbackUrl": "https://app.example.com/intercept",
    "OutOfSessionCallbackUrl": "https://app.example.com/oos",
    "ChatInstanceSid": "IS" + "a" * 32,
}
ECHOED = {
    "unique_name": "Everything",
    "default_ttl": 3600,
    "callback_url": "https://app.example.com/callback",
    "geo_match_level": "area-code",
    "number_selection_behavior": "avoid-sticky",
    "intercept_callback_url": "https://app.example.com/intercept",
    "out_of_session_callback_url": "https://app.example.com/oos",
    "chat_instance_sid": "IS" + "a" * 32,
}


def test_create_with_only_a_unique_name(twilio_shortcodes, api):
    response = api.post(PROXY, data={"UniqueName": "support"})
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    validate(body, "proxy.v1.service")
    sid = body["sid"]
    assert re.fullmatch(r"KS[0-9a-f]{32}", sid)
    assert (body["unique_name"], body["account_sid"]) == ("support", twilio_shortcodes.account_sid)
    assert {k: body[k] for k in DEFAULTS} == DEFAULTS
    assert body["url"] == f"{PROXY}/{sid}"
    assert body["links"] == {
        "sessions": f"{PROXY}/{sid}/Sessions",
        "phone_numbers": f"{PROXY}/{sid}/PhoneNumbers",
        "short_codes": f"{PROXY}/{sid}/ShortCodes",
    }
    assert body["date_created"] == body["date_updated"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["date_created"])
    assert api.get(f"{PROXY}/{sid}").json() == body
    # One account with the helpers: found by its unique name, takes short codes.
    assert twilio_shortcodes.proxy_service_sid("support") == sid
    sc = twilio_shortcodes.add_short_code("12345")
    assert api.post(f"{PROXY}/{sid}/ShortCodes", data={"Sid": sc}).status_code == 201
    assert twilio_shortcodes.proxy_service_short_codes(sid) == [sc]


def test_create_stores_and_echoes_every_field(api):
    body = api.post(PROXY, data=EVERY_FIELD).json()
    assert {k: body[k] for k in ECHOED} == ECHOED
    assert {k: v for k, v in api.get(f"{PROXY}/{body['sid']}").json().items() if k in ECHOED} == (
        ECHOED
    )


def test_a_helper_service_keeps_its_unique_name(twilio_shortcodes, api):
    sid = twilio_shortcodes.add_proxy_service("pool-7")
    body = api.get(f"{PROXY}/{sid}").json()
    assert body["unique_name"] == "pool-7"
    assert "friendly_name" not in body
    validate(body, "proxy.v1.service")


def test_update_and_date_updated(twilio_shortcodes, api):
    created = api.post(PROXY, data={"UniqueName": "before", "DefaultTtl": "60"}).json()
    twilio_shortcodes.advance_clock(4)
    response = api.post(f"{PROXY}/{created['sid']}", data={**EVERY_FIELD, "UniqueName": "after"})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ECHOED} == {**ECHOED, "unique_name": "after"}
    assert body["date_created"] == created["date_created"]
    assert body["date_updated"] != created["date_updated"]
    assert twilio_shortcodes.proxy_service_sid("after") == created["sid"]
    with pytest.raises(KeyError):
        twilio_shortcodes.proxy_service_sid("before")
    unchanged = api.post(f"{PROXY}/{created['sid']}", data={}).json()
    assert {k: unchanged[k] for k in ECHOED} == {**ECHOED, "unique_name": "after"}
    # Its own name again is no conflict; empty URLs clear them.
    cleared = api.post(
        f"{PROXY}/{created['sid']}",
        data={"UniqueName": "after", "CallbackUrl": "", "InterceptCallbackUrl": ""},
    ).json()
    assert (cleared["callback_url"], cleared["intercept_callback_url"]) == (None, None)


def test_unique_names_are_unique_in_the_account(twilio_shortcodes, api):
    taken = twilio_shortcodes.add_proxy_service("taken")
    other = api.post(PROXY, data={"UniqueName": "other"}).json()["sid"]
    before = twilio_shortcodes.snapshot()
    body = assert_twilio_error(api.post(PROXY, data={"UniqueName": "taken"}), 400, 80602)
    assert body["message"] == "Service UniqueName must be unique."
    assert_twilio_error(api.post(f"{PROXY}/{other}", data={"UniqueName": "taken"}), 400, 80602)
    assert twilio_shortcodes.snapshot() == before
    assert api.get(f"{PROXY}/{other}").json()["unique_name"] == "other"
    # Freed by a delete.
    assert api.delete(f"{PROXY}/{taken}").status_code == 204
    assert api.post(PROXY, data={"UniqueName": "taken"}).status_code == 201
    with pytest.raises(ValueError, match="already"):
        twilio_shortcodes.add_proxy_service("taken")


def test_unique_name_is_required(twilio_shortcodes, api):
    before = twilio_shortcodes.snapshot()
    body = assert_twilio_error(api.post(PROXY, data={"DefaultTtl": "5"}), 400, 20001)
    assert body["message"] == "Missing required parameter UniqueName in the post body"
    assert twilio_shortcodes.snapshot() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("UniqueName", ""),
        ("UniqueName", "u" * 192),
        ("DefaultTtl", "-1"),
        ("DefaultTtl", "soon"),
        ("GeoMatchLevel", "planet"),
        ("NumberSelectionBehavior", "sticky"),
        ("CallbackUrl", "not a url"),
        ("InterceptCallbackUrl", "ftp://x.example"),
        ("OutOfSessionCallbackUrl", "x"),
        ("ChatInstanceSid", "IS123"),
    ],
)
def test_bad_values_on_create_and_update(twilio_shortcodes, api, field, value):
    sid = twilio_shortcodes.add_proxy_service("kept")
    before = twilio_shortcodes.snapshot()
    body = assert_twilio_error(
        api.post(PROXY, data={"UniqueName": "new", field: value}), 400, 80701
    )
    assert field in body["message"]
    assert_twilio_error(api.post(f"{PROXY}/{sid}", data={field: value}), 400, 80701)
    assert twilio_shortcodes.snapshot() == before


def test_list_in_creation_order(twilio_shortcodes, api):
    sids = [twilio_shortcodes.add_proxy_service("a")]
    sids.append(api.post(PROXY, data={"UniqueName": "b"}).json()["sid"])
    sids.append(twilio_shortcodes.add_proxy_service("c"))
    first = api.get(PROXY, params={"PageSize": 2}).json()
    validate(first, "proxy.v1.service.list")
    assert [s["sid"] for s in first["services"]] == sids[:2]
    meta = first["meta"]
    assert meta["key"] == "services"
    assert meta["url"] == meta["first_page_url"] == f"{PROXY}?PageSize=2&Page=0"
    second = api.get(meta["next_page_url"]).json()
    assert [s["sid"] for s in second["services"]] == sids[2:]
    assert second["meta"]["next_page_url"] is None


def test_a_page_holds_at_most_100(twilio_shortcodes, api):
    sids = [twilio_shortcodes.add_proxy_service(f"pool-{n}") for n in range(105)]
    first = api.get(PROXY, params={"PageSize": 150}).json()
    assert len(first["services"]) == 100
    assert first["meta"]["page_size"] == 100
    rest = api.get(first["meta"]["next_page_url"]).json()
    assert [s["sid"] for s in first["services"] + rest["services"]] == sids


def test_delete_releases_its_short_codes(twilio_shortcodes, api):
    sc = twilio_shortcodes.add_short_code("12345")
    doomed = twilio_shortcodes.add_proxy_service("doomed", short_codes=[sc])
    response = api.delete(f"{PROXY}/{doomed}")
    assert (response.status_code, response.content) == (204, b"")
    body = assert_twilio_error(api.get(f"{PROXY}/{doomed}"), 404, 20404)
    assert body["message"] == f"The requested resource /Services/{doomed} was not found"
    assert_twilio_error(api.get(f"{PROXY}/{doomed}/ShortCodes"), 404, 20404)
    assert twilio_shortcodes.short_code(sc).proxy_service_sid is None
    other = api.post(PROXY, data={"UniqueName": "other"}).json()["sid"]
    assert api.post(f"{PROXY}/{other}/ShortCodes", data={"Sid": sc}).status_code == 201
    assert api.get(PROXY).json()["services"][0]["sid"] == other


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
@pytest.mark.parametrize("sid", ["KS" + "0" * 32, "KSnope", "MG" + "0" * 32])
def test_unknown_service(api, method, sid):
    body = assert_twilio_error(api.request(method, f"{PROXY}/{sid}"), 404, 20404)
    assert body["message"] == f"The requested resource /Services/{sid} was not found"


def test_messaging_and_proxy_services_are_apart(twilio_shortcodes, api):
    mg = twilio_shortcodes.add_messaging_service("same")
    ks = twilio_shortcodes.add_proxy_service("same")
    assert_twilio_error(api.get(f"{PROXY}/{mg}"), 404, 20404)
    assert_twilio_error(api.get(f"https://messaging.twilio.com/v1/Services/{ks}"), 404, 20404)
    assert [s["sid"] for s in api.get(PROXY).json()["services"]] == [ks]
