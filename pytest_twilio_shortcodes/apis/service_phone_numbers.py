"""Messaging v1 ``Services/{MG}/PhoneNumbers``: add a phone number of the account to a
service's sender pool (by its own ``PN`` SID), fetch, list, remove."""

from __future__ import annotations

import re
from typing import Any

from ..model.account import Account
from ..model.errors import not_found
from ..model.phone_numbers import PoolMember
from ..wire.http import ApiRequest, Reply, Route, required
from ..wire.paging import page_links, page_request
from ..wire.render import ISO8601
from . import v1

RESOURCE = "messaging.v1.service.phone_number"
LIST_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/PhoneNumbers/?$")
INSTANCE_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/PhoneNumbers/(?P<sid>[^/]*)/?$")
# Twilio's v1 capability names, in the order its examples list them.
_CAPABILITIES = (("MMS", "MMS"), ("SMS", "SMS"), ("voice", "Voice"))


def renderer(req: ApiRequest, account: Account, service_sid: str) -> Any:
    """Renders one service's pool members; what they share is worked out once a page."""
    account_sid, url = account.sid, f"{req.base}/v1/Services/{service_sid}/PhoneNumbers/"
    iso = ISO8601

    def render(member: PoolMember) -> dict[str, Any]:
        record = member.phone_number
        sid, caps = record.sid, record.capabilities
        return {
            "sid": sid,
            "account_sid": account_sid,
            "service_sid": service_sid,
            "date_created": iso[member.date_created],
            "date_updated": iso[member.date_updated],
            "phone_number": record.phone_number,
            "country_code": record.country_code,
            "capabilities": [name for key, name in _CAPABILITIES if key in caps],
            "url": url + sid,
        }

    return render


def _service_sid(req: ApiRequest, account: Account) -> str:
    return v1.service(req, account.messaging_services, "MG").sid


def _member(req: ApiRequest, account: Account, service_sid: str) -> PoolMember:
    found = account.phone_numbers.pool(service_sid).get(req.args["sid"])
    if found is None:
        raise not_found(v1.not_found_path(req))
    return found


def create(req: ApiRequest, account: Account) -> Reply:
    service = v1.service(req, account.messaging_services, "MG")
    sid = required(req, "PhoneNumberSid")
    member = account.phone_numbers.join(service.sid, sid, len(service.members))
    return Reply(201, renderer(req, account, service.sid)(member), RESOURCE)


def fetch(req: ApiRequest, account: Account) -> Reply:
    service_sid = _service_sid(req, account)
    member = _member(req, account, service_sid)
    return Reply(200, renderer(req, account, service_sid)(member), RESOURCE)


def remove(req: ApiRequest, account: Account) -> Reply:
    service_sid = _service_sid(req, account)
    account.phone_numbers.leave(service_sid, _member(req, account, service_sid).sid)
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    service_sid = _service_sid(req, account)
    page = page_request(req.params)
    result = account.phone_numbers.pool(service_sid).page(page)
    links = page_links(f"{req.base}{req.path.rstrip('/')}?PageSize={page.size}", page, result)
    meta = {
        "page": page.number,
        "page_size": page.size,
        "first_page_url": links.first,
        "previous_page_url": links.previous,
        "url": links.current,
        "next_page_url": links.next,
        "key": "phone_numbers",
    }
    items = list(map(renderer(req, account, service_sid), result.items))
    return Reply(200, {"meta": meta, "phone_numbers": items}, RESOURCE + ".list")


ROUTES = [
    Route("messaging", LIST_PATH, RESOURCE, {"GET": read, "POST": create},
          {"POST": RESOURCE + ".create_request"}),
    Route("messaging", INSTANCE_PATH, RESOURCE, {"GET": fetch, "DELETE": remove}),
]  # fmt: skip
