"""The one error type the mock answers with, built from the error catalogue
(``catalogue``), and rendered by ``wire.render.render_error``."""

from __future__ import annotations

from typing import Optional, Union

from .catalogue import entry

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"


class TwilioError(Exception):
    """A Twilio REST error: HTTP ``status``, Twilio ``code`` and ``message``."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        detail: Optional[str] = None,
        headers: Optional[dict[str, str]] = None,
    ) -> None:
        super().__init__(f"{status}/{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers or {}
        self.findings: list[tuple[str, str]] = []  # request-schema findings behind a 400

    def body(self) -> dict[str, object]:
        """The JSON error envelope (keys in Twilio's alphabetical order)."""
        body: dict[str, object] = {"code": self.code}
        if self.detail is not None:
            body["detail"] = self.detail
        body["message"] = self.message
        body["more_info"] = MORE_INFO.format(code=self.code)
        body["status"] = self.status
        return body


def twilio_error(
    key: Union[str, int], *, headers: Optional[dict[str, str]] = None, **fields: object
) -> TwilioError:
    """The catalogue entry ``key`` (a name, or a code that has one entry) as the error to
    answer with, its message (and detail) filled from ``fields``."""
    found = entry(key)
    if found.status is None:
        raise ValueError(f"{found.name} ({found.code}) is never an HTTP answer")
    detail = found.detail.format(**fields) if found.detail is not None else None
    return TwilioError(
        found.status, found.code, found.message.format(**fields), detail=detail, headers=headers
    )


# -- the errors every API answers with (docs/reference/errors.md lists each one) -----------


def not_found(path: str) -> TwilioError:
    return twilio_error("not_found", path=path)


def not_mocked(method: str, url: str) -> TwilioError:
    return twilio_error("not_mocked", method=method, url=url)


def method_not_allowed(method: str, path: str) -> TwilioError:
    return twilio_error("method_not_allowed", method=method, path=path)


def missing_parameter(name: str) -> TwilioError:
    return twilio_error("missing_parameter", name=name)


def invalid_parameter(name: str, value: str, expected: str) -> TwilioError:
    return twilio_error("invalid_parameter", name=name, value=value, expected=expected)


_CHALLENGE = {"WWW-Authenticate": 'Basic realm="Twilio API"'}


def unauthenticated(credentials_given: bool) -> TwilioError:
    name = "wrong_credentials" if credentials_given else "no_credentials"
    return twilio_error(name, headers=dict(_CHALLENGE))


def wrong_account(path_account: str) -> TwilioError:
    return twilio_error("wrong_account", headers=dict(_CHALLENGE), account=path_account)
