"""pytest-twilio-shortcodes: a stateful, in-memory Twilio for the ShortCode APIs.

The names below load on first use, so that pytest's start-up pays nothing for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .mock import TwilioShortCodeMock
    from .schemas import SchemaValidationError, load_schema, schema_names, validate
    from .testkit.calls import Call
    from .testkit.records import ShortCodeRecord

__all__ = [
    "Call",
    "SchemaValidationError",
    "ShortCodeRecord",
    "TwilioShortCodeMock",
    "load_schema",
    "schema_names",
    "validate",
]

_WHERE = {
    "Call": "testkit.calls",
    "TwilioShortCodeMock": "mock",
    "SchemaValidationError": "schemas",
    "ShortCodeRecord": "testkit.records",
    "load_schema": "schemas",
    "schema_names": "schemas",
    "validate": "schemas",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
