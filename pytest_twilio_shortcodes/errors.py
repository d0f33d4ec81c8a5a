"""The one error type the mock answers with, and the one function that renders it."""

from __future__ import annotations

from typing import Optional

from .render import json_bytes, xml_document, xml_element

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


def render_error(error: TwilioError, xml: bool) -> bytes:
    """The error as Twilio sends it: JSON envelope, or ``<TwilioResponse><RestException>``."""
    body = error.body()
    if not xml:
        return json_bytes(body)
    children = "".join(xml_element(key, body[key]) for key in _XML_ORDER if key in body)
    return xml_document(f"<RestException>{children}</RestException>").encode()


_XML_ORDER = ("code", "detail", "message", "more_info", "status")


# -- the errors the mock answers with; README "Errors" lists each one ---------------------


def not_found(path: str) -> TwilioError:
    return TwilioError(404, 20404, f"The requested resource {path} was not found")


def not_mocked(method: str, url: str) -> TwilioError:
    return TwilioError(
        404,
        20404,
        f"The requested resource {method} {url} was not found: pytest-twilio-shortcodes "
        "does not mock this Twilio route",
    )


def method_not_allowed(method: str, path: str) -> TwilioError:
    return TwilioError(405, 20004, f"Method {method} not allowed on {path}")


def missing_parameter(name: str) -> TwilioError:
    return TwilioError(400, 20001, f"Missing required parameter {name} in the post body")


def invalid_parameter(name: str, value: str, expected: str) -> TwilioError:
    return TwilioError(400, 20001, f"Invalid value {value!r} for parameter {name}: {expected}")


_CHALLENGE = {"WWW-Authenticate": 'Basic realm="Twilio API"'}


def unauthenticated(credentials_given: bool) -> TwilioError:
    if not credentials_given:
        return TwilioError(
            401, 20003, "Authentication Error - No credentials provided", headers=_CHALLENGE
        )
    detail = "Your AccountSid or AuthToken was incorrect."
    return TwilioError(401, 20003, "Authenticate", detail=detail, headers=_CHALLENGE)


def wrong_account(path_account: str) -> TwilioError:
    detail = f"The credentials given do not grant access to account {path_account}"
    return TwilioError(401, 20003, "Authenticate", detail=detail, headers=_CHALLENGE)
