"""Which hosts are Twilio's, however a client writes them: a host name, a URL, a request
line written to an HTTP proxy.

Standard library only, and importing nothing of the package: the bootstrap of a served
child process (``serve/bootstrap``) loads this file by its path, where the package itself
may not be importable, so that the child and this process judge hosts by one rule.
"""

from __future__ import annotations

import re
from typing import Any, Optional
from urllib.parse import unquote

_HOST = r"(?:[^/?#@:]*\.)?twilio\.com"  # twilio.com or any name under it
# Any URL on such a host, however it is written (case, trailing dot, port, userinfo).
TWILIO_URL = re.compile(
    rf"^https?://(?:[^/?#]*@)?(?P<host>{_HOST})\.?(?::\d+)?(?=[/?#]|$)", re.IGNORECASE
)
_TWILIO_HOST = re.compile(rf"{_HOST}\.?", re.IGNORECASE)
# The whole test for an ASCII host name (what the guard's hot path calls directly).
match_ascii_twilio_host = _TWILIO_HOST.fullmatch


def is_twilio_host(host: object) -> bool:
    """Whether a host name (as a client holds it: text or bytes, any case) is Twilio's."""
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if _TWILIO_HOST.fullmatch(host) is not None:
        return True
    if host.isascii():
        return False
    # ``socket`` turns a text host into ASCII with the ``idna`` codec before it looks it up,
    # which maps fullwidth letters, ideographic dots, soft hyphens, "º" ... onto ASCII:
    # judge the name the resolver would see.
    try:
        looked_up = host.encode("idna").decode("ascii")
    except UnicodeError:  # socket cannot encode it either: no look-up happens
        return False
    return _TWILIO_HOST.fullmatch(looked_up) is not None


def names_twilio_host(pattern: str) -> bool:
    """A passthrough glob that names Twilio hosts (``*.twilio.com``): they never pass."""
    return pattern != "*" and TWILIO_URL.match(f"https://{pattern}") is not None


# What a request line may start with: any method's first letter (extension methods such as
# MKCOL or LOCK too, any case: some proxies accept lower-case methods), and the blank line
# or white space a server may skip before it.
INITIALS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\r\n\t ")
HEAD = 2048  # a request line's host comes early; a longer line is judged on its start


def proxied_twilio_host(data: Any) -> Optional[tuple[str, str]]:
    """(host, method) if ``data`` starts with a request line a proxy would send on to a
    Twilio host: ``CONNECT host:port`` or ``METHOD scheme://host/...``; else None."""
    # A server ignores blank lines before the request line, and takes a tab for a space.
    parts = bytes(data[:HEAD]).lstrip(b"\r\n").split(None, 2)
    if len(parts) < 2:
        return None
    method, target = parts[0], parts[1]
    if not method.isalpha() or target[:1] == b"/":  # origin form: not for a proxy
        return None
    if method.upper() == b"CONNECT":
        authority = target
    else:
        scheme, sep, after = target.partition(b"://")
        if not sep or not scheme.isalpha():
            return None
        for end in (b"/", b"?", b"#"):
            after = after.split(end, 1)[0]
        authority = after
    authority = authority.rpartition(b"@")[2]
    if authority.startswith(b"["):  # an IPv6 literal
        return None
    host = unquote(authority.rsplit(b":", 1)[0].decode("utf-8", "replace"))
    if not is_twilio_host(host):
        return None
    return host, method.decode("ascii").upper()
