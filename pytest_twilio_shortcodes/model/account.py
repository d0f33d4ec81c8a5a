"""The in-memory account: short codes, Messaging and Proxy Services, and the rules that
bind them. Nothing here knows about HTTP; rule violations raise ``TwilioError``.

One lock guards the whole account, so the mock is safe to call from several threads.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from itertools import count
from typing import Any, Iterable, Optional

from .errors import twilio_error
from .ordered import OrderedIndex
from .outbox import Outbox
from .phone_numbers import PhoneNumbers
from .resources import NOT_XML, Clock, Membership, Service, ShortCode, new_sid
from .senders import Sender
from .services import MessagingService, ProxyService, Services, is_alpha_sender

SMS_METHODS = ("GET", "POST")
API_VERSIONS = ("2010-04-01", "2008-08-01")
CAPABILITIES = ("SMS", "MMS")
_SHORT_CODE = re.compile(r"[0-9]{5,6}")  # fullmatch: ASCII digits, nothing after them
_COUNTRY = re.compile(r"[A-Z]{2}")


class Account(Services, Outbox):
    """One Twilio account's short codes and services."""

    def __init__(self, account_sid: str, *, frozen_clock: bool = False) -> None:
        self.sid = account_sid
        self.lock = threading.RLock()
        self.clock = Clock(frozen=frozen_clock)
        self._seq = count(1)
        self.short_codes: OrderedIndex[ShortCode] = OrderedIndex()
        self._by_number: dict[str, str] = {}
        self._messaging_of: dict[str, str] = {}  # SC sid -> MG sid
        self._proxy_of: dict[str, str] = {}  # SC sid -> KS sid
        Services.__init__(self)
        self.phone_numbers = PhoneNumbers(self.clock, self._seq)
        Outbox.__init__(self)

    # -- seeding (programming errors raise ValueError) ---------------------------------

    def add_short_code(
        self,
        short_code: str,
        *,
        country_code: str = "US",
        friendly_name: Optional[str] = None,
        capabilities: Iterable[str] = ("SMS",),
        sms_url: Optional[str] = None,
        sms_method: str = "POST",
        sms_fallback_url: Optional[str] = None,
        sms_fallback_method: str = "POST",
        api_version: str = "2010-04-01",
    ) -> ShortCode:
        number = str(short_code)
        caps = tuple(capabilities)
        problems = []
        if not _SHORT_CODE.fullmatch(number):
            problems.append(f"short_code {number!r} must be 5 or 6 digits")
        if not _COUNTRY.fullmatch(country_code):
            problems.append(f"country_code {country_code!r} must be two capital letters")
        methods = {"sms_method": sms_method, "sms_fallback_method": sms_fallback_method}
        for name, method in methods.items():
            if method not in SMS_METHODS:
                problems.append(f"{name} {method!r} must be GET or POST")
        if api_version not in API_VERSIONS:
            problems.append(f"api_version {api_version!r} must be one of {API_VERSIONS}")
        bad_caps = [c for c in caps if c not in CAPABILITIES]
        if bad_caps or not caps or len(set(caps)) != len(caps):
            problems.append(f"capabilities {caps!r} must be distinct values from {CAPABILITIES}")
        if friendly_name is not None and len(friendly_name) > 64:
            problems.append("friendly_name must be at most 64 characters")
        texts = {
            "friendly_name": friendly_name,
            "sms_url": sms_url,
            "sms_fallback_url": sms_fallback_url,
        }
        for name, text in texts.items():
            if text is not None and NOT_XML.search(text):
                problems.append(f"{name} {text!r} holds characters XML 1.0 cannot carry")
        with self.lock:
            if number in self._by_number:
                problems.append(f"short code {number} is already in the account")
            if problems:
                raise ValueError("; ".join(problems))
            now = self.clock.now()
            record = ShortCode(
                sid=new_sid("SC"),
                short_code=number,
                country_code=country_code,
                friendly_name=number if friendly_name is None else friendly_name,
                capabilities=caps,
                sms_url=sms_url,
                sms_method=sms_method,
                sms_fallback_url=sms_fallback_url,
                sms_fallback_method=sms_fallback_method,
                api_version=api_version,
                date_created=now,
                date_updated=now,
                seq=next(self._seq),
            )
            self.short_codes.add(record.seq, record.sid, record)
            self._by_number[number] = record.sid
            return record

    def add_messaging_service(
        self, friendly_name: str, alpha_sender: Optional[str] = None, **attributes: Any
    ) -> MessagingService:
        """A Messaging Service seeded by the mock's helper (bad arguments: ``ValueError``)."""
        for name in ("inbound_method", "fallback_method"):
            if attributes.get(name, "POST") not in SMS_METHODS:
                raise ValueError(f"{name} {attributes[name]!r} must be GET or POST")
        if alpha_sender is not None and not is_alpha_sender(alpha_sender):
            raise ValueError(
                f"alpha_sender {alpha_sender!r} must be 1 to 11 of A-Z a-z 0-9, space, - + _ &, "
                "and not only digits"
            )
        with self.lock:
            service = self.create_messaging_service(friendly_name, **attributes)
            if alpha_sender is not None:
                self.add_alpha_sender(service, alpha_sender)
            return service

    def add_proxy_service(self, unique_name: str) -> ProxyService:
        """A Proxy Service seeded by the mock's helper (a taken name: ``ValueError``)."""
        with self.lock:
            if self.proxy_service_named(unique_name) is not None:
                raise ValueError(
                    f"a Proxy Service named {unique_name!r} is already in the account "
                    "(unique names are unique in an account)"
                )
            return self.create_proxy_service(unique_name)

    def freeze_clock(self) -> None:
        with self.lock:
            self.clock.freeze()

    def advance_clock(self, seconds: float) -> None:
        """Forward only, a thousand years at most in all (``ValueError`` otherwise, NaN too)."""
        with self.lock:
            clock = self.clock
            if not (seconds >= 0 and clock.offset.total_seconds() + seconds <= 1000 * 365 * 86400):
                raise ValueError(f"advance_clock moves forward, up to 1000 years, not {seconds!r}")
            clock.offset += timedelta(seconds=seconds)

    def delete_messaging_service(self, service: MessagingService) -> None:
        """Its senders are released: its short codes (``Services``) and phone numbers."""
        with self.lock:
            Services.delete_messaging_service(self, service)
            self.phone_numbers.drop_service(service.sid)

    # -- lookups -----------------------------------------------------------------------

    def short_code(self, sid: str) -> Optional[ShortCode]:
        return self.short_codes.get(sid)

    def sid_of_number(self, number: str) -> Optional[str]:
        return self._by_number.get(number)

    def messaging_service_of(self, sender_sid: str) -> Optional[str]:
        """The Messaging Service a short code or phone number is in."""
        return self._messaging_of.get(sender_sid) or self.phone_numbers.service_of(sender_sid)

    def receiver(self, sid_or_number: str) -> tuple[Sender, Optional[str]]:
        """The short code or phone number an inbound message goes to (by SID or number),
        and its Messaging Service (``KeyError`` if the account has neither)."""
        record: Optional[Sender] = self.short_code(sid_or_number) or self.short_code(
            self.sid_of_number(sid_or_number) or ""
        )
        if record is None:
            record = self.phone_numbers.find(sid_or_number)
        if record is None:
            raise KeyError(f"no short code {sid_or_number!r} in account {self.sid}, "
                           "nor a phone number")  # fmt: skip
        return record, self.messaging_service_of(record.sid)

    def proxy_service_of(self, short_code_sid: str) -> Optional[str]:
        return self._proxy_of.get(short_code_sid)

    # -- Messaging Service membership ----------------------------------------------------

    def add_to_messaging_service(self, service: Service, short_code_sid: str) -> Membership:
        with self.lock:
            record = self.short_codes.get(short_code_sid)
            if record is None:
                raise twilio_error("short_code_not_in_account", sid=short_code_sid)
            current = self._messaging_of.get(short_code_sid)
            if current == service.sid:
                raise twilio_error("already_in_messaging_service")
            if current is not None:
                raise twilio_error("in_another_messaging_service")
            membership = self._join(service, record)
            self._messaging_of[short_code_sid] = service.sid
            return membership

    def remove_from_messaging_service(self, service: Service, short_code_sid: str) -> None:
        with self.lock:
            service.members.remove(short_code_sid)
            del self._messaging_of[short_code_sid]

    # -- Proxy Service membership --------------------------------------------------------

    def add_to_proxy_service(self, service: ProxyService, short_code_sid: str) -> Membership:
        with self.lock:
            record = self.short_codes.get(short_code_sid)
            if record is None:
                raise twilio_error("short_code_not_associated")
            current = self._proxy_of.get(short_code_sid)
            if current == service.sid:
                raise twilio_error("already_in_proxy_service")
            if current is not None:
                raise twilio_error(
                    "in_another_proxy_service", short_code=record.short_code, service=current
                )
            membership = self._join(service, record)
            self._proxy_of[short_code_sid] = service.sid
            return membership

    def reserve(self, membership: Membership, is_reserved: bool) -> Membership:
        with self.lock:
            membership.is_reserved = is_reserved
            membership.date_updated = self.clock.now()
            return membership

    def remove_from_proxy_service(self, service: ProxyService, short_code_sid: str) -> None:
        with self.lock:
            service.members.remove(short_code_sid)
            del self._proxy_of[short_code_sid]

    # -- the account resource (2010-04-01 / 2008-08-01) ----------------------------------

    def update_short_code(self, record: ShortCode, changes: dict[str, Optional[str]]) -> ShortCode:
        """Apply already-validated changes all at once and move ``date_updated``."""
        with self.lock:
            for attribute, value in changes.items():
                setattr(record, attribute, value)
            record.date_updated = self.clock.now()
            return record

    def _join(self, service: Service, record: ShortCode) -> Membership:
        now = self.clock.now()
        membership = Membership(record, now, now, next(self._seq))
        service.members.add(membership.seq, record.sid, membership)
        return membership
