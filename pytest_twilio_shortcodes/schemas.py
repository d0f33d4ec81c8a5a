"""The bundled JSON Schemas: found, loaded and compiled once per process.

Schemas live in the repository's top-level ``schemas/`` folder. A wheel carries them
inside the package (``pytest_twilio_shortcodes/schemas``); a source checkout or an
editable install reads the top-level folder directly.

Each schema comes in two forms. The files hold what the mock sends, and the mock holds
its own answers to them. ``validate()`` and ``load_schema()`` use Twilio's form, which
also takes ``null`` wherever Twilio's OpenAPI marks a field nullable (``x-twilio-nullable``
in the files): a payload recorded from the real Twilio validates.
"""

from __future__ import annotations

import json
import threading
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Callable

__all__ = [
    "SchemaValidationError",
    "findings",
    "load_schema",
    "schema_names",
    "validate",
]

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE_DIR / "schemas", _PACKAGE_DIR.parent / "schemas")
_lock = threading.Lock()
NULLABLE = "x-twilio-nullable"  # Twilio may send null here; the mock never does
# The keywords _nullable opens to null by adding it to type and enum (the others constrain
# other types only); a schema using any other keyword is wrapped in anyOf instead.
_NULL_SAFE = frozenset(
    ("type", "enum", "pattern", "minLength", "maxLength", "items", "uniqueItems", "properties",
     "required", "additionalProperties")
)  # fmt: skip


class SchemaValidationError(AssertionError):
    """A payload broke a bundled schema. ``errors`` lists ``(json_path, message)`` pairs."""

    def __init__(self, schema_name: str, errors: list[tuple[str, str]]) -> None:
        self.schema_name = schema_name
        self.errors = errors
        lines = [f"payload does not match schema {schema_name!r} ({len(errors)} violation(s)):"]
        lines += [f"  {path}: {message}" for path, message in errors]
        super().__init__("\n".join(lines))


@lru_cache(maxsize=1)
def _schema_dir() -> Path:
    for candidate in _CANDIDATES:
        if (candidate / "twilio.error.json").is_file():
            return candidate
    raise RuntimeError(
        "pytest-twilio-shortcodes: bundled schemas not found in "
        + " or ".join(str(c) for c in _CANDIDATES)
    )


@lru_cache(maxsize=1)
def _documents() -> dict[str, dict[str, Any]]:
    docs = {}
    for path in sorted(_schema_dir().glob("*.json")):
        docs[path.name[: -len(".json")]] = json.loads(path.read_text(encoding="utf-8"))
    return docs


@lru_cache(maxsize=1)
def _twilio_documents() -> dict[str, dict[str, Any]]:
    """The schemas as Twilio's spec has them: each ``x-twilio-nullable`` property takes null."""
    return {name: _allow_null(doc) for name, doc in _documents().items()}


def _allow_null(doc: dict[str, Any]) -> dict[str, Any]:
    properties = doc.get("properties", {})
    if not any(NULLABLE in p for p in properties.values()):
        return doc
    nullable = {k: _nullable(p) if p.get(NULLABLE) else p for k, p in properties.items()}
    return {**doc, "properties": nullable}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null, written so that findings still name the failing keyword."""
    schema = {k: v for k, v in schema.items() if k != NULLABLE}
    if not set(schema) <= _NULL_SAFE:
        return {"anyOf": [schema, {"type": "null"}]}
    if "type" in schema:
        schema["type"] = [schema["type"], "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def schema_names() -> list[str]:
    """The names of every bundled schema, e.g. ``messaging.v1.service.short_code``."""
    return list(_documents())


def load_schema(name: str) -> dict[str, Any]:
    """One bundled schema, in the form ``validate()`` uses, as a fresh dict (``KeyError``
    naming the choices if unknown)."""
    docs = _twilio_documents()
    if name not in docs:
        raise KeyError(f"no bundled schema named {name!r}; known: {', '.join(docs)}")
    return json.loads(json.dumps(docs[name]))


_validators: dict[str, Any] = {}  # jsonschema: every finding users read
_twilio_validators: dict[str, Any] = {}  # jsonschema, for validate(): what Twilio may send
_checks: dict[str, Any] = {}  # jsonschema-rs: the yes/no on the hot path


def _compiled(table: dict[str, Any], name: str, compile_one: Callable[[str], Any]) -> Any:
    """``table[name]``, compiled the first time it is needed, once whatever the threads: a
    run compiles the few schemas its tests meet, not all of them (a few milliseconds at
    every start)."""
    found = table.get(name)
    if found is None:
        with _lock:
            found = table.get(name)
            if found is None:
                if name not in _documents():
                    load_schema(name)  # raises the KeyError with the known names
                found = table[name] = compile_one(name)
    return found


def _validator(name: str, twilio: bool = False) -> Any:
    """The ``jsonschema`` validator for ``name`` (``jsonschema`` is imported for it), of
    Twilio's form or of the mock's own."""
    table = _twilio_validators if twilio else _validators
    return _compiled(table, name, lambda name: _compile_finding(name, twilio))


def _check(name: str) -> Any:
    """The ``jsonschema-rs`` validator for ``name`` (``jsonschema`` is not imported): on
    the hot path, one look-up once compiled."""
    return _checks.get(name) or _compiled(_checks, name, _compile_check)


def _no_network(uri: str) -> Any:
    raise LookupError(f"{uri} is not a bundled schema (schemas are never fetched)")


@lru_cache(maxsize=1)
def _check_sources() -> tuple[dict[str, Any], Any]:
    """The bundled schemas as ``jsonschema-rs`` checks them (``_counted``), and the
    registry of them that cross-file ``$ref``s resolve from."""
    import jsonschema_rs

    docs = {name: _counted(doc) for name, doc in _documents().items()}
    registry = jsonschema_rs.Registry(
        [(doc["$id"], doc) for doc in docs.values()], retriever=_no_network
    )
    return docs, registry


def _compile_check(name: str) -> Any:
    """A bundled schema compiled by ``jsonschema-rs``; a reference to anything but the
    bundled files fails here."""
    import jsonschema_rs

    docs, registry = _check_sources()
    return jsonschema_rs.Draft202012Validator(docs[name], registry=registry, retriever=_no_network)


# Where a schema holds schemas: one (``items``), a list of them (``anyOf``), or a map of them.
_ONE = ("items", "not", "additionalProperties", "contains", "if", "then", "else")
_LIST = ("anyOf", "allOf", "oneOf", "prefixItems")
_MAP = ("properties", "$defs", "patternProperties")


def _counted(schema: Any) -> Any:
    """``schema`` with the same valid instances, cheaper for ``jsonschema-rs`` to check:
    an object that must have every property it names and no other (``required`` lists
    all of ``properties``, ``additionalProperties`` is false) is checked by counting its
    properties (``minProperties``) instead of looking each one up, a fifth of a page's
    check. ``jsonschema`` reads the schema as written, so findings still name what is
    missing; ``tests/test_engines_agree.py`` shows the two agree."""
    if not isinstance(schema, dict):
        return schema
    counted = dict(schema)
    for key in _ONE:
        if key in schema:
            counted[key] = _counted(schema[key])
    for key in _LIST:
        if key in schema:
            counted[key] = [_counted(part) for part in schema[key]]
    for key in _MAP:
        if key in schema:
            counted[key] = {name: _counted(part) for name, part in schema[key].items()}
    names = schema.get("properties", {})
    if (
        schema.get("additionalProperties") is False
        and "patternProperties" not in schema
        and sorted(schema.get("required", ())) == sorted(names)
        and names
    ):
        del counted["required"]
        counted["minProperties"] = max(len(names), schema.get("minProperties", 0))
    return counted


@cache
def _ecma_regex(pattern: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator({"pattern": pattern})


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """``pattern`` as JSON Schema defines it, an ECMA-262 regular expression, for the
    ``jsonschema`` engine, whose own ``pattern`` uses Python's ``re`` (where ``$`` also
    matches before a final newline, and ``\\d`` and ``\\s`` are other sets). The same
    regex engine as ``jsonschema-rs``'s, and the message ``jsonschema`` writes."""
    from jsonschema import ValidationError

    if not validator.is_type(instance, "string"):
        return
    try:
        matches = _ecma_regex(pattern).is_valid(instance)
    except ValueError:  # a lone surrogate: not Unicode text, so no JSON string matches
        matches = False
    if not matches:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=2)
def _finding_sources(twilio: bool) -> tuple[dict[str, Any], Any, Any]:
    """The bundled schemas as ``jsonschema`` reads them (of Twilio's form or the mock's
    own), the registry their cross-file ``$ref``s resolve from, and the engine."""
    from jsonschema import Draft202012Validator, validators
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    documents = _twilio_documents() if twilio else _documents()
    # Every bundled schema is draft 2020-12, which the engine fixes; without "$schema", a
    # $ref'd document keeps this engine (jsonschema would switch it to its stock one).
    docs = {
        name: {key: value for key, value in doc.items() if key != "$schema"}
        for name, doc in documents.items()
    }
    registry: Registry = Registry().with_resources(
        (doc["$id"], DRAFT202012.create_resource(doc)) for doc in docs.values()
    )
    return docs, registry, validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


def _compile_finding(name: str, twilio: bool) -> Any:
    # Checked against the metaschema by the tests, not at every start.
    docs, registry, engine = _finding_sources(twilio)
    return engine(docs[name], registry=registry)


def is_valid(payload: Any, schema_name: str) -> bool:
    """The hot path's yes/no: ``jsonschema-rs``, which agrees with ``findings``
    (``tests/test_engines_agree.py`` shows it for every bundled schema)."""
    try:
        return bool(_check(schema_name).is_valid(payload))
    except ValueError:  # not JSON (a key that is not a string, a lone surrogate...)
        return False  # findings say what


def json_path(error: Any) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def findings(payload: Any, schema_name: str, twilio: bool = False) -> list[tuple[str, str]]:
    """Every violation of ``schema_name`` in ``payload``: ``(json_path, message)`` pairs
    (``twilio``: of the form ``validate()`` uses, else of the mock's own)."""
    errors = _validator(schema_name, twilio).iter_errors(payload)
    return sorted((json_path(e), e.message) for e in errors)


def checked(payload: Any, schema_name: str) -> list[tuple[str, str]]:
    """``findings``, after ``jsonschema-rs`` has said no (the hot path: a valid payload
    costs one compiled check, and ``jsonschema`` is not imported for it)."""
    return [] if is_valid(payload, schema_name) else findings(payload, schema_name)


def raw_errors(payload: Any, schema_name: str) -> list[Any]:
    """The validator's own error objects (for callers that read the failing schema);
    an empty list at once where ``jsonschema-rs`` accepts the payload."""
    if is_valid(payload, schema_name):
        return []
    return list(_validator(schema_name).iter_errors(payload))


def validate(payload: Any, schema_name: str) -> None:
    """Check ``payload`` against a bundled schema, as Twilio's spec has it (null wherever
    Twilio may send it); raise ``SchemaValidationError`` listing every violation with its
    JSON path."""
    found = findings(payload, schema_name, twilio=True)
    if found:
        raise SchemaValidationError(schema_name, found)


def compile_all() -> None:
    """Compile every bundled schema now, both engines (idempotent; once per process)."""
    for name in _documents():
        _validator(name)
        _check(name)
