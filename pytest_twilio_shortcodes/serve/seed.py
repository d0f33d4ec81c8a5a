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
the problem. ``apply_seed`` answers what it made, by name: the ready line's and the
control API's ``seeded``.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any, Callable, Protocol

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
    "status_callback": _OR_NULL, "advanced_opt_out": _OPT_OUT,
    "use_inbound_webhook_on_number": bool, "alpha_sender": _OR_NULL, "phone_numbers": list,
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


_DEFAULT_NAMES = {"messaging_services": "Messaging Service", "proxy_services": "Proxy Service"}


class Seedable(Protocol):
    """What a seed is applied to: the mock's seeding members."""

    # (*args: Any, **kwargs: Any): any signature will do; a seed file names the keywords
    def add_short_code(self, *args: Any, **kwargs: Any) -> str: ...
    def add_short_codes(self, *args: Any, **kwargs: Any) -> list[str]: ...
    def add_phone_number(self, *args: Any, **kwargs: Any) -> str: ...
    def add_messaging_service(self, *args: Any, **kwargs: Any) -> str: ...
    def add_proxy_service(self, *args: Any, **kwargs: Any) -> str: ...
    def short_code(self, sid_or_number: str) -> Any: ...
    def snapshot(self) -> dict[str, Any]: ...


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
        return check_seed(data)
    except SeedError as error:
        raise SeedError(f"{path}: {error}") from None


def check_seed(data: Any) -> dict[str, Any]:
    """``data`` (parsed JSON) if it has the seed file's shape, else ``SeedError``."""
    _check(data, _TOP, "$")
    for key, first, fields, example in _SENDERS:
        for i, item in enumerate(data.get(key, [])):
            where = f"$.{key}[{i}]"
            if isinstance(item, dict):
                _check(item, fields, where, required=first)
            elif not isinstance(item, str):
                expected = f'a string ("{example}") or an object'
                raise SeedError(f"{where}: expected {expected}, not {_kind(item)}")
    for key, service_fields in (("messaging_services", _MESSAGING), ("proxy_services", _PROXY)):
        for i, item in enumerate(data.get(key, [])):
            _check(item, service_fields, f"$.{key}[{i}]")
    return data


def apply_seed(mock: Seedable, data: dict[str, Any], source: str = "seed") -> dict[str, Any]:
    """Put what a checked seed holds in ``mock``'s account; answer what it made, by name:
    ``{"short_codes": {number: SC}, "phone_numbers": {number: PN}, "messaging_services":
    {friendly name: MG}, "proxy_services": {unique name: KS}}`` (a service's short codes and
    phone numbers are among them). A problem midway raises ``SeedError`` and leaves what
    came before it."""
    seeded: dict[str, dict[str, str]] = {key: {} for key in _TOP}
    steps: list[tuple[str, Callable[[], None]]] = []

    def short_code(attributes: dict[str, Any]) -> None:
        seeded["short_codes"][attributes["short_code"]] = mock.add_short_code(**attributes)

    def phone_number(attributes: dict[str, Any]) -> None:
        seeded["phone_numbers"][attributes["phone_number"]] = mock.add_phone_number(**attributes)

    def service(key: str, add: Callable[..., str], item: dict[str, Any]) -> None:
        name = item.get("friendly_name" if key == "messaging_services" else "unique_name")
        seeded[key][name or _DEFAULT_NAMES[key]] = add(**item)
        for member in item.get("short_codes", ()):
            record = mock.short_code(member)  # a number or an SC SID
            seeded["short_codes"].setdefault(record.short_code, record.sid)

    for key, first, _, _ in _SENDERS:
        add_sender = short_code if key == "short_codes" else phone_number
        for i, item in enumerate(data.get(key, [])):
            attributes = {first: item} if isinstance(item, str) else dict(item)
            steps.append((f"$.{key}[{i}]", partial(add_sender, attributes)))
    for key, add in (
        ("messaging_services", mock.add_messaging_service),
        ("proxy_services", mock.add_proxy_service),
    ):
        for i, item in enumerate(data.get(key, [])):
            steps.append((f"$.{key}[{i}]", partial(service, key, add, item)))
    for where, step in steps:
        try:
            step()
        except ValueError as error:
            raise SeedError(f"{source}: {where}: {error}") from None
    pooled = {
        m for item in data.get("messaging_services", []) for m in item.get("phone_numbers", ())
    }
    if pooled:  # the numbers services bought or named by SID
        for sid, record in mock.snapshot()["phone_numbers"].items():
            if sid in pooled or record["phone_number"] in pooled:
                seeded["phone_numbers"].setdefault(record["phone_number"], sid)
    return seeded


def seed_all_or_nothing(
    mock: Seedable, data: dict[str, Any], source: str = "seed"
) -> dict[str, Any]:
    """``apply_seed``, but a seed that fails changes nothing: it is tried first on a
    scratch account holding the same short codes in the same services (so a number
    already taken fails there too), then applied."""
    scratch = type(mock)()
    snapshot = mock.snapshot()
    numbers: dict[str, str] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for sid, record in snapshot["short_codes"].items():
        numbers[sid] = record["short_code"]
        for kind in ("messaging_service_sid", "proxy_service_sid"):
            if record[kind]:
                groups.setdefault((kind, record[kind]), []).append(record["short_code"])
    scratch.add_short_codes(numbers.values())
    phones = {sid: record["phone_number"] for sid, record in snapshot["phone_numbers"].items()}
    for phone in phones.values():
        scratch.add_phone_number(phone)
    pooled = {
        service: [phones[m["sid"]] for m in members if m["sid"] in phones]
        for service, members in snapshot["messaging_services"].items()
    }
    for (kind, service), members in groups.items():
        if kind == "messaging_service_sid":
            scratch.add_messaging_service(
                short_codes=members, phone_numbers=pooled.pop(service, ())
            )
        else:
            scratch.add_proxy_service(short_codes=members)
    for members in pooled.values():
        if members:
            scratch.add_messaging_service(phone_numbers=members)
    rehearsal = {
        key: [
            {
                **item,
                "short_codes": [numbers.get(m, m) for m in item.get("short_codes", ())],
                **({"phone_numbers": [phones.get(m, m) for m in item["phone_numbers"]]}
                   if "phone_numbers" in item else {}),
            }
            for item in data.get(key, [])
        ]
        if key not in ("short_codes", "phone_numbers")
        else data.get(key, [])
        for key in data
    }  # fmt: skip
    apply_seed(scratch, rehearsal, source)
    return apply_seed(mock, data, source)


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
