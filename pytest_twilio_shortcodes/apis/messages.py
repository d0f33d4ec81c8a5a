"""The account's Messages, ``/2010-04-01/Accounts/{AC}/Messages[/{SM}].json``: send, fetch,
list with filters, update (redact, cancel), delete. JSON only, as the SDK uses it; the
rules live in ``model.outbox``."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Callable, Optional, Union

from ..model.account import Account
from ..model.errors import invalid_parameter, not_found
from ..model.outbox import Message, parse_time
from ..wire.http import ApiRequest, Reply, Route
from ..wire.paging import envelope_2010, page_request
from ..wire.render import RFC2822

RESOURCE = "api.v2010.account.message"
_ACCOUNT = r"^/2010-04-01/Accounts/(?P<account>[^/]*)/Messages"
LIST_PATH = re.compile(_ACCOUNT + r"\.json$")
INSTANCE_PATH = re.compile(_ACCOUNT + r"/(?P<sid>[^/]*)\.json$")
FILTERS = ("To", "From", "DateSent", "DateSent<", "DateSent>")  # echoed in page URIs


def render(account_sid: str, message: Message) -> dict[str, Any]:
    """A message in Twilio's resource shape (also what ``mock.messages`` holds)."""
    uri = f"/2010-04-01/Accounts/{account_sid}/Messages/{message.sid}"
    return {
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "body": message.body,
        "date_created": RFC2822[message.date_created],
        "date_sent": RFC2822[message.date_sent] if message.date_sent else None,
        "date_updated": RFC2822[message.date_updated],
        "direction": message.direction,
        "error_code": message.error_code,
        "error_message": message.error_message,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": str(len(message.media)),
        "num_segments": str(message.num_segments),
        "price": None,
        "price_unit": None,
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": f"{uri}/Media.json"},
        "to": message.to,
        "uri": f"{uri}.json",
    }


def _message(req: ApiRequest, account: Account) -> Message:
    message = account.message(req.args["sid"])
    if message is None:
        raise not_found(req.path)
    return message


def create(req: ApiRequest, account: Account) -> Reply:
    message = account.send_message(req.params, req.values("MediaUrl"))
    return Reply(201, render(account.sid, message), RESOURCE)


def fetch(req: ApiRequest, account: Account) -> Reply:
    return Reply(200, render(account.sid, _message(req, account)), RESOURCE)


def update(req: ApiRequest, account: Account) -> Reply:
    message = account.update_message(_message(req, account), req.params)
    return Reply(200, render(account.sid, message), RESOURCE)


def delete(req: ApiRequest, account: Account) -> Reply:
    account.delete_message(_message(req, account))
    return Reply(204)


def read(req: ApiRequest, account: Account) -> Reply:
    page = page_request(req.params)
    match = _matcher(req.params)
    result = account.messages.page(page, match, newest_first=True)
    items = [render(account.sid, message) for message in result.items]
    list_uri = f"/2010-04-01/Accounts/{account.sid}/Messages.json"
    body = envelope_2010(list_uri, req.params, FILTERS, "messages", page, result, items)
    return Reply(200, body, RESOURCE + ".list")


Moment = Union[date, datetime]


def _matcher(params: dict[str, str]) -> Optional[Callable[[Message], bool]]:
    """``To``, ``From``: exactly that number. ``DateSent``: sent on that UTC day (a time's
    day). ``DateSent<``/``DateSent>``: on or before/after that day, or that moment when a
    time is given. Messages not yet sent match no date filter."""
    to, from_ = params.get("To"), params.get("From")
    bounds: list[tuple[str, Moment]] = []
    for name, op in (("DateSent", "="), ("DateSent<", "<"), ("DateSent>", ">")):
        if name in params:
            try:
                moment = parse_time(params[name])
            except ValueError:
                raise invalid_parameter(
                    name, params[name], "a date (YYYY-MM-DD) or an ISO 8601 time"
                ) from None
            bounds.append(
                (op, moment.date() if op == "=" and isinstance(moment, datetime) else moment)
            )
    if to is None and from_ is None and not bounds:
        return None

    def match(message: Message) -> bool:
        if (to is not None and message.to != to) or (from_ is not None and message.from_ != from_):
            return False
        sent = message.date_sent
        for op, bound in bounds:
            if sent is None:
                return False
            seen: Moment = sent if isinstance(bound, datetime) else sent.date()
            if (op == "=" and seen != bound) or (op == "<" and seen > bound):
                return False
            if op == ">" and seen < bound:
                return False
        return True

    return match


ROUTES = [
    Route("api", LIST_PATH, RESOURCE, {"GET": read, "POST": create},
          {"POST": RESOURCE + ".create_request"}),
    Route("api", INSTANCE_PATH, RESOURCE, {"GET": fetch, "POST": update, "DELETE": delete},
          {"POST": RESOURCE + ".update_request"}),
]  # fmt: skip
