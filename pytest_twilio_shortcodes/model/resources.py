"""The account's resources as the model holds them: short codes, services and their
memberships; SIDs, the clock, and the text rule every stored name obeys. No HTTP here."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Optional

from .ordered import OrderedIndex

# Characters XML 1.0 cannot carry at all, even escaped: C0 controls other than tab, line
# feed and carriage return, lone surrogates, U+FFFE and U+FFFF. A stored name holding one
# is refused; the XML renderer replaces them in anything else.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def new_sid(prefix: str) -> str:
    return prefix + os.urandom(16).hex()


_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")


def is_sid(value: str, prefix: str) -> bool:
    return value.startswith(prefix) and _SID.fullmatch(value) is not None


class Clock:
    """UTC time at one-second resolution, as Twilio reports it; tests may move it forward.

    A frozen clock stands still at the second it was frozen, moving only by ``offset``,
    so dates compared across a test never depend on when a wall-clock second ticks."""

    def __init__(self, frozen: bool = False) -> None:
        self.offset = timedelta()
        self._second = -1
        self._moment = datetime.fromtimestamp(0, timezone.utc)
        self.frozen_at: Optional[int] = None
        if frozen:
            self.freeze()

    def freeze(self) -> None:
        """Stand still at the current second (offset included); ``offset`` still moves it."""
        self.frozen_at = int(time.time())

    def now(self) -> datetime:
        base = time.time() if self.frozen_at is None else self.frozen_at
        second = int(base + self.offset.total_seconds())
        if second != self._second:  # one datetime a second, however many records
            self._moment, self._second = datetime.fromtimestamp(second, timezone.utc), second
        return self._moment


@dataclass(slots=True)  # compact: a page reads 50 of them
class ShortCode:
    sid: str
    short_code: str
    country_code: str
    friendly_name: str
    capabilities: tuple[str, ...]
    sms_url: Optional[str]
    sms_method: str
    sms_fallback_url: Optional[str]
    sms_fallback_method: str
    api_version: str
    date_created: datetime
    date_updated: datetime
    seq: int = 0


@dataclass(slots=True)
class Membership:
    """A short code in a service's pool, with the dates of that association."""

    short_code: ShortCode
    date_created: datetime
    date_updated: datetime
    seq: int
    is_reserved: bool = False

    @property
    def sid(self) -> str:
        return self.short_code.sid


@dataclass(eq=False, kw_only=True)
class Service:
    """What Messaging and Proxy Services share: a SID and a pool of short codes. Each
    product's own attributes are in ``model/services.py``."""

    sid: str
    members: OrderedIndex[Membership] = field(default_factory=OrderedIndex)
