"""The account's phone numbers (long codes): buying, updating and releasing them, and their
place in a Messaging Service's sender pool. No HTTP here: rule violations raise
``TwilioError`` (requests) or ``ValueError`` (seeding).

A phone number keeps the attributes Twilio's IncomingPhoneNumber resource has. Unset URLs
and application SIDs are empty strings and the voice URLs and other SIDs null, as Twilio's
examples write them; a number is SMS-capable unless told otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

from .errors import twilio_error
from .ordered import OrderedIndex
from .resources import NOT_XML, Clock, new_sid
from .sms import country_of

CAPABILITIES = ("voice", "SMS", "MMS", "fax")
DEFAULT_CAPABILITIES = ("voice", "SMS", "MMS")  # a US local number, as Twilio sells them
ORIGINS = ("twilio", "hosted")
SMS_METHODS = ("GET", "POST")
POOL_LIMIT = 400  # senders (phone numbers and short codes) in one Messaging Service
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
NANP = re.compile(r"\+1[2-9][0-9]{2}[2-9][0-9]{6}")  # +1 NPA NXX XXXX
AREA_CODE = re.compile(r"[2-9][0-9]{2}")
TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})
# Numbers an area code offers: the 555-01XX range, which no real subscriber holds.
AREA_CODE_NUMBERS = tuple(f"55501{n:02d}" for n in range(100))
# Every updatable attribute and its default (buy and update take the same form fields).
SETTINGS: dict[str, Any] = {
    "friendly_name": None,  # None: the formatted number
    "api_version": "2010-04-01",
    "sms_url": "",
    "sms_method": "POST",
    "sms_fallback_url": "",
    "sms_fallback_method": "POST",
    "sms_application_sid": "",
    "status_callback": "",
    "status_callback_method": "POST",
    "voice_url": None,
    "voice_method": "POST",
    "voice_fallback_url": None,
    "voice_fallback_method": "POST",
    "voice_caller_id_lookup": False,
    "voice_application_sid": "",
    "voice_receive_mode": "voice",
    "trunk_sid": None,
    "identity_sid": None,
    "address_sid": None,
    "bundle_sid": None,
    "emergency_status": "Inactive",
    "emergency_address_sid": None,
}
# Form field -> attribute, for every setting.
FORM_FIELDS = {"".join(p.capitalize() for p in name.split("_")): name for name in SETTINGS}
_BOOLEAN = {"true": True, "false": False, "True": True, "False": False}
# Cleared by an empty form value to null (a FriendlyName: back to the formatted number).
_CLEARED_TO_NONE = frozenset(name for name, default in SETTINGS.items() if default is None)


def formatted(number: str) -> str:
    """Twilio's default friendly name: ``(415) 555-0100`` for a +1 number, else the number."""
    if NANP.fullmatch(number):
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number


def valid_number(number: str) -> bool:
    return E164.fullmatch(number) is not None and (
        not number.startswith("+1") or NANP.fullmatch(number) is not None
    )


@dataclass(slots=True)
class PhoneNumber:
    sid: str
    phone_number: str
    country_code: str
    capabilities: frozenset[str]  # of CAPABILITIES
    beta: bool
    origin: str
    date_created: datetime
    date_updated: datetime
    settings: dict[str, Any]
    seq: int = 0

    @property
    def friendly_name(self) -> str:
        name = self.settings["friendly_name"]
        return formatted(self.phone_number) if name is None else name

    @property
    def type(self) -> str:
        return "tollfree" if self.phone_number[2:5] in TOLL_FREE else "local"

    # What the sending and receiving rules read, named as a short code names them.
    @property
    def number(self) -> str:
        return self.phone_number

    @property
    def sms_url(self) -> Optional[str]:
        return self.settings["sms_url"] or None

    @property
    def sms_method(self) -> str:
        return str(self.settings["sms_method"])

    @property
    def sms_fallback_url(self) -> Optional[str]:
        return self.settings["sms_fallback_url"] or None

    @property
    def sms_fallback_method(self) -> str:
        return str(self.settings["sms_fallback_method"])

    @property
    def api_version(self) -> str:
        return str(self.settings["api_version"])


@dataclass(slots=True)
class PoolMember:
    """A phone number in a Messaging Service's pool, with the dates of that association."""

    phone_number: PhoneNumber
    date_created: datetime
    date_updated: datetime
    seq: int

    @property
    def sid(self) -> str:
        return self.phone_number.sid


@dataclass
class PhoneNumbers:
    """The account's phone numbers and which Messaging Service pool each is in. It holds
    no reference to the account: it is given the clock and the account's sequence."""

    clock: Clock
    seq: Iterator[int]
    records: OrderedIndex[PhoneNumber] = field(default_factory=OrderedIndex)
    pools: dict[str, OrderedIndex[PoolMember]] = field(default_factory=dict)  # MG -> pool
    _by_number: dict[str, str] = field(default_factory=dict)
    _service_of: dict[str, str] = field(default_factory=dict)  # PN -> MG

    # -- lookups ---------------------------------------------------------------------------

    def get(self, sid: str) -> Optional[PhoneNumber]:
        return self.records.get(sid)

    def by_number(self, number: str) -> Optional[PhoneNumber]:
        return self.records.get(self._by_number.get(number, ""))

    def find(self, sid_or_number: str) -> Optional[PhoneNumber]:
        return self.get(sid_or_number) or self.by_number(sid_or_number)

    def service_of(self, sid: str) -> Optional[str]:
        return self._service_of.get(sid)

    def pool(self, service_sid: str) -> OrderedIndex[PoolMember]:
        found = self.pools.get(service_sid)
        return found if found is not None else OrderedIndex()

    def pool_size(self, service_sid: str) -> int:
        found = self.pools.get(service_sid)
        return len(found) if found is not None else 0

    # -- seeding (programming errors raise ValueError) -------------------------------------

    def add(
        self,
        phone_number: str,
        *,
        country_code: Optional[str] = None,
        capabilities: Iterable[str] = DEFAULT_CAPABILITIES,
        beta: bool = False,
        origin: str = "twilio",
        **settings: Any,
    ) -> PhoneNumber:
        number = str(phone_number)
        caps = tuple(capabilities)
        problems = []
        if not valid_number(number):
            problems.append(f"phone_number {number!r} must be an E.164 number (+1 numbers NANP)")
        if country_code is not None and not re.fullmatch(r"[A-Z]{2}", country_code):
            problems.append(f"country_code {country_code!r} must be two capital letters")
        elif country_code is None and valid_number(number) and not country_of(number):
            problems.append(f"the country of {number} is not known: give its country_code")
        bad = [c for c in caps if c not in CAPABILITIES]
        if bad or not caps or len(set(caps)) != len(caps):
            problems.append(f"capabilities {caps!r} must be distinct values from {CAPABILITIES}")
        if origin not in ORIGINS:
            problems.append(f"origin {origin!r} must be one of {ORIGINS}")
        if not _is_bool(beta):  # a seed file may give anything
            problems.append(f"beta must be True or False, not {beta!r}")
        settings = {
            k: "" if v is None and SETTINGS.get(k) == "" else v for k, v in settings.items()
        }
        problems += _setting_problems(settings)
        if number in self._by_number:
            problems.append(f"phone number {number} is already in the account")
        if problems:
            raise ValueError("; ".join(problems))
        return self._new(number, country_code, frozenset(caps), beta, origin, settings)

    # -- the API: buy, update, release ------------------------------------------------------

    def buy(self, params: Mapping[str, str]) -> PhoneNumber:
        """``PhoneNumber`` (E.164) or ``AreaCode``; the other form fields already checked
        against the request schema. Bought numbers are SMS-capable local numbers."""
        number = params.get("PhoneNumber")
        area_code = params.get("AreaCode")
        if not number and not area_code:
            raise twilio_error("phone_number_or_area_code_required")
        if number:
            if not valid_number(number) or not country_of(number):
                raise twilio_error("phone_number_to_buy_invalid", number=number)
            if number in self._by_number:
                raise twilio_error("phone_number_unavailable", number=number)
        else:
            number = self._free_number(area_code or "")
        return self._new(number, None, frozenset(DEFAULT_CAPABILITIES), False, "twilio",
                         settings_of(params))  # fmt: skip

    def _free_number(self, area_code: str) -> str:
        if not AREA_CODE.fullmatch(area_code) or area_code.endswith("11"):
            raise twilio_error("area_code_invalid", area_code=area_code)
        for line in AREA_CODE_NUMBERS:
            number = f"+1{area_code}{line}"
            if number not in self._by_number:
                return number
        raise twilio_error("area_code_exhausted", area_code=area_code)

    def update(self, record: PhoneNumber, settings: dict[str, Any]) -> PhoneNumber:
        """Apply already-validated settings all at once and move ``date_updated``."""
        record.settings.update(settings)
        record.date_updated = self.clock.now()
        return record

    def release(self, sid: str) -> None:
        """Release a number from the account; it leaves its Messaging Service too."""
        service = self._service_of.get(sid)
        if service is not None:
            self.leave(service, sid)
        record = self.records.get(sid)
        if record is not None:
            self.records.remove(sid)
            del self._by_number[record.phone_number]

    # -- a Messaging Service's pool ----------------------------------------------------------

    def join(self, service_sid: str, sid: str, other_senders: int) -> PoolMember:
        """Add a phone number of the account to a service's pool (``other_senders``: the
        service's short codes, which count toward the pool limit too)."""
        record = self.records.get(sid)
        if record is None:
            raise twilio_error("phone_number_not_in_account", sid=sid)
        current = self._service_of.get(sid)
        if current == service_sid:
            raise twilio_error("already_in_messaging_service")
        if current is not None:
            raise twilio_error("in_another_messaging_service")
        if "SMS" not in record.capabilities:
            raise twilio_error("phone_number_not_sms")
        if self.pool_size(service_sid) + other_senders >= POOL_LIMIT:
            raise twilio_error("pool_limit_reached")
        now = self.clock.now()
        member = PoolMember(record, now, now, next(self.seq))
        self.pools.setdefault(service_sid, OrderedIndex()).add(member.seq, sid, member)
        self._service_of[sid] = service_sid
        return member

    def leave(self, service_sid: str, sid: str) -> None:
        self.pools[service_sid].remove(sid)
        del self._service_of[sid]

    def drop_service(self, service_sid: str) -> None:
        """A deleted service releases its phone numbers (they stay in the account)."""
        for member in self.pools.pop(service_sid, OrderedIndex()):
            del self._service_of[member.sid]

    def _new(
        self, number: str, country_code: Optional[str], capabilities: frozenset[str], beta: bool,
        origin: str, settings: Mapping[str, Any],
    ) -> PhoneNumber:  # fmt: skip
        now = self.clock.now()
        record = PhoneNumber(
            sid=new_sid("PN"),
            phone_number=number,
            country_code=country_code or country_of(number),
            capabilities=capabilities,
            beta=beta,
            origin=origin,
            date_created=now,
            date_updated=now,
            settings={**SETTINGS, **settings},
            seq=next(self.seq),
        )
        self.records.add(record.seq, record.sid, record)
        self._by_number[number] = record.sid
        return record


def settings_of(params: Mapping[str, str]) -> dict[str, Any]:
    """The settings a buy or update form sets (values already schema-checked): an empty
    URL or SID clears it, an empty ``FriendlyName`` resets it to the formatted number."""
    settings: dict[str, Any] = {}
    for form_field, name in FORM_FIELDS.items():
        if form_field not in params:
            continue
        value: Any = params[form_field]
        if name == "voice_caller_id_lookup":
            value = _BOOLEAN.get(value, False)
        elif value == "" and name in _CLEARED_TO_NONE:
            value = None
        settings[name] = value
    return settings


def _setting_problems(settings: dict[str, Any]) -> list[str]:
    problems = []
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        problems.append(f"unknown attributes {unknown}")
    for name in ("sms_method", "sms_fallback_method", "status_callback_method", "voice_method",
                 "voice_fallback_method"):  # fmt: skip
        if settings.get(name, "POST") not in SMS_METHODS:
            problems.append(f"{name} {settings[name]!r} must be GET or POST")
    friendly_name = settings.get("friendly_name")
    if friendly_name is not None and len(friendly_name) > 64:
        problems.append("friendly_name must be at most 64 characters")
    for key, text in settings.items():
        if isinstance(text, str) and NOT_XML.search(text):
            problems.append(f"{key} {text!r} holds characters XML 1.0 cannot carry")
    return problems


def matcher(params: Mapping[str, str]) -> Optional[Callable[[PhoneNumber], bool]]:
    """The list filters: ``PhoneNumber`` (its digits anywhere in the number, ``*`` any one
    digit), ``FriendlyName`` (exactly), ``Beta`` (``false`` leaves out numbers new to
    Twilio; ``true``, the default, includes them), ``Origin`` (``twilio`` or ``hosted``)."""
    number, name = params.get("PhoneNumber"), params.get("FriendlyName")
    beta, origin = params.get("Beta"), params.get("Origin")
    if beta is not None and beta not in _BOOLEAN:
        raise twilio_error("invalid_beta_filter", value=beta)
    if origin is not None and origin not in ORIGINS:
        raise twilio_error("invalid_origin_filter", value=origin)
    no_beta = beta is not None and not _BOOLEAN[beta]
    if not number and name is None and not no_beta and origin is None:
        return None
    pattern = (
        re.compile("".join("[0-9]" if c == "*" else re.escape(c) for c in number))
        if number
        else None
    )
    return lambda record: (
        (pattern is None or pattern.search(record.phone_number) is not None)
        and (name is None or record.friendly_name == name)
        and not (no_beta and record.beta)
        and (origin is None or record.origin == origin)
    )


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)
