"""The one way through: one intercepted request in, Twilio's answer out.

parse -> route -> authenticate -> scripted fault? -> check params -> handler -> render ->
validate -> record. Every client the interception serves (and the ``serve`` proxy) hands
its request here as an ``HttpRequest``. The pipeline takes its collaborators (the
credentials, the scripted faults, the journal) and, per request, the account and which
bodies to validate: never the mock.
"""

from __future__ import annotations

import os
import random
from typing import Any, Optional

from . import schemas
from .apis import find_route
from .model.account import Account
from .model.errors import (
    TwilioError,
    method_not_allowed,
    missing_parameter,
    not_mocked,
    twilio_error,
    wrong_account,
)
from .testkit.calls import Call, Journal
from .testkit.faults import Faults
from .wire.auth import Credentials
from .wire.http import ApiRequest, HttpAnswer, HttpRequest, Reply, Route
from .wire.parse import parse_request
from .wire.render import json_bytes, render_error

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
# Request IDs need to differ, not to be secret: a generator of the package's own (seeded
# from the system's randomness), which a test that seeds ``random`` does not repeat.
_REQUEST_IDS = random.Random()
if hasattr(os, "register_at_fork"):  # a forked child draws its own
    os.register_at_fork(after_in_child=_REQUEST_IDS.seed)


class Pipeline:
    """Answers requests for one mock, through the collaborators it was built with."""

    def __init__(self, credentials: Credentials, faults: Faults, journal: Journal) -> None:
        self.credentials = credentials
        self.faults = faults
        self.journal = journal

    def respond(self, request: HttpRequest, account: Account, validate: str) -> HttpAnswer:
        """Answer one request to a Twilio host from ``account``; ``validate``: which
        bodies are checked against their schemas (``all``, ``requests``, ``responses``,
        ``none``)."""
        req = parse_request(request)
        route = find_route(req) if req.product else None
        resource = route.resource if route else None
        faulted = None
        try:
            if route is None:
                raise not_mocked(req.method, req.url)
            self.credentials.authenticate(request)
            faulted = self.faults.fire(req, resource, account.sid_of_number)
            if faulted is not None:
                if not isinstance(faulted, TwilioError):  # a connection error or timeout
                    self._record(req, resource, Reply(0), fault=True)
                raise faulted
            reply = dispatch(route, req, account, validate in ("all", "requests"))
        except TwilioError as error:
            reply = Reply(error.status, error.body(), "twilio.error")
            content, headers = render_error(error, req.xml), dict(error.headers)
            findings = error.findings
        else:
            content = b""
            if reply.body is not None:
                content = reply.xml(reply.body).encode() if reply.xml else json_bytes(reply.body)
            headers, findings = {}, []
        if reply.body is not None and validate in ("all", "responses"):
            found = schemas.checked(reply.body, reply.schema or "")
            if found:
                failure = schemas.SchemaValidationError(reply.schema or "", found)
                self.journal.response_failures.append(failure)
                raise failure
        call = self._record(req, resource, reply, findings, faulted is not None)
        if route is None:
            self.journal.unmatched.append(call)
        headers["Twilio-Request-Id"] = f"RQ{_REQUEST_IDS.getrandbits(128):032x}"
        if content:
            headers["Content-Type"] = XML_TYPE if req.xml else JSON_TYPE
            headers["Content-Length"] = str(len(content))  # a HEAD's too: the GET's length
        if req.method == "HEAD":  # headers only, as HTTP requires
            content = b""
        return HttpAnswer(reply.status, headers, content)

    def _record(
        self,
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
        self.journal.calls.append(call)
        return call


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
    missing parameter, else the catalogue entry the failing property names (its
    ``x-twilio-error``), or 20001 ``invalid_field``."""
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
    # the failing property's own answer: a catalogue entry's name (or its code)
    key = error.schema.get("x-twilio-error", "invalid_field")
    return twilio_error(key, field=name, value=params.get(name, ""))
