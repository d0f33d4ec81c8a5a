"""Messaging v1 ``Services/{MG}/ShortCodes``: add, fetch, list, remove."""

from __future__ import annotations

from typing import Any

from ..model.account import Account
from ..model.resources import Membership
from ..wire.http import ApiRequest
from ..wire.render import ISO8601
from . import v1

RESOURCE = "messaging.v1.service.short_code"


def renderer(req: ApiRequest, account: Account, service_sid: str) -> v1.RenderItem:
    """Renders one service's items; what they share is worked out once a page."""
    account_sid, url = account.sid, f"{req.base}/v1/Services/{service_sid}/ShortCodes/"
    iso = ISO8601  # a local: read twice an item

    def render(item: Membership) -> dict[str, Any]:
        record = item.short_code
        sid = record.sid
        return {
            "sid": sid,
            "account_sid": account_sid,
            "service_sid": service_sid,
            "date_created": iso[item.date_created],
            "date_updated": iso[item.date_updated],
            "short_code": record.short_code,
            "country_code": record.country_code,
            "capabilities": [*record.capabilities],
            "url": url + sid,
        }

    return render


API = v1.PoolApi(
    product="messaging",
    prefix="MG",
    resource=RESOURCE,
    sid_param="ShortCodeSid",
    services=lambda account: account.messaging_services,
    join=Account.add_to_messaging_service,
    leave=Account.remove_from_messaging_service,
    renderer=renderer,
)
ROUTES = API.routes()
