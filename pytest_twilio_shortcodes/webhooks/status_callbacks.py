"""Delivery of outbound messages, on the test's call: each pending message moves through
Twilio's statuses, and every change is POSTed, signed, to the message's status callback
URL through the same machinery as inbound webhooks (a WSGI app in-process, or HTTP)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..model.outbox import Message
from . import inbound

if TYPE_CHECKING:
    from ..model.account import Account


def callback_params(account_sid: str, message: Message) -> dict[str, str]:
    """What Twilio POSTs to a ``StatusCallback`` when a message changes status."""
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "AccountSid": account_sid,
        "From": message.from_ or "",
        "To": message.to,
        "MessageStatus": message.status,
        "SmsStatus": message.status,
        "ApiVersion": "2010-04-01",
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    if message.error_code is not None:
        params["ErrorCode"] = str(message.error_code)
    return params


def deliver_messages(
    account: Account,
    auth_token: str,
    app: Optional[inbound.WsgiApp],
    timeout: float,
) -> list[inbound.WebhookAttempt]:
    """Move every pending message of ``account`` (held here for the whole delivery, even
    if a reset replaces it meanwhile) as far as it goes, oldest first, one message after
    the other; return the status callbacks made, in order."""
    made = []
    account_sid = account.sid
    for message in account.pending_messages():
        while account.advance_message(message) is not None:
            if message.status_callback:
                endpoint = inbound.Endpoint(message.status_callback, "POST")
                params = callback_params(account_sid, message)
                made.append(inbound.call(endpoint, params, auth_token, app, timeout, twiml=False))
    return made
