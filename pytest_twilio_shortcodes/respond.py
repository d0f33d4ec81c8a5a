"""The HTTP answer: one intercepted request in, Twilio's answer out.

A request walks one way: parse, route, authenticate, fault, dispatch, validate, record.
Every client the interception serves hands its request here as an ``HttpRequest``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from typing import TYPE_CHECKING, Optional
from urllib.parse import unquote, urlsplit

from . import schemas
from .calls import Call
from .errors import TwilioError, not_mocked, render_error
from .render import json_bytes
from .routing import dispatch, find_route, parse_request
from .wire import ApiRequest, HttpAnswer, HttpRequest, Reply

if TYPE_CHECKING:
    from .mock import TwilioShortCodeMock

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"


def respond(mock: TwilioShortCodeMock, request: HttpRequest) -> HttpAnswer:
    """Answer one request to a Twilio host from ``mock``'s account."""
    req = parse_request(request)
    route = find_route(req) if req.product else None
    resource = route.resource if route else None
    faulted = None
    try:
        if route is None:
            raise not_mocked(req.method, req.url)
        authenticate(mock, credentials(request))
        faulted = _fire_fault(mock, req, resource)
        if faulted is not None:
            if not isinstance(faulted, TwilioError):  # a connection error or timeout
                _record(mock, req, resource, Reply(0), fault=True)
            raise faulted
        reply = dispatch(route, req, mock._account, mock.validate in ("all", "requests"))
    except TwilioError as error:
        reply = Reply(error.status, error.body(), "twilio.error")
        content, headers = render_error(error, req.xml), dict(error.headers)
        findings = error.findings
    else:
        content = b""
        if reply.body is not None:
            content = reply.xml(reply.body).encode() if reply.xml else json_bytes(reply.body)
        headers, findings = {}, []
    if reply.body is not None and mock.validate in ("all", "responses"):
        found = schemas.checked(reply.body, reply.schema or "")
        if found:
            failure = schemas.SchemaValidationError(reply.schema or "", found)
            mock.response_failures.append(failure)
            raise failure
    call = _record(mock, req, resource, reply, findings, faulted is not None)
    if route is None:
        mock.unmatched.append(call)
    headers["Twilio-Request-Id"] = "RQ" + os.urandom(16).hex()
    if content:
        headers["Content-Type"] = XML_TYPE if req.xml else JSON_TYPE
    if req.method == "HEAD":  # headers only, as HTTP requires
        content = b""
    return HttpAnswer(reply.status, headers, content)


def _record(
    mock: TwilioShortCodeMock,
    req: ApiRequest,
    resource: Optional[str],
    reply: Reply,
    findings: Optional[list[tuple[str, str]]] = None,
    fault: bool = False,
) -> Call:
    call = Call(
        req.method, req.url, req.path, req.params, reply.status, reply.body, resource,
        findings or [], fault,
    )  # fmt: skip
    mock.calls.append(call)
    return call


def _fire_fault(
    mock: TwilioShortCodeMock, req: ApiRequest, resource: Optional[str]
) -> Optional[Exception]:
    """The first matching scripted fault's outcome, chosen and used up in one atomic
    step, so that a fault for ``times=N`` fires exactly N times whatever the threads."""
    if not mock.faults:
        return None
    sid_of = mock._account.sid_of_number
    with mock._lock:
        fault = next((f for f in mock.faults if f.matches(req, resource, sid_of)), None)
        return None if fault is None else fault.fire(req.url)


def credentials(request: HttpRequest) -> Optional[str]:
    """The ``Authorization`` header, or Basic credentials built from the URL's userinfo
    (as requests, aiohttp and httpx do when they send such a URL)."""
    header = request.headers.get("authorization")
    if header:
        return header
    userinfo = urlsplit(request.url).netloc.rpartition("@")[0]
    if not userinfo:
        return None
    user, _, password = userinfo.partition(":")
    pair = f"{unquote(user)}:{unquote(password)}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def authenticate(mock: TwilioShortCodeMock, header: Optional[str]) -> None:
    """HTTP Basic with the account SID and auth token, or an API key and its secret."""
    if not header:
        raise mock._unauthenticated(None)
    scheme, _, encoded = header.partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip().encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError):
        raise mock._unauthenticated("") from None
    user, _, secret = decoded.partition(":")
    expected = mock.auth_token if user == mock.account_sid else mock._api_keys.get(user)
    if (
        scheme.lower() != "basic"
        or expected is None
        or not hmac.compare_digest(expected.encode(), secret.encode())
    ):
        raise mock._unauthenticated(user if scheme.lower() == "basic" else "")
