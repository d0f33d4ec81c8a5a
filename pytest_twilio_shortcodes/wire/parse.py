"""An intercepted request, parsed once for the route table and the handlers: its
product host, path, parameters and whether it wants XML."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from .http import ApiRequest, HttpRequest

_PRODUCT_HOST = re.compile(r"^(messaging|proxy|api)(?:\.[a-z0-9-]+){0,2}\.twilio\.com$")


@lru_cache(maxsize=64)  # a run meets a handful of hosts, one per request
def product_of(host: str) -> Optional[str]:
    match = _PRODUCT_HOST.fullmatch(host)
    return match.group(1) if match else None


def wants_xml(product: Optional[str], path: str) -> bool:
    """JSON on the v1 hosts; on api.twilio.com, JSON only for ``.json`` paths."""
    return product == "api" and (path.startswith("/2008-08-01/") or not path.endswith(".json"))


# A URL as clients send it: scheme, a host name with an optional port, a path, a query; no
# user info, fragment, white space or control character (which ``urlsplit`` would treat
# specially). Such a URL splits as ``urlsplit`` splits it, without its machinery (and its
# cache, which a new SID in every URL only churns); any other goes through ``urlsplit``.
_PLAIN_URL = re.compile(
    r"https?://(?P<host>[A-Za-z0-9.-]+)(?::[0-9]*)?"
    r"(?P<path>/[^?#\x00-\x20\x7f]*)?(?:\?(?P<query>[^#\x00-\x20\x7f]*))?"
)


def split_url(url: str) -> tuple[str, str, str, str]:
    """``(url, host, path, query)``: the URL without user info (credentials are used to
    authenticate, never recorded), its host name in lower case without a trailing dot,
    its path and its query, as ``urlsplit`` reads them."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:
        host, path, query = plain.group("host", "path", "query")
        path, query = path or "", query or ""
    else:
        parts = urlsplit(url)
        if "@" in parts.netloc:
            url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        host, path, query = parts.hostname or "", parts.path, parts.query
    return url, host.rstrip(".").lower(), path, query


def parse_request(request: HttpRequest) -> ApiRequest:
    """The parts of a request the route table and handlers need, parsed once."""
    method = request.method
    url, host, path, query = split_url(request.url)
    product = product_of(host)
    if method in ("POST", "PUT", "PATCH"):
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        form = content_type in ("", "application/x-www-form-urlencoded")
        params, repeated = _first_values(request.body.decode("utf-8", "replace") if form else "")
    else:
        params, repeated = _first_values(query)
    return ApiRequest(
        method=method,
        url=url,
        host=host,
        product=product,
        path=path or "/",
        params=params,
        xml=wants_xml(product, path),
        repeated=repeated,
    )


def _first_values(encoded: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Form or query parameters; where one is repeated, its first value counts (and the
    second dict holds all its values, for the few parameters that repeat by design)."""
    params: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    if "%" in encoded or "+" in encoded:
        pairs = parse_qsl(encoded, keep_blank_values=True)
    else:  # nothing to decode: the pairs ``parse_qsl`` would give, without its machinery
        pairs = [part.partition("=")[::2] for part in encoded.split("&") if part]
    for key, value in pairs:
        if key in params:
            repeated.setdefault(key, [params[key]]).append(value)
        else:
            params[key] = value
    return params, repeated
