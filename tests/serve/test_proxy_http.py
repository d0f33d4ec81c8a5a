"""Proxy v1 Services/{KS}/ShortCodes with plain requests (runs with any twilio SDK)."""

from __future__ import annotations

import pytest

from tests.conftest import assert_twilio_error

PROXY = "https://proxy.twilio.com/v1/Services"


@pytest.fixture
def service(twilio_shortcodes):
    return twilio_shortcodes.add_proxy_service()


@pytest.fixture
def base(service):
    return f"{PROXY}/{service}/ShortCodes"


def test_lifecycle(twilio_shortcodes, api, base, service):
    sid = twilio_shortcodes.add_short_code("12345")
    created = api.post(base, data={"Sid": sid})
    assert created.status_code == 201
    body = created.json()
    assert body["is_reserved"] is False
    assert body["url"] == f"{base}/{sid}"
    assert body["service_sid"] == service

    twilio_shortcodes.advance_clock(60)
    for sent, expected in [("true", True), ("false", False), ("True", True), ("False", False)]:
        updated = api.post(f"{base}/{sid}", data={"IsReserved": sent})
        assert updated.status_code == 200
        assert updated.json()["is_reserved"] is expected
        assert updated.json()["date_created"] == body["date_created"]
        assert updated.json()["date_updated"] != body["date_updated"]

    deleted = api.delete(f"{base}/{sid}")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert_twilio_error(api.get(f"{base}/{sid}"), 404, 20404)


@pytest.mark.parametrize("value", ["yes", "1", "TRUE", "", "true "])
def test_is_reserved_must_be_true_or_false(twilio_shortcodes, api, base, value):
    sid = twilio_shortcodes.add_short_code("12345")
    api.post(base, data={"Sid": sid})
    before = api.get(f"{base}/{sid}").json()
    assert_twilio_error(api.post(f"{base}/{sid}", data={"IsReserved": value}), 400, 20001)
    assert api.get(f"{base}/{sid}").json() == before


def test_errors(twilio_shortcodes, api, base, service):
    sid = twilio_shortcodes.add_short_code("12345")
    body = assert_twilio_error(api.post(base, data={}), 400, 20001)
    assert body["message"] == "Missing required parameter Sid in the post body"
    assert_twilio_error(api.post(base, data={"Sid": "SC123"}), 400, 80303)
    assert_twilio_error(api.post(base, data={"Sid": "SC" + "a" * 32}), 400, 80303)
    assert api.post(base, data={"Sid": sid}).status_code == 201
    body = assert_twilio_error(api.post(base, data={"Sid": sid}), 400, 80105)
    assert body["message"] == "ShortCode has already been added to Service"
    other = f"{PROXY}/{twilio_shortcodes.add_proxy_service('other')}/ShortCodes"
    assert_twilio_error(api.post(other, data={"Sid": sid}), 400, 80601)
    assert api.get(other).json()["short_codes"] == []

    missing = "SC" + "b" * 32
    body = assert_twilio_error(api.get(f"{base}/{missing}"), 404, 20404)
    path = f"/Services/{service}/ShortCodes/{missing}"
    assert body["message"] == f"The requested resource {path} was not found"
    assert_twilio_error(api.get(f"{PROXY}/KSnope/ShortCodes"), 404, 20404)
    assert_twilio_error(api.request("PUT", f"{base}/{sid}"), 405, 20004)
    assert_twilio_error(api.delete(base), 405, 20004)
    assert_twilio_error(api.get(base, auth=(twilio_shortcodes.account_sid, "x")), 401, 20003)


def test_paging(twilio_shortcodes, api, base):
    sids = [twilio_shortcodes.add_short_code(str(20000 + i)) for i in range(7)]
    for sid in sids:
        api.post(base, data={"Sid": sid})
    walked, url = [], f"{base}?PageSize=3"
    while url:
        page = api.get(url).json()
        walked += [sc["sid"] for sc in page["short_codes"]]
        url = page["meta"]["next_page_url"]
    assert walked == sids
    big = api.get(base, params={"PageSize": 1000}).json()["meta"]
    assert big["page_size"] == 100
    assert big["url"] == f"{base}?PageSize=100&Page=0"
    assert_twilio_error(api.get(base, params={"PageSize": 1001}), 400, 20001)
    assert_twilio_error(api.get(base, params={"PageToken": "nope"}), 400, 21481)
