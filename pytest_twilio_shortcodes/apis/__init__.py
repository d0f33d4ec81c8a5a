"""The route table: which (host, method, path) each API module's handlers serve.

One module per Twilio resource (its routes, handlers and item renderers); adding an API
is one module and one line here. A path that no route knows is "not mocked"; a known
path with a method its route does not list is a 405 (``pipeline``).
"""

from __future__ import annotations

from typing import Optional

from ..wire.http import ApiRequest, Route
from . import (
    account,
    alpha_senders,
    incoming_phone_numbers,
    messages,
    messaging_services,
    messaging_v1,
    proxy_services,
    proxy_v1,
    service_phone_numbers,
)

# The route table: one line an API.
ROUTES: list[Route] = [
    *messaging_v1.ROUTES,
    *proxy_v1.ROUTES,
    *account.ROUTES,
    *messages.ROUTES,
    *messaging_services.ROUTES,
    *alpha_senders.ROUTES,
    *proxy_services.ROUTES,
    *incoming_phone_numbers.ROUTES,
    *service_phone_numbers.ROUTES,
]


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
    valid: set[str] = set()
    for route in ROUTES:
        parts = route.resource.split(".")
        valid.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    if name not in valid:
        raise ValueError(
            f"unknown Twilio resource {name!r}: give a resource name or a prefix of one, "
            f"one of {', '.join(sorted(valid))}{alternatives}"
        )
