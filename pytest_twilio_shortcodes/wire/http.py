"""The types a request and its answer are made of, shared by the route table, the APIs
and every client the interception serves.

``HttpRequest`` is what each intercepted client (requests, aiohttp, httpx, the proxy)
hands the mock, whatever the client; ``ApiRequest`` is the same request parsed for the
route table; a handler answers with a ``Reply``, which the mock renders as an
``HttpAnswer``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Optional, Union

from ..model.errors import missing_parameter
from .hosts import TWILIO_URL

if TYPE_CHECKING:
    from ..model.account import Account


@dataclass
class HttpRequest:
    """One intercepted request, client-neutral: header names lower case, values text."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes = b""

    @classmethod
    def of(
        cls,
        method: Optional[str],
        url: Optional[str],
        headers: Iterable[tuple[Any, Any]],
        body: Union[bytes, str, None] = None,
    ) -> HttpRequest:
        """Normalise what a client holds: header pairs with bytes or text names and
        values, any body."""
        return cls(
            method=(method or "GET").upper(),
            url=str(url or ""),
            headers={  # text names and values, the usual case, without a call each
                (k if type(k) is str else _text(k)).lower(): v if type(v) is str else _text(v)
                for k, v in headers
            },
            body=body.encode("utf-8") if isinstance(body, str) else (body or b""),
        )


def _text(value: Any) -> str:
    # HTTP header bytes are Latin-1 on the wire; requests and httpx accept bytes values.
    return value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)


class HttpAnswer(NamedTuple):
    status: int
    headers: dict[str, str]
    content: bytes  # UTF-8 JSON or XML; empty for HEAD (Content-Length: the GET's) and 204


@dataclass
class ApiRequest:
    """A request to a Twilio host, parsed once."""

    method: str
    url: str
    host: str  # lower case, no port or trailing dot
    product: Optional[str]  # "messaging", "proxy", "api" or None for other Twilio hosts
    path: str
    params: dict[str, str]  # the query string on GET, the form body on POST
    xml: bool  # answer in XML (2010 without .json, .xml, and 2008)
    args: dict[str, str] = field(default_factory=dict)  # the path's named parts
    repeated: dict[str, list[str]] = field(default_factory=dict)  # every value, if repeated

    def values(self, name: str) -> list[str]:
        """Every value of a parameter, in order (``MediaUrl`` repeats); ``params`` holds
        the first."""
        if name in self.repeated:
            return self.repeated[name]
        return [self.params[name]] if name in self.params else []

    @property
    def base(self) -> str:
        """Scheme and host for absolute URLs: the host the request used."""
        return f"https://{self.host}"


@dataclass
class Reply:
    status: int
    body: Optional[dict[str, Any]] = None  # the JSON shape; XML is rendered from it
    schema: Optional[str] = None  # the schema ``body`` must satisfy
    xml: Optional[Callable[[dict[str, Any]], str]] = None  # renders ``body`` as XML


Handler = Callable[[ApiRequest, "Account"], Reply]


@dataclass(frozen=True)
class Route:
    product: str
    pattern: re.Pattern[str]
    resource: str  # the resource schema name, used to describe and filter calls
    methods: dict[str, Handler]
    request_schemas: dict[str, str] = field(default_factory=dict)


def required(req: ApiRequest, name: str) -> str:
    """A parameter the handler cannot do without (the request schema may be off)."""
    if name not in req.params:
        raise missing_parameter(name)
    return req.params[name]


@functools.lru_cache(maxsize=64)
def passthrough_pattern(hosts: tuple[str, ...]) -> re.Pattern[str]:
    """The one passthrough rule: non-Twilio URLs whose host matches one of ``hosts``
    (``*`` and ``?`` globs, any case); an IPv6 literal (``http://[::1]:8000/``) is matched
    without its brackets (``::1``, ``*``). The ``requests`` seam hands it to ``responses``;
    the proxy asks ``passthrough_allows``."""

    def globs(allowed: str) -> str:
        return "|".join(
            re.escape(host.strip("[]")).replace(r"\*", f"{allowed}*").replace(r"\?", allowed)
            for host in hosts
        )

    name, literal = globs("[^/?#@:]"), globs(r"[^/?#@\]]")
    never = TWILIO_URL.pattern[1:]
    return re.compile(
        rf"^(?!{never})https?://(?:[^/?#@]*@)?"
        rf"(?:{name or '(?!)'}|\[(?:{literal or '(?!)'})\])\.?(?::\d+)?(?:[/?#]|$)",
        re.IGNORECASE,
    )


def passthrough_allows(host: str, hosts: tuple[str, ...]) -> bool:
    """Whether a non-Twilio ``host`` (a name, or an IP literal without brackets) may be
    reached under the passthrough rule ``hosts`` (``passthrough_pattern``)."""
    literal = f"[{host}]" if ":" in host else host
    return passthrough_pattern(hosts).match(f"http://{literal}/") is not None
