"""The Messages resource's facts and the store every message job shares: what a message
is, who may receive one, when a short code can send it, and the account's list of messages
(``MessageStore``, which ``Outbox`` builds on).

Nothing here knows about HTTP: rule violations raise ``TwilioError``. The account's lock
guards it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from itertools import count
from typing import TYPE_CHECKING, Optional, Sequence, Union

from .catalogue import failure_message
from .errors import twilio_error
from .ordered import OrderedIndex
from .phone_numbers import PhoneNumbers
from .resources import ShortCode, new_sid
from .senders import Sender, pool_pick
from .services import MessagingService, Registry
from .sms import segments

if TYPE_CHECKING:
    import threading

    from .resources import Clock

FINAL = frozenset({"delivered", "undelivered", "failed", "received", "canceled", "read"})
MOVING = frozenset({"accepted", "scheduled", "queued", "sending", "sent"})
MAX_BODY = 1600
MAX_MEDIA = 10  # "up to ten media_url parameters per message"
SCHEDULE_WINDOW = (timedelta(seconds=300), timedelta(days=35))
SHORT_CODE = re.compile(r"[0-9]{5,6}")  # all patterns here: fullmatch
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
NANP = re.compile(r"\+1[2-9][0-9]{2}[2-9][0-9]{6}")  # +1 NPA NXX XXXX
MEDIA_URL = re.compile(
    r"https?://[^\s\x00-\x1f\x7f-\x9f\ufffe\uffff/$.?#][^\s\x00-\x1f\x7f-\x9f\ufffe\uffff]*"
)


@dataclass
class ReplyMessage:
    """A ``<Message>`` from the application's TwiML."""

    body: str
    to: str
    from_: str
    media: list[str] = field(default_factory=list)


@dataclass
class Message:
    sid: str
    seq: int
    direction: str  # "outbound-api", "outbound-reply" or "inbound"
    status: str
    to: str
    from_: Optional[str]  # None until a Messaging Service picks the sender
    body: str
    media: tuple[str, ...]
    messaging_service_sid: Optional[str]
    num_segments: int  # 0 until the sender is known, as Twilio reports it
    date_created: datetime
    date_updated: datetime
    date_sent: Optional[datetime] = None
    send_at: Optional[datetime] = None  # scheduled messages
    status_callback: Optional[str] = None
    error_code: Optional[int] = None
    fate: Optional[int] = None  # the error code of a scripted "undelivered", once taken

    @property
    def error_message(self) -> Optional[str]:
        return failure_message(self.error_code)


@dataclass
class DeliveryFailure:
    """A scripted outcome: the next ``times`` messages to ``to`` end ``failed`` or
    ``undelivered`` with ``error_code``."""

    to: str
    status: str
    error_code: int
    times: int
    used: int = 0

    @property
    def remaining(self) -> int:
        return self.times - self.used

    def describe(self) -> str:
        return f"to {self.to} -> {self.status} {self.error_code} (used {self.used} of {self.times})"


def check_destination(to: str) -> None:
    if SHORT_CODE.fullmatch(to):
        raise twilio_error("to_is_short_code", to=to)
    if not E164.fullmatch(to) or (to.startswith("+1") and not NANP.fullmatch(to)):
        raise twilio_error("to_invalid", to=to, reason=number_problem(to))


def number_problem(number: str) -> str:
    """Why a number is not one the mock sends to, in words a test's author can act on."""
    if not E164.fullmatch(number):
        return "give it in E.164 form: + and 7 to 15 digits, nothing else (+15558675310)"
    npa, nxx = number[2:5], number[5:8]
    if len(number) != 12:
        return "a +1 number is North American: +1 and 10 digits (+1 NPA NXX XXXX)"
    if npa[0] in "01":
        return f"{npa} is not a valid North American area code: it cannot start with 0 or 1"
    return (
        f"{nxx} is not a valid North American exchange code: the three digits after the area "
        "code cannot start with 0 or 1 (+15558675310 works)"
    )


def parse_time(text: str) -> Union[date, datetime]:
    """A date (``2024-05-01``), an ISO 8601 time (``2024-05-01T10:00:00Z``, UTC when no
    offset is given) or an RFC 2822 time. ``ValueError`` otherwise."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError(f"not a date or time: {text!r}") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # 9999-12-31T23:59:59-01:00: past the last time Python holds
        raise ValueError(f"not a date or time: {text!r}") from None


class MessageStore:
    """The account's messages, opt-outs and scripted delivery failures, and the few
    primitives every message job uses. A part of ``Account`` (which inherits it through
    ``Outbox``), so that no store holds a reference back to its owner: it reads the
    account's lock, clock, short codes and services."""

    sid: str
    lock: threading.RLock
    clock: Clock
    messaging_services: Registry[MessagingService]
    phone_numbers: PhoneNumbers

    def short_code(self, sid: str) -> Optional[ShortCode]:
        raise NotImplementedError  # the account's

    def sid_of_number(self, number: str) -> Optional[str]:
        raise NotImplementedError  # the account's

    def messaging_service_of(self, short_code_sid: str) -> Optional[str]:
        raise NotImplementedError  # the account's

    def __init__(self) -> None:
        self.messages: OrderedIndex[Message] = OrderedIndex()
        self.opted_out: dict[str, set[str]] = {}  # MG sid -> numbers opted out of it
        self.failures: list[DeliveryFailure] = []
        self._message_seq = count(1)

    def message(self, sid: str) -> Optional[Message]:
        return self.messages.get(sid)

    def _opted_out_of(
        self, service: Optional[MessagingService], sender: Optional[Sender] = None
    ) -> set[str]:
        """Who opted out of the Advanced Opt-Out service this message goes through: its
        Messaging Service, or the service its sender belongs to."""
        if service is None and sender is not None:
            sid = self.messaging_service_of(sender.sid)
            service = self.messaging_services.get(sid or "")
        if service is None or service.advanced_opt_out is None:
            return set()
        return self.opted_out.get(service.sid, set())

    def _pool_sender(
        self, service: MessagingService, to: str, media: Sequence[str], at_create: bool = False
    ) -> Optional[Sender]:
        """The sender of the pool that sends this (``senders.pool_pick``: its short codes
        first, then its phone numbers, Short Code Reroute)."""
        phone_numbers = self.phone_numbers.pool(service.sid)
        if at_create and not len(service.members) and not len(phone_numbers):
            raise twilio_error("service_has_no_numbers")
        short_codes = (member.short_code for member in service.members)
        sender = pool_pick(short_codes, (m.phone_number for m in phone_numbers), to, media)
        if sender is None and at_create:
            raise twilio_error("no_sender_available")
        return sender

    def _sender_by_number(self, number: str) -> Optional[Sender]:
        found = self.short_code(self.sid_of_number(number) or "")
        return found if found is not None else self.phone_numbers.by_number(number)

    def _add_message(
        self,
        *,
        direction: str,
        status: str,
        to: str,
        from_: Optional[str],
        body: str,
        media: tuple[str, ...],
        service_sid: Optional[str],
        send_at: Optional[datetime] = None,
        status_callback: Optional[str] = None,
        error_code: Optional[int] = None,
        store: bool = True,
    ) -> Message:
        now = self.clock.now()
        message = Message(
            sid=new_sid("SM"),
            seq=next(self._message_seq),
            direction=direction,
            status=status,
            to=to,
            from_=from_,
            body=body,
            media=media,
            messaging_service_sid=service_sid,
            num_segments=segments(body) if from_ else 0,
            date_created=now,
            date_updated=now,
            date_sent=now if direction == "inbound" else None,
            send_at=send_at,
            status_callback=status_callback,
            error_code=error_code,
        )
        if store:
            self.messages.add(message.seq, message.sid, message)
        return message
