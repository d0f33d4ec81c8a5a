"""The two engines agree: ``jsonschema-rs``, which decides validity on the hot path,
accepts and rejects exactly what ``jsonschema``, which writes every finding, does, for
every bundled schema, on valid payloads and on generated mutations of them."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from pytest_twilio_shortcodes import schemas

DATA = Path(__file__).parent.parent / "data"
EXAMPLES = json.loads((DATA / "twilio_examples.json").read_text())
EXAMPLES.update(json.loads((DATA / "twilio_examples_phone_numbers.json").read_text()))
SC, AC, MG, KS = ("SC" + "a" * 32, "AC" + "b" * 32, "MG" + "c" * 32, "KS" + "d" * 32)
PN = "PN" + "e" * 32


def example(source: str, name: str) -> dict[str, Any]:
    return next(e["value"] for e in EXAMPLES[source] if e["name"] == name)


def valid_corpus() -> dict[str, list[Any]]:
    messaging_page = example("twilio_messaging_v1_short_codes", "readFull")
    v2010_item = example("twilio_api_v2010_short_codes", "fetch")
    numbers_page = example("twilio_api_v2010_incoming_phone_numbers", "readFull")
    return {
        "twilio.error": [
            {
                "code": 20404,
                "message": "m",
                "more_info": "https://www.twilio.com/docs/errors/20404",
                "status": 404,
            },
            {
                "code": 20003,
                "detail": "d",
                "message": "Authenticate",
                "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401,
            },
        ],
        "twilio.v1.list_meta": [messaging_page["meta"]],
        "messaging.v1.service.short_code": [example("twilio_messaging_v1_short_codes", "fetch")],
        "messaging.v1.service.short_code.list": [messaging_page],
        "messaging.v1.service.short_code.create_request": [
            {"ShortCodeSid": SC},
            {"ShortCodeSid": SC, "X": "1"},
        ],
        "proxy.v1.service.short_code": [example("twilio_proxy_v1_short_codes", "fetch")],
        "proxy.v1.service.short_code.list": [example("twilio_proxy_v1_short_codes", "readFull")],
        "proxy.v1.service.short_code.create_request": [{"Sid": SC}],
        "proxy.v1.service.short_code.update_request": [
            {},
            {"IsReserved": "true"},
            {"IsReserved": "False"},
        ],
        "api.v2010.account.short_code": [v2010_item],
        "api.v2010.account.short_code.list": [
            example("twilio_api_v2010_short_codes", "readFull"),
            example("twilio_api_v2010_short_codes", "readEmpty"),
        ],
        "api.v2010.account.short_code.update_request": [
            {},
            {
                "FriendlyName": "x" * 64,
                "SmsUrl": "",
                "SmsMethod": "GET",
                "ApiVersion": "2008-08-01",
            },
        ],
        "api.v2010.account.message": [
            example("twilio_api_v2010_messages", "fetch"),
            example("twilio_api_v2010_messages", "createScheduledMessageMms"),
        ],
        "api.v2010.account.message.list": [
            example("twilio_api_v2010_messages", "readFullPage1"),
            example("twilio_api_v2010_messages", "readEmptySentdateLess"),
        ],
        "api.v2010.account.message.create_request": [
            {"To": "+15558675310", "From": "12345", "Body": "hi"},
            {
                "To": "+15558675310",
                "MessagingServiceSid": MG,
                "MediaUrl": "https://x.example/a",
                "StatusCallback": "",
                "ScheduleType": "fixed",
                "SendAt": "2030-01-01T00:00:00Z",
                "ShortenUrls": "true",
            },
        ],
        "api.v2010.account.message.update_request": [{}, {"Body": ""}, {"Status": "canceled"}],
        "api.v2010.account.incoming_phone_number": [
            example("twilio_api_v2010_incoming_phone_numbers", "fetch"),
            example("twilio_api_v2010_incoming_phone_numbers", "create"),
        ],
        "api.v2010.account.incoming_phone_number.list": [
            {
                **numbers_page,
                "incoming_phone_numbers": [
                    {**numbers_page["incoming_phone_numbers"][0], "beta": False}
                ],
            },  # null: Twilio's form
            example("twilio_api_v2010_incoming_phone_numbers", "readEmpty"),
        ],
        "api.v2010.account.incoming_phone_number.create_request": [
            {"PhoneNumber": "+15558675310"},
            {
                "AreaCode": "415",
                "SmsUrl": "https://a.example/sms",
                "SmsMethod": "GET",
                "VoiceCallerIdLookup": "true",
                "FriendlyName": "x" * 64,
            },
        ],
        "api.v2010.account.incoming_phone_number.update_request": [
            {},
            {
                "AccountSid": AC,
                "SmsUrl": "",
                "StatusCallback": "https://a.example/s",
                "EmergencyStatus": "Active",
                "VoiceReceiveMode": "fax",
            },
        ],
        "messaging.v1.service.phone_number": [
            example("twilio_messaging_v1_service_phone_numbers", "fetch"),
            example("twilio_messaging_v1_service_phone_numbers", "createWithCapabilities"),
        ],
        "messaging.v1.service.phone_number.list": [
            example("twilio_messaging_v1_service_phone_numbers", "readFull"),
        ],
        "messaging.v1.service.phone_number.create_request": [
            {"PhoneNumberSid": PN},
            {"PhoneNumberSid": PN, "X": "1"},
        ],
        "api.v2008.account.short_code.list": [
            {
                "page": 0,
                "numpages": 1,
                "pagesize": 50,
                "total": 1,
                "start": 0,
                "end": 0,
                "short_codes": [v2010_item],
            },
        ],
    }


def service_corpus() -> dict[str, list[Any]]:
    """Messaging Services, their alpha senders, Proxy Services: bodies as the mock and
    Twilio's OpenAPI examples have them."""
    ai = "AI" + "e" * 32
    base = "https://messaging.twilio.com/v1/Services/" + MG
    mg_links = {
        name: f"{base}/{path}"
        for name, path in [
            ("phone_numbers", "PhoneNumbers"), ("short_codes", "ShortCodes"),
            ("alpha_senders", "AlphaSenders"), ("messages", "Messages"),
            ("us_app_to_person", "Compliance/Usa2p"),
            ("us_app_to_person_usecases", "Compliance/Usa2p/Usecases"),
            ("channel_senders", "ChannelSenders"),
            ("destination_alpha_senders", "DestinationAlphaSenders"),
        ]
    }  # fmt: skip
    service = {
        "sid": MG, "account_sid": AC, "friendly_name": "My Service!",
        "date_created": "2015-07-30T20:12:31Z", "date_updated": "2015-07-30T20:12:33Z",
        "inbound_request_url": "https://www.example.com/", "inbound_method": "POST",
        "fallback_url": None, "fallback_method": "POST", "status_callback": None,
        "sticky_sender": True, "mms_converter": True, "smart_encoding": True,
        "scan_message_content": "inherit", "fallback_to_long_code": False,
        "area_code_geomatch": True, "synchronous_validation": True, "validity_period": 36000,
        "url": base, "links": mg_links, "usecase": "undeclared",
        "us_app_to_person_registered": False, "use_inbound_webhook_on_number": False,
    }  # fmt: skip
    alpha = {
        "sid": ai, "account_sid": AC, "service_sid": MG,
        "date_created": "2015-07-30T20:12:31Z", "date_updated": "2015-07-30T20:12:33Z",
        "alpha_sender": "Twilio", "capabilities": ["SMS"], "url": f"{base}/AlphaSenders/{ai}",
    }  # fmt: skip
    proxy_url = "https://proxy.twilio.com/v1/Services/" + KS
    proxy = {
        "sid": KS, "unique_name": "My Service", "account_sid": AC, "chat_instance_sid": None,
        "callback_url": "http://www.example.com", "default_ttl": 3600,
        "number_selection_behavior": "prefer-sticky", "geo_match_level": "country",
        "intercept_callback_url": None, "out_of_session_callback_url": None,
        "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z",
        "url": proxy_url,
        "links": {name: f"{proxy_url}/{path}" for name, path in [
            ("sessions", "Sessions"), ("phone_numbers", "PhoneNumbers"),
            ("short_codes", "ShortCodes")]},
    }  # fmt: skip

    def page(host: str, path: str, key: str, items: list[Any]) -> dict[str, Any]:
        url = f"https://{host}.twilio.com/v1/{path}?PageSize=50&Page=0"
        meta = {
            "page": 0, "page_size": 50, "first_page_url": url, "previous_page_url": None,
            "url": url, "next_page_url": None, "key": key,
        }  # fmt: skip
        return {"meta": meta, key: items}

    form = {
        "FriendlyName": "x" * 64, "InboundRequestUrl": "https://app.example.com/sms",
        "InboundMethod": "GET", "FallbackUrl": "", "StatusCallback": "https://a.example/s",
        "StickySender": "false", "ScanMessageContent": "enable", "ValidityPeriod": "36000",
        "Usecase": "marketing", "UseInboundWebhookOnNumber": "True",
    }  # fmt: skip
    proxy_form = {
        "UniqueName": "u" * 191, "DefaultTtl": "0", "CallbackUrl": "https://a.example/cb",
        "GeoMatchLevel": "area-code", "NumberSelectionBehavior": "avoid-sticky",
        "ChatInstanceSid": "IS" + "f" * 32,
    }  # fmt: skip
    return {
        "messaging.v1.service": [service, {**service, "inbound_request_url": None}],
        "messaging.v1.service.list": [
            page("messaging", "Services", "services", [service]),
            page("messaging", "Services", "services", []),
        ],
        "messaging.v1.service.create_request": [{"FriendlyName": "n"}, form],
        "messaging.v1.service.update_request": [{}, form, {"ValidityPeriod": "1"}],
        "messaging.v1.service.alpha_sender": [alpha, {**alpha, "alpha_sender": "A-1+_& b"}],
        "messaging.v1.service.alpha_sender.list": [
            page("messaging", f"Services/{MG}/AlphaSenders", "alpha_senders", [alpha]),
        ],
        "messaging.v1.service.alpha_sender.create_request": [
            {"AlphaSender": "Twilio"},
            {"AlphaSender": "12345678 9x"},
        ],
        "proxy.v1.service": [proxy, {**proxy, "chat_instance_sid": "IS" + "f" * 32}],
        "proxy.v1.service.list": [page("proxy", "Services", "services", [proxy])],
        "proxy.v1.service.create_request": [{"UniqueName": "n"}, proxy_form],
        "proxy.v1.service.update_request": [{}, proxy_form],
    }


CORPUS = {**valid_corpus(), **service_corpus()}
TRICKY = [
    "", "x", SC, AC, MG, KS, "SC123", "12345", "1234567", "US", "usa", "GET", "POST", "get",
    "2010-04-01", "2008-08-01", "true", "True", "TRUE", True, False, 0, 1, 1.0, 1.5, -1, 50,
    1000, 1001, 10**20, None, [], {}, ["SMS"], ["SMS", "SMS"], ["MMS", "SMS"], [1, True],
    [True, 1], [0, False], "x" * 64, "x" * 65, "https://messaging.twilio.com/v1/S",
    "https://evil.example/v1", "2015-07-30T20:12:31Z", "2015-07-30T20:12:31+00:00",
    "Thu, 01 Apr 2010 00:00:00 +0000", "short_codes",
    "/2010-04-01/Accounts/" + AC + "/SMS/ShortCodes",
    "https://www.twilio.com/docs/errors/20404", "\u00e9\u00e9", "1\n",
    # Where Python's re and ECMA-262 differ: "$" before a final newline, Unicode digits in
    # "\\d", what "\\s" holds (NEL, BOM, no-break space).
    SC + "\n", AC + "\n", "12345\n", "US\n", "1\u0663\u0664\u0665\u0666",
    "2015-07-30T20:12:31Z\n", "2015-07-30T20:12:3\u0661Z", "Thu, 01 Apr 2010 00:00:00 +0000\n",
    "https://www.twilio.com/docs/errors/2040\u0664", "https://a.b/x\n", "https://a.b/\x85",
    "https://a.b/\ufeff", "https://a.b/\u00a0", "https://a\u2028.b/", "\n", "x\x85",
]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYS = ["extra", "sid", "code", "page", "IsReserved", "meta", "short_codes"]


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def mutate(payload: Any, rng: random.Random, values: list[Any]) -> Any:
    """Up to three edits anywhere in the payload: replace a node, delete it, add a key."""
    payload = copy.deepcopy(payload)
    for _ in range(rng.randint(0, 3)):
        path = rng.choice(paths(payload))
        new = copy.deepcopy(rng.choice(values))
        if not path:
            payload = new
            continue
        parent = payload
        for part in path[:-1]:
            parent = parent[part]
        action = rng.choice(["replace", "delete", "add"])
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[rng.choice(KEYS)] = new
        else:
            parent[path[-1]] = new
    return payload


# Where Python's re and ECMA-262 read a pattern differently: "$" before a final newline,
# NEL (whitespace to Python's \\s only), BOM (to ECMA's only), Unicode digits (Python's \\d).
DIALECT_EDITS = [
    lambda s: s + "\n",
    lambda s: s + "\x85",
    lambda s: s[:1] + "\ufeff" + s[1:],
    lambda s: s.translate({ord(d): 0x0660 + int(d) for d in "0123456789"}),
]


def reference(payload: Any, schema_name: str) -> bool:
    return not schemas.findings(payload, schema_name)


@pytest.mark.parametrize("name", schemas.schema_names())
def test_every_bundled_schema_is_valid_against_its_metaschema(name):
    Draft202012Validator.check_schema(schemas.load_schema(name))


@pytest.mark.parametrize("name", schemas.schema_names())
def test_every_schema_has_a_valid_corpus_both_engines_accept(name):
    for payload in CORPUS[name]:
        assert reference(payload, name)
        assert schemas.is_valid(payload, name)


@pytest.mark.parametrize("name", schemas.schema_names())
def test_engines_agree_where_regex_dialects_differ(name):
    """Every string of every valid payload, edited where Python's re and ECMA-262 differ."""
    checked = 0
    for valid in CORPUS[name]:
        for path in paths(valid):
            parent = valid
            for part in path[:-1]:
                parent = parent[part]
            if not path or not isinstance(parent[path[-1]], str):
                continue
            for edit in DIALECT_EDITS:
                payload = copy.deepcopy(valid)
                target = payload
                for part in path[:-1]:
                    target = target[part]
                target[path[-1]] = edit(target[path[-1]])
                assert schemas.is_valid(payload, name) == reference(payload, name), (path, payload)
                checked += 1
    assert checked or name.endswith("update_request")  # {} has no strings


@pytest.mark.parametrize("name", schemas.schema_names())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), start=st.integers(0, 10), generated=JSON)
def test_jsonschema_rs_agrees_with_jsonschema(name, seed, start, generated):
    corpus = CORPUS[name]
    payload = mutate(corpus[start % len(corpus)], random.Random(seed), [*TRICKY, generated])
    assert schemas.is_valid(payload, name) == reference(payload, name), payload


def test_references_resolve_from_the_bundled_files_never_the_network(monkeypatch):
    foreign = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://schemas.pytest-twilio-shortcodes.dev/foreign.json",
        "properties": {"x": {"$ref": "https://example.com/elsewhere.json"}},
    }
    monkeypatch.setattr(schemas, "_documents", lambda: {"foreign": foreign})
    schemas._check_sources.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"elsewhere\.json is not a bundled schema"):
            schemas._compile_check("foreign")
    finally:
        schemas._check_sources.cache_clear()


@pytest.mark.parametrize("name", schemas.schema_names())
def test_engines_agree_on_every_missing_or_extra_property(name):
    """``jsonschema-rs`` checks an object that must hold exactly its properties by counting
    them (``schemas._counted``): taking any one property out of any object, or putting an
    unknown one in, is refused by both engines alike."""
    checked = 0
    for payload in CORPUS[name]:
        for path in paths(payload):
            parent = payload
            for part in path:
                parent = parent[part]
            if not isinstance(parent, dict):
                continue
            for key in list(parent):
                edited = copy.deepcopy(payload)
                target = edited
                for part in path:
                    target = target[part]
                del target[key]
                assert schemas.is_valid(edited, name) == reference(edited, name), (path, key)
                checked += 1
            edited = copy.deepcopy(payload)
            target = edited
            for part in path:
                target = target[part]
            target["unknown"] = "x"
            assert schemas.is_valid(edited, name) == reference(edited, name), path
    assert checked or not any(isinstance(p, dict) and p for p in CORPUS[name])


def test_counting_is_what_the_item_schemas_compile_to():
    """The rewrite the test above holds to account is in use: the short-code items are
    checked by counting, and a missing property still gets its own finding."""
    counted = schemas._counted(schemas._documents()["messaging.v1.service.short_code"])
    assert "required" not in counted and counted["minProperties"] == 9
    item = copy.deepcopy(example("twilio_messaging_v1_short_codes", "fetch"))
    del item["url"]
    assert not schemas.is_valid(item, "messaging.v1.service.short_code")
    assert schemas.findings(item, "messaging.v1.service.short_code") == [
        ("$", "'url' is a required property")
    ]
