"""Dates and XML: the two wire formats that need more than ``json.dumps``."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
XML_PROLOG = "<?xml version='1.0' encoding='UTF-8'?>"
# Characters XML 1.0 cannot carry at all, even escaped: C0 controls other than tab, line
# feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A parser reads a raw carriage return in text as a line feed: write it as a reference.
_TEXT_ENTITIES = {"\r": "&#13;"}


@lru_cache(maxsize=4096)  # dates have one-second resolution: most repeat
def iso8601(moment: datetime) -> str:
    """v1 dates: exactly ``YYYY-MM-DDTHH:MM:SSZ`` (the SDK parses no other form)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=4096)
def rfc2822(moment: datetime) -> str:
    """2010/2008 dates: ``Thu, 01 Apr 2010 00:00:00 +0000`` whatever the locale."""
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year} {moment:%H:%M:%S} +0000"
    )


def camel(key: str) -> str:
    """``sms_fallback_url`` -> ``SmsFallbackUrl``: Twilio's XML element names."""
    return "".join(part.capitalize() for part in key.split("_"))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("\ufffd", str(value))


def xml_text(value: Any) -> str:
    return escape(_plain(value), _TEXT_ENTITIES)


def xml_attr(value: Any) -> str:
    """A quoted attribute value; ``None`` is the empty string, as Twilio writes it.
    Tab, line feed and carriage return are written as references (``quoteattr``), which
    a parser's attribute-value normalisation leaves alone."""
    return quoteattr(_plain(value))


def xml_element(key: str, value: Any) -> str:
    name = camel(key)
    return f"<{name}>{xml_text(value)}</{name}>" if value is not None else f"<{name}/>"


def xml_document(inner: str) -> str:
    return f"{XML_PROLOG}<TwilioResponse>{inner}</TwilioResponse>"
