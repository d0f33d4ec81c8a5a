"""``TwilioShortCodeMock``: an in-memory Twilio account that answers the requests
``intercept`` hands it, through the route table, with schema-checked bodies; and the API
tests use to seed it, script faults, and inspect what happened.
"""

from __future__ import annotations

import os
import threading
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, TypeVar, Union

import responses

from . import intercept
from .model.account import Account
from .model.credentials import check_credentials
from .model.resources import ShortCode, new_sid
from .pipeline import Pipeline
from .testkit import seeding, views
from .testkit.calls import Call, Journal, assert_called, assert_not_called
from .testkit.faults import Fault, Faults, new_fault
from .testkit.records import ShortCodeRecord
from .testkit.report import teardown_report
from .testkit.seeding import check_options, given
from .testkit.sent import assert_sent
from .wire.auth import Credentials
from .wire.http import HttpAnswer, HttpRequest

if TYPE_CHECKING:
    from .serve.proxy import TwilioProxy
    from .webhooks import inbound

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["Call", "ShortCodeRecord", "TwilioShortCodeMock"]


class TwilioShortCodeMock:
    """A stateful, in-memory Twilio for the ShortCode resources.

    Use it as a pytest fixture (``twilio_shortcodes``), a context manager or a decorator.

    ``validate``: ``"all"`` (or True), ``"requests"``, ``"responses"``, ``"none"`` (or
    False): which bodies are checked against the bundled schemas. ``strict``: fail the
    test (at teardown) if any request broke its schema. ``passthrough``: host patterns
    (``fnmatch``) of non-Twilio hosts that may reach the network; Twilio hosts never do.
    ``frozen_clock``: the mock's clock stands still (at the second the account was made or
    reset) and moves only by ``advance_clock``, so dates compared in a test never depend on
    when a wall-clock second ticks.
    """

    def __init__(
        self, *, account_sid: Optional[str] = None, auth_token: Optional[str] = None,
        validate: Union[bool, str] = True, strict: bool = False,
        passthrough: Iterable[str] = ("*",), frozen_clock: bool = False,
    ) -> None:  # fmt: skip
        self.validate, self.passthrough = check_options(validate, strict, frozen_clock, passthrough)
        check_credentials(account_sid, auth_token)
        self.account_sid = account_sid or new_sid("AC")
        self.auth_token = auth_token or os.urandom(16).hex()
        self.strict, self.frozen_clock = strict, frozen_clock
        self._credentials = Credentials(self.account_sid, self.auth_token)
        self._account = Account(self.account_sid, frozen_clock=frozen_clock)
        journal = self._journal = Journal()
        self.calls, self.unmatched = journal.calls, journal.unmatched  # unmatched: not served
        self.response_failures = journal.response_failures
        self.refused: list[str] = []  # connections to Twilio hosts from clients not served
        self.faults: Faults = Faults()
        self._interception = intercept.Interception(self.passthrough)
        self._lock = threading.Lock()
        self._pipeline = Pipeline(self._credentials, self.faults, self._journal)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> TwilioShortCodeMock:
        self._interception.start(self)
        return self

    def stop(self) -> None:
        if self._started:
            self._interception.stop(self)  # and the proxy serve() started

    _started = property(lambda self: self._interception.started)

    @property
    def responses(self) -> Optional[responses.RequestsMock]:
        """A ``responses.RequestsMock`` for routes on other hosts, started on first use
        (None while this mock is stopped)."""
        return self._interception.others() if self._started else None

    def serve(self, port: int = 0) -> TwilioProxy:
        """Serve this mock to other processes: an HTTPS proxy on 127.0.0.1 (``port``, or
        a free one) until the mock stops. Pass ``{**os.environ, **proxy.env}`` to a child
        process and its Twilio traffic is answered here. Needs the ``[serve]`` extra."""
        return self._interception.serve(port, self._new_proxy)

    def _serve_across_stops(self) -> TwilioProxy:
        """A proxy serving this mock until stopped itself (the session server's)."""
        return self._interception.serve_across_stops(self._new_proxy)

    def _new_proxy(self, port: int) -> TwilioProxy:
        from .serve.served import proxy_for  # the [serve] extra, loaded on first use

        return proxy_for(self, port)

    def __enter__(self) -> TwilioShortCodeMock:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Decorate a function so that it runs with this mock started."""
        return intercept.started_during(self, func)

    def reset(self) -> None:
        """Forget every short code, service, message, API key, scripted fault and recorded call."""
        with self._lock:
            self._account = Account(self.account_sid, frozen_clock=self.frozen_clock)
            for part in (self._credentials, self._journal, self.refused, self.faults):
                part.clear()

    # -- seeding ----------------------------------------------------------------------------

    def add_short_code(
        self, short_code: str, *, country_code: str = "US", friendly_name: Optional[str] = None,
        capabilities: Iterable[str] = ("SMS",), sms_url: Optional[str] = None,
        sms_method: str = "POST", sms_fallback_url: Optional[str] = None,
        sms_fallback_method: str = "POST", api_version: str = "2010-04-01",
    ) -> str:  # fmt: skip
        """Put a short code in the account, as if bought; returns its ``SC`` SID.

        Bad arguments (not 5 or 6 digits, a number already in the account, a method other
        than GET/POST, ...) raise ``ValueError`` naming every problem."""
        return self._account.add_short_code(**given(locals())).sid

    def add_phone_number(
        self, phone_number: str, *, country_code: Optional[str] = None,
        friendly_name: Optional[str] = None, capabilities: Iterable[str] = ("voice", "SMS", "MMS"),
        sms_url: Optional[str] = None, sms_method: str = "POST",
        sms_fallback_url: Optional[str] = None, sms_fallback_method: str = "POST",
        status_callback: Optional[str] = None, status_callback_method: str = "POST",
        beta: bool = False, origin: str = "twilio",
    ) -> str:  # fmt: skip
        """Put a phone number (a long code, E.164) in the account, as if bought; returns its
        ``PN`` SID. ``capabilities``: any of ``voice``, ``SMS``, ``MMS``, ``fax`` (a number
        is SMS-capable unless told otherwise); ``country_code``: the number's, unless given.
        Bad arguments raise ``ValueError`` naming every problem."""
        return seeding.add_phone_number(self._account, **given(locals()))

    def add_short_codes(self, short_codes: Iterable[str], **attributes: Any) -> list[str]:
        """Buy many short codes (any iterable of numbers) with the same attributes."""
        return seeding.add_short_codes(self.add_short_code, short_codes, attributes)

    def add_messaging_service(
        self, friendly_name: str = "Messaging Service", inbound_request_url: Optional[str] = None,
        fallback_url: Optional[str] = None, *, inbound_method: str = "POST",
        fallback_method: str = "POST", short_codes: Iterable[str] = (),
        status_callback: Optional[str] = None,
        advanced_opt_out: Union[bool, Mapping[str, str]] = False,
        use_inbound_webhook_on_number: bool = False, alpha_sender: Optional[str] = None,
        phone_numbers: Iterable[str] = (),
    ) -> str:  # fmt: skip
        """A Messaging Service in the account; returns its ``MG`` SID. ``short_codes``
        (numbers or ``SC`` SIDs; numbers not yet in the account are bought) join it.
        ``status_callback``: where its messages' status changes go (unless a message
        names its own). ``advanced_opt_out``: True for Twilio's keyword handling with its
        standard replies, or the replies to use (``opt_out``, ``opt_in``, ``help``).
        Inbound SMS go to ``inbound_request_url``; with none they are dropped, unless
        ``use_inbound_webhook_on_number`` sends them to each sender's own URL.
        ``alpha_sender``: the service's alpha sender (``Services/{MG}/AlphaSenders``).
        ``phone_numbers`` (numbers or ``PN`` SIDs, bought if not in the account) join its
        pool beside the short codes."""
        return seeding.add_messaging_service(self._account, self.add_short_code,
                                             self.add_phone_number, **given(locals()))  # fmt: skip

    def add_proxy_service(
        self, unique_name: str = "Proxy Service", *, short_codes: Iterable[str] = ()
    ) -> str:
        """A Proxy Service in the account; returns its ``KS`` SID (``short_codes`` as for
        ``add_messaging_service``). Unique names are unique in the account: a taken one
        is a ``ValueError``."""
        return seeding.add_proxy_service(self._account, self.add_short_code, **given(locals()))

    def add_api_key(self) -> tuple[str, str]:
        """An API key (``SK`` SID, secret) that authenticates for this account."""
        return self._credentials.add_api_key()

    def freeze_clock(self) -> None:
        """Stop the mock's clock at the current second (it stays frozen across ``reset``);
        from then on only ``advance_clock`` moves it."""
        self.frozen_clock = True
        self._account.freeze_clock()

    def advance_clock(self, seconds: float) -> None:
        """Move the mock's clock forward (dates have one-second resolution, as Twilio's),
        by a thousand years at most in all; ``ValueError`` for less than 0, NaN or more."""
        self._account.advance_clock(seconds)

    # -- inbound messages -----------------------------------------------------------------

    def receive_sms(
        self, to: str, from_: str = "+15558675310", body: str = "",
        media_urls: Iterable[Union[str, tuple[str, str]]] = (),
        app: Optional[Callable[..., Iterable[bytes]]] = None, *, timeout: float = 15.0,
    ) -> inbound.Delivery:  # fmt: skip
        """Simulate an SMS (MMS with ``media_urls``: URLs, or ``(url, content_type)``)
        from ``from_`` to the short code ``to`` (number or SID), and deliver Twilio's
        webhook as Twilio would: to a WSGI ``app`` in-process, or over HTTP. Returns the
        delivery record: requests made, answers, which URL served, TwiML replies."""
        from .webhooks.receive import receive_sms  # loaded on first use: most suites never need it

        return receive_sms(self._account, self.auth_token, to, from_, body, media_urls, app,
                           timeout)  # fmt: skip

    # -- outbound messages ----------------------------------------------------------------

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every message of the account (sent, received, replies), oldest first, in
        Twilio's resource shape."""
        return views.messages(self._account)

    def assert_sent(self, *, times: Optional[int] = None, **fields: Any) -> list[dict[str, Any]]:
        """Assert outbound messages with these fields were sent (``times`` of them, or at
        least one); return them. ``from_`` stands for ``from``; any other field of the
        resource (``to``, ``body``, ``messaging_service_sid``, ``status``...) matches as is."""
        __tracebackhide__ = True
        return assert_sent(self.messages, fields, times)

    def add_opt_out(self, number: str, messaging_service_sid: str) -> None:
        """Seed an opt-out: ``number`` has replied STOP to this Messaging Service, which
        must have Advanced Opt-Out (Twilio keeps no list otherwise)."""
        account = self._account  # held for the call: a reset may replace it meanwhile
        account.add_opt_out(account.messaging_services[messaging_service_sid], number)

    def opted_out(self, messaging_service_sid: str) -> set[str]:
        """The numbers opted out of a Messaging Service."""
        return views.opted_out(self._account, messaging_service_sid)

    def fail_delivery(
        self, to: str, status: str = "undelivered", error_code: Optional[int] = None, times: int = 1
    ) -> None:
        """Script the outcome of the next ``times`` messages to ``to``: ``undelivered``
        (after ``sent``; error 30003 unless given) or ``failed`` (30008 unless given)."""
        self._account.fail_delivery(to, status, error_code, times)  # one account, even if reset

    def deliver_messages(
        self, app: Optional[Callable[..., Iterable[bytes]]] = None, *, timeout: float = 15.0
    ) -> list[inbound.WebhookAttempt]:
        """Move every pending message through Twilio's statuses (scheduled ones once the
        clock reaches their ``SendAt``), POSTing a signed status callback for each change;
        return the callbacks made, in order (to a WSGI ``app``, or over HTTP)."""
        from .webhooks.status_callbacks import deliver_messages

        return deliver_messages(self._account, self.auth_token, app, timeout)

    # -- scripted faults ------------------------------------------------------------------

    def fail_next(
        self, method: Optional[str] = None, resource: Optional[str] = None, *, times: int = 1,
        status: Optional[int] = None, error: Optional[type[Exception]] = None,
        code: Optional[int] = None, message: Optional[str] = None, short_code: Optional[str] = None,
        service: Optional[str] = None, retry_after: Optional[int] = None,
    ) -> Fault:  # fmt: skip
        """Make the next ``times`` matching requests fail, then serve normally again.

        Match by ``method`` and ``resource`` (a resource name such as
        ``"messaging.v1.service.short_code"`` or a prefix such as ``"messaging"``), and
        optionally by ``short_code`` (SID or number) or ``service`` SID. Fail with
        ``status`` (429 with ``Retry-After``, 500, 503, or any 4xx/5xx with ``code`` and
        ``message``) or ``error`` (``requests.ConnectionError``, ``requests.Timeout``).
        A faulted request changes no state."""
        return self.faults.add(new_fault(**given(locals())))

    # -- inspection and assertions ---------------------------------------------------------

    def short_code(self, sid_or_number: str) -> ShortCodeRecord:
        """A copy of the account's record of a short code, by SID or number (``KeyError``
        if none): a frozen ``ShortCodeRecord``."""
        return views.short_code_record(self._account, self._find(sid_or_number))

    def _find(self, sid_or_number: str) -> ShortCode:
        return views.find_short_code(self._account, sid_or_number)

    def snapshot(self) -> dict[str, Any]:
        """The whole account as plain data that ``json.dumps`` takes (short codes with
        every attribute, phone numbers as the API renders them, each service's members
        with their dates and reservation, the messages as the Messages resource renders
        them, the opt-outs): compare two to see whether anything changed."""
        return views.snapshot(self._account)

    def messaging_service_sid(self, friendly_name: str) -> str:
        """The SID of the Messaging Service with this friendly name."""
        return views.service_sid(self._account, "Messaging", friendly_name)

    def proxy_service_sid(self, unique_name: str) -> str:
        """The SID of the Proxy Service with this unique name."""
        return views.service_sid(self._account, "Proxy", unique_name)

    def messaging_service_short_codes(self, service_sid: str) -> list[str]:
        """The SIDs of the short codes in a Messaging Service, in the order they were added."""
        return views.member_sids(self._account, "Messaging", service_sid)

    def messaging_service_phone_numbers(self, service_sid: str) -> list[str]:
        """The SIDs of the phone numbers in a Messaging Service, in the order they were added."""
        return views.pool_phone_numbers(self._account, service_sid)

    def proxy_service_short_codes(self, service_sid: str) -> list[str]:
        """The SIDs of the short codes in a Proxy Service, in the order they were added."""
        return views.member_sids(self._account, "Proxy", service_sid)

    def assert_called(
        self, method: Optional[str] = None, path_or_resource: Optional[str] = None, *,
        times: Optional[int] = None, params: Optional[dict[str, str]] = None,
    ) -> list[Call]:  # fmt: skip
        """Assert matching calls were made (``times`` of them, or at least one); return them.

        ``path_or_resource``: a resource name or prefix (``"messaging"``), a path with
        optional ``*`` globs (``"/v1/Services/*/ShortCodes"``) or a full URL."""
        __tracebackhide__ = True
        return assert_called(list(self.calls), method, path_or_resource, times, params)

    def assert_not_called(
        self, method: Optional[str] = None, path_or_resource: Optional[str] = None, *,
        params: Optional[dict[str, str]] = None,
    ) -> None:  # fmt: skip
        """Assert no call matches (arguments as for ``assert_called``)."""
        __tracebackhide__ = True
        assert_not_called(list(self.calls), method, path_or_resource, params)

    def allow_invalid_requests(self) -> AbstractContextManager[None]:
        """Requests made in this block may break their schema without failing a strict
        test: they are still answered with Twilio's 400 and recorded with their findings."""
        return self._journal.excuse()

    def teardown_report(self) -> str:
        """What should fail the test, one problem a line; empty when all is well."""
        return teardown_report(
            self._journal, strict=self.strict, refused=self.refused, served=intercept.SERVED,
            faults=list(self.faults), failures=self._account.failures,
        )  # fmt: skip

    # -- the HTTP side ----------------------------------------------------------------------

    def respond(self, request: HttpRequest) -> HttpAnswer:
        """Answer one intercepted request to a Twilio host (called by ``intercept``)."""
        return self._pipeline.respond(request, self._account, self.validate)
