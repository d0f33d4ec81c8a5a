"""``assert_sent``: what tests assert about the messages the account sent."""

from __future__ import annotations

from typing import Any, Optional

from ..schemas import load_schema


def describe(message: dict[str, Any]) -> str:
    sender = message["from"] or message["messaging_service_sid"]
    extra = f", error {message['error_code']}" if message["error_code"] else ""
    media = f" +{message['num_media']} media" if message["num_media"] != "0" else ""
    return (
        f"{message['sid']} {sender} -> {message['to']}: {message['body']!r}{media} "
        f"({message['direction']}, {message['status']}{extra})"
    )


def assert_sent(
    messages: list[dict[str, Any]], expected: dict[str, Any], times: Optional[int]
) -> list[dict[str, Any]]:
    """The outbound messages whose fields include ``expected`` (``times`` of them, or at
    least one); on failure the message lists every message sent."""
    __tracebackhide__ = True
    sent = [m for m in messages if m["direction"].startswith("outbound")]
    unknown = sorted(set(expected) - set(load_schema("api.v2010.account.message")["required"]))
    if unknown:
        raise TypeError(f"assert_sent: unknown message fields {unknown}")
    found = [m for m in sent if all(m[key] == value for key, value in expected.items())]
    if (times is None and found) or len(found) == times:
        return found
    wanted = " ".join(f"{key}={value!r}" for key, value in expected.items()) or "any message"
    count = "at least once" if times is None else f"{times} time(s)"
    listing = "\n".join(f"  {describe(m)}" for m in sent) or "  (none)"
    raise AssertionError(
        f"expected a message with {wanted} to have been sent {count}, "
        f"found {len(found)}; the messages sent were:\n{listing}"
    )
