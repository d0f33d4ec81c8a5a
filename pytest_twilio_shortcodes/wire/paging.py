"""Ordered collections that page by seeking, and the page parameters and tokens.

Every stored item has a sequence number that never changes. A page token names a
position in that order (``PA<seq>``: the items after it; ``PB<seq>``: the items before
it), so walking pages while items are added or removed never skips or repeats an item
that still exists, and a page costs what it holds, not what the collection holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import quote

from ..model.errors import TwilioError, invalid_parameter
from ..model.ordered import PageRequest, PageResult, PageToken

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class PageLinks:
    first: str
    previous: Optional[str]
    current: str
    next: Optional[str]


def page_links(base: str, page: PageRequest, result: PageResult[Any]) -> PageLinks:
    """The four page links of both list envelopes; ``base`` ends in ``PageSize=N``."""

    def link(number: int, token: Optional[PageToken] = None) -> str:
        return f"{base}&Page={number}" + (f"&PageToken={token}" if token else "")

    return PageLinks(
        first=link(0),
        previous=link(max(page.number - 1, 0), result.previous) if result.previous else None,
        current=link(page.number, page.token),
        next=link(page.number + 1, result.next) if result.next else None,
    )


def envelope_2010(
    list_uri: str,
    params: dict[str, str],
    filters: tuple[str, ...],
    key: str,
    page: PageRequest,
    result: PageResult[Any],
    items: list[dict[str, Any]],
) -> dict[str, Any]:
    """A 2010-04-01 list page: relative URIs that echo the ``filters`` present in
    ``params`` (names and values percent-encoded), then ``PageSize``, then ``Page``."""
    echoed = "".join(
        f"{quote(name, safe='')}={quote(params[name], safe='')}&"
        for name in filters
        if name in params
    )
    links = page_links(f"{list_uri}?{echoed}PageSize={page.size}", page, result)
    start = page.number * page.size
    return {
        "first_page_uri": links.first,
        "end": start + len(items) - 1 if items else start,
        "previous_page_uri": links.previous,
        key: items,
        "uri": links.current,
        "page_size": page.size,
        "start": start,
        "next_page_uri": links.next,
        "page": page.number,
    }


def integer_param(params: dict[str, str], name: str, low: int, high: int, default: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or not low <= int(raw) <= high:
        raise invalid_parameter(name, raw, f"must be an integer from {low} to {high}")
    return int(raw)


def page_request(params: dict[str, str], max_size: int = MAX_PAGE_SIZE) -> PageRequest:
    """Read ``PageSize`` (1..1000, default 50; sizes above ``max_size`` are answered with
    ``max_size``), ``Page`` (>= 0) and ``PageToken``. ``Page`` > 0 without a token is
    refused as Twilio refuses it (400/70002)."""
    size = integer_param(params, "PageSize", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE)
    number = integer_param(params, "Page", 0, 10**9, 0)
    raw_token = params.get("PageToken")
    token = PageToken.parse(raw_token) if raw_token else None
    if token is None and number > 0:
        raise TwilioError(400, 70002, "Paged requests must include a PageToken")
    return PageRequest(min(size, max_size), number, token)
