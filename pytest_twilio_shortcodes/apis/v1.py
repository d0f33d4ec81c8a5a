"""What Messaging v1 and Proxy v1 share: their paths, the v1 list envelope, and the
handlers for a service's short-code pool (add, fetch, list, remove)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar

from ..model.account import Account
from ..model.errors import invalid_parameter, not_found
from ..model.ordered import OrderedIndex
from ..model.resources import Membership, Service, is_sid
from ..model.services import Registry
from ..wire.http import ApiRequest, Handler, Reply, Route, required
from ..wire.paging import MAX_PAGE_SIZE, PageRequest, PageResult, page_links, page_request

# Empty segments match too: a malformed SID is Twilio's 404, not an unmocked route.
LIST_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/ShortCodes/?$")
INSTANCE_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/ShortCodes/(?P<sid>[^/]*)/?$")

T = TypeVar("T")
RenderItem = Callable[[Membership], dict[str, Any]]
# (request, account, service SID) -> the function that renders that service's items, with
# what they share worked out once a page
Renderer = Callable[[ApiRequest, Account, str], RenderItem]


def not_found_path(req: ApiRequest) -> str:
    """v1 404 messages name the path without its ``/v1`` prefix."""
    return req.path[3:].rstrip("/")


def service(req: ApiRequest, services: Registry[Any], prefix: str) -> Service:
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


# Form parameter -> (attribute, conversion of the text the request schema accepted).
Form = dict[str, tuple[str, Callable[[str], Any]]]


def form_changes(params: dict[str, str], form: Form) -> dict[str, Any]:
    """The attributes a create or update form sets, converted to their types. With request
    checks off (``validate="responses"``), a value that does not convert is still Twilio's
    400, never a 500."""
    changes = {}
    for name, (attribute, convert) in form.items():
        if name in params:
            try:
                changes[attribute] = convert(params[name])
            except ValueError:
                raise invalid_parameter(name, params[name], "not of its type") from None
    return changes


def url_or_none(value: str) -> Optional[str]:
    """An empty URL clears it (Twilio's attribute is then null)."""
    return value or None


def boolean(value: str) -> bool:
    """``true``/``false`` as the SDK sends them (``True``/``False`` from older SDKs)."""
    if value.lower() not in ("true", "false"):
        raise ValueError(value)
    return value.lower() == "true"


def integer(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise ValueError(value)
    return int(value)


def list_page(
    req: ApiRequest,
    items: OrderedIndex[T],
    render: Callable[[T], dict[str, Any]],
    schema: str,
    key: str = "short_codes",
    max_page_size: Optional[int] = None,
) -> Reply:
    """A v1 list page of ``items`` under ``key`` (``short_codes``, ``services``...)."""
    page = page_request(req.params, max_page_size or MAX_PAGE_SIZE)
    result = items.page(page)
    body = {"meta": _meta(req, page, result, key), key: list(map(render, result.items))}
    return Reply(200, body, schema)


def _meta(req: ApiRequest, page: PageRequest, result: PageResult[Any], key: str) -> dict[str, Any]:
    links = page_links(f"{req.base}{req.path.rstrip('/')}?PageSize={page.size}", page, result)
    return {
        "page": page.number,
        "page_size": page.size,
        "first_page_url": links.first,
        "previous_page_url": links.previous,
        "url": links.current,
        "next_page_url": links.next,
        "key": key,
    }


@dataclass(frozen=True)
class PoolApi:
    """A v1 service's short-code pool: which services, which rules, which shape."""

    product: str  # "messaging" or "proxy"
    prefix: str  # the service SID prefix, "MG" or "KS"
    resource: str  # the resource schema name
    sid_param: str  # the create parameter: "ShortCodeSid" or "Sid"
    services: Callable[[Account], Registry[Any]]
    join: Callable[[Account, Service, str], Membership]
    leave: Callable[[Account, Service, str], None]
    renderer: Renderer
    max_page_size: Optional[int] = None

    def service(self, req: ApiRequest, account: Account) -> Service:
        return service(req, self.services(account), self.prefix)

    def create(self, req: ApiRequest, account: Account) -> Reply:
        owner = self.service(req, account)
        item = self.join(account, owner, required(req, self.sid_param))
        return Reply(201, self.renderer(req, account, owner.sid)(item), self.resource)

    def fetch(self, req: ApiRequest, account: Account) -> Reply:
        owner = self.service(req, account)
        item = membership(req, owner)
        return Reply(200, self.renderer(req, account, owner.sid)(item), self.resource)

    def remove(self, req: ApiRequest, account: Account) -> Reply:
        owner = self.service(req, account)
        self.leave(account, owner, membership(req, owner).sid)
        return Reply(204)

    def read(self, req: ApiRequest, account: Account) -> Reply:
        owner = self.service(req, account)
        return list_page(
            req,
            owner.members,
            self.renderer(req, account, owner.sid),
            self.resource + ".list",
            max_page_size=self.max_page_size,
        )

    def routes(self, update: Optional[Handler] = None) -> list[Route]:
        instance: dict[str, Handler] = {"GET": self.fetch, "DELETE": self.remove}
        checks = {}
        if update is not None:
            instance["POST"] = update
            checks["POST"] = self.resource + ".update_request"
        return [
            Route(
                self.product,
                LIST_PATH,
                self.resource,
                {"GET": self.read, "POST": self.create},
                {"POST": self.resource + ".create_request"},
            ),
            Route(self.product, INSTANCE_PATH, self.resource, instance, checks),
        ]
