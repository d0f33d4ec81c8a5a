"""The ``serve --seed`` file: short codes and services to put in the account, as JSON.

    {
      "short_codes": ["12345", {"short_code": "67890", "friendly_name": "Alerts"}],
      "messaging_services": [{"friendly_name": "Alerts", "short_codes": ["12345"]}],
      "proxy_services": [{"unique_name": "support", "short_codes": ["67890"]}]
    }

Every key is optional. A short code is its number, or an object of the keyword arguments
of ``add_short_code``; a service is an object of those of ``add_messaging_service`` or
``add_proxy_service``. A bad file raises ``SeedError`` naming the file, the place in it
(a JSON path) and the problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Protocol


class Seedable(Protocol):
    """The seeding helpers a seed file calls (``Seedable``'s)."""

    def add_short_code(self, short_code: str, **attributes: Any) -> str: ...

    def add_messaging_service(self, *args: Any, **kwargs: Any) -> str: ...

    def add_proxy_service(self, *args: Any, **kwargs: Any) -> str: ...


_OR_NULL = (str, type(None))  # where the keyword's default is None
_SHORT_CODE = {
    "short_code": str, "country_code": str, "friendly_name": _OR_NULL, "capabilities": list,
    "sms_url": _OR_NULL, "sms_method": str, "sms_fallback_url": _OR_NULL,
    "sms_fallback_method": str, "api_version": str,
}  # fmt: skip
_MESSAGING = {
    "friendly_name": str, "inbound_request_url": _OR_NULL, "fallback_url": _OR_NULL,
    "inbound_method": str, "fallback_method": str, "short_codes": list,
}  # fmt: skip
_PROXY = {"unique_name": str, "short_codes": list}
_TOP = {"short_codes": list, "messaging_services": list, "proxy_services": list}
_EXPECTED = {list: "a list", str: "a string", _OR_NULL: "a string or null"}


class SeedError(ValueError):
    """A seed file that cannot be used; the message names the place and the problem."""


def load_seed(path: Path) -> dict[str, Any]:
    """The file's JSON, checked for shape (not yet applied)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        raise SeedError(f"{path}: cannot read the seed file: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SeedError(f"{path}: not valid JSON: {error}") from None
    try:
        _check(data, _TOP, "$")
        for i, item in enumerate(data.get("short_codes", [])):
            where = f"$.short_codes[{i}]"
            if isinstance(item, dict):
                _check(item, _SHORT_CODE, where, required="short_code")
            elif not isinstance(item, str):
                expected = 'a string ("12345") or an object'
                raise SeedError(f"{where}: expected {expected}, not {_kind(item)}")
        for key, fields in (("messaging_services", _MESSAGING), ("proxy_services", _PROXY)):
            for i, item in enumerate(data.get(key, [])):
                _check(item, fields, f"$.{key}[{i}]")
    except SeedError as error:
        raise SeedError(f"{path}: {error}") from None
    return data


def apply_seed(mock: Seedable, data: dict[str, Any], source: str = "seed") -> None:
    """Put what a checked seed file holds in ``mock``'s account."""
    steps: list[tuple[str, Callable[[], object]]] = []
    for i, item in enumerate(data.get("short_codes", [])):
        attributes = {"short_code": item} if isinstance(item, str) else dict(item)
        steps.append((f"$.short_codes[{i}]", lambda a=attributes: mock.add_short_code(**a)))
    for key, add in (
        ("messaging_services", mock.add_messaging_service),
        ("proxy_services", mock.add_proxy_service),
    ):
        for i, item in enumerate(data.get(key, [])):
            steps.append((f"$.{key}[{i}]", lambda add=add, item=item: add(**item)))
    for where, step in steps:
        try:
            step()
        except ValueError as error:
            raise SeedError(f"{source}: {where}: {error}") from None


def _check(value: Any, fields: dict[str, Any], where: str, required: str | None = None) -> None:
    if not isinstance(value, dict):
        raise SeedError(f"{where}: expected an object, not {_kind(value)}")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise SeedError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"expected some of {', '.join(fields)}"
        )
    if required and required not in value:
        raise SeedError(f"{where}: {required!r} is missing")
    for key, kind in fields.items():
        if key not in value:
            continue
        if not isinstance(value[key], kind):
            raise SeedError(f"{where}.{key}: expected {_EXPECTED[kind]}, not {_kind(value[key])}")
        if kind is list and where != "$":
            for i, item in enumerate(value[key]):
                if not isinstance(item, str):
                    raise SeedError(f"{where}.{key}[{i}]: expected a string, not {_kind(item)}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else f"a number ({value!r})"
    )
