"""Messaging and Proxy Services as the account holds them: their attributes with Twilio's
defaults, a Messaging Service's alpha sender, and the rules that bind them (a Proxy
Service's unique name is unique in the account; a Messaging Service holds one alpha
sender; deleting a service releases its senders). Where an inbound SMS goes is decided
here too. No HTTP here; rule violations raise ``TwilioError``, bad seeding ``ValueError``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any, Generic, Iterator, Literal, Optional, TypeVar

from .errors import twilio_error
from .ordered import OrderedIndex
from .phone_numbers import PhoneNumbers
from .resources import Clock, Service, new_sid

MAX_VALIDITY_PERIOD = 36000
# Twilio's AlphaSender: up to 11 of A-Z a-z 0-9, space, - + _ &, not only digits (the same
# rule as schemas/messaging.v1.service.alpha_sender.create_request.json; a test holds both).
_ALPHA_SENDER = re.compile(r"[A-Za-z0-9 +_&-]{0,10}[A-Za-z +_&-][A-Za-z0-9 +_&-]{0,10}")


def is_alpha_sender(value: str) -> bool:
    return len(value) <= 11 and _ALPHA_SENDER.fullmatch(value) is not None


S = TypeVar("S", bound=Service)


@dataclass(eq=False, slots=True)
class AlphaSender:
    sid: str
    service_sid: str
    alpha_sender: str
    date_created: datetime
    date_updated: datetime
    seq: int


@dataclass(eq=False, kw_only=True)
class MessagingService(Service):
    """Every attribute of Twilio's Messaging Service resource, with Twilio's defaults
    (and the product's where Twilio states none: docs/reference/resources.md)."""

    friendly_name: str
    date_created: datetime
    date_updated: datetime
    seq: int
    inbound_request_url: Optional[str] = None  # None: inbound messages are dropped
    inbound_method: str = "POST"
    fallback_url: Optional[str] = None
    fallback_method: str = "POST"
    status_callback: Optional[str] = None
    sticky_sender: bool = True
    mms_converter: bool = True
    smart_encoding: bool = True
    scan_message_content: str = "inherit"
    fallback_to_long_code: bool = False
    area_code_geomatch: bool = True
    validity_period: int = MAX_VALIDITY_PERIOD
    synchronous_validation: bool = True
    usecase: str = "undeclared"
    us_app_to_person_registered: bool = False
    use_inbound_webhook_on_number: bool = False
    advanced_opt_out: Optional[dict[str, str]] = None  # the keyword replies, if on
    alpha_senders: OrderedIndex[AlphaSender] = field(default_factory=OrderedIndex)


@dataclass(eq=False, kw_only=True)
class ProxyService(Service):
    """Twilio's Proxy Service resource (as twilio 9.6.3 reads it)."""

    unique_name: str
    date_created: datetime
    date_updated: datetime
    seq: int
    default_ttl: int = 0
    callback_url: Optional[str] = None
    geo_match_level: str = "country"
    number_selection_behavior: str = "prefer-sticky"
    intercept_callback_url: Optional[str] = None
    out_of_session_callback_url: Optional[str] = None
    chat_instance_sid: Optional[str] = None


class Registry(OrderedIndex[S], Generic[S]):
    """Services by SID, in creation order (for paging), read like a dict."""

    def __getitem__(self, sid: str) -> S:
        found = self.get(sid)
        if found is None:
            raise KeyError(sid)
        return found

    def items(self) -> Iterator[tuple[str, S]]:
        return ((service.sid, service) for service in self)

    def values(self) -> Iterator[S]:
        return iter(self)


InboundRoute = Literal["own", "service", "dropped"]


def inbound_route(service: Optional[MessagingService]) -> InboundRoute:
    """Where an SMS to a sender goes: its own URL when it is in no service or its service
    defers to it (``use_inbound_webhook_on_number``); else the service's inbound request
    URL, and with none, nowhere (Twilio neither calls nor logs it)."""
    if service is None or service.use_inbound_webhook_on_number:
        return "own"
    return "service" if service.inbound_request_url else "dropped"


class Services:
    """The account's Messaging and Proxy Services: a part of ``Account`` (which inherits
    it), reading the account's lock, clock and sequence."""

    lock: threading.RLock
    clock: Clock
    _seq: count[int]
    _messaging_of: dict[str, str]  # SC sid -> MG sid
    _proxy_of: dict[str, str]  # SC sid -> KS sid
    opted_out: dict[str, set[str]]
    phone_numbers: PhoneNumbers

    def __init__(self) -> None:
        self.messaging_services: Registry[MessagingService] = Registry()
        self.proxy_services: Registry[ProxyService] = Registry()
        self._unique_names: dict[str, str] = {}  # Proxy unique name -> KS sid

    # -- Messaging Services -----------------------------------------------------------------

    def create_messaging_service(self, friendly_name: str, **attributes: Any) -> MessagingService:
        """A new Messaging Service with Twilio's defaults for what ``attributes`` leaves out
        (already checked: the request schema or the seeding helper did)."""
        with self.lock:
            now = self.clock.now()
            service = MessagingService(
                sid=new_sid("MG"), friendly_name=friendly_name, date_created=now,
                date_updated=now, seq=next(self._seq), **attributes,
            )  # fmt: skip
            self.messaging_services.add(service.seq, service.sid, service)
            return service

    def update_messaging_service(
        self, service: MessagingService, changes: dict[str, Any]
    ) -> MessagingService:
        with self.lock:
            for attribute, value in changes.items():
                setattr(service, attribute, value)
            service.date_updated = self.clock.now()
            return service

    def delete_messaging_service(self, service: MessagingService) -> None:
        """Its short codes and phone numbers are released (they stay in the account and may
        join another service); its alpha sender and opt-out list go with it."""
        with self.lock:
            for member in service.members:
                self._messaging_of.pop(member.sid, None)
            self.phone_numbers.drop_service(service.sid)
            self.messaging_services.remove(service.sid)
            self.opted_out.pop(service.sid, None)

    def add_alpha_sender(self, service: MessagingService, alpha_sender: str) -> AlphaSender:
        """``alpha_sender`` already checked (by the request schema, or ``is_alpha_sender`` for
        the seeding helper); a service holds one (409/20409 for another)."""
        with self.lock:
            current = next(iter(service.alpha_senders), None)
            if current is not None:
                raise twilio_error("alpha_sender_taken", service=service.sid, sender=current.sid)
            now = self.clock.now()
            sender = AlphaSender(new_sid("AI"), service.sid, alpha_sender, now, now,
                                 next(self._seq))  # fmt: skip
            service.alpha_senders.add(sender.seq, sender.sid, sender)
            return sender

    def remove_alpha_sender(self, service: MessagingService, sid: str) -> None:
        with self.lock:
            service.alpha_senders.remove(sid)

    # -- Proxy Services ---------------------------------------------------------------------

    def create_proxy_service(self, unique_name: str, **attributes: Any) -> ProxyService:
        with self.lock:
            self._claim(unique_name)
            now = self.clock.now()
            service = ProxyService(
                sid=new_sid("KS"), unique_name=unique_name, date_created=now,
                date_updated=now, seq=next(self._seq), **attributes,
            )  # fmt: skip
            self.proxy_services.add(service.seq, service.sid, service)
            self._unique_names[unique_name] = service.sid
            return service

    def update_proxy_service(self, service: ProxyService, changes: dict[str, Any]) -> ProxyService:
        with self.lock:
            name = changes.get("unique_name", service.unique_name)
            if name != service.unique_name:
                self._claim(name)
                del self._unique_names[service.unique_name]
                self._unique_names[name] = service.sid
            for attribute, value in changes.items():
                setattr(service, attribute, value)
            service.date_updated = self.clock.now()
            return service

    def delete_proxy_service(self, service: ProxyService) -> None:
        """Its short codes are released: they stay in the account."""
        with self.lock:
            for member in service.members:
                self._proxy_of.pop(member.sid, None)
            self.proxy_services.remove(service.sid)
            del self._unique_names[service.unique_name]

    def proxy_service_named(self, unique_name: str) -> Optional[ProxyService]:
        return self.proxy_services.get(self._unique_names.get(unique_name, ""))

    def _claim(self, unique_name: str) -> None:
        if unique_name in self._unique_names:
            raise twilio_error("unique_name_taken")
