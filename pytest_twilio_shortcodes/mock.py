"""``TwilioShortCodeMock``: an in-memory Twilio account that answers the requests
``intercept`` hands it, through the route table, with schema-checked bodies; and the API
tests use to seed it, script faults, and inspect what happened.
"""

from __future__ import annotations

import functools
import gc
import os
import threading
from contextlib import contextmanager
from datetime import timedelta
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Optional,
    TypeVar,
    Union,
)

import responses

from . import intercept, schemas
from .apis.incoming_phone_numbers import render as render_phone_number
from .apis.messages import render as render_message
from .model.account import Account
from .model.credentials import check_credentials
from .model.errors import TwilioError
from .model.outbox import opt_out_replies
from .model.resources import Service, ShortCode, new_sid
from .model.senders import number_of
from .model.services import inbound_route
from .pipeline import Pipeline
from .testkit.calls import Call, CallList, Journal, assert_called, assert_not_called
from .testkit.faults import Fault, Faults, new_fault
from .testkit.records import ShortCodeRecord, plain, record_of
from .testkit.sent import assert_sent
from .wire.auth import Credentials
from .wire.hosts import names_twilio_host
from .wire.http import HttpAnswer, HttpRequest

if TYPE_CHECKING:
    from .serve.proxy import TwilioProxy
    from .webhooks import inbound

F = TypeVar("F", bound=Callable[..., Any])
VALIDATE = {True: "all", False: "none", "all": "all", "none": "none", "requests": "requests",
            "responses": "responses"}  # fmt: skip

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
        self,
        *,
        account_sid: Optional[str] = None,
        auth_token: Optional[str] = None,
        validate: Union[bool, str] = True,
        strict: bool = False,
        passthrough: Iterable[str] = ("*",),
        frozen_clock: bool = False,
    ) -> None:
        if validate not in VALIDATE:
            raise ValueError(
                f"validate must be one of {sorted(map(str, VALIDATE))}, not {validate!r}"
            )
        if not isinstance(strict, bool):
            raise ValueError(f"strict must be True or False, not {strict!r}")
        if not isinstance(frozen_clock, bool):
            raise ValueError(f"frozen_clock must be True or False, not {frozen_clock!r}")
        check_credentials(account_sid, auth_token)
        self.account_sid = account_sid or new_sid("AC")
        self.auth_token = auth_token or os.urandom(16).hex()
        self.validate = VALIDATE[validate]
        self.strict = strict
        self.passthrough = tuple(passthrough)
        for pattern in self.passthrough:
            if names_twilio_host(pattern):
                raise ValueError(f"Twilio hosts never pass through: {pattern!r}")
        self._credentials = Credentials(self.account_sid, self.auth_token)
        self.frozen_clock = frozen_clock
        self._account = Account(self.account_sid, frozen_clock=frozen_clock)
        self._journal = Journal()
        self.calls: CallList = self._journal.calls
        # Twilio requests to routes this mock does not serve
        self.unmatched: list[Call] = self._journal.unmatched
        self.refused: list[str] = []  # connections to Twilio hosts from clients not served
        self.response_failures: list[schemas.SchemaValidationError] = (
            self._journal.response_failures
        )
        self.faults: Faults = Faults()
        self._excused: dict[int, Call] = {}  # made inside allow_invalid_requests()
        self._responses: Optional[responses.RequestsMock] = None
        self._proxy: Optional[TwilioProxy] = None
        self._proxy_outlives_stop = False  # the session server's proxy
        self._started = False
        self._lock = threading.Lock()
        self._pipeline = Pipeline(self._credentials, self.faults, self._journal)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> TwilioShortCodeMock:
        if self._started:
            raise RuntimeError("this TwilioShortCodeMock is already started")
        intercept.activate(self)
        self._started = True
        if self.passthrough != ("*",):
            self._others()  # other hosts must meet the passthrough rule from the start
        return self

    def stop(self) -> None:
        if not self._started:
            return
        if self._proxy is not None and not self._proxy_outlives_stop:
            self._proxy.stop()
            intercept.remove_own_proxy(self._proxy)
            self._proxy = None
        if self._responses is not None:
            self._responses.stop()
            self._responses.reset()
            self._responses = None
        intercept.deactivate(self)
        self._started = False

    @property
    def responses(self) -> Optional[responses.RequestsMock]:
        """A ``responses.RequestsMock`` for routes on other hosts, started on first use
        (None while this mock is stopped)."""
        return self._others() if self._started else None

    def _others(self) -> responses.RequestsMock:
        """Other hosts: the user's routes here, then whatever answered before (the
        network, or a ``responses`` mock started earlier), for the hosts allowed through."""
        if self._responses is None:
            self._responses = intercept.others_mock(self.passthrough)
        return self._responses

    def serve(self, port: int = 0) -> TwilioProxy:
        """Serve this mock to other processes: an HTTPS proxy on 127.0.0.1 (``port``, or
        a free one) until the mock stops. Pass ``{**os.environ, **proxy.env}`` to a child
        process and its Twilio traffic is answered here. Needs the ``[serve]`` extra."""
        if not self._started:
            raise RuntimeError("start the TwilioShortCodeMock before serve()")
        if self._proxy is None:
            self._proxy = self._new_proxy(port)
        elif port not in (0, self._proxy.port):
            raise ValueError(f"this mock is already served on port {self._proxy.port}")
        return self._proxy

    def _serve_across_stops(self) -> TwilioProxy:
        """A proxy serving this mock until it is stopped itself, whether the mock is
        started or not (the session server's); ``serve()`` returns it."""
        self._proxy, self._proxy_outlives_stop = self._new_proxy(0), True
        return self._proxy

    def _new_proxy(self, port: int) -> TwilioProxy:
        from .serve.control import MockControl
        from .serve.proxy import TwilioProxy, allowed_by

        proxy = TwilioProxy(
            self.respond,
            port,
            credentials=(self.account_sid, self.auth_token),
            allows=allowed_by(self.passthrough),
            control=MockControl(self),
        )
        intercept.add_own_proxy(proxy)  # this process's clients may CONNECT through it
        return proxy

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
        """Forget every short code, service, message, API key, scripted fault and recorded call."""
        with self._lock:
            self._account = Account(self.account_sid, frozen_clock=self.frozen_clock)
            self._credentials.clear()
            self._journal.clear()
            self.refused.clear()
            self.faults.clear()
            self._excused.clear()

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

    def add_phone_number(
        self,
        phone_number: str,
        *,
        country_code: Optional[str] = None,
        friendly_name: Optional[str] = None,
        capabilities: Iterable[str] = ("voice", "SMS", "MMS"),
        sms_url: Optional[str] = None,
        sms_method: str = "POST",
        sms_fallback_url: Optional[str] = None,
        sms_fallback_method: str = "POST",
        status_callback: Optional[str] = None,
        status_callback_method: str = "POST",
        beta: bool = False,
        origin: str = "twilio",
    ) -> str:
        """Put a phone number (a long code, E.164) in the account, as if bought; returns its
        ``PN`` SID. ``capabilities``: any of ``voice``, ``SMS``, ``MMS``, ``fax`` (a number
        is SMS-capable unless told otherwise); ``country_code``: the number's, unless given.
        Bad arguments raise ``ValueError`` naming every problem."""
        attributes = {k: v for k, v in locals().items() if k not in ("self", "phone_number")}
        with self._account.lock:
            return self._account.phone_numbers.add(phone_number, **attributes).sid

    def add_short_codes(self, short_codes: Iterable[str], **attributes: Any) -> list[str]:
        """Buy many short codes (any iterable of numbers) with the same attributes."""
        with _bulk():
            return [self.add_short_code(number, **attributes) for number in short_codes]

    def add_messaging_service(
        self,
        friendly_name: str = "Messaging Service",
        inbound_request_url: Optional[str] = None,
        fallback_url: Optional[str] = None,
        *,
        inbound_method: str = "POST",
        fallback_method: str = "POST",
        short_codes: Iterable[str] = (),
        status_callback: Optional[str] = None,
        advanced_opt_out: Union[bool, Mapping[str, str]] = False,
        use_inbound_webhook_on_number: bool = False,
        alpha_sender: Optional[str] = None,
        phone_numbers: Iterable[str] = (),
    ) -> str:
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
        service = self._account.add_messaging_service(
            friendly_name,
            inbound_request_url=inbound_request_url,
            fallback_url=fallback_url,
            inbound_method=inbound_method,
            fallback_method=fallback_method,
            status_callback=status_callback,
            advanced_opt_out=opt_out_replies(advanced_opt_out),
            use_inbound_webhook_on_number=use_inbound_webhook_on_number,
            alpha_sender=alpha_sender,
        )
        self._seed_members(service, short_codes, self._account.add_to_messaging_service)
        pool = self._account.phone_numbers
        join = lambda service, sid: pool.join(service.sid, sid, len(service.members))  # noqa: E731
        self._seed_members(service, phone_numbers, join, self._phone_number_sid)
        return service.sid

    def add_proxy_service(
        self, unique_name: str = "Proxy Service", *, short_codes: Iterable[str] = ()
    ) -> str:
        """A Proxy Service in the account; returns its ``KS`` SID (``short_codes`` as for
        ``add_messaging_service``). Unique names are unique in the account: a taken one
        is a ``ValueError``."""
        service = self._account.add_proxy_service(unique_name)
        self._seed_members(service, short_codes, self._account.add_to_proxy_service)
        return service.sid

    def _seed_members(
        self,
        service: Service,
        items: Iterable[str],
        join: Callable[[Service, str], Any],
        resolve: Optional[Callable[[str], str]] = None,
    ) -> None:
        """Each item (a SID, or a number: bought if not in the account) joins the service."""
        resolve = resolve or self._short_code_sid
        with _bulk():
            for item in items:
                sid = resolve(item)
                try:
                    join(service, sid)
                except TwilioError as error:
                    raise ValueError(f"{item}: {error.message}") from None

    def _short_code_sid(self, item: str) -> str:
        account = self._account
        sid = item if account.short_code(item) else account.sid_of_number(item)
        return self.add_short_code(item) if sid is None else sid

    def _phone_number_sid(self, item: str) -> str:
        found = self._account.phone_numbers.find(item)
        return self.add_phone_number(item) if found is None else found.sid

    def add_api_key(self) -> tuple[str, str]:
        """An API key (``SK`` SID, secret) that authenticates for this account."""
        return self._credentials.add_api_key()

    def freeze_clock(self) -> None:
        """Stop the mock's clock at the current second (it stays frozen across ``reset``);
        from then on only ``advance_clock`` moves it."""
        with self._account.lock:
            self.frozen_clock = True
            self._account.clock.freeze()

    def advance_clock(self, seconds: float) -> None:
        """Move the mock's clock forward (dates have one-second resolution, as Twilio's),
        by a thousand years at most in all; ``ValueError`` for less than 0, NaN or more."""
        with self._account.lock:
            clock = self._account.clock
            if not (seconds >= 0 and clock.offset.total_seconds() + seconds <= 1000 * 365 * 86400):
                raise ValueError(f"advance_clock moves forward, up to 1000 years, not {seconds!r}")
            clock.offset += timedelta(seconds=seconds)

    # -- inbound messages -----------------------------------------------------------------

    def receive_sms(
        self,
        to: str,
        from_: str = "+15558675310",
        body: str = "",
        media_urls: Iterable[Union[str, tuple[str, str]]] = (),
        app: Optional[Callable[..., Iterable[bytes]]] = None,
        *,
        timeout: float = 15.0,
    ) -> inbound.Delivery:
        """Simulate an SMS (MMS with ``media_urls``: URLs, or ``(url, content_type)``)
        from ``from_`` to the short code ``to`` (number or SID), and deliver Twilio's
        webhook as Twilio would: to a WSGI ``app`` in-process, or over HTTP. Returns the
        delivery record: requests made, answers, which URL served, TwiML replies."""
        from .webhooks import inbound  # loaded on first use: most suites never need it

        account = self._account
        with account.lock:
            record, service_sid = account.receiver(to)
            service = account.messaging_services.get(service_sid or "")
            route = inbound_route(service)
        if service is not None and route == "service":
            primary = inbound.Endpoint(service.inbound_request_url, service.inbound_method)
            fallback = inbound.Endpoint(service.fallback_url, service.fallback_method)
        else:
            primary = inbound.Endpoint(record.sms_url, record.sms_method)
            fallback = inbound.Endpoint(record.sms_fallback_url, record.sms_fallback_method)
        media = inbound.media_items(media_urls)
        # the account records the message (unless dropped); Advanced Opt-Out acts on keywords
        message, opt_out_type = account.receive_message(
            record, service, from_, body, [m[0] for m in media], logged=route != "dropped"
        )
        params = inbound.inbound_params(
            message_sid=message.sid,
            account_sid=self.account_sid,
            to=number_of(record),
            to_country=record.country_code,
            from_=from_,
            body=body,
            media=media,
            api_version=record.api_version,
            messaging_service_sid=service_sid,
        )
        if opt_out_type:
            params["OptOutType"] = opt_out_type
        delivery = inbound.Delivery(message.sid, params)
        if service is not None and route == "dropped":
            delivery.note = inbound.dropped_note(service.sid)
            return delivery
        inbound.deliver(delivery, primary, fallback, self.auth_token, app, timeout)
        account.record_replies(message, delivery.replies)
        return delivery

    # -- outbound messages ----------------------------------------------------------------

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every message of the account (sent, received, replies), oldest first, in
        Twilio's resource shape."""
        with self._account.lock:
            return [render_message(self.account_sid, m) for m in self._account.messages]

    def assert_sent(self, *, times: Optional[int] = None, **fields: Any) -> list[dict[str, Any]]:
        """Assert outbound messages with these fields were sent (``times`` of them, or at
        least one); return them. ``from_`` stands for ``from``; any other field of the
        resource (``to``, ``body``, ``messaging_service_sid``, ``status``...) matches as is."""
        __tracebackhide__ = True
        expected = {("from" if key == "from_" else key): value for key, value in fields.items()}
        return assert_sent(self.messages, expected, times)

    def add_opt_out(self, number: str, messaging_service_sid: str) -> None:
        """Seed an opt-out: ``number`` has replied STOP to this Messaging Service, which
        must have Advanced Opt-Out (Twilio keeps no list otherwise)."""
        account = self._account  # held for the call: a reset may replace it meanwhile
        account.add_opt_out(account.messaging_services[messaging_service_sid], number)

    def opted_out(self, messaging_service_sid: str) -> set[str]:
        """The numbers opted out of a Messaging Service."""
        with self._account.lock:
            return set(self._account.opted_out.get(messaging_service_sid, ()))

    def fail_delivery(
        self, to: str, status: str = "undelivered", error_code: Optional[int] = None, times: int = 1
    ) -> None:
        """Script the outcome of the next ``times`` messages to ``to``: ``undelivered``
        (after ``sent``; error 30003 unless given) or ``failed`` (30008 unless given)."""
        account = self._account  # held for the call: a reset may replace it meanwhile
        account.fail_delivery(to, status, error_code, times)

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
        self,
        method: Optional[str] = None,
        resource: Optional[str] = None,
        *,
        times: int = 1,
        status: Optional[int] = None,
        error: Optional[type[Exception]] = None,
        code: Optional[int] = None,
        message: Optional[str] = None,
        short_code: Optional[str] = None,
        service: Optional[str] = None,
        retry_after: Optional[int] = None,
    ) -> Fault:
        """Make the next ``times`` matching requests fail, then serve normally again.

        Match by ``method`` and ``resource`` (a resource name such as
        ``"messaging.v1.service.short_code"`` or a prefix such as ``"messaging"``), and
        optionally by ``short_code`` (SID or number) or ``service`` SID. Fail with
        ``status`` (429 with ``Retry-After``, 500, 503, or any 4xx/5xx with ``code`` and
        ``message``) or ``error`` (``requests.ConnectionError``, ``requests.Timeout``).
        A faulted request changes no state."""
        fault = new_fault(
            method,
            resource,
            times=times,
            status=status,
            error=error,
            code=code,
            message=message,
            short_code=short_code,
            service=service,
            retry_after=retry_after,
        )
        self.faults.add(fault)
        return fault

    # -- inspection and assertions ---------------------------------------------------------

    def short_code(self, sid_or_number: str) -> ShortCodeRecord:
        """A copy of the account's record of a short code, by SID or number (``KeyError``
        if none): a frozen ``ShortCodeRecord``."""
        account = self._account
        with account.lock:
            return self._record_of(self._find(sid_or_number))

    def _find(self, sid_or_number: str) -> ShortCode:
        account = self._account
        with account.lock:
            found = account.short_code(sid_or_number) or account.short_code(
                account.sid_of_number(sid_or_number) or ""
            )
        if found is None:
            raise KeyError(f"no short code {sid_or_number!r} in account {self.account_sid}")
        return found

    def _record_of(self, short_code: ShortCode) -> ShortCodeRecord:
        account = self._account
        return record_of(
            short_code,
            account.messaging_service_of(short_code.sid),
            account.proxy_service_of(short_code.sid),
        )

    def snapshot(self) -> dict[str, Any]:
        """The whole account as plain data that ``json.dumps`` takes (short codes with
        every attribute, phone numbers as the API renders them, each service's members
        with their dates and reservation, the messages, the opt-outs): compare two to see
        whether anything changed."""
        account = self._account
        with account.lock:
            return {
                "short_codes": {
                    sc.sid: self._record_of(sc).as_dict() for sc in account.short_codes
                },
                "phone_numbers": {
                    pn.sid: render_phone_number(self.account_sid, pn)
                    for pn in account.phone_numbers.records
                },
                "messaging_services": {
                    sid: [
                        plain({"sid": m.sid, "date_created": m.date_created,
                               "date_updated": m.date_updated})
                        for m in (*service.members, *account.phone_numbers.pool(sid))
                    ]
                    for sid, service in account.messaging_services.items()
                },
                "proxy_services": {
                    sid: [
                        plain({"sid": m.sid, "date_created": m.date_created,
                               "date_updated": m.date_updated, "is_reserved": m.is_reserved})
                        for m in service.members
                    ]
                    for sid, service in account.proxy_services.items()
                },
                "messages": [plain(dict(vars(m))) for m in account.messages],
                "opted_out": {
                    sid: sorted(numbers) for sid, numbers in account.opted_out.items()
                    if numbers
                },
            }  # fmt: skip

    def messaging_service_sid(self, friendly_name: str) -> str:
        """The SID of the Messaging Service with this friendly name."""
        with self._account.lock:
            found = [s.sid for s in self._account.messaging_services
                     if s.friendly_name == friendly_name]  # fmt: skip
        if len(found) != 1:
            raise KeyError(f"{len(found)} Messaging Services are named {friendly_name!r}")
        return found[0]

    def proxy_service_sid(self, unique_name: str) -> str:
        """The SID of the Proxy Service with this unique name."""
        with self._account.lock:
            found = self._account.proxy_service_named(unique_name)
        if found is None:
            raise KeyError(f"0 Proxy Services are named {unique_name!r}")
        return found.sid

    def messaging_service_short_codes(self, service_sid: str) -> list[str]:
        """The SIDs of the short codes in a Messaging Service, in the order they were added."""
        with self._account.lock:
            return [m.sid for m in self._account.messaging_services[service_sid].members]

    def messaging_service_phone_numbers(self, service_sid: str) -> list[str]:
        """The SIDs of the phone numbers in a Messaging Service, in the order they were added."""
        with self._account.lock:
            return [m.sid for m in self._account.phone_numbers.pool(service_sid)]

    def proxy_service_short_codes(self, service_sid: str) -> list[str]:
        """The SIDs of the short codes in a Proxy Service, in the order they were added."""
        with self._account.lock:
            return [m.sid for m in self._account.proxy_services[service_sid].members]

    def assert_called(
        self,
        method: Optional[str] = None,
        path_or_resource: Optional[str] = None,
        *,
        times: Optional[int] = None,
        params: Optional[dict[str, str]] = None,
    ) -> list[Call]:
        """Assert matching calls were made (``times`` of them, or at least one); return them.

        ``path_or_resource``: a resource name or prefix (``"messaging"``), a path with
        optional ``*`` globs (``"/v1/Services/*/ShortCodes"``) or a full URL."""
        __tracebackhide__ = True
        return assert_called(list(self.calls), method, path_or_resource, times, params)

    def assert_not_called(
        self,
        method: Optional[str] = None,
        path_or_resource: Optional[str] = None,
        *,
        params: Optional[dict[str, str]] = None,
    ) -> None:
        """Assert no call matches (arguments as for ``assert_called``)."""
        __tracebackhide__ = True
        assert_not_called(list(self.calls), method, path_or_resource, params)

    @contextmanager
    def allow_invalid_requests(self) -> Iterator[None]:
        """Requests made in this block may break their schema without failing a strict
        test: they are still answered with Twilio's 400 and recorded with their findings."""
        start = len(self.calls)
        try:
            yield
        finally:
            self._excused.update((id(call), call) for call in self.calls[start:])

    def teardown_report(self) -> str:
        """What should fail the test, one problem a line; empty when all is well."""
        sections = []
        if self.unmatched:
            sections.append(
                [f"{len(self.unmatched)} request(s) to Twilio routes this mock does not serve:"]
                + [f"  {call.method} {call.url}" for call in self.unmatched]
            )
        if self.refused:
            sections.append(
                [
                    f"{len(self.refused)} connection(s) to Twilio refused, from clients the "
                    f"mock does not serve (it serves {intercept.SERVED}):"
                ]
                + [f"  {attempt}" for attempt in self.refused]
            )
        if self.response_failures:
            sections.append(
                [f"{len(self.response_failures)} response(s) broke their schema:"]
                + ["  " + str(f).replace("\n", "\n  ") for f in self.response_failures]
            )
        invalid = [c for c in self.calls if c.schema_errors and id(c) not in self._excused]
        if self.strict and invalid:
            lines = [f"{len(invalid)} request(s) broke their schema (strict mode):"]
            for call in invalid:
                lines.append(f"  {call}")
                lines += [f"    {path}: {message}" for path, message in call.schema_errors]
            lines.append(
                "  To send invalid requests on purpose, make them inside "
                "`with twilio_shortcodes.allow_invalid_requests():`, or turn strict mode off "
                "for the test: @pytest.mark.twilio_shortcodes(strict=False)."
            )
            sections.append(lines)
        unused = [fault for fault in self.faults if fault.remaining > 0]
        if unused:
            sections.append(
                [f"{len(unused)} scripted fault(s) were not used up:"]
                + [f"  {fault.describe()}" for fault in unused]
            )
        unused_failures = [f for f in self._account.failures if f.remaining > 0]
        if unused_failures:
            sections.append(
                [f"{len(unused_failures)} scripted delivery failure(s) were not used up:"]
                + [f"  {failure.describe()}" for failure in unused_failures]
            )
        return "\n".join("pytest-twilio-shortcodes: " + "\n".join(lines) for lines in sections)

    # -- the HTTP side ----------------------------------------------------------------------

    def respond(self, request: HttpRequest) -> HttpAnswer:
        """Answer one intercepted request to a Twilio host (called by ``intercept``)."""
        return self._pipeline.respond(request, self._account, self.validate)


@contextmanager
def _bulk() -> Iterator[None]:
    """Seeding allocates many objects that live on: pause the cyclic garbage collector,
    which would otherwise walk the growing heap again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
