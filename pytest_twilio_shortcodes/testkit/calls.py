"""Recorded calls, and the assertions users make about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Optional

from ..apis import check_resource


@dataclass
class Call:
    """One request the mock answered."""

    method: str
    url: str
    path: str
    params: dict[str, str]
    status: int  # 0 when a scripted fault raised a connection error or timeout
    body: Any  # the parsed response: the JSON body, or for XML the JSON shape it renders
    resource: Optional[str]  # e.g. "messaging.v1.service.short_code"; None if not mocked
    schema_errors: list[tuple[str, str]] = field(default_factory=list)  # request findings
    fault: bool = False  # answered by a scripted fault

    def __str__(self) -> str:
        params = f" {self.params}" if self.params else ""
        return f"{self.method} {self.url}{params} -> {self.status or 'raised'}"

    def matches(
        self,
        method: Optional[str] = None,
        target: Optional[str] = None,
        params: Optional[dict[str, str]] = None,
    ) -> bool:
        if method is not None and self.method != method.upper():
            return False
        if target is not None and not _targets(self, target):
            return False
        return params is None or all(self.params.get(k) == v for k, v in params.items())


def check_target(target: Optional[str]) -> None:
    """A resource name or prefix must name a served resource (paths and URLs are free)."""
    if target is not None and not target.startswith(("/", "http://", "https://")):
        check_resource(target, "; or a path starting with '/' (with * globs), or a URL")


def _targets(call: Call, target: str) -> bool:
    """A URL (query ignored), a path (``*`` globs allowed), or a resource name or prefix."""
    if target.startswith(("http://", "https://")):
        return call.url.split("?", 1)[0] == target.split("?", 1)[0]
    if target.startswith("/"):
        return fnmatchcase(call.path, target)
    resource = call.resource or ""
    return resource == target or resource.startswith(target + ".")


class CallList(list):  # type: ignore[type-arg]
    """The calls the mock served, in order; ``filter`` narrows them."""

    def filter(
        self,
        method: Optional[str] = None,
        resource: Optional[str] = None,
        params: Optional[dict[str, str]] = None,
    ) -> list[Call]:
        """Calls by method, by resource name, path or URL (see ``assert_called``), and
        by a subset of their parameters."""
        check_target(resource)
        return [call for call in self if call.matches(method, resource, params)]


def describe(method: Optional[str], target: Optional[str], params: Optional[dict[str, Any]]) -> str:
    what = " ".join(part for part in (method and method.upper(), target) if part) or "any call"
    return what + (f" with params {params}" if params else "")


def listing(calls: list[Call]) -> str:
    if not calls:
        return "no calls were made"
    return "the calls made were:\n" + "\n".join(f"  {call}" for call in calls)


def times(n: int) -> str:
    return f"{n} time" + ("" if n == 1 else "s")


def assert_called(
    calls: list[Call],
    method: Optional[str],
    target: Optional[str],
    count: Optional[int],
    params: Optional[dict[str, str]],
) -> list[Call]:
    __tracebackhide__ = True
    check_target(target)
    found = [call for call in calls if call.matches(method, target, params)]
    if (count is None and found) or len(found) == count:
        return found
    expected = "at least once" if count is None else times(count)
    raise AssertionError(
        f"expected {describe(method, target, params)} to be called {expected}, "
        f"it was called {times(len(found))}; {listing(calls)}"
    )


def assert_not_called(
    calls: list[Call],
    method: Optional[str],
    target: Optional[str],
    params: Optional[dict[str, str]],
) -> None:
    __tracebackhide__ = True
    check_target(target)
    found = [call for call in calls if call.matches(method, target, params)]
    if found:
        raise AssertionError(
            f"expected {describe(method, target, params)} not to be called, "
            f"it was called {times(len(found))}; {listing(calls)}"
        )


class Journal:
    """What the pipeline records: every call, the calls to unmocked routes, and the
    mock's own responses that broke their schema."""

    def __init__(self) -> None:
        self.calls = CallList()
        self.unmatched: list[Call] = []
        self.response_failures: list[Any] = []  # SchemaValidationError

    def clear(self) -> None:
        self.calls.clear()
        self.unmatched.clear()
        self.response_failures.clear()
