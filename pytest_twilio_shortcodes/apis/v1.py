"""What Messaging v1 and Proxy v1 share: their paths, the v1 list envelope, the lookups."""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ..errors import not_found
from ..paging import PageRequest, PageResult, page_request
from ..routing import ApiRequest, Reply
from ..state import Membership, Service, is_sid

# Empty segments match too: a malformed SID is Twilio's 404, not an unmocked route.
LIST_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/ShortCodes/?$")
INSTANCE_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/ShortCodes/(?P<sid>[^/]*)/?$")


def not_found_path(req: ApiRequest) -> str:
    """v1 404 messages name the path without its ``/v1`` prefix."""
    return req.path[3:].rstrip("/")


def service(req: ApiRequest, services: dict[str, Service], prefix: str) -> Service:
    sid = req.args["service"]
    found = services.get(sid) if is_sid(sid, prefix) else None
    if found is None:
        raise not_found(not_found_path(req))
    return found


def membership(req: ApiRequest, owner: Service) -> Membership:
    found = owner.members.get(req.args["sid"])
    if found is None:
        raise not_found(not_found_path(req))
    return found


def list_page(
    req: ApiRequest,
    owner: Service,
    render: Callable[[Membership], dict[str, Any]],
    schema: str,
    max_page_size: Optional[int] = None,
) -> Reply:
    page = page_request(req.params, *(() if max_page_size is None else (max_page_size,)))
    result = owner.members.page(page)
    body = {
        "meta": _meta(req, page, result),
        "short_codes": [render(item) for item in result.items],
    }
    return Reply(200, body, schema)


def _meta(req: ApiRequest, page: PageRequest, result: PageResult[Any]) -> dict[str, Any]:
    base = f"{req.base}{req.path.rstrip('/')}?PageSize={page.size}"

    def url(number: int, token: Any = None) -> str:
        return f"{base}&Page={number}" + (f"&PageToken={token}" if token else "")

    return {
        "page": page.number,
        "page_size": page.size,
        "first_page_url": url(0),
        "previous_page_url": url(max(page.number - 1, 0), result.previous)
        if result.previous
        else None,
        "url": url(page.number, page.token),
        "next_page_url": url(page.number + 1, result.next) if result.next else None,
        "key": "short_codes",
    }
