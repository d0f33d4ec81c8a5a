"""Delivery of outbound messages, on the test's call: each pending message moves through
Twilio's statuses, and every change is POSTed, signed, to the message's status callback
URL through the same machinery as inbound webhooks (a WSGI app in-process, or HTTP)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Optional

from ..model.outbox import Message
from . import inbound

if TYPE_CHECKING:
    from ..model.account import Account


def callback_params(account_sid: str, message: Message, status: str) -> dict[str, str]:
    """What Twilio POSTs to a ``StatusCallback`` when a message changes to ``status``
    (passed in: the message may have moved on since)."""
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "AccountSid": account_sid,
        "From": message.from_ or "",
        "To": message.to,
        "MessageStatus": status,
        "SmsStatus": status,
        "ApiVersion": "2010-04-01",
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    if status in ("failed", "undelivered") and message.error_code is not None:
        params["ErrorCode"] = str(message.error_code)  # set with that status, for good
    return params


# The messages some thread is delivering now (by id: a message lives in its account while
# it moves). One thread moves a message through all its statuses and posts each change, so
# each is posted once, in order, however many threads deliver at once.
_IN_HAND: set[int] = set()
_IN_HAND_LOCK = threading.Lock()


def _take(message: Message) -> bool:
    with _IN_HAND_LOCK:
        if id(message) in _IN_HAND:
            return False
        _IN_HAND.add(id(message))
        return True


def _let_go(message: Message) -> None:
    with _IN_HAND_LOCK:
        _IN_HAND.discard(id(message))


def deliver_messages(
    account: Account,
    auth_token: str,
    app: Optional[inbound.WsgiApp],
    timeout: float,
) -> list[inbound.WebhookAttempt]:
    """Move every pending message of ``account`` (held here for the whole delivery, even
    if a reset replaces it meanwhile) as far as it goes, oldest first, one message after
    the other; return the status callbacks made, in order. A message another thread is
    delivering is left to it."""
    made = []
    account_sid = account.sid
    for message in account.pending_messages():
        if not _take(message):
            continue
        try:
            while (status := account.advance_message(message)) is not None:
                if message.status_callback:
                    endpoint = inbound.Endpoint(message.status_callback, "POST")
                    params = callback_params(account_sid, message, status)
                    made.append(
                        inbound.call(endpoint, params, auth_token, app, timeout, twiml=False)
                    )
        finally:
            _let_go(message)
    return made
