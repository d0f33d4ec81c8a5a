"""Proxy v1 ``Services/{KS}/ShortCodes``: add, fetch, list, reserve, remove.

The resource left the spec and the SDK in mid-2025 (twilio 9.6.4); it is served as
twilio 9.6.3 and Twilio's last published description of it expect.
"""

from __future__ import annotations

from typing import Any

from ..render import iso8601
from ..routing import ApiRequest, Reply, Route, required
from ..state import Account, Membership
from . import v1

RESOURCE = "proxy.v1.service.short_code"
# "A maximum of 100 records will be returned per page": larger PageSize values (up to the
# usual 1000) are answered with pages of 100, and the page URLs say PageSize=100.
MAX_PAGE_SIZE = 100


def render(req: ApiRequest, account: Account, service_sid: str, item: Membership) -> dict[str, Any]:
    record = item.short_code
    return {
        "sid": record.sid,
        "account_sid": account.sid,
        "service_sid": service_sid,
        "date_created": iso8601(item.date_created),
        "date_updated": iso8601(item.date_updated),
        "short_code": record.short_code,
        "iso_country": record.country_code,
        "capabilities": {"sms_outbound": True, "voice_inbound": False},
        "url": f"{req.base}/v1/Services/{service_sid}/ShortCodes/{record.sid}",
        "is_reserved": item.is_reserved,
    }


def create(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.proxy_services, "KS")
    item = account.add_to_proxy_service(service, required(req, "Sid"))
    return Reply(201, render(req, account, service.sid, item), RESOURCE)


def fetch(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.proxy_services, "KS")
    return Reply(200, render(req, account, service.sid, v1.membership(req, service)), RESOURCE)


def update(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.proxy_services, "KS")
    with account.lock:
        item = v1.membership(req, service)
        raw = req.params.get("IsReserved")
        if raw is not None:
            account.reserve(item, raw.lower() == "true")
        return Reply(200, render(req, account, service.sid, item), RESOURCE)


def remove(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.proxy_services, "KS")
    with account.lock:
        item = v1.membership(req, service)
        account.remove_from_proxy_service(service, item.sid)
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.proxy_services, "KS")
    with account.lock:
        return v1.list_page(
            req,
            service,
            lambda item: render(req, account, service.sid, item),
            RESOURCE + ".list",
            MAX_PAGE_SIZE,
        )


ROUTES = [
    Route(
        "proxy",
        v1.LIST_PATH,
        RESOURCE,
        {"GET": read, "POST": create},
        {"POST": RESOURCE + ".create_request"},
    ),
    Route(
        "proxy",
        v1.INSTANCE_PATH,
        RESOURCE,
        {"GET": fetch, "POST": update, "DELETE": remove},
        {"POST": RESOURCE + ".update_request"},
    ),
]
