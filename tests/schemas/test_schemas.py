"""The schema helper: bundled schemas, Twilio's published examples, and clear failures."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import pytest_twilio_shortcodes as pts
from pytest_twilio_shortcodes import schemas
from pytest_twilio_shortcodes.apis import ROUTES

EXAMPLES = json.loads((Path(__file__).parent.parent / "data" / "twilio_examples.json").read_text())
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


# -- every example body in Twilio's OpenAPI files (a copy in tests/data/openapi) ----------

# Extracts of twilio/twilio-oai (Apache 2.0; each file's ``info.x-source`` names its commit),
# kept with the tests so that every clone runs these checks.
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "openapi"


def _component(schema: dict[str, Any]) -> tuple[str, bool]:
    """The resource a response schema describes, and whether it is a page of them."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1], False
    (items,) = [p["items"] for p in schema["properties"].values() if p.get("type") == "array"]
    return items["$ref"].rsplit("/", 1)[1], True


def _openapi_examples() -> list[tuple[str, str, Any]]:
    """(bundled schema name, example id, body) for every response example."""
    found = []
    for path in sorted(REFERENCE.glob("*.openapi.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for route, operations in spec["paths"].items():
            for method, operation in operations.items():
                if method not in ("get", "post", "delete"):
                    continue  # the path's parameters, servers, description
                for status, response in operation.get("responses", {}).items():
                    for content in response.get("content", {}).values():
                        component, is_list = _component(content["schema"])
                        for name, example in content.get("examples", {}).items():
                            example_id = f"{path.stem} {method.upper()} {route} {status} {name}"
                            schema = component + (".list" if is_list else "")
                            found.append((schema, example_id, example["value"]))
    return found


OPENAPI_EXAMPLES = _openapi_examples()
SERVED = {route.resource for route in ROUTES}


@pytest.mark.parametrize(
    ("schema", "body"),
    [(s, body) for s, _, body in OPENAPI_EXAMPLES if s in schemas.schema_names()],
    ids=[i for s, i, _ in OPENAPI_EXAMPLES if s in schemas.schema_names()],
)
def test_every_openapi_example_body_validates(schema, body):
    pts.validate(body, schema)


def test_the_openapi_examples_cover_every_served_resource():
    bundled = {s for s, _, _ in OPENAPI_EXAMPLES if s in schemas.schema_names()}
    assert {f"{r}{kind}" for r in SERVED for kind in ("", ".list")} <= bundled
    # The examples left out are of resources this mock does not serve (it has no schema
    # for them): none of a served resource is skipped.
    left_out = {s.removesuffix(".list") for s, _, _ in OPENAPI_EXAMPLES} - {
        s.removesuffix(".list") for s in bundled
    }
    assert not left_out & SERVED


@pytest.mark.parametrize("resource", sorted(SERVED))
def test_response_schemas_take_null_where_twilio_openapi_allows_it(resource):
    """Twilio's OpenAPI marks these fields nullable: ``validate()`` takes null there. The
    mock's own answers are held to the files, where it never sends a null it should not."""
    specs = [json.loads(p.read_text(encoding="utf-8")) for p in REFERENCE.glob("*.openapi.json")]
    (component,) = [s["components"]["schemas"][resource] for s in specs if resource in
                    s["components"]["schemas"]]  # fmt: skip
    example = next(body for s, _, body in OPENAPI_EXAMPLES if s == resource)
    as_sent = json.loads((schemas._schema_dir() / f"{resource}.json").read_text())["properties"]
    for field, definition in component["properties"].items():
        body = {**example, field: None}
        if definition.get("nullable"):
            pts.validate(body, resource)
            # The mock's own form takes null only where the mock itself sends it: every
            # other nullable field is marked, and null there breaks the mock's schema.
            never_null = as_sent[field].get(schemas.NULLABLE, False)
            assert (schemas.findings(body, resource) != []) == never_null, field
        else:
            with pytest.raises(pts.SchemaValidationError):
                pts.validate(body, resource)


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


def test_validate_reports_a_lone_surrogate_as_a_pattern_finding():
    """A payload parsed from JSON with a ``\\ud800`` escape holds a lone surrogate, which is
    not Unicode text: ``validate()`` reports the pattern it breaks instead of raising
    ``UnicodeEncodeError``."""
    payload = json.loads('{"sid": "SC\\ud800' + "a" * 31 + '"}')
    with pytest.raises(pts.SchemaValidationError) as failure:
        pts.validate(payload, "messaging.v1.service.short_code")
    assert ("$.sid", f"{payload['sid']!r} does not match '^SC[0-9a-fA-F]{{32}}$'") in (
        failure.value.errors
    )
