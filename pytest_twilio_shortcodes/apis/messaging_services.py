"""Messaging v1 ``Services[/{MG}]``: create, fetch, list, update, delete.

Every attribute of Twilio's resource is stored and echoed; the request schemas check the
form (``ValidityPeriod`` 1..36000, methods, URLs, booleans) before a handler runs, so a
handler only converts the form's text to the attribute's type.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ..model.account import Account
from ..model.errors import not_found
from ..model.resources import is_sid
from ..model.services import MessagingService
from ..wire.http import ApiRequest, Reply, Route, required
from ..wire.render import ISO8601
from . import v1

RESOURCE = "messaging.v1.service"
LIST_PATH = re.compile(r"^/v1/Services/?$")
INSTANCE_PATH = re.compile(r"^/v1/Services/(?P<sid>[^/]*)/?$")
# The related resources Twilio links, by name and path below the service's URL.
LINKS = (
    ("phone_numbers", "PhoneNumbers"),
    ("short_codes", "ShortCodes"),
    ("alpha_senders", "AlphaSenders"),
    ("messages", "Messages"),
    ("us_app_to_person", "Compliance/Usa2p"),
    ("us_app_to_person_usecases", "Compliance/Usa2p/Usecases"),
    ("channel_senders", "ChannelSenders"),
    ("destination_alpha_senders", "DestinationAlphaSenders"),
)


def text(value: str) -> str:
    return value


url, boolean = v1.url_or_none, v1.boolean
FORM: v1.Form = {
    "FriendlyName": ("friendly_name", text),
    "InboundRequestUrl": ("inbound_request_url", url),
    "InboundMethod": ("inbound_method", text),
    "FallbackUrl": ("fallback_url", url),
    "FallbackMethod": ("fallback_method", text),
    "StatusCallback": ("status_callback", url),
    "StickySender": ("sticky_sender", boolean),
    "MmsConverter": ("mms_converter", boolean),
    "SmartEncoding": ("smart_encoding", boolean),
    "ScanMessageContent": ("scan_message_content", text),
    "FallbackToLongCode": ("fallback_to_long_code", boolean),
    "AreaCodeGeomatch": ("area_code_geomatch", boolean),
    "ValidityPeriod": ("validity_period", v1.integer),
    "SynchronousValidation": ("synchronous_validation", boolean),
    "Usecase": ("usecase", text),
    "UseInboundWebhookOnNumber": ("use_inbound_webhook_on_number", boolean),
}


def renderer(req: ApiRequest, account: Account) -> Callable[[MessagingService], dict[str, Any]]:
    base, account_sid, iso = f"{req.base}/v1/Services/", account.sid, ISO8601

    def render(service: MessagingService) -> dict[str, Any]:
        url = base + service.sid
        return {
            "sid": service.sid,
            "account_sid": account_sid,
            "friendly_name": service.friendly_name,
            "date_created": iso[service.date_created],
            "date_updated": iso[service.date_updated],
            "inbound_request_url": service.inbound_request_url,
            "inbound_method": service.inbound_method,
            "fallback_url": service.fallback_url,
            "fallback_method": service.fallback_method,
            "status_callback": service.status_callback,
            "sticky_sender": service.sticky_sender,
            "mms_converter": service.mms_converter,
            "smart_encoding": service.smart_encoding,
            "scan_message_content": service.scan_message_content,
            "fallback_to_long_code": service.fallback_to_long_code,
            "area_code_geomatch": service.area_code_geomatch,
            "synchronous_validation": service.synchronous_validation,
            "validity_period": service.validity_period,
            "url": url,
            "links": {name: f"{url}/{path}" for name, path in LINKS},
            "usecase": service.usecase,
            "us_app_to_person_registered": service.us_app_to_person_registered,
            "use_inbound_webhook_on_number": service.use_inbound_webhook_on_number,
        }

    return render


def find(req: ApiRequest, account: Account, sid: Optional[str] = None) -> MessagingService:
    """The service the path names (``sid``, or the path's own SID): else Twilio's 404."""
    sid = req.args["sid"] if sid is None else sid
    found = account.messaging_services.get(sid) if is_sid(sid, "MG") else None
    if found is None:
        raise not_found(v1.not_found_path(req))
    return found


def create(req: ApiRequest, account: Account) -> Reply:
    required(req, "FriendlyName")
    attributes = v1.form_changes(req.params, FORM)
    service = account.create_messaging_service(**attributes)
    return Reply(201, renderer(req, account)(service), RESOURCE)


def fetch(req: ApiRequest, account: Account) -> Reply:
    return Reply(200, renderer(req, account)(find(req, account)), RESOURCE)


def update(req: ApiRequest, account: Account) -> Reply:
    service = account.update_messaging_service(
        find(req, account), v1.form_changes(req.params, FORM)
    )
    return Reply(200, renderer(req, account)(service), RESOURCE)


def delete(req: ApiRequest, account: Account) -> Reply:
    account.delete_messaging_service(find(req, account))
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    return v1.list_page(
        req, account.messaging_services, renderer(req, account), RESOURCE + ".list", "services"
    )


ROUTES = [
    Route("messaging", LIST_PATH, RESOURCE, {"GET": read, "POST": create},
          {"POST": RESOURCE + ".create_request"}),
    Route("messaging", INSTANCE_PATH, RESOURCE, {"GET": fetch, "POST": update, "DELETE": delete},
          {"POST": RESOURCE + ".update_request"}),
]  # fmt: skip
