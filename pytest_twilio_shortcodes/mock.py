"""``TwilioShortCodeMock``: intercepts requests to Twilio hosts and answers them from an
in-memory account, through the route table, with schema-checked bodies."""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import json
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, TypeVar
from urllib.parse import parse_qsl, urlsplit

import requests
import responses

from . import schemas
from .errors import TwilioError, not_mocked, render_error, unauthenticated
from .routing import TWILIO_URL, ApiRequest, Reply, dispatch, find_route, product_of, wants_xml
from .state import Account, ShortCode, new_sid

F = TypeVar("F", bound=Callable[..., Any])
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# Non-Twilio URLs are passed through untouched; a Twilio URL never is.
NOT_TWILIO = re.compile(r"^(?!" + TWILIO_URL.pattern[1:] + ")", re.IGNORECASE)
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"


@dataclass
class Call:
    """One request the mock answered."""

    method: str
    url: str
    path: str
    params: dict[str, str]
    status: int
    body: Any  # the parsed response: the JSON body, or for XML the JSON shape it renders
    resource: Optional[str]  # e.g. "messaging.v1.service.short_code"; None if not mocked
    schema_errors: list[tuple[str, str]] = field(default_factory=list)  # request findings


class TwilioShortCodeMock:
    """A stateful, in-memory Twilio for the ShortCode resources.

    Use it as a pytest fixture (``twilio_shortcodes``), a context manager or a decorator.
    """

    def __init__(
        self,
        *,
        account_sid: Optional[str] = None,
        auth_token: Optional[str] = None,
        validate: bool = True,
    ) -> None:
        self.account_sid = account_sid or new_sid("AC")
        self.auth_token = auth_token or os.urandom(16).hex()
        self.validate = validate
        self._api_keys: dict[str, str] = {}
        self._account = Account(self.account_sid)
        self.calls: list[Call] = []
        self.unmatched: list[Call] = []  # Twilio requests to routes this mock does not serve
        self.response_failures: list[schemas.SchemaValidationError] = []
        self.responses: Optional[responses.RequestsMock] = None
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> TwilioShortCodeMock:
        if self.responses is not None:
            raise RuntimeError("this TwilioShortCodeMock is already started")
        schemas.compile_all()
        # Pass other hosts to whatever answers requests now (the network, or a
        # ``responses`` mock the test started earlier).
        mock = responses.RequestsMock(
            assert_all_requests_are_fired=False,
            real_adapter_send=requests.adapters.HTTPAdapter.send,
        )
        for method in METHODS:
            mock.add_callback(method, TWILIO_URL, callback=self._respond, content_type=None)
        mock.add_passthru(NOT_TWILIO)
        mock.start()
        self.responses = mock
        return self

    def stop(self) -> None:
        if self.responses is not None:
            self.responses.stop()
            self.responses.reset()
            self.responses = None

    def __enter__(self) -> TwilioShortCodeMock:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Decorate a function so that it runs with this mock started."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def reset(self) -> None:
        """Forget every short code, service, API key and recorded call."""
        with self._lock:
            self._account = Account(self.account_sid)
            self._api_keys.clear()
            self.calls.clear()
            self.unmatched.clear()
            self.response_failures.clear()

    # -- seeding ----------------------------------------------------------------------------

    def add_short_code(
        self,
        short_code: str,
        *,
        country_code: str = "US",
        friendly_name: Optional[str] = None,
        capabilities: Iterable[str] = ("SMS",),
        sms_url: Optional[str] = None,
        sms_method: str = "POST",
        sms_fallback_url: Optional[str] = None,
        sms_fallback_method: str = "POST",
        api_version: str = "2010-04-01",
    ) -> str:
        """Put a short code in the account, as if bought; returns its ``SC`` SID.

        Bad arguments (not 5 or 6 digits, a number already in the account, a method other
        than GET/POST, ...) raise ``ValueError`` naming every problem."""
        return self._account.add_short_code(
            short_code,
            country_code=country_code,
            friendly_name=friendly_name,
            capabilities=capabilities,
            sms_url=sms_url,
            sms_method=sms_method,
            sms_fallback_url=sms_fallback_url,
            sms_fallback_method=sms_fallback_method,
            api_version=api_version,
        ).sid

    def add_messaging_service(
        self,
        friendly_name: str = "Messaging Service",
        inbound_request_url: Optional[str] = None,
        fallback_url: Optional[str] = None,
    ) -> str:
        """A Messaging Service in the account; returns its ``MG`` SID."""
        return self._account.add_service(
            "MG", friendly_name, inbound_request_url=inbound_request_url, fallback_url=fallback_url
        ).sid

    def add_proxy_service(self, unique_name: str = "Proxy Service") -> str:
        """A Proxy Service in the account; returns its ``KS`` SID."""
        return self._account.add_service("KS", unique_name).sid

    def add_api_key(self) -> tuple[str, str]:
        """An API key (``SK`` SID, secret) that authenticates for this account."""
        key_sid, secret = new_sid("SK"), os.urandom(16).hex()
        self._api_keys[key_sid] = secret
        return key_sid, secret

    def advance_clock(self, seconds: float) -> None:
        """Move the mock's clock forward (dates have one-second resolution, as Twilio's)."""
        from datetime import timedelta

        self._account.clock.offset += timedelta(seconds=seconds)

    # -- inspection ---------------------------------------------------------------------

    def short_code(self, sid_or_number: str) -> ShortCode:
        """The account's record of a short code, by SID or number (``KeyError`` if none)."""
        account = self._account
        with account.lock:
            found = account.short_code(sid_or_number) or next(
                (sc for sc in account.short_codes if sc.short_code == sid_or_number), None
            )
        if found is None:
            raise KeyError(f"no short code {sid_or_number!r} in account {self.account_sid}")
        return found

    def messaging_service_short_codes(self, service_sid: str) -> list[str]:
        """The SIDs of the short codes in a Messaging Service, in the order they were added."""
        return [m.sid for m in self._account.messaging_services[service_sid].members]

    def proxy_service_short_codes(self, service_sid: str) -> list[str]:
        """The SIDs of the short codes in a Proxy Service, in the order they were added."""
        return [m.sid for m in self._account.proxy_services[service_sid].members]

    def teardown_report(self) -> str:
        """What should fail the test: unmocked Twilio routes and invalid responses."""
        lines = []
        if self.unmatched:
            lines.append(
                f"pytest-twilio-shortcodes: {len(self.unmatched)} request(s) to Twilio "
                "routes this mock does not serve:"
            )
            lines += [f"  {call.method} {call.url}" for call in self.unmatched]
        if self.response_failures:
            lines.append(
                f"pytest-twilio-shortcodes: {len(self.response_failures)} response(s) "
                "failed their schema:"
            )
            lines += ["  " + str(f).replace("\n", "\n  ") for f in self.response_failures]
        return "\n".join(lines)

    # -- the HTTP side ----------------------------------------------------------------------

    def _respond(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        req = _parse(request)
        resource: Optional[str] = None
        findings: list[tuple[str, str]] = []
        route = find_route(req) if req.product else None
        try:
            if route is None:
                raise not_mocked(req.method, req.url)
            resource = route.resource
            self._authenticate(request.headers.get("Authorization"))
            reply = dispatch(route, req, self._account)
        except TwilioError as error:
            findings = error.findings
            reply = Reply(error.status, error.body(), "twilio.error")
            text, headers = render_error(error, req.xml), dict(error.headers)
        else:
            headers = {}
            text = ""
            if reply.body is not None:
                text = reply.xml(reply.body) if reply.xml else json.dumps(reply.body)
        if reply.body is not None and self.validate:
            found = schemas.findings(reply.body, reply.schema or "")
            if found:
                failure = schemas.SchemaValidationError(reply.schema or "", found)
                self.response_failures.append(failure)
                raise failure
        call = Call(req.method, req.url, req.path, req.params, reply.status, reply.body, resource)
        call.schema_errors = findings
        self.calls.append(call)
        if route is None:
            self.unmatched.append(call)
        headers["Twilio-Request-Id"] = "RQ" + os.urandom(16).hex()
        if text:
            headers["Content-Type"] = XML_TYPE if req.xml else JSON_TYPE
        return reply.status, headers, text

    def _authenticate(self, header: Optional[str]) -> None:
        if not header:
            raise unauthenticated(credentials_given=False)
        scheme, _, encoded = header.partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise unauthenticated(credentials_given=True) from None
        user, _, secret = decoded.partition(":")
        expected = self.auth_token if user == self.account_sid else self._api_keys.get(user)
        if (
            scheme.lower() != "basic"
            or expected is None
            or not hmac.compare_digest(expected.encode(), secret.encode())
        ):
            raise unauthenticated(credentials_given=True)


def _parse(request: requests.PreparedRequest) -> ApiRequest:
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
