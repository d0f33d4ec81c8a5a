"""What the inspection helpers hand out: copies of the account's state, never the live
objects (a test cannot change the account behind the mock's back by accident)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Optional

from ..model.resources import ShortCode
from ..wire.render import ISO8601


@dataclass(frozen=True)
class ShortCodeRecord:
    """A short code of the account as it stands when ``short_code()`` is called."""

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
    date_created: datetime  # UTC, one-second resolution
    date_updated: datetime
    messaging_service_sid: Optional[str]  # the Messaging Service holding it, if any
    proxy_service_sid: Optional[str]  # the Proxy Service holding it, if any

    def as_dict(self) -> dict[str, Any]:
        """The record as plain data: dates as ``YYYY-MM-DDTHH:MM:SSZ``, lists for tuples."""
        return plain(asdict(self))


def record_of(
    short_code: ShortCode, messaging_service_sid: Optional[str], proxy_service_sid: Optional[str]
) -> ShortCodeRecord:
    copied = {f.name: getattr(short_code, f.name) for f in fields(ShortCode) if f.name != "seq"}
    copied["capabilities"] = tuple(copied["capabilities"])
    return ShortCodeRecord(
        **copied,
        messaging_service_sid=messaging_service_sid,
        proxy_service_sid=proxy_service_sid,
    )


def plain(value: Any) -> Any:
    """``value`` with every datetime as ISO 8601 (UTC, ``Z``) and every tuple as a list:
    data ``json.dumps`` takes as it is."""
    if isinstance(value, datetime):
        return ISO8601[value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
