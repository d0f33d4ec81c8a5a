"""The route table: which (host, method, path) each handler serves, and dispatch.

One table for all three APIs. A path that no route knows is "not mocked"; a known path
with a method its route does not list is a 405.
"""

from __future__ import annotations

import re
from typing import Any, Optional
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from . import schemas
from .apis import account, messages, messaging_v1, proxy_v1
from .errors import TwilioError, method_not_allowed, missing_parameter, wrong_account
from .state import Account
from .wire import ApiRequest, HttpRequest, Reply, Route

_PRODUCT_HOST = re.compile(r"^(messaging|proxy|api)(?:\.[a-z0-9-]+){0,2}\.twilio\.com$")


# The route table: one line an API.
ROUTES: list[Route] = [*messaging_v1.ROUTES, *proxy_v1.ROUTES, *account.ROUTES, *messages.ROUTES]


def find_route(req: ApiRequest) -> Optional[Route]:
    for route in ROUTES:
        if route.product != req.product:
            continue
        match = route.pattern.fullmatch(req.path)
        if match:
            req.args = {k: v for k, v in match.groupdict().items() if v is not None}
            return route
    return None


def check_resource(name: str, alternatives: str = "") -> None:
    """``name`` must be a resource the route table serves (``messaging.v1.service.short_code``)
    or a dotted prefix of one (``messaging``): else a ``ValueError`` that lists them all
    (and ``alternatives``, what else the caller accepts)."""
    valid = set()
    for route in ROUTES:
        parts = route.resource.split(".")
        valid.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    if name not in valid:
        raise ValueError(
            f"unknown Twilio resource {name!r}: give a resource name or a prefix of one, "
            f"one of {', '.join(sorted(valid))}{alternatives}"
        )


def product_of(host: str) -> Optional[str]:
    match = _PRODUCT_HOST.fullmatch(host)
    return match.group(1) if match else None


def wants_xml(product: Optional[str], path: str) -> bool:
    """JSON on the v1 hosts; on api.twilio.com, JSON only for ``.json`` paths."""
    return product == "api" and (path.startswith("/2008-08-01/") or not path.endswith(".json"))


def dispatch(route: Route, req: ApiRequest, account: Account, check: bool = True) -> Reply:
    """Run the route's handler, holding the account's lock: every request reads and
    writes the account in one atomic step. ``check``: hold the parameters to the request
    schema. HEAD runs GET's handler (the body is dropped later)."""
    handler = route.methods.get("GET" if req.method == "HEAD" else req.method)
    if handler is None:
        raise method_not_allowed(req.method, req.path)
    if req.args.get("account", account.sid) != account.sid:
        raise wrong_account(req.args["account"])
    schema_name = route.request_schemas.get(req.method)
    if schema_name and check:
        check_request(req.params, schema_name)
    with account.lock:
        return handler(req, account)


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


def parse_request(request: HttpRequest) -> ApiRequest:
    """The parts of a request the route table and handlers need, parsed once."""
    method, url = request.method, request.url
    parts = urlsplit(url)
    if "@" in parts.netloc:  # credentials in the URL: used to authenticate, never recorded
        url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    host = (parts.hostname or "").rstrip(".").lower()
    product = product_of(host)
    if method in ("POST", "PUT", "PATCH"):
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        form = content_type in ("", "application/x-www-form-urlencoded")
        params, repeated = _first_values(request.body.decode("utf-8", "replace") if form else "")
    else:
        params, repeated = _first_values(parts.query)
    return ApiRequest(
        method=method,
        url=url,
        host=host,
        product=product,
        path=parts.path or "/",
        params=params,
        xml=wants_xml(product, parts.path),
        repeated=repeated,
    )


def _first_values(encoded: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Form or query parameters; where one is repeated, its first value counts (and the
    second dict holds all its values, for the few parameters that repeat by design)."""
    params: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        if key in params:
            repeated.setdefault(key, [params[key]]).append(value)
        else:
            params[key] = value
    return params, repeated
