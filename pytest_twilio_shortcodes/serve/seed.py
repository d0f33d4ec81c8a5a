"""The ``serve --seed`` file: short codes, phone numbers and services to put in the
account, as JSON.

    {
      "short_codes": ["12345", {"short_code": "67890", "friendly_name": "Alerts"}],
      "phone_numbers": ["+14155550100", {"phone_number": "+447700900123", "capabilities": ["SMS"]}],
      "messaging_services": [{"friendly_name": "Alerts", "short_codes": ["12345"],
                              "phone_numbers": ["+14155550100"], "advanced_opt_out": true}],
      "proxy_services": [{"unique_name": "support", "short_codes": ["67890"]}]
    }

Every key is optional. A short code (a phone number) is its number, or an object of the
keyword arguments of ``add_short_code`` (``add_phone_number``); a service is an object of
those of ``add_messaging_service`` or ``add_proxy_service``: every keyword of each helper,
in the order of its signature (``tests/serve/test_seed_provisioning.py`` holds them to
it). A bad file raises ``SeedError`` naming the file, the place in it (a JSON path) and
the problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Protocol


class Seedable(Protocol):
    """The seeding helpers a seed file calls (``Seedable``'s)."""

    def add_short_code(self, short_code: str, **attributes: Any) -> str: ...

    def add_phone_number(self, phone_number: str, **attributes: Any) -> str: ...

    def add_messaging_service(self, *args: Any, **kwargs: Any) -> str: ...

    def add_proxy_service(self, *args: Any, **kwargs: Any) -> str: ...


_OR_NULL = (str, type(None))  # where the keyword's default is None
_OPT_OUT = (bool, dict)  # advanced_opt_out: on, off, or the replies
_SHORT_CODE = {
    "short_code": str, "country_code": str, "friendly_name": _OR_NULL, "capabilities": list,
    "sms_url": _OR_NULL, "sms_method": str, "sms_fallback_url": _OR_NULL,
    "sms_fallback_method": str, "api_version": str,
}  # fmt: skip
_PHONE_NUMBER = {
    "phone_number": str, "country_code": _OR_NULL, "friendly_name": _OR_NULL,
    "capabilities": list, "sms_url": _OR_NULL, "sms_method": str, "sms_fallback_url": _OR_NULL,
    "sms_fallback_method": str, "status_callback": _OR_NULL, "status_callback_method": str,
    "beta": bool, "origin": str,
}  # fmt: skip
_MESSAGING = {
    "friendly_name": str, "inbound_request_url": _OR_NULL, "fallback_url": _OR_NULL,
    "inbound_method": str, "fallback_method": str, "short_codes": list,
    "status_callback": _OR_NULL, "advanced_opt_out": _OPT_OUT, "phone_numbers": list,
}  # fmt: skip
_PROXY = {"unique_name": str, "short_codes": list}
_TOP = {
    "short_codes": list, "phone_numbers": list, "messaging_services": list,
    "proxy_services": list,
}  # fmt: skip
# Senders: the key, the helper's first keyword, its fields, an example of the short form.
_SENDERS = (
    ("short_codes", "short_code", _SHORT_CODE, "12345"),
    ("phone_numbers", "phone_number", _PHONE_NUMBER, "+14155550100"),
)
_EXPECTED = {
    list: "a list", str: "a string", _OR_NULL: "a string or null", bool: "true or false",
    _OPT_OUT: "true, false or an object",
}  # fmt: skip


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
        for key, first, fields, example in _SENDERS:
            for i, item in enumerate(data.get(key, [])):
                where = f"$.{key}[{i}]"
                if isinstance(item, dict):
                    _check(item, fields, where, required=first)
                elif not isinstance(item, str):
                    expected = f'a string ("{example}") or an object'
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
    for key, first, _, _ in _SENDERS:
        add_sender = mock.add_short_code if key == "short_codes" else mock.add_phone_number
        for i, item in enumerate(data.get(key, [])):
            attributes = {first: item} if isinstance(item, str) else dict(item)
            steps.append((f"$.{key}[{i}]", lambda a=attributes, f=add_sender: f(**a)))
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
