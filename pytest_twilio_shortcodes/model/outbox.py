"""The Messages resource's state, by job: ``sending`` (the rules for sending from short
codes; update and delete), ``opt_outs`` (inbound messages and Advanced Opt-Out),
``delivery`` (Twilio's statuses and scripted failures), on the shared ``messages`` store.

Nothing here knows about HTTP: rule violations raise ``TwilioError``;
``webhooks.status_callbacks`` turns the status changes into signed requests. The account's
lock guards it all.
"""

from __future__ import annotations

from .delivery import Delivery
from .messages import DeliveryFailure, Message, ReplyMessage, parse_time
from .opt_outs import OptOuts, opt_out_replies
from .sending import Sending

__all__ = [
    "DeliveryFailure", "Message", "Outbox", "ReplyMessage", "opt_out_replies", "parse_time",
]  # fmt: skip


class Outbox(Sending, OptOuts, Delivery):
    """One account's messages, opt-outs and scripted delivery failures: a part of
    ``Account`` (which inherits it), so that no store holds a reference back to its
    owner. It reads the account's lock, clock, short codes and services."""
