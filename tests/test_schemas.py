"""The schema helper: bundled schemas, Twilio's published examples, and clear failures."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import pytest_twilio_shortcodes as pts

EXAMPLES = json.loads((Path(__file__).parent / "data" / "twilio_examples.json").read_text())
RESOURCES = {
    "twilio_messaging_v1_short_codes": "messaging.v1.service.short_code",
    "twilio_proxy_v1_short_codes": "proxy.v1.service.short_code",
    "twilio_api_v2010_short_codes": "api.v2010.account.short_code",
    "twilio_api_v2010_messages": "api.v2010.account.message",
}
RESPONSE_CASES = [
    (resource + (".list" if example["name"].startswith("read") else ""), example)
    for source, resource in RESOURCES.items()
    for example in EXAMPLES[source]
]
REQUEST_CASES = [
    (
        resource + (".update_request" if "{Sid}" in example["operation"] else ".create_request"),
        example,
    )
    for source, resource in RESOURCES.items()
    for example in EXAMPLES[source + ".request"]
]


def form(values):
    """JSON example values as a form body carries them: strings, booleans lower-case, and
    of a repeated parameter (a list) the first value, which is what the schema checks."""

    def one(value):
        value = value[0] if isinstance(value, list) else value
        return str(value).lower() if isinstance(value, bool) else str(value)

    return {k: one(v) for k, v in values.items()}


def test_schema_names_and_load_schema():
    names = pts.schema_names()
    for name in [
        "twilio.error",
        "messaging.v1.service.short_code",
        "messaging.v1.service.short_code.list",
        "messaging.v1.service.short_code.create_request",
        "proxy.v1.service.short_code",
        "proxy.v1.service.short_code.list",
        "proxy.v1.service.short_code.create_request",
        "proxy.v1.service.short_code.update_request",
        "api.v2010.account.short_code",
        "api.v2010.account.short_code.list",
        "api.v2010.account.short_code.update_request",
        "api.v2010.account.message",
        "api.v2010.account.message.list",
        "api.v2010.account.message.create_request",
        "api.v2010.account.message.update_request",
    ]:
        assert name in names
        assert pts.load_schema(name)["$id"].endswith(f"/{name}.json")
    schema = pts.load_schema("twilio.error")
    schema["title"] = "changed"
    assert pts.load_schema("twilio.error")["title"] != "changed"  # a fresh copy each time
    with pytest.raises(KeyError, match="no bundled schema named 'nope'"):
        pts.load_schema("nope")
    with pytest.raises(KeyError):
        pts.validate({}, "nope")


@pytest.mark.parametrize(
    ("schema", "example"), RESPONSE_CASES, ids=lambda v: v if isinstance(v, str) else v["name"]
)
def test_twilio_published_examples_validate(schema, example):
    pts.validate(example["value"], schema)


@pytest.mark.parametrize(
    ("schema", "example"), REQUEST_CASES, ids=lambda v: v if isinstance(v, str) else v["name"]
)
def test_twilio_published_request_examples_validate(schema, example):
    pts.validate(form(example["value"]), schema)


def test_altered_examples_are_rejected_with_every_path_named():
    page = copy.deepcopy(
        next(e for e in EXAMPLES["twilio_messaging_v1_short_codes"] if e["name"] == "readFull")
    )["value"]
    item = page["short_codes"][0]
    item["sid"] = "PN" + "a" * 32
    item["date_created"] = "2015-07-30T20:12:31+00:00"
    del item["url"]
    page["meta"]["key"] = "items"
    with pytest.raises(pts.SchemaValidationError) as caught:
        pts.validate(page, "messaging.v1.service.short_code.list")
    error = caught.value
    assert isinstance(error, AssertionError)
    assert error.schema_name == "messaging.v1.service.short_code.list"
    paths = [path for path, _ in error.errors]
    assert paths == [
        "$.meta.key",
        "$.short_codes[0]",
        "$.short_codes[0].date_created",
        "$.short_codes[0].sid",
    ]
    message = str(error)
    assert message.splitlines()[0] == (
        "payload does not match schema 'messaging.v1.service.short_code.list' (4 violation(s)):"
    )
    assert "  $.short_codes[0]: 'url' is a required property" in message
    assert "  $.short_codes[0].sid: 'PN" in message


def test_error_envelope_schema():
    pts.validate(
        {
            "code": 20404,
            "message": "The requested resource /x was not found",
            "more_info": "https://www.twilio.com/docs/errors/20404",
            "status": 404,
        },
        "twilio.error",
    )
    with pytest.raises(pts.SchemaValidationError, match=r"\$\.status"):
        pts.validate(
            {"code": 20404, "message": "m", "more_info": "x", "status": "404"}, "twilio.error"
        )


def test_v2010_list_rejects_an_extra_top_level_key():
    # The SDK finds the records as the one key besides the paging keys; a second breaks it.
    page = copy.deepcopy(
        next(e for e in EXAMPLES["twilio_api_v2010_short_codes"] if e["name"] == "readFull")
    )["value"]
    page["count"] = 1
    with pytest.raises(pts.SchemaValidationError, match="Additional properties"):
        pts.validate(page, "api.v2010.account.short_code.list")
