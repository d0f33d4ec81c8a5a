"""Messaging v1 ``Services/{MG}/AlphaSenders``: add, fetch, list, remove. A service holds
one alpha sender (``AI`` SID); the request schema checks ``AlphaSender`` (1 to 11 of A-Z
a-z 0-9, space, ``-+_&``, not only digits)."""

from __future__ import annotations

import re
from typing import Any, Callable

from ..model.account import Account
from ..model.errors import not_found
from ..model.services import AlphaSender, MessagingService
from ..wire.http import ApiRequest, Reply, Route, required
from ..wire.render import ISO8601
from . import messaging_services, v1

RESOURCE = "messaging.v1.service.alpha_sender"
LIST_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/AlphaSenders/?$")
INSTANCE_PATH = re.compile(r"^/v1/Services/(?P<service>[^/]*)/AlphaSenders/(?P<sid>[^/]*)/?$")


def renderer(
    req: ApiRequest, account: Account, service_sid: str
) -> Callable[[AlphaSender], dict[str, Any]]:
    account_sid, url = account.sid, f"{req.base}/v1/Services/{service_sid}/AlphaSenders/"

    def render(sender: AlphaSender) -> dict[str, Any]:
        return {
            "sid": sender.sid,
            "account_sid": account_sid,
            "service_sid": service_sid,
            "date_created": ISO8601[sender.date_created],
            "date_updated": ISO8601[sender.date_updated],
            "alpha_sender": sender.alpha_sender,
            "capabilities": ["SMS"],
            "url": url + sender.sid,
        }

    return render


def _service(req: ApiRequest, account: Account) -> MessagingService:
    return messaging_services.find(req, account, req.args["service"])


def _sender(req: ApiRequest, service: MessagingService) -> AlphaSender:
    found = service.alpha_senders.get(req.args["sid"])
    if found is None:
        raise not_found(v1.not_found_path(req))
    return found


def create(req: ApiRequest, account: Account) -> Reply:
    service = _service(req, account)
    sender = account.add_alpha_sender(service, required(req, "AlphaSender"))
    return Reply(201, renderer(req, account, service.sid)(sender), RESOURCE)


def fetch(req: ApiRequest, account: Account) -> Reply:
    service = _service(req, account)
    return Reply(200, renderer(req, account, service.sid)(_sender(req, service)), RESOURCE)


def remove(req: ApiRequest, account: Account) -> Reply:
    service = _service(req, account)
    account.remove_alpha_sender(service, _sender(req, service).sid)
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    service = _service(req, account)
    render = renderer(req, account, service.sid)
    return v1.list_page(req, service.alpha_senders, render, RESOURCE + ".list", "alpha_senders")


ROUTES = [
    Route("messaging", LIST_PATH, RESOURCE, {"GET": read, "POST": create},
          {"POST": RESOURCE + ".create_request"}),
    Route("messaging", INSTANCE_PATH, RESOURCE, {"GET": fetch, "DELETE": remove}),
]  # fmt: skip
