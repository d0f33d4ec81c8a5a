"""Provisioning the application's Messaging Service and its senders, as its deploy script
does it: the service (found by name or created, with this deploy's webhooks), then the
application's short code and long code in its sender pool. Safe to run again: a second run
changes nothing.

Ordinary application code: the SDK, nothing of tests. ``test_provisioning.py`` runs it
against the in-memory Twilio.
"""

from __future__ import annotations

from dataclasses import dataclass

from shortcode_manager import provision_service
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

ALREADY_IN_THIS_SERVICE = 21710  # "Phone Number or Short Code is already in the Messaging Service."
IN_ANOTHER_SERVICE = 21712


class SenderTaken(Exception):
    """The short code or phone number serves another Messaging Service."""


@dataclass(frozen=True)
class Plan:
    name: str
    inbound_url: str
    status_url: str
    short_code: str  # the number, e.g. "12345"
    long_code: str  # E.164, e.g. "+14155550100"


def provision(client: Client, plan: Plan) -> str:
    """The SID of the application's Messaging Service, set up as ``plan`` says: the service
    (``provision_service``), then its short code and long code in its sender pool."""
    sid = provision_service(client, plan.name, plan.inbound_url, plan.status_url)
    short_code = _one(sc.sid for sc in client.short_codes.list(short_code=plan.short_code)
                      if sc.short_code == plan.short_code)  # fmt: skip
    long_code = _one(n.sid for n in client.incoming_phone_numbers.list(phone_number=plan.long_code)
                     if n.phone_number == plan.long_code)  # fmt: skip
    pool = client.messaging.v1.services(sid)
    _join(lambda: pool.short_codes.create(short_code_sid=short_code), plan.short_code)
    _join(lambda: pool.phone_numbers.create(phone_number_sid=long_code), plan.long_code)
    return sid


def _one(sids) -> str:
    found = list(sids)
    if len(found) != 1:
        raise LookupError(f"expected one sender in the account, found {len(found)}")
    return found[0]


def _join(add, number: str) -> None:
    try:
        add()
    except TwilioRestException as error:
        if error.code == IN_ANOTHER_SERVICE:
            raise SenderTaken(number) from error
        if error.code != ALREADY_IN_THIS_SERVICE:
            raise
