"""The control API: what a test in another language does with the mock, over HTTP.

Served on the proxy's own address under ``/_mock/``, JSON in and out, to requests that
carry the account's credentials (HTTP Basic: the account SID and auth token):

    POST /_mock/reset      an empty account, same credentials
    POST /_mock/seed       a seed (the ``serve --seed`` format); answers what it made
    GET  /_mock/snapshot   what ``snapshot()`` returns
    GET  /_mock/calls      the recorded calls
    POST /_mock/deliver    ``deliver_messages()``; answers the status callbacks made
    POST /_mock/sms        ``receive_sms()``; answers the delivery

Bad JSON, unknown fields or values the mock refuses get a 400 of one line naming the
problem, and change nothing; so do other errors (401, 404, 405), each one line of text.
"""

from __future__ import annotations

import base64
import hmac
import math
import threading
from typing import Any, Callable, Iterable, Optional, Protocol

import orjson

from ..wire.http import HttpAnswer
from .seed import SeedError, check_seed, seed_all_or_nothing

PREFIX = "/_mock/"
JSON = {"Content-Type": "application/json; charset=utf-8"}
REALM = 'Basic realm="pytest-twilio-shortcodes control API"'
MAX_TIMEOUT = 60.0  # seconds a control request may wait on a webhook (stop() waits it out)


class Controlled(Protocol):
    """The mock's members the control API drives."""

    account_sid: str
    auth_token: str

    @property
    def calls(self) -> Iterable[Any]: ...

    def reset(self) -> None: ...
    def snapshot(self) -> dict[str, Any]: ...
    def deliver_messages(self, app: Any = None, *, timeout: float = ...) -> list[Any]: ...
    def receive_sms(
        self, to: str, from_: str = ..., body: str = ..., media_urls: Any = ..., app: Any = ...,
        *, timeout: float = ...,
    ) -> Any: ...  # fmt: skip


class _Refused(Exception):
    """A request the control API answers with one line (``status``) and no change."""

    def __init__(self, status: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.headers = status, headers


class MockControl:
    """Answers ``/_mock/`` requests from ``mock``."""

    def __init__(self, mock: Controlled) -> None:
        self.mock = mock
        self._seeding = threading.Lock()  # one seed at a time: each all or nothing
        self._routes: dict[str, tuple[str, Callable[[dict[str, Any]], Any], tuple[str, ...]]] = {
            "reset": ("POST", self._reset, ()),
            "seed": ("POST", self._seed, ()),
            "snapshot": ("GET", lambda _: self.mock.snapshot(), ()),
            "calls": ("GET", lambda _: [_call(c) for c in list(self.mock.calls)], ()),
            "deliver": ("POST", self._deliver, ("timeout",)),
            "sms": ("POST", self._sms, ("to", "from", "body", "media_urls", "timeout")),
        }

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> HttpAnswer:
        try:
            self._authenticate(headers.get("authorization"))
            name = path.split("?", 1)[0].removeprefix(PREFIX).rstrip("/")
            if name not in self._routes:
                known = ", ".join(PREFIX + n for n in self._routes)
                raise _Refused(404, f"no control endpoint {path!r}; there are {known}")
            allowed, action, fields = self._routes[name]
            if method != allowed:
                raise _Refused(405, f"{PREFIX}{name} takes {allowed}, not {method}", Allow=allowed)
            result = action(_fields(body, fields) if name != "seed" else _json(body))
        except _Refused as refused:
            return plain_answer(refused.status, str(refused), **refused.headers)
        return HttpAnswer(200, dict(JSON), orjson.dumps(result))

    def _authenticate(self, header: Optional[str]) -> None:
        scheme, _, encoded = (header or "").partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except ValueError:  # not base64 (binascii.Error), not ASCII, not UTF-8
            decoded = ""
        user, _, secret = decoded.partition(":")
        expected = f"{self.mock.account_sid}:{self.mock.auth_token}"
        if scheme.lower() != "basic" or not hmac.compare_digest(
            f"{user}:{secret}".encode(), expected.encode()
        ):
            raise _Refused(
                401,
                "the control API needs HTTP Basic with the account SID and auth token",
                **{"WWW-Authenticate": REALM},
            )

    def _reset(self, fields: dict[str, Any]) -> dict[str, Any]:
        self.mock.reset()
        return {"account_sid": self.mock.account_sid}

    def _seed(self, data: Any) -> dict[str, Any]:
        try:
            with self._seeding:
                return seed_all_or_nothing(self.mock, check_seed(data))  # type: ignore[arg-type]
        except SeedError as error:
            raise _Refused(400, str(error)) from None

    def _deliver(self, fields: dict[str, Any]) -> list[dict[str, Any]]:
        timeout = _timeout(fields)
        made = self.mock.deliver_messages(timeout=timeout)
        return [_attempt(attempt) for attempt in made]

    def _sms(self, fields: dict[str, Any]) -> dict[str, Any]:
        for name in ("to", "from", "body"):
            if not isinstance(fields.get(name, ""), str):
                raise _Refused(400, f"{name!r} must be a string")
        if "to" not in fields:
            raise _Refused(400, "'to' is missing: the short code (number or SID) to text")
        media = fields.get("media_urls", [])
        if not isinstance(media, list) or not all(isinstance(m, str) for m in media):
            raise _Refused(400, "'media_urls' must be a list of URLs")
        extra = {"from_": fields["from"]} if "from" in fields else {}
        timeout = _timeout(fields)
        try:
            delivery = self.mock.receive_sms(
                fields["to"],
                body=fields.get("body", ""),
                media_urls=media,
                timeout=timeout,
                **extra,
            )
        except (KeyError, ValueError) as error:
            raise _Refused(400, str(error).strip("\"'")) from None
        return {
            "message_sid": delivery.message_sid,
            "params": delivery.params,
            "attempts": [_attempt(attempt) for attempt in delivery.attempts],
            "served_by": delivery.served_by,
            "replies": [
                {"to": r.to, "from": r.from_, "body": r.body, "media": r.media}
                for r in delivery.replies
            ],
            "note": delivery.note,
        }


def plain_answer(status: int, message: str, **headers: str) -> HttpAnswer:
    """An answer of one line of ``text/plain`` (line breaks in ``message`` become spaces)."""
    line = " ".join(message.splitlines())
    headers = {"Content-Type": "text/plain; charset=utf-8", **headers}
    return HttpAnswer(status, headers, f"{line}\n".encode())


def _json(body: bytes) -> Any:
    if not body.strip():
        return {}
    try:  # orjson: no NaN or Infinity, no lone surrogates
        data = orjson.loads(body)
    except ValueError as error:
        raise _Refused(400, f"the body is not valid JSON: {error}") from None
    if _deeper_than(data, _MAX_DEPTH):  # older orjson (3.9) parses any depth
        raise _Refused(400, f"the body is not valid JSON: nested deeper than {_MAX_DEPTH}")
    return data


_MAX_DEPTH = 1024


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects in ``value`` nest deeper than ``limit`` (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend(
                (child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
            )
    return False


def _fields(body: bytes, allowed: tuple[str, ...]) -> dict[str, Any]:
    data = _json(body)
    if not isinstance(data, dict):
        raise _Refused(400, f"the body must be a JSON object, not {type(data).__name__}")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        expected = f"expected some of {', '.join(allowed)}" if allowed else "expected none"
        raise _Refused(400, f"unknown field(s) {', '.join(map(repr, unknown))}; {expected}")
    return data


def _timeout(fields: dict[str, Any]) -> float:
    timeout = fields.get("timeout", 15.0)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not math.isfinite(timeout)
        or not 0 < timeout <= MAX_TIMEOUT
    ):
        raise _Refused(
            400,
            f"'timeout' must be a positive number of seconds, at most {MAX_TIMEOUT:g}, "
            f"not {timeout!r}",
        )
    return float(timeout)


def _call(call: Any) -> dict[str, Any]:
    return {
        "method": call.method,
        "url": call.url,
        "status": call.status,
        "resource": call.resource,
        "params": call.params,
        "body": call.body,
    }


def _attempt(attempt: Any) -> dict[str, Any]:
    return {
        "url": attempt.url,
        "method": attempt.method,
        "params": attempt.params,
        "status": attempt.status,
        "error_code": attempt.error_code,
        "error": attempt.error,
    }
