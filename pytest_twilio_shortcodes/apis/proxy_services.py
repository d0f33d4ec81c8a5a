"""Proxy v1 ``Services[/{KS}]``: create, fetch, list, update, delete, served as twilio 9.6.3
(the last SDK with Proxy) and Twilio's last published description expect. ``UniqueName``
is required and unique in the account; deleting a service releases its short codes."""

from __future__ import annotations

import re
from typing import Any, Callable

from ..model.account import Account
from ..model.errors import not_found
from ..model.resources import is_sid
from ..model.services import ProxyService
from ..wire.http import ApiRequest, Reply, Route, required
from ..wire.render import ISO8601
from . import v1

RESOURCE = "proxy.v1.service"
LIST_PATH = re.compile(r"^/v1/Services/?$")
INSTANCE_PATH = re.compile(r"^/v1/Services/(?P<sid>[^/]*)/?$")
# "A maximum of 100 records will be returned per page" (as for the Proxy ShortCodes list).
MAX_PAGE_SIZE = 100
LINKS = (("sessions", "Sessions"), ("phone_numbers", "PhoneNumbers"), ("short_codes", "ShortCodes"))


def _text(value: str) -> str:
    return value


FORM: v1.Form = {
    "UniqueName": ("unique_name", _text),
    "DefaultTtl": ("default_ttl", v1.integer),
    "CallbackUrl": ("callback_url", v1.url_or_none),
    "GeoMatchLevel": ("geo_match_level", _text),
    "NumberSelectionBehavior": ("number_selection_behavior", _text),
    "InterceptCallbackUrl": ("intercept_callback_url", v1.url_or_none),
    "OutOfSessionCallbackUrl": ("out_of_session_callback_url", v1.url_or_none),
    "ChatInstanceSid": ("chat_instance_sid", _text),
}


def renderer(req: ApiRequest, account: Account) -> Callable[[ProxyService], dict[str, Any]]:
    base, account_sid, iso = f"{req.base}/v1/Services/", account.sid, ISO8601

    def render(service: ProxyService) -> dict[str, Any]:
        url = base + service.sid
        return {
            "sid": service.sid,
            "unique_name": service.unique_name,
            "account_sid": account_sid,
            "chat_instance_sid": service.chat_instance_sid,
            "callback_url": service.callback_url,
            "default_ttl": service.default_ttl,
            "number_selection_behavior": service.number_selection_behavior,
            "geo_match_level": service.geo_match_level,
            "intercept_callback_url": service.intercept_callback_url,
            "out_of_session_callback_url": service.out_of_session_callback_url,
            "date_created": iso[service.date_created],
            "date_updated": iso[service.date_updated],
            "url": url,
            "links": {name: f"{url}/{path}" for name, path in LINKS},
        }

    return render


def find(req: ApiRequest, account: Account) -> ProxyService:
    sid = req.args["sid"]
    found = account.proxy_services.get(sid) if is_sid(sid, "KS") else None
    if found is None:
        raise not_found(v1.not_found_path(req))
    return found


def create(req: ApiRequest, account: Account) -> Reply:
    name = required(req, "UniqueName")
    attributes = v1.form_changes(req.params, FORM)
    attributes.pop("unique_name", None)
    service = account.create_proxy_service(name, **attributes)
    return Reply(201, renderer(req, account)(service), RESOURCE)


def fetch(req: ApiRequest, account: Account) -> Reply:
    return Reply(200, renderer(req, account)(find(req, account)), RESOURCE)


def update(req: ApiRequest, account: Account) -> Reply:
    service = account.update_proxy_service(find(req, account), v1.form_changes(req.params, FORM))
    return Reply(200, renderer(req, account)(service), RESOURCE)


def delete(req: ApiRequest, account: Account) -> Reply:
    account.delete_proxy_service(find(req, account))
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    return v1.list_page(
        req, account.proxy_services, renderer(req, account), RESOURCE + ".list", "services",
        MAX_PAGE_SIZE,
    )  # fmt: skip


ROUTES = [
    Route("proxy", LIST_PATH, RESOURCE, {"GET": read, "POST": create},
          {"POST": RESOURCE + ".create_request"}),
    Route("proxy", INSTANCE_PATH, RESOURCE, {"GET": fetch, "POST": update, "DELETE": delete},
          {"POST": RESOURCE + ".update_request"}),
]  # fmt: skip
