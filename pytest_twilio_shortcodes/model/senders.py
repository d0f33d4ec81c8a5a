"""Who sends a message: the account's senders (short codes and phone numbers), what each
can reach, and the pick from a Messaging Service's pool. No HTTP here.

A short code reaches only its own country (US and CA short codes: ``+1`` numbers); a phone
number reaches any. In a pool the short codes come first ("Twilio always prioritizes
message delivery with your short code when possible"); when none can send a message, a
phone number of the pool sends it (Short Code Reroute).
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence, Union

from .errors import TwilioError, twilio_error
from .phone_numbers import PhoneNumber
from .resources import ShortCode
from .sms import CALLING_CODES

Sender = Union[ShortCode, PhoneNumber]


def number_of(sender: Sender) -> str:
    """What a sender sends from: a short code's digits, a phone number in E.164."""
    return sender.phone_number if isinstance(sender, PhoneNumber) else sender.short_code


def reaches(short_code: ShortCode, to: str) -> bool:
    code = CALLING_CODES.get(short_code.country_code)
    return code is None or to.startswith("+" + code)


def cannot_send(sender: Sender, to: str, media: Sequence[str]) -> Optional[TwilioError]:
    """Why this sender cannot send this message (None if it can)."""
    number = number_of(sender)
    if media:
        if "MMS" not in sender.capabilities:
            return twilio_error("from_not_mms", from_=number)
    elif "SMS" not in sender.capabilities:
        return twilio_error("from_not_sms", from_=number)
    if isinstance(sender, ShortCode) and not reaches(sender, to):
        return twilio_error("from_wrong_country", from_=number, country=sender.country_code, to=to)
    return None


def pool_pick(
    short_codes: Iterable[ShortCode],
    phone_numbers: Iterable[PhoneNumber],
    to: str,
    media: Sequence[str],
) -> Optional[Sender]:
    """The first short code of the pool (in the order added) that can send this, else the
    first phone number that can (Short Code Reroute); None when no sender can."""
    for short_code in short_codes:
        if cannot_send(short_code, to, media) is None:
            return short_code
    for phone_number in phone_numbers:
        if cannot_send(phone_number, to, media) is None:
            return phone_number
    return None
