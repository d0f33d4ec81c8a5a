"""Inbound messages and Advanced Opt-Out, as Twilio handles it for short codes: nothing
for a standalone short code (STOP is the application's business); for a Messaging Service
with Advanced Opt-Out, single-word keywords opt the sender out of (or back into) the whole
service, with Twilio's reply."""

from __future__ import annotations

from typing import Iterable, Mapping, Optional, Union

from .messages import E164, Message, MessageStore, ReplyMessage, number_problem
from .senders import Sender, number_of
from .services import MessagingService

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


class OptOuts(MessageStore):
    """The messages the account receives, the keywords that opt numbers out and in, and
    the replies its application sends back."""

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
