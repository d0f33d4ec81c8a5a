"""The bundled JSON Schemas: found, loaded and compiled once per process.

Schemas live in the repository's top-level ``schemas/`` folder. A wheel carries them
inside the package (``pytest_twilio_shortcodes/schemas``); a source checkout or an
editable install reads the top-level folder directly.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from . import fastcheck

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


def schema_names() -> list[str]:
    """The names of every bundled schema, e.g. ``messaging.v1.service.short_code``."""
    return list(_documents())


def load_schema(name: str) -> dict[str, Any]:
    """One bundled schema as a fresh dict (``KeyError`` naming the choices if unknown)."""
    docs = _documents()
    if name not in docs:
        raise KeyError(f"no bundled schema named {name!r}; known: {', '.join(docs)}")
    return json.loads(json.dumps(docs[name]))


_validators: dict[str, Any] = {}
_fast: dict[str, Optional[fastcheck.Check]] = {}


def _validator(name: str) -> Any:
    """The ``jsonschema`` validator for ``name``; all are built (and ``jsonschema``
    imported) the first time any is needed."""
    if not _validators:
        with _lock:
            if not _validators:
                _compile_all()
    validator = _validators.get(name)
    if validator is None:
        load_schema(name)  # raises the KeyError with the known names
    return validator


def _compile_all() -> None:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    docs = _documents()
    registry: Registry = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in docs.values()
    )
    # Checked against the metaschema by the tests, not at every start.
    _validators.update(
        {name: Draft202012Validator(doc, registry=registry) for name, doc in docs.items()}
    )


def fast_check(name: str) -> Optional[fastcheck.Check]:
    """The compiled yes/no check for ``name`` (None where ``jsonschema`` must decide)."""
    if name not in _fast:
        docs = _documents()
        _fast[name] = fastcheck.compile_schema(docs[name], docs) if name in docs else None
    return _fast[name]


def json_path(error: Any) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def findings(payload: Any, schema_name: str) -> list[tuple[str, str]]:
    """Every violation of ``schema_name`` in ``payload``: ``(json_path, message)`` pairs."""
    errors = _validator(schema_name).iter_errors(payload)
    return sorted((json_path(e), e.message) for e in errors)


_KNOWN_VALID_LIMIT = 4096  # bodies repeat within a test; across tests the account differs
_known_valid: dict[tuple[str, str], None] = {}


def findings_once(payload: Any, schema_name: str, rendered: str) -> list[tuple[str, str]]:
    """``findings`` for a payload whose exact rendering is ``rendered``. Validity is a
    function of (schema, body), so a body seen valid before is not checked again. A new
    body passes if the fast check accepts it; otherwise ``jsonschema`` decides and
    reports."""
    key = (schema_name, rendered)
    if key in _known_valid:
        return []
    fast = fast_check(schema_name)
    found = [] if fast is not None and fast(payload) else findings(payload, schema_name)
    if not found:
        if len(_known_valid) >= _KNOWN_VALID_LIMIT:
            _known_valid.clear()
        _known_valid[key] = None
    return found


def raw_errors(payload: Any, schema_name: str) -> list[Any]:
    """The validator's own error objects (for callers that read the failing schema);
    an empty list at once where the fast check accepts the payload."""
    fast = fast_check(schema_name)
    if fast is not None and fast(payload):
        return []
    return list(_validator(schema_name).iter_errors(payload))


def validate(payload: Any, schema_name: str) -> None:
    """Check ``payload`` against a bundled schema; raise ``SchemaValidationError`` listing
    every violation with its JSON path."""
    found = findings(payload, schema_name)
    if found:
        raise SchemaValidationError(schema_name, found)


def compile_all() -> None:
    """Compile every bundled schema now, both engines (idempotent; once per process)."""
    _validator("twilio.error")
    for name in _documents():
        fast_check(name)
