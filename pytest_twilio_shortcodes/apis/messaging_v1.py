"""Messaging v1 ``Services/{MG}/ShortCodes``: add, fetch, list, remove."""

from __future__ import annotations

from typing import Any

from ..render import iso8601
from ..routing import ApiRequest, Reply, Route, required
from ..state import Account, Membership
from . import v1

RESOURCE = "messaging.v1.service.short_code"


def render(req: ApiRequest, account: Account, service_sid: str, item: Membership) -> dict[str, Any]:
    record = item.short_code
    return {
        "sid": record.sid,
        "account_sid": account.sid,
        "service_sid": service_sid,
        "date_created": iso8601(item.date_created),
        "date_updated": iso8601(item.date_updated),
        "short_code": record.short_code,
        "country_code": record.country_code,
        "capabilities": list(record.capabilities),
        "url": f"{req.base}/v1/Services/{service_sid}/ShortCodes/{record.sid}",
    }


def create(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.messaging_services, "MG")
    item = account.add_to_messaging_service(service, required(req, "ShortCodeSid"))
    return Reply(201, render(req, account, service.sid, item), RESOURCE)


def fetch(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.messaging_services, "MG")
    return Reply(200, render(req, account, service.sid, v1.membership(req, service)), RESOURCE)


def remove(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.messaging_services, "MG")
    with account.lock:
        item = v1.membership(req, service)
        account.remove_from_messaging_service(service, item.sid)
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.messaging_services, "MG")
    with account.lock:
        return v1.list_page(
            req, service, lambda item: render(req, account, service.sid, item), RESOURCE + ".list"
        )


ROUTES = [
    Route(
        "messaging",
        v1.LIST_PATH,
        RESOURCE,
        {"GET": read, "POST": create},
        {"POST": RESOURCE + ".create_request"},
    ),
    Route("messaging", v1.INSTANCE_PATH, RESOURCE, {"GET": fetch, "DELETE": remove}),
]
