"""The wire formats: JSON, dates and XML."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from typing import Any, Callable
from xml.sax.saxutils import escape, quoteattr

import orjson

from ..model.errors import TwilioError
from ..model.resources import NOT_XML

XML_PROLOG = "<?xml version='1.0' encoding='UTF-8'?>"
# A parser reads a raw carriage return in text as a line feed: write it as a reference.
_TEXT_ENTITIES = {"\r": "&#13;"}


def json_bytes(body: Any) -> bytes:
    """A JSON body as sent: ``orjson``, several times faster than ``json.dumps`` on a page."""
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:  # a lone surrogate, which UTF-8 cannot carry: escape it
        return json.dumps(body).encode()


class DateTexts(dict):  # type: ignore[type-arg]
    """``moment -> text``, written once per moment: dates have one-second resolution, so
    most repeat. ``TEXTS[moment]`` is a plain dict lookup (no Python call) on a hit."""

    def __init__(self, write: Callable[[datetime], str]) -> None:
        super().__init__()
        self.write = write

    def __missing__(self, moment: datetime) -> str:
        if len(self) >= 4096:
            self.clear()
        text = self[moment] = self.write(moment)
        return text


# v1 dates: exactly ``YYYY-MM-DDTHH:MM:SSZ`` (the SDK parses no other form).
ISO8601 = DateTexts(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
# 2010/2008 dates: ``Thu, 01 Apr 2010 00:00:00 +0000`` whatever the locale (the model's
# moments are aware UTC datetimes, which ``email.utils`` writes with ``+0000``).
RFC2822 = DateTexts(format_datetime)


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


def render_error(error: TwilioError, xml: bool) -> bytes:
    """The error as Twilio sends it: JSON envelope, or ``<TwilioResponse><RestException>``."""
    body = error.body()
    if not xml:
        return json_bytes(body)
    children = "".join(xml_element(key, body[key]) for key in _XML_ORDER if key in body)
    return xml_document(f"<RestException>{children}</RestException>").encode()


_XML_ORDER = ("code", "detail", "message", "more_info", "status")
