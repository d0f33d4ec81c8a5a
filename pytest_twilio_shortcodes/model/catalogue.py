"""The error catalogue: every Twilio error code the mock answers, defined once.

Each entry is a name, Twilio's ``code``, the HTTP ``status`` a request is answered with
(``None`` for a code that is never an HTTP answer: a Message's ``error_code`` or a webhook
attempt's) and the ``message`` template (``str.format`` fields). A code always comes with
the same status; some codes have several messages (20001, 20003, 20404, 21421, 80701), each its
own entry.

The handlers (through ``errors.twilio_error``), the request-schema checks (a schema
property's ``x-twilio-error`` names an entry, or a code that has exactly one) and the
documentation's errors table (``errors_table``) all read this module. A new error is one
entry (in ``error_entries``) and one row in ``errors_table.DOCUMENTED``. No HTTP and no pytest here.
"""

from __future__ import annotations

from typing import Optional, Union

from .error_entries import ENTRIES, ErrorEntry

__all__ = ["ENTRIES", "ErrorEntry", "entry", "failure_message", "message_of"]

BY_NAME: dict[str, ErrorEntry] = {entry.name: entry for entry in ENTRIES}
STATUS_OF: dict[int, Optional[int]] = {entry.code: entry.status for entry in ENTRIES}
_BY_CODE: dict[int, list[ErrorEntry]] = {}
for _entry in ENTRIES:
    _BY_CODE.setdefault(_entry.code, []).append(_entry)
del _entry

# The codes a failed or undelivered Message carries with Twilio's ``error_message``.
MESSAGE_FAILURE_CODES = (21610, 21703, 30003, 30004, 30005, 30006, 30007, 30008)
DEFAULT_FAILURE_CODES = {"failed": 30008, "undelivered": 30003}


def entry(key: Union[str, int]) -> ErrorEntry:
    """The entry of a name, or of a code that has exactly one (``KeyError`` otherwise)."""
    if isinstance(key, str):
        return BY_NAME[key]
    found = _BY_CODE.get(key, [])
    if len(found) != 1:
        names = ", ".join(e.name for e in found) or "none"
        raise KeyError(f"code {key} has {len(found)} catalogue entries ({names}): name one")
    return found[0]


def message_of(key: Union[str, int], **fields: object) -> str:
    """The entry's message, its template filled from ``fields``."""
    return entry(key).message.format(**fields)


def failure_message(code: Optional[int]) -> Optional[str]:
    """The ``error_message`` Twilio gives with a Message's ``error_code`` (None for a code
    the mock has no text for, as for one a test scripts)."""
    if code not in MESSAGE_FAILURE_CODES:
        return None
    return entry(code).message


def _check() -> None:
    """The catalogue's own rules, checked at import: names unique, a code never with two
    statuses."""
    if len(BY_NAME) != len(ENTRIES):
        raise AssertionError("two catalogue entries share a name")
    for e in ENTRIES:
        if STATUS_OF[e.code] != e.status:
            raise AssertionError(f"code {e.code} comes with two statuses")


_check()
