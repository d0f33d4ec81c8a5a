"""A fast yes/no check for the bundled schemas, on the response hot path.

It compiles the keywords the bundled schemas use into plain Python predicates. It only
ever *accepts*: a payload it rejects goes to ``jsonschema``, which stays the reference
and the source of every finding users see. A schema with a keyword it does not know is
not compiled at all (``None``), so ``jsonschema`` checks it. ``tests/test_fastcheck.py``
shows that it accepts and rejects exactly what ``jsonschema`` does, for every schema.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

Check = Callable[[Any], bool]
_ANNOTATIONS = {"$schema", "$id", "title", "description", "x-twilio-error"}
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


class Unsupported(Exception):
    """The schema uses a keyword this module does not compile."""


def compile_schema(schema: dict[str, Any], documents: dict[str, dict[str, Any]]) -> Optional[Check]:
    try:
        return _compile(schema, documents)
    except Unsupported:
        return None


def _same(a: Any, b: Any) -> bool:
    """JSON equality: booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _compile(schema: dict[str, Any], documents: dict[str, dict[str, Any]]) -> Check:
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or keyword in ("required", "additionalProperties"):
            continue
        checks.append(_keyword(keyword, value, schema, documents))
    if schema.get("type") == "string" and "pattern" in schema and len(checks) == 2:
        search = re.compile(schema["pattern"]).search  # a string that matches: one test
        return lambda v: isinstance(v, str) and search(v) is not None
    if len(checks) == 1:
        return checks[0]
    every = tuple(checks)

    def check_all(v: Any) -> bool:
        for check in every:
            if not check(v):
                return False
        return True

    return check_all


def _keyword(
    keyword: str, value: Any, schema: dict[str, Any], documents: dict[str, dict[str, Any]]
) -> Check:
    if keyword == "type":
        if not isinstance(value, str) or value not in _TYPES:
            raise Unsupported(keyword)
        return _TYPES[value]
    if keyword == "properties":
        properties = {name: _compile(sub, documents) for name, sub in value.items()}
        pairs = tuple(properties.items())
        required = tuple(schema.get("required", ()))
        closed = schema.get("additionalProperties", True)
        if closed not in (True, False):
            raise Unsupported("additionalProperties")

        def check_object(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            if closed is False and not v.keys() <= properties.keys():
                return False
            for name in required:
                if name not in v:
                    return False
            for name, check in pairs:
                if name in v and not check(v[name]):
                    return False
            return True

        return check_object
    if keyword == "pattern":
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if keyword == "enum":
        if all(isinstance(option, str) for option in value):  # the common case: strings
            options = frozenset(value)
            return lambda v: isinstance(v, str) and v in options
        return lambda v: any(_same(v, option) for option in value)
    if keyword == "const":
        return lambda v: _same(v, value)
    if keyword == "anyOf":
        if len(value) == 2 and value[1] == {"type": "null"}:  # nullable: the common case
            other = _compile(value[0], documents)
            return lambda v: v is None or other(v)
        options = tuple(_compile(sub, documents) for sub in value)

        def check_any(v: Any) -> bool:
            for option in options:
                if option(v):
                    return True
            return False

        return check_any
    if keyword == "items":
        item = _compile(value, documents)

        def check_items(v: Any) -> bool:
            if isinstance(v, list):
                for x in v:
                    if not item(x):
                        return False
            return True

        return check_items
    if keyword == "uniqueItems":
        if value is not True:
            return lambda v: True
        return lambda v: (
            not isinstance(v, list)
            or all(not _same(v[i], v[j]) for i in range(len(v)) for j in range(i))
        )
    if keyword in ("minimum", "maximum"):
        low = keyword == "minimum"
        return lambda v: not _TYPES["number"](v) or (v >= value if low else v <= value)
    if keyword in ("minLength", "maxLength"):
        low = keyword == "minLength"
        return lambda v: not isinstance(v, str) or (len(v) >= value if low else len(v) <= value)
    if keyword == "$ref":
        name = value[: -len(".json")] if value.endswith(".json") else None
        if name not in documents:
            raise Unsupported(f"$ref {value}")
        return _Ref(documents[name], documents)
    raise Unsupported(keyword)


class _Ref:
    """A ``$ref`` to another bundled schema, compiled on first use."""

    def __init__(self, schema: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        self.schema, self.documents = schema, documents
        self.check: Optional[Check] = None

    def __call__(self, value: Any) -> bool:
        if self.check is None:
            self.check = _compile(self.schema, self.documents)
        return self.check(value)
