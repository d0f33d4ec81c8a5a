"""Inbound SMS on a short code: Twilio's webhook request, delivered to the application.

Routing as Twilio does it (``model.services.inbound_route``): the short code's own
``sms_url`` when it is in no Messaging Service or its service defers to it
(``use_inbound_webhook_on_number``); else the service's inbound request URL, and with none
the message is dropped; the matching fallback URL when the first answer is not a 2xx with
valid TwiML. Every request carries
``X-Twilio-Signature`` computed with the account's auth token.

Delivery goes to a WSGI application in-process (``app=``), or over HTTP with
``urllib.request``, which no ``responses`` mock intercepts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import io
import mimetypes
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Union
from urllib.parse import unquote, urlencode, urlsplit

from ..model.catalogue import entry
from ..model.messages import ReplyMessage
from ..model.sms import country_of, segments
from ..wire.hosts import TWILIO_URL

# The failures Twilio records before it tries the fallback URL (its debugger's codes).
HTTP_RETRIEVAL_FAILURE = entry("http_retrieval_failure").code  # the URL answered a non-2xx
HTTP_CONNECTION_FAILURE = entry("http_connection_failure").code  # no connection, or no answer
DOCUMENT_PARSE_FAILURE = entry("document_parse_failure").code  # the answer is not valid TwiML

MediaItem = Union[str, tuple[str, str]]
WsgiApp = Callable[..., Iterable[bytes]]


@dataclass
class WebhookAttempt:
    """One request Twilio made to the application, and what came back."""

    url: str
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    status: Optional[int] = None  # None: no answer (connection failure or timeout)
    body: str = ""
    error_code: Optional[int] = None  # why this attempt failed, if it did
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error_code is None


@dataclass
class Delivery:
    """What happened to one inbound message."""

    message_sid: str
    params: dict[str, str]
    attempts: list[WebhookAttempt] = field(default_factory=list)
    served_by: Optional[str] = None  # "primary", "fallback", or None when nothing served
    replies: list[ReplyMessage] = field(default_factory=list)
    note: str = ""  # e.g. why no request was made

    @property
    def served_url(self) -> Optional[str]:
        return next((a.url for a in self.attempts if a.ok), None)


@dataclass(frozen=True)
class Endpoint:
    url: Optional[str]
    method: str


def inbound_params(
    *,
    message_sid: str,
    account_sid: str,
    to: str,
    to_country: str,
    from_: str,
    body: str,
    media: list[tuple[str, str]],
    api_version: str,
    messaging_service_sid: Optional[str],
) -> dict[str, str]:
    """The parameters Twilio sends for an inbound SMS or MMS."""
    params = {
        "ToCountry": to_country,
        "ToState": "",
        "SmsMessageSid": message_sid,
        "NumMedia": str(len(media)),
        "ToCity": "",
        "FromZip": "",
        "SmsSid": message_sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": country_of(from_),
        "To": to,
        "ToZip": "",
        "NumSegments": str(segments(body)),
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": api_version,
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    for n, (url, content_type) in enumerate(media):
        params[f"MediaContentType{n}"] = content_type
        params[f"MediaUrl{n}"] = url
    return params


def media_items(items: Iterable[MediaItem]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        url, content_type = (item, "") if isinstance(item, str) else item
        content_type = content_type or mimetypes.guess_type(url)[0] or "application/octet-stream"
        out.append((url, content_type))
    return out


def signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """``X-Twilio-Signature``: HMAC-SHA1 of the URL and, for POST, the sorted parameters."""
    payload = url + "".join(key + params[key] for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def dropped_note(service_sid: str) -> str:
    """Why no request was made: the sender's Messaging Service has no inbound request URL
    and does not defer to the sender's own (``use_inbound_webhook_on_number``)."""
    return (
        f"the message was dropped: Messaging Service {service_sid} has no inbound request "
        "URL and does not use the sender's own (use_inbound_webhook_on_number), so Twilio "
        "makes no request and does not log the message"
    )


def deliver(
    delivery: Delivery,
    primary: Endpoint,
    fallback: Endpoint,
    auth_token: str,
    app: Optional[WsgiApp],
    timeout: float,
) -> Delivery:
    if not primary.url:
        delivery.note = "no inbound URL is configured: no request was made"
        return delivery
    attempt = call(primary, delivery.params, auth_token, app, timeout)
    delivery.attempts.append(attempt)
    if attempt.ok:
        delivery.served_by = "primary"
    elif fallback.url:
        params = {**delivery.params, "ErrorCode": str(attempt.error_code), "ErrorUrl": primary.url}
        second = call(fallback, params, auth_token, app, timeout)
        delivery.attempts.append(second)
        if second.ok:
            delivery.served_by = "fallback"
    served = next((a for a in delivery.attempts if a.ok), None)
    if served is not None:
        delivery.replies = parse_replies(served.body, delivery.params)
    else:
        delivery.note = "no URL answered with valid TwiML"
    return delivery


def call(
    endpoint: Endpoint,
    params: dict[str, str],
    auth_token: str,
    app: Optional[WsgiApp],
    timeout: float,
    twiml: bool = True,
) -> WebhookAttempt:
    """One signed request to the application; ``twiml``: the answer must be TwiML (the
    message webhooks), or any 2xx will do (status callbacks)."""
    assert endpoint.url is not None
    method = endpoint.method
    try:
        base, authorization = _without_userinfo(endpoint.url)
    except ValueError as error:  # an IPv6 literal left open, ...: no request can be made
        attempt = WebhookAttempt(endpoint.url, method, dict(params), {})
        attempt.error_code, attempt.error = HTTP_CONNECTION_FAILURE, f"invalid URL: {error}"
        return attempt
    if method == "GET":
        separator = "&" if urlsplit(base).query else "?"
        url, data, signed = base + separator + urlencode(params), b"", {}
    else:
        url, data, signed = base, urlencode(params).encode(), params
    headers = {
        # Signed for the URL the application sees: without the credentials.
        "X-Twilio-Signature": signature(auth_token, url, signed),
        "User-Agent": "TwilioProxy/1.1",
        "Accept": "*/*",
    }
    if authorization:
        headers["Authorization"] = authorization
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    attempt = WebhookAttempt(url, method, dict(params), headers)
    if TWILIO_URL.match(url):
        attempt.error_code, attempt.error = HTTP_CONNECTION_FAILURE, "refused: a Twilio host"
        return attempt
    try:
        if app is not None:
            attempt.status, attempt.body = _wsgi(app, method, url, data, headers)
        else:
            attempt.status, attempt.body = _http(method, url, data, headers, timeout)
    except TimeoutError:  # socket.timeout too, since Python 3.10
        attempt.error_code, attempt.error = HTTP_CONNECTION_FAILURE, f"no answer in {timeout}s"
        return attempt
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        attempt.error_code, attempt.error = HTTP_CONNECTION_FAILURE, f"connection failed: {error}"
        return attempt
    except (ValueError, http.client.InvalidURL) as error:  # a port that is not a number, ...
        attempt.error_code, attempt.error = HTTP_CONNECTION_FAILURE, f"invalid URL: {error}"
        return attempt
    if not 200 <= attempt.status < 300:
        attempt.error_code, attempt.error = HTTP_RETRIEVAL_FAILURE, f"HTTP {attempt.status}"
    elif twiml and not is_twiml(attempt.body):
        attempt.error_code, attempt.error = DOCUMENT_PARSE_FAILURE, "the answer is not TwiML"
    return attempt


def _without_userinfo(url: str) -> tuple[str, Optional[str]]:
    """A webhook URL with credentials (``https://user:secret@host/path``, the form Twilio
    takes for HTTP Basic authentication): the URL without them, and the ``Authorization``
    header they make (None when the URL has none)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    pair = f"{unquote(user)}:{unquote(password)}".encode()
    bare = parts._replace(netloc=host).geturl()
    return bare, "Basic " + base64.b64encode(pair).decode("ascii")


def _http(
    method: str, url: str, data: bytes, headers: dict[str, str], timeout: float
) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data or None, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise TimeoutError(str(error.reason)) from None
        raise


def _wsgi(
    app: WsgiApp, method: str, url: str, data: bytes, headers: dict[str, str]
) -> tuple[int, str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path or "/",
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": headers.get("Content-Type", ""),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        if name not in ("Content-Type", "Content-Length"):
            environ["HTTP_" + name.upper().replace("-", "_")] = value
    status: list[str] = []

    def start_response(line: str, response_headers: Any, exc_info: Any = None) -> Any:
        status[:] = [line]
        return lambda chunk: None

    try:
        chunks = app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
    except Exception as error:  # the application crashed: a server would answer 500
        return 500, f"{type(error).__name__}: {error}"
    return int(status[0].split()[0]), body.decode("utf-8", "replace")


def is_twiml(body: str) -> bool:
    """A ``<Response>`` document, or an empty answer (nothing to reply)."""
    if not body.strip():
        return True
    try:
        return ET.fromstring(body.strip()).tag == "Response"
    except ET.ParseError:
        return False


def parse_replies(body: str, params: dict[str, str]) -> list[ReplyMessage]:
    """The ``<Message>`` verbs of a TwiML answer; ``to``/``from`` default to the sender and
    the short code, as Twilio fills them in."""
    if not body.strip():
        return []
    replies = []
    for message in ET.fromstring(body.strip()).iter("Message"):
        inner = message.find("Body")
        text = (inner.text if inner is not None else message.text) or ""
        replies.append(
            ReplyMessage(
                body=text.strip() if inner is None else text,
                to=message.get("to", params["From"]),
                from_=message.get("from", params["To"]),
                media=[(m.text or "").strip() for m in message.iter("Media")],
            )
        )
    return replies
