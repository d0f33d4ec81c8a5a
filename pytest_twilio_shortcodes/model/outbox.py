"""The Messages resource's state: every message of the account, the rules for sending
from short codes, delivery through Twilio's statuses, and opt-outs.

Nothing here knows about HTTP: rule violations raise ``TwilioError``; ``status_callbacks``
turns the status changes into signed requests. The account's lock guards it all.

Opt-out, as Twilio handles it for short codes: nothing for a standalone short code (STOP is
the application's business); for a Messaging Service with Advanced Opt-Out, single-word
keywords opt the sender out of (or back into) the whole service, with Twilio's reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from itertools import count
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Sequence, Union

from .errors import message_error
from .ordered import OrderedIndex
from .phone_numbers import PhoneNumbers
from .resources import ShortCode, new_sid
from .senders import Sender, cannot_send, number_of, pool_pick
from .services import MessagingService, Registry
from .sms import segments

if TYPE_CHECKING:
    import threading

    from .resources import Clock

OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN = frozenset({"START", "YES", "UNSTOP"})
HELP = frozenset({"HELP", "INFO"})
# Twilio's standard replies; add_messaging_service(advanced_opt_out={...}) changes them.
DEFAULT_REPLIES = {
    "opt_out": "You have successfully been unsubscribed. You will not receive any more "
    "messages from this number. Reply START to resubscribe.",
    "opt_in": "You have successfully been re-subscribed to messages from this number. Reply "
    "HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
    "help": "Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
}
# The ``error_message`` Twilio gives with an ``error_code`` (None for codes not listed).
ERROR_MESSAGES = {
    21610: "Attempt to send to unsubscribed recipient",
    21703: "The Messaging Service does not have a phone number available to send a message",
    30003: "Unreachable destination handset",
    30004: "Message blocked",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30008: "Unknown error",
}
DEFAULT_FAILURE_CODES = {"failed": 30008, "undelivered": 30003}
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
        return ERROR_MESSAGES.get(self.error_code) if self.error_code else None


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


def opt_out_replies(setting: Union[bool, Mapping[str, str]]) -> Optional[dict[str, str]]:
    """``advanced_opt_out=`` as given to ``add_messaging_service``: False (off), True
    (Twilio's replies), or replies by kind (``opt_out``, ``opt_in``, ``help``)."""
    if setting is False:
        return None
    if setting is True:
        return dict(DEFAULT_REPLIES)
    unknown = sorted(set(setting) - set(DEFAULT_REPLIES))
    if unknown:
        raise ValueError(f"advanced_opt_out: unknown reply kinds {unknown}; known: "
                         f"{sorted(DEFAULT_REPLIES)}")  # fmt: skip
    return {**DEFAULT_REPLIES, **setting}


def keyword(body: str) -> Optional[str]:
    """The Advanced Opt-Out keyword a message is, if any: ``STOP``, ``START`` or ``HELP``
    (the ``OptOutType`` Twilio reports). Only a message that is the keyword alone counts."""
    word = body.strip().upper()
    if word in OPT_OUT:
        return "STOP"
    if word in OPT_IN:
        return "START"
    if word in HELP:
        return "HELP"
    return None


def check_destination(to: str) -> None:
    if SHORT_CODE.fullmatch(to):
        raise message_error(21265, to=to)
    if not E164.fullmatch(to) or (to.startswith("+1") and not NANP.fullmatch(to)):
        raise message_error(21211, to=to, reason=number_problem(to))


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


class Outbox:
    """One account's messages, opt-outs and scripted delivery failures: a part of
    ``Account`` (which inherits it), so that no store holds a reference back to its
    owner. It reads the account's lock, clock, short codes and services."""

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

    # -- sending (POST .../Messages.json) --------------------------------------------------

    def send_message(self, params: Mapping[str, str], media: list[str]) -> Message:
        """Create an outbound message from the create request's parameters, or raise the
        error Twilio answers (nothing is recorded then)."""
        to = params.get("To", "")
        if not to:
            raise message_error(21604)
        check_destination(to)
        service_sid = params.get("MessagingServiceSid") or None
        from_ = params.get("From") or None
        if from_ and service_sid is None and from_.startswith("MG"):
            service_sid, from_ = from_, None  # Twilio takes a service SID in From too
        if not from_ and not service_sid:
            raise message_error(21603)
        body = params.get("Body", "")
        if not body and not media and not params.get("ContentSid"):
            raise message_error(21619 if service_sid else 21602)
        if len(body) > MAX_BODY:
            raise message_error(21617)
        if len(media) > MAX_MEDIA:
            raise message_error(21623, count=len(media))
        for url in media:
            if not MEDIA_URL.fullmatch(url):
                raise message_error(21620, url=url)
        with self.lock:
            service = self._service(service_sid) if service_sid else None
            sender = self._sender(from_, to, media) if from_ else None
            send_at = self._send_at(params, service)
            if service is not None and sender is None:
                self._pool_sender(service, to, media, at_create=True)
            if to in self._opted_out_of(service, sender):
                raise message_error(21610)
            if send_at is not None:
                status = "scheduled"
            else:
                status = "accepted" if service is not None else "queued"
            callback = params.get("StatusCallback") or (service and service.status_callback)
            return self._add_message(
                direction="outbound-api",
                status=status,
                to=to,
                from_=number_of(sender) if sender else None,
                body=body,
                media=tuple(media),
                service_sid=service.sid if service else None,
                send_at=send_at,
                status_callback=callback or None,
            )

    def _service(self, sid: str) -> MessagingService:
        service = self.messaging_services.get(sid)
        if service is None:
            raise message_error(21701, sid=sid)
        return service

    def _sender(self, from_: str, to: str, media: Sequence[str]) -> Sender:
        if not SHORT_CODE.fullmatch(from_) and not E164.fullmatch(from_):
            raise message_error(21212, from_=from_)
        record = self._sender_by_number(from_)
        if record is None:  # not a short code or phone number of the account
            raise message_error(21660, from_=from_, account=self.sid)
        problem = cannot_send(record, to, media)
        if problem is not None:
            raise problem
        return record

    def _pool_sender(
        self, service: MessagingService, to: str, media: Sequence[str], at_create: bool = False
    ) -> Optional[Sender]:
        """The sender of the pool that sends this (``senders.pool_pick``)."""
        phone_numbers = self.phone_numbers.pool(service.sid)
        if at_create and not len(service.members) and not len(phone_numbers):
            raise message_error(21704)
        short_codes = (member.short_code for member in service.members)
        sender = pool_pick(short_codes, (m.phone_number for m in phone_numbers), to, media)
        if sender is None and at_create:
            raise message_error(21703)
        return sender

    def _send_at(
        self, params: Mapping[str, str], service: Optional[MessagingService]
    ) -> Optional[datetime]:
        """``SendAt`` of a scheduled message (``ScheduleType=fixed``); None otherwise."""
        if params.get("ScheduleType") != "fixed":
            return None
        if service is None:
            raise message_error(35118)
        raw = params.get("SendAt", "")
        if not raw:
            raise message_error(35111)
        try:
            send_at = parse_time(raw)
        except ValueError:
            raise message_error(35114) from None
        if not isinstance(send_at, datetime):
            raise message_error(35114)
        ahead = send_at - self.clock.now()
        if not SCHEDULE_WINDOW[0] <= ahead <= SCHEDULE_WINDOW[1]:
            raise message_error(35114)
        return send_at

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

    # -- fetch, update, delete ---------------------------------------------------------------

    def message(self, sid: str) -> Optional[Message]:
        return self.messages.get(sid)

    def update_message(self, message: Message, params: Mapping[str, str]) -> Message:
        """``Status=canceled`` cancels a scheduled message; ``Body=""`` redacts a message
        that is complete. All or nothing."""
        with self.lock:
            cancel = "Status" in params
            if cancel and params["Status"] != "canceled":
                raise message_error(20001, name="Status", detail="the only value is canceled")
            if cancel and message.status != "scheduled":
                raise message_error(30409)
            redact = "Body" in params
            if redact and params["Body"] != "":
                raise message_error(
                    20001, name="Body", detail="only an empty Body (a redaction) is accepted"
                )
            if redact and not cancel and message.status not in FINAL:
                raise message_error(20009, action="redact")
            if cancel:
                message.status = "canceled"
            if redact:
                message.body = ""
            if cancel or redact:
                message.date_updated = self.clock.now()
            return message

    def delete_message(self, message: Message) -> None:
        with self.lock:
            if message.status not in FINAL:
                raise message_error(20009, action="delete")
            self.messages.remove(message.sid)

    # -- inbound messages and Advanced Opt-Out ------------------------------------------------

    def receive_message(
        self, record: Sender, service: Optional[MessagingService], from_: str, body: str,
        media: list[str], logged: bool = True,
    ) -> tuple[Message, Optional[str]]:  # fmt: skip
        """Record an inbound message (unless not ``logged``: a service that drops it);
        with Advanced Opt-Out, apply its keyword and queue the service's reply, logged or
        not. Returns the message and the keyword (``OptOutType``)."""
        with self.lock:
            service_sid = service.sid if service else None
            message = self._add_message(
                direction="inbound", status="received", to=number_of(record), from_=from_,
                body=body, media=tuple(media), service_sid=service_sid, store=logged,
            )  # fmt: skip
            replies = service.advanced_opt_out if service else None
            kind = keyword(body) if replies is not None else None
            if service is None or replies is None or kind is None:
                return message, None
            opted_out = self.opted_out.setdefault(service.sid, set())
            if kind == "HELP" and from_ in opted_out:
                return message, kind  # no reply reaches an opted-out number
            if kind == "STOP":
                opted_out.add(from_)
            elif kind == "START":
                opted_out.discard(from_)
            reply = replies[{"STOP": "opt_out", "START": "opt_in", "HELP": "help"}[kind]]
            self._add_message(
                direction="outbound-reply", status="queued", to=from_,
                from_=number_of(record), body=reply, media=(), service_sid=service.sid,
            )  # fmt: skip
            return message, kind

    def record_replies(self, inbound: Message, replies: Iterable[ReplyMessage]) -> None:
        """The TwiML ``<Message>`` replies the application answered ``inbound`` with. A
        reply to a number opted out of the service fails with 21610."""
        with self.lock:
            service = self.messaging_services.get(inbound.messaging_service_sid or "")
            blocked = self._opted_out_of(service)
            for reply in replies:
                refused = reply.to in blocked
                self._add_message(
                    direction="outbound-reply",
                    status="failed" if refused else "queued",
                    to=reply.to,
                    from_=reply.from_,
                    body=reply.body,
                    media=tuple(reply.media),
                    service_sid=inbound.messaging_service_sid,
                    error_code=21610 if refused else None,
                )

    def add_opt_out(self, service: MessagingService, number: str) -> None:
        if service.advanced_opt_out is None:
            raise ValueError(
                f"Messaging Service {service.sid} has no Advanced Opt-Out: Twilio keeps no "
                "opt-out list for it (add_messaging_service(..., advanced_opt_out=True))"
            )
        if not E164.fullmatch(number):
            raise ValueError(f"{number!r} is not an E.164 number: {number_problem(number)}")
        with self.lock:
            self.opted_out.setdefault(service.sid, set()).add(number)

    # -- delivery -----------------------------------------------------------------------------

    def fail_delivery(self, to: str, status: str, error_code: Optional[int], times: int) -> None:
        if status not in DEFAULT_FAILURE_CODES:
            raise ValueError(f"status must be 'failed' or 'undelivered', not {status!r}")
        if times < 1:
            raise ValueError("times must be at least 1")
        code = DEFAULT_FAILURE_CODES[status] if error_code is None else error_code
        with self.lock:
            self.failures.append(DeliveryFailure(to, status, code, times))

    def pending_messages(self) -> list[Message]:
        """The messages still on their way, oldest first."""
        with self.lock:
            return [m for m in self.messages if m.status in MOVING]

    def advance_message(self, message: Message) -> Optional[str]:
        """Move a message one status on (Twilio's order: accepted or scheduled, queued,
        sending, sent, delivered; or failed/undelivered); return the new status, or None
        when it does not move (finished, or scheduled for later)."""
        with self.lock:
            status = message.status
            if status == "scheduled" and message.send_at is not None:
                if message.send_at > self.clock.now():
                    return None
                return self._queue(message)
            if status == "accepted":
                return self._queue(message)
            if status == "queued":
                if message.direction == "outbound-api":
                    sender = self._sender_record(message)
                    if message.to in self._opted_out_of(self._service_of(message), sender):
                        return self._set(message, "failed", 21610)
                failure = self._take_failure(message.to)
                if failure is not None and failure.status == "failed":
                    return self._set(message, "failed", failure.error_code)
                message.fate = failure.error_code if failure is not None else None
                return self._set(message, "sending")
            if status == "sending":
                message.date_sent = self.clock.now()
                return self._set(message, "sent")
            if status == "sent":
                if message.fate is not None:
                    return self._set(message, "undelivered", message.fate)
                return self._set(message, "delivered")
            return None

    def _queue(self, message: Message) -> str:
        """A Messaging Service picks the sender when the message leaves its pool."""
        if message.from_ is None:
            service = self._service_of(message)
            sender = self._pool_sender(service, message.to, message.media) if service else None
            if sender is None:
                return self._set(message, "failed", 21703)
            message.from_ = number_of(sender)
            message.num_segments = segments(message.body)
        return self._set(message, "queued")

    def _service_of(self, message: Message) -> Optional[MessagingService]:
        return self.messaging_services.get(message.messaging_service_sid or "")

    def _sender_record(self, message: Message) -> Optional[Sender]:
        return self._sender_by_number(message.from_ or "")

    def _sender_by_number(self, number: str) -> Optional[Sender]:
        found = self.short_code(self.sid_of_number(number) or "")
        return found if found is not None else self.phone_numbers.by_number(number)

    def _take_failure(self, to: str) -> Optional[DeliveryFailure]:
        for failure in self.failures:
            if failure.to == to and failure.remaining > 0:
                failure.used += 1
                return failure
        return None

    def _set(self, message: Message, status: str, error_code: Optional[int] = None) -> str:
        message.status = status
        message.error_code = error_code
        message.date_updated = self.clock.now()
        return status
