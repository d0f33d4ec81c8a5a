"""The account's short codes: ``/2010-04-01`` (JSON, XML) and ``/2008-08-01`` (XML).

Fetch, update and list with filters. Short codes are bought, not created, through this
API, so POST on the list and DELETE anywhere are 405s, as the seed's "Not supported" says.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ..model.account import Account
from ..model.errors import not_found
from ..model.resources import ShortCode
from ..wire.http import ApiRequest, Reply, Route
from ..wire.paging import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    envelope_2010,
    integer_param,
    page_request,
)
from ..wire.render import RFC2822, xml_attr, xml_document, xml_element

RESOURCE = "api.v2010.account.short_code"
_ACCOUNT = r"^/(?P<version>2010-04-01|2008-08-01)/Accounts/(?P<account>[^/]*)/SMS/ShortCodes"
LIST_PATH = re.compile(_ACCOUNT + r"(?P<ext>\.json|\.xml)?/?$")
INSTANCE_PATH = re.compile(_ACCOUNT + r"/(?P<sid>[^/]*?)(?P<ext>\.json|\.xml)?/?$")
_UPDATABLE = {
    "FriendlyName": "friendly_name",
    "ApiVersion": "api_version",
    "SmsUrl": "sms_url",
    "SmsMethod": "sms_method",
    "SmsFallbackUrl": "sms_fallback_url",
    "SmsFallbackMethod": "sms_fallback_method",
}
_FILTERS = ("FriendlyName", "ShortCode")  # echoed in the page URIs, in this order
# The element order of the seed's XML; 2010 XML adds ApiVersion and Uri.
_XML_2008 = (
    "sid", "account_sid", "friendly_name", "short_code", "date_created", "date_updated",
    "sms_url", "sms_method", "sms_fallback_url", "sms_fallback_method",
)  # fmt: skip
_XML_2010 = (*_XML_2008, "api_version", "uri")


def _ext(req: ApiRequest) -> str:
    return req.args.get("ext", "")


def _list_path(req: ApiRequest, account: Account) -> str:
    return f"/{req.args['version']}/Accounts/{account.sid}/SMS/ShortCodes"


def render(req: ApiRequest, account: Account, record: ShortCode) -> dict[str, Any]:
    return {
        "account_sid": account.sid,
        "api_version": record.api_version,
        "date_created": RFC2822[record.date_created],
        "date_updated": RFC2822[record.date_updated],
        "friendly_name": record.friendly_name,
        "short_code": record.short_code,
        "sid": record.sid,
        "sms_fallback_method": record.sms_fallback_method,
        "sms_fallback_url": record.sms_fallback_url,
        "sms_method": record.sms_method,
        "sms_url": record.sms_url,
        "uri": f"{_list_path(req, account)}/{record.sid}{_ext(req)}",
    }


def _xml_item(req: ApiRequest, item: dict[str, Any]) -> str:
    keys = _XML_2010 if req.args["version"] == "2010-04-01" else _XML_2008
    return "<ShortCode>" + "".join(xml_element(k, item[k]) for k in keys) + "</ShortCode>"


def _short_code(req: ApiRequest, account: Account) -> ShortCode:
    record = account.short_code(req.args["sid"])
    if record is None:
        raise not_found(req.path)
    return record


def _instance_reply(req: ApiRequest, account: Account, record: ShortCode) -> Reply:
    return Reply(
        200,
        render(req, account, record),
        RESOURCE,
        (lambda body: xml_document(_xml_item(req, body))) if req.xml else None,
    )


def fetch(req: ApiRequest, account: Account) -> Reply:
    return _instance_reply(req, account, _short_code(req, account))


def update(req: ApiRequest, account: Account) -> Reply:
    record = _short_code(req, account)
    changes: dict[str, Optional[str]] = {}
    for param, attribute in _UPDATABLE.items():
        if param in req.params:
            value: Optional[str] = req.params[param]
            if value == "" and attribute in ("sms_url", "sms_fallback_url"):
                value = None
            elif value == "" and attribute == "friendly_name":
                value = record.short_code
            changes[attribute] = value
    account.update_short_code(record, changes)
    return _instance_reply(req, account, record)


def _matcher(params: dict[str, str]) -> Optional[Callable[[ShortCode], bool]]:
    """``ShortCode``: digits anywhere in the number, ``*`` any one digit.
    ``FriendlyName``: exactly that name."""
    number, name = params.get("ShortCode"), params.get("FriendlyName")
    if not number and name is None:
        return None
    pattern = (
        re.compile("".join("[0-9]" if c == "*" else re.escape(c) for c in number))
        if number
        else None
    )
    return lambda record: (
        (pattern is None or pattern.search(record.short_code) is not None)
        and (name is None or record.friendly_name == name)
    )


def read(req: ApiRequest, account: Account) -> Reply:
    if req.args["version"] == "2008-08-01":
        return _read_2008(req, account)
    page = page_request(req.params)
    result = account.short_codes.page(page, _matcher(req.params))
    items = [render(req, account, record) for record in result.items]
    list_uri = _list_path(req, account) + _ext(req)
    body = envelope_2010(list_uri, req.params, _FILTERS, "short_codes", page, result, items)
    return Reply(200, body, RESOURCE + ".list", _xml_list(req, _LIST_2010) if req.xml else None)


# List attributes (XML name, key in the JSON shape): the 2010 envelope's, and the 2008 seed's.
_LIST_2010 = (
    ("page", "page"), ("pagesize", "page_size"), ("start", "start"), ("end", "end"),
    ("uri", "uri"), ("firstpageuri", "first_page_uri"),
    ("previouspageuri", "previous_page_uri"), ("nextpageuri", "next_page_uri"),
)  # fmt: skip
_LIST_2008 = tuple((key, key) for key in ("page", "numpages", "pagesize", "total", "start", "end"))


def _xml_list(
    req: ApiRequest, attributes: tuple[tuple[str, str], ...]
) -> Callable[[dict[str, Any]], str]:
    def xml(body: dict[str, Any]) -> str:
        attrs = " ".join(f"{name}={xml_attr(body[key])}" for name, key in attributes)
        items = "".join(_xml_item(req, item) for item in body["short_codes"])
        return xml_document(f"<ShortCodes {attrs}>{items}</ShortCodes>")

    return xml


def _read_2008(req: ApiRequest, account: Account) -> Reply:
    """2008-08-01 lists page by number and count what matches (``numpages``, ``total``)."""
    size = integer_param(req.params, "PageSize", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE)
    number = integer_param(req.params, "Page", 0, 10**9, 0)
    records, total = account.short_codes.offset_page(number, size, _matcher(req.params))
    items = [render(req, account, record) for record in records]
    start = number * size
    body = {
        "page": number,
        "numpages": -(-total // size),
        "pagesize": size,
        "total": total,
        "start": start,
        "end": start + len(items) - 1 if items else start,
        "short_codes": items,
    }
    return Reply(200, body, "api.v2008.account.short_code.list", _xml_list(req, _LIST_2008))


ROUTES = [
    Route("api", LIST_PATH, RESOURCE, {"GET": read}),
    Route(
        "api",
        INSTANCE_PATH,
        RESOURCE,
        {"GET": fetch, "POST": update},
        {"POST": RESOURCE + ".update_request"},
    ),
]
