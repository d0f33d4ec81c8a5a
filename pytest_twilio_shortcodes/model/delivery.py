"""Delivery: every pending message moved through Twilio's statuses, and the scripted
failures (``fail_delivery``) that end some of them ``failed`` or ``undelivered``.
``webhooks.status_callbacks`` turns the status changes into signed requests."""

from __future__ import annotations

from typing import Optional

from .catalogue import DEFAULT_FAILURE_CODES
from .messages import MOVING, DeliveryFailure, Message, MessageStore
from .senders import Sender, number_of
from .services import MessagingService
from .sms import segments


class Delivery(MessageStore):
    """The account's messages on their way, and the failures scripted for them."""

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
