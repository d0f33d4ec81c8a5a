"""Scripted faults: the next N matching requests fail as the test asks, then service resumes.

A faulted request never reaches a handler, so it changes no state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Union

import requests

from ..apis import check_resource
from ..model.errors import TwilioError
from ..wire.http import ApiRequest

_STANDARD = {
    429: (20429, "Too many requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}
RAISABLE = (requests.ConnectionError, requests.Timeout)


@dataclass
class Fault:
    method: Optional[str]
    resource: Optional[str]
    short_code: Optional[str]  # a SID or a number
    service: Optional[str]
    remaining: int
    status: Optional[int]
    code: Optional[int]
    message: Optional[str]
    error: Optional[type[Exception]]
    retry_after: Optional[int]
    times: int = 0

    def describe(self) -> str:
        parts = [self.method or "any method", self.resource or "any resource"]
        if self.short_code:
            parts.append(f"short code {self.short_code}")
        if self.service:
            parts.append(f"service {self.service}")
        outcome = self.error.__name__ if self.error else f"{self.status}"
        used = self.times - self.remaining
        return f"{' '.join(parts)} -> {outcome} (used {used} of {self.times})"

    def matches(
        self,
        req: ApiRequest,
        resource: Optional[str],
        sid_of: Callable[[str], Optional[str]],
    ) -> bool:
        """``sid_of``: a short code number's SID in the account, if it has one."""
        if self.remaining <= 0:
            return False
        if self.method and self.method != req.method:
            return False
        if self.resource and not (
            resource == self.resource or (resource or "").startswith(self.resource + ".")
        ):
            return False
        if self.service and req.args.get("service") != self.service:
            return False
        if self.short_code:
            wanted = sid_of(self.short_code) or self.short_code
            named = {req.args.get("sid"), req.params.get("ShortCodeSid"), req.params.get("Sid")}
            if wanted not in named:
                return False
        return True

    def fire(self, url: str) -> Union[TwilioError, Exception]:
        """What answers the request: a Twilio error to render, or an exception to raise."""
        self.remaining -= 1
        if self.error is not None:
            return self.error(f"pytest-twilio-shortcodes: scripted {self.error.__name__} for {url}")
        status = self.status or 500
        code, message = _STANDARD.get(
            status, (self.code or 0, f"Scripted Twilio error {self.code}")
        )
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        if status == 429 and not headers:
            headers["Retry-After"] = "1"
        return TwilioError(status, self.code or code, self.message or message, headers=headers)


def new_fault(
    method: Optional[str],
    resource: Optional[str],
    *,
    times: int,
    status: Optional[int],
    error: Optional[type[Exception]],
    code: Optional[int],
    message: Optional[str],
    short_code: Optional[str],
    service: Optional[str],
    retry_after: Optional[int],
) -> Fault:
    if resource is not None:
        check_resource(resource)
    if times < 1:
        raise ValueError(f"times must be at least 1, not {times}")
    if (status is None) == (error is None):
        raise ValueError("give exactly one of status= (an HTTP error) or error= (an exception)")
    if error is not None and not (isinstance(error, type) and issubclass(error, RAISABLE)):
        raise ValueError(
            "error must be requests.ConnectionError or requests.Timeout (or a subclass)"
        )
    if status is not None and not 400 <= status <= 599:
        raise ValueError(f"status must be a 4xx or 5xx HTTP status, not {status}")
    if status is not None and status not in _STANDARD and code is None:
        raise ValueError(f"give code= (the Twilio error code) for status {status}")
    return Fault(
        method.upper() if method else None,
        resource,
        short_code,
        service,
        times,
        status,
        code,
        message,
        error,
        retry_after,
        times,
    )


class Faults(list):  # type: ignore[type-arg]
    """The scripted faults, in the order they were made; a list users read."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        super().__init__(faults)
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self.append(fault)

    def fire(
        self, req: ApiRequest, resource: Optional[str], sid_of: Callable[[str], Optional[str]]
    ) -> Optional[Exception]:
        """The first matching fault's outcome, chosen and used up in one atomic step, so
        that a fault for ``times=N`` fires exactly N times whatever the threads."""
        if not self:
            return None
        with self._lock:
            fault = next((f for f in self if f.matches(req, resource, sid_of)), None)
            return None if fault is None else fault.fire(req.url)
