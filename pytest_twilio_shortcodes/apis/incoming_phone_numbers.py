"""The account's phone numbers, ``/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers[/{PN}]``:
buy, fetch, list with filters, update, release; JSON for ``.json``, XML otherwise. The
rules live in ``model/phone_numbers``."""

from __future__ import annotations

import re
from typing import Any

from ..model.account import Account
from ..model.errors import not_found, twilio_error
from ..model.phone_numbers import PhoneNumber, matcher, settings_of
from ..wire.http import ApiRequest, Reply, Route
from ..wire.paging import envelope_2010, page_request
from ..wire.render import RFC2822, xml_attr, xml_document, xml_element

RESOURCE = "api.v2010.account.incoming_phone_number"
_ACCOUNT = r"^/2010-04-01/Accounts/(?P<account>[^/]*)/IncomingPhoneNumbers"
LIST_PATH = re.compile(_ACCOUNT + r"(?P<ext>\.json|\.xml)?/?$")
INSTANCE_PATH = re.compile(_ACCOUNT + r"/(?P<sid>[^/]*?)(?P<ext>\.json|\.xml)?/?$")
FILTERS = ("FriendlyName", "Beta", "PhoneNumber", "Origin")  # echoed in page URIs, in order
_CAPABILITIES = (("voice", "Voice"), ("sms", "SMS"), ("mms", "MMS"), ("fax", "Fax"))


def render(account_sid: str, record: PhoneNumber, ext: str = ".json") -> dict[str, Any]:
    """A phone number in Twilio's resource shape, every attribute present."""
    settings = record.settings
    caps = record.capabilities
    return {
        "account_sid": account_sid,
        "address_sid": settings["address_sid"],
        "address_requirements": "none",
        "api_version": settings["api_version"],
        "beta": record.beta,
        "capabilities": {
            "voice": "voice" in caps,
            "sms": "SMS" in caps,
            "mms": "MMS" in caps,
            "fax": "fax" in caps,
        },
        "date_created": RFC2822[record.date_created],
        "date_updated": RFC2822[record.date_updated],
        "friendly_name": record.friendly_name,
        "identity_sid": settings["identity_sid"],
        "phone_number": record.phone_number,
        "origin": record.origin,
        "sid": record.sid,
        "sms_application_sid": settings["sms_application_sid"],
        "sms_fallback_method": settings["sms_fallback_method"],
        "sms_fallback_url": settings["sms_fallback_url"],
        "sms_method": settings["sms_method"],
        "sms_url": settings["sms_url"],
        "status_callback": settings["status_callback"],
        "status_callback_method": settings["status_callback_method"],
        "trunk_sid": settings["trunk_sid"],
        "uri": f"/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers/{record.sid}{ext}",
        "voice_receive_mode": settings["voice_receive_mode"],
        "voice_application_sid": settings["voice_application_sid"],
        "voice_caller_id_lookup": settings["voice_caller_id_lookup"],
        "voice_fallback_method": settings["voice_fallback_method"],
        "voice_fallback_url": settings["voice_fallback_url"],
        "voice_method": settings["voice_method"],
        "voice_url": settings["voice_url"],
        "emergency_status": settings["emergency_status"],
        "emergency_address_sid": settings["emergency_address_sid"],
        "emergency_address_status": "unregistered",
        "bundle_sid": settings["bundle_sid"],
        "status": "in-use",
        "type": record.type,
    }


def _xml_item(item: dict[str, Any]) -> str:
    """One PascalCase element per attribute; ``Capabilities`` holds ``Voice``, ``SMS``,
    ``MMS`` and ``Fax``."""
    parts = []
    for key, value in item.items():
        if key == "capabilities":
            inner = "".join(f"<{tag}>{xml_text_of(value[k])}</{tag}>" for k, tag in _CAPABILITIES)
            parts.append(f"<Capabilities>{inner}</Capabilities>")
        else:
            parts.append(xml_element(key, value))
    return "<IncomingPhoneNumber>" + "".join(parts) + "</IncomingPhoneNumber>"


def xml_text_of(flag: bool) -> str:
    return "true" if flag else "false"


def _ext(req: ApiRequest) -> str:
    return req.args.get("ext", "")


def _record(req: ApiRequest, account: Account) -> PhoneNumber:
    record = account.phone_numbers.get(req.args["sid"])
    if record is None:
        raise not_found(req.path)
    return record


def _instance(req: ApiRequest, account: Account, record: PhoneNumber, status: int = 200) -> Reply:
    body = render(account.sid, record, _ext(req))
    xml = (lambda body: xml_document(_xml_item(body))) if req.xml else None
    return Reply(status, body, RESOURCE, xml)


def create(req: ApiRequest, account: Account) -> Reply:
    return _instance(req, account, account.phone_numbers.buy(req.params), 201)


def fetch(req: ApiRequest, account: Account) -> Reply:
    return _instance(req, account, _record(req, account))


def update(req: ApiRequest, account: Account) -> Reply:
    record = _record(req, account)
    other = req.params.get("AccountSid")
    if other is not None and other != account.sid:
        detail = "moving a number to another account is not modelled"
        raise twilio_error("invalid_account_sid", other=other, detail=detail)
    account.phone_numbers.update(record, settings_of(req.params))
    return _instance(req, account, record)


def release(req: ApiRequest, account: Account) -> Reply:
    account.phone_numbers.release(_record(req, account).sid)
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    page = page_request(req.params)
    result = account.phone_numbers.records.page(page, matcher(req.params))
    ext = _ext(req)
    items = [render(account.sid, record, ext) for record in result.items]
    list_uri = f"/2010-04-01/Accounts/{account.sid}/IncomingPhoneNumbers{ext}"
    key = "incoming_phone_numbers"
    body = envelope_2010(list_uri, req.params, FILTERS, key, page, result, items)
    return Reply(200, body, RESOURCE + ".list", _xml_list if req.xml else None)


# List attributes (XML name, key in the JSON shape), as the short codes' 2010 XML lists.
_LIST = (
    ("page", "page"), ("pagesize", "page_size"), ("start", "start"), ("end", "end"),
    ("uri", "uri"), ("firstpageuri", "first_page_uri"),
    ("previouspageuri", "previous_page_uri"), ("nextpageuri", "next_page_uri"),
)  # fmt: skip


def _xml_list(body: dict[str, Any]) -> str:
    attrs = " ".join(f"{name}={xml_attr(body[key])}" for name, key in _LIST)
    items = "".join(_xml_item(item) for item in body["incoming_phone_numbers"])
    return xml_document(f"<IncomingPhoneNumbers {attrs}>{items}</IncomingPhoneNumbers>")


ROUTES = [
    Route("api", LIST_PATH, RESOURCE, {"GET": read, "POST": create},
          {"POST": RESOURCE + ".create_request"}),
    Route("api", INSTANCE_PATH, RESOURCE, {"GET": fetch, "POST": update, "DELETE": release},
          {"POST": RESOURCE + ".update_request"}),
]  # fmt: skip
