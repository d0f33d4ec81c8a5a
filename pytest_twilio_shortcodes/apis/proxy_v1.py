"""Proxy v1 ``Services/{KS}/ShortCodes``: add, fetch, list, reserve, remove.

The resource left the spec and the SDK in mid-2025 (twilio 9.6.4); it is served as
twilio 9.6.3 and Twilio's last published description of it expect.
"""

from __future__ import annotations

from typing import Any

from ..model.account import Account
from ..model.resources import Membership
from ..wire.http import ApiRequest, Reply
from ..wire.render import ISO8601
from . import v1

RESOURCE = "proxy.v1.service.short_code"
# "A maximum of 100 records will be returned per page": larger PageSize values (up to the
# usual 1000) are answered with pages of 100, and the page URLs say PageSize=100.
MAX_PAGE_SIZE = 100


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
            "iso_country": record.country_code,
            "capabilities": {"sms_outbound": True, "voice_inbound": False},
            "url": url + sid,
            "is_reserved": item.is_reserved,
        }

    return render


def update(req: ApiRequest, account: Account) -> Reply:
    """``IsReserved`` (``true``/``false``; older SDKs sent ``True``/``False``)."""
    owner = API.service(req, account)
    item = v1.membership(req, owner)
    raw = req.params.get("IsReserved")
    if raw is not None:
        account.reserve(item, raw.lower() == "true")
    return Reply(200, renderer(req, account, owner.sid)(item), RESOURCE)


API = v1.PoolApi(
    product="proxy",
    prefix="KS",
    resource=RESOURCE,
    sid_param="Sid",
    services=lambda account: account.proxy_services,
    join=Account.add_to_proxy_service,
    leave=Account.remove_from_proxy_service,
    renderer=renderer,
    max_page_size=MAX_PAGE_SIZE,
)
ROUTES = API.routes(update=update)
