"""Sending: the rules of ``POST .../Messages.json`` (who sends, to whom, when), and a
message's update (cancel, redact) and delete."""

from __future__ import annotations

from datetime import datetime
from typing import Mapping, Optional, Sequence

from .errors import twilio_error
from .messages import (
    E164,
    FINAL,
    MAX_BODY,
    MAX_MEDIA,
    MEDIA_URL,
    SCHEDULE_WINDOW,
    SHORT_CODE,
    Message,
    MessageStore,
    check_destination,
    parse_time,
)
from .senders import Sender, cannot_send, number_of
from .services import MessagingService


class Sending(MessageStore):
    """The account's outbound messages, as the Messages resource creates them."""

    def send_message(self, params: Mapping[str, str], media: list[str]) -> Message:
        """Create an outbound message from the create request's parameters, or raise the
        error Twilio answers (nothing is recorded then)."""
        to = params.get("To", "")
        if not to:
            raise twilio_error("to_required")
        check_destination(to)
        service_sid = params.get("MessagingServiceSid") or None
        from_ = params.get("From") or None
        if from_ and service_sid is None and from_.startswith("MG"):
            service_sid, from_ = from_, None  # Twilio takes a service SID in From too
        if not from_ and not service_sid:
            raise twilio_error("from_required")
        body = params.get("Body", "")
        if not body and not media and not params.get("ContentSid"):
            raise twilio_error("content_required" if service_sid else "body_required")
        if len(body) > MAX_BODY:
            raise twilio_error("body_too_long")
        if len(media) > MAX_MEDIA:
            raise twilio_error("too_many_media", count=len(media))
        for url in media:
            if not MEDIA_URL.fullmatch(url):
                raise twilio_error("invalid_media_url", value=url)
        with self.lock:
            service = self._service(service_sid) if service_sid else None
            sender = self._sender(from_, to, media) if from_ else None
            send_at = self._send_at(params, service)
            if service is not None and sender is None:
                self._pool_sender(service, to, media, at_create=True)
            if to in self._opted_out_of(service, sender):
                raise twilio_error("unsubscribed_recipient")
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
            raise twilio_error("messaging_service_not_found", sid=sid)
        return service

    def _sender(self, from_: str, to: str, media: Sequence[str]) -> Sender:
        if not SHORT_CODE.fullmatch(from_) and not E164.fullmatch(from_):
            raise twilio_error("from_invalid", from_=from_)
        record = self._sender_by_number(from_)
        if record is None:  # not a short code or phone number of the account
            raise twilio_error("from_not_in_account", from_=from_, account=self.sid)
        problem = cannot_send(record, to, media)
        if problem is not None:
            raise problem
        return record

    def _send_at(
        self, params: Mapping[str, str], service: Optional[MessagingService]
    ) -> Optional[datetime]:
        """``SendAt`` of a scheduled message (``ScheduleType=fixed``); None otherwise."""
        if params.get("ScheduleType") != "fixed":
            return None
        if service is None:
            raise twilio_error("schedule_needs_service")
        raw = params.get("SendAt", "")
        if not raw:
            raise twilio_error("send_at_missing")
        try:
            send_at = parse_time(raw)
        except ValueError:
            raise twilio_error("send_at_out_of_window") from None
        if not isinstance(send_at, datetime):
            raise twilio_error("send_at_out_of_window")
        ahead = send_at - self.clock.now()
        if not SCHEDULE_WINDOW[0] <= ahead <= SCHEDULE_WINDOW[1]:
            raise twilio_error("send_at_out_of_window")
        return send_at

    # -- fetch, update, delete ---------------------------------------------------------------

    def update_message(self, message: Message, params: Mapping[str, str]) -> Message:
        """``Status=canceled`` cancels a scheduled message; ``Body=""`` redacts a message
        that is complete. All or nothing."""
        with self.lock:
            cancel = "Status" in params
            if cancel and params["Status"] != "canceled":
                raise twilio_error(
                    "invalid_message_parameter", name="Status", detail="the only value is canceled"
                )
            if cancel and message.status != "scheduled":
                raise twilio_error("not_cancelable")
            redact = "Body" in params
            if redact and params["Body"] != "":
                raise twilio_error(
                    "invalid_message_parameter",
                    name="Body",
                    detail="only an empty Body (a redaction) is accepted",
                )
            if redact and not cancel and message.status not in FINAL:
                raise twilio_error("message_incomplete", action="redact")
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
                raise twilio_error("message_incomplete", action="delete")
            self.messages.remove(message.sid)
