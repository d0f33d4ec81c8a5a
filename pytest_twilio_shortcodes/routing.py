"""The route table: which (host, method, path) each handler serves, and dispatch.

One table for all three APIs. A path that no route knows is "not mocked"; a known path
with a method its route does not list is a 405.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import parse_qsl, urlsplit

import requests

from . import schemas
from .errors import TwilioError, method_not_allowed, missing_parameter, wrong_account
from .state import Account

# Any host under twilio.com, however it is written (case, trailing dot, port).
TWILIO_URL = re.compile(
    r"^https?://(?P<host>(?:[^/?#@:]*\.)?twilio\.com)\.?(?::\d+)?(?=[/?#]|$)", re.IGNORECASE
)
_PRODUCT_HOST = re.compile(r"^(messaging|proxy|api)(?:\.[a-z0-9-]+){0,2}\.twilio\.com$")


@dataclass
class ApiRequest:
    """A request to a Twilio host, parsed once."""

    method: str
    url: str
    host: str  # lower case, no port or trailing dot
    product: Optional[str]  # "messaging", "proxy", "api" or None for other Twilio hosts
    path: str
    params: dict[str, str]  # the query string on GET, the form body on POST
    xml: bool  # answer in XML (2010 without .json, .xml, and 2008)
    args: dict[str, str] = field(default_factory=dict)  # the path's named parts

    @property
    def base(self) -> str:
        """Scheme and host for absolute URLs: the host the request used."""
        return f"https://{self.host}"


@dataclass
class Reply:
    status: int
    body: Optional[dict[str, Any]] = None  # the JSON shape; XML is rendered from it
    schema: Optional[str] = None  # the schema ``body`` must satisfy
    xml: Optional[Callable[[dict[str, Any]], str]] = None  # renders ``body`` as XML


Handler = Callable[[ApiRequest, Account], Reply]


@dataclass(frozen=True)
class Route:
    product: str
    pattern: re.Pattern[str]
    resource: str  # the resource schema name, used to describe and filter calls
    methods: dict[str, Handler]
    request_schemas: dict[str, str] = field(default_factory=dict)


def route_table() -> list[Route]:
    from .apis import account, messaging_v1, proxy_v1

    return [*messaging_v1.ROUTES, *proxy_v1.ROUTES, *account.ROUTES]


_ROUTES: list[Route] = []


def find_route(req: ApiRequest) -> Optional[Route]:
    if not _ROUTES:
        _ROUTES.extend(route_table())
    for route in _ROUTES:
        if route.product != req.product:
            continue
        match = route.pattern.match(req.path)
        if match:
            req.args = {k: v for k, v in match.groupdict().items() if v is not None}
            return route
    return None


def product_of(host: str) -> Optional[str]:
    match = _PRODUCT_HOST.match(host)
    return match.group(1) if match else None


def wants_xml(product: Optional[str], path: str) -> bool:
    """JSON on the v1 hosts; on api.twilio.com, JSON only for ``.json`` paths."""
    return product == "api" and (path.startswith("/2008-08-01/") or not path.endswith(".json"))


def dispatch(route: Route, req: ApiRequest, account: Account, check: bool = True) -> Reply:
    """Run the route's handler; ``check``: hold the parameters to the request schema."""
    handler = route.methods.get(req.method)
    if handler is None:
        raise method_not_allowed(req.method, req.path)
    if req.args.get("account", account.sid) != account.sid:
        raise wrong_account(req.args["account"])
    schema_name = route.request_schemas.get(req.method)
    if schema_name and check:
        check_request(req.params, schema_name)
    return handler(req, account)


def required(req: ApiRequest, name: str) -> str:
    """A parameter the handler cannot do without (the request schema may be off)."""
    if name not in req.params:
        raise missing_parameter(name)
    return req.params[name]


def check_request(params: dict[str, str], schema_name: str) -> None:
    """Answer a request whose parameters break its schema as Twilio would: 20001 for a
    missing parameter, else the error the failing property names (``x-twilio-error``)."""
    errors = schemas.raw_errors(params, schema_name)
    if not errors:
        return
    answer = _twilio_error(errors, params)
    answer.findings = [(schemas.json_path(e), e.message) for e in errors]
    raise answer


def _twilio_error(errors: list[Any], params: dict[str, str]) -> TwilioError:
    for error in errors:
        if error.validator == "required":
            missing = [name for name in error.validator_value if name not in params]
            return missing_parameter(missing[0])
    error = errors[0]
    name = str(error.absolute_path[0])
    template = error.schema.get("x-twilio-error", {})  # the failing property's own answer
    message = template.get("message", "Invalid parameter {field}: {value!r}")
    return TwilioError(
        template.get("status", 400),
        template.get("code", 20001),
        message.format(field=name, value=params.get(name, "")),
    )


def parse_request(request: requests.PreparedRequest) -> ApiRequest:
    """The parts of a request the route table and handlers need, parsed once."""
    method = (request.method or "GET").upper()
    url = request.url or ""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    product = product_of(host)
    if method in ("POST", "PUT", "PATCH"):
        content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = request.body or ""
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        form = content_type in ("", "application/x-www-form-urlencoded")
        params = _first_values(body if form and isinstance(body, str) else "")
    else:
        params = _first_values(parts.query)
    return ApiRequest(
        method=method,
        url=url,
        host=host,
        product=product,
        path=parts.path or "/",
        params=params,
        xml=wants_xml(product, parts.path),
    )


def _first_values(encoded: str) -> dict[str, str]:
    """Form or query parameters; where one is repeated, its first value counts."""
    params: dict[str, str] = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        params.setdefault(key, value)
    return params
