"""A mock served to other processes: the proxy built from what it needs of the mock."""

from __future__ import annotations

from typing import Protocol

from ..wire.http import HttpAnswer, HttpRequest
from .control import Controlled, MockControl
from .proxy import TwilioProxy, allowed_by


class Served(Controlled, Protocol):
    """What a proxy serves: the control API's members, the passthrough rule and the
    answer to a Twilio request."""

    passthrough: tuple[str, ...]

    def respond(self, request: HttpRequest) -> HttpAnswer: ...


def proxy_for(mock: Served, port: int) -> TwilioProxy:
    """A proxy on 127.0.0.1 (``port``, or a free one) serving ``mock``: its answers, its
    credentials for the child's environment, its passthrough rule and the control API."""
    return TwilioProxy(
        mock.respond,
        port,
        credentials=(mock.account_sid, mock.auth_token),
        allows=allowed_by(mock.passthrough),
        control=MockControl(mock),
    )
