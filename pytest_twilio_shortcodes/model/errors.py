"""The one error type the mock answers with, and the errors it answers (rendered by
``wire.render.render_error``)."""

from __future__ import annotations

from typing import Optional

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


# -- the Messages resource (README "Errors", rows "messages") -----------------------------

_MESSAGE_ERRORS: dict[int, str] = {
    20001: "Invalid parameter {name}: {detail}",
    20009: "Cannot {action} this resource before it is complete",
    21211: "The 'To' number {to} is not a valid phone number: {reason}.",
    21212: "The 'From' number {from_} is not a valid phone number, shortcode, or alphanumeric "
    "sender ID.",
    21265: "'To' number cannot be a Short Code: {to}",
    21602: "Message body is required.",
    21603: "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21617: "The concatenated message body exceeds the 1600 character limit.",
    21619: "A Message Body, Media URL or Content SID is required.",
    21620: "Invalid media URL(s): {url!r}",
    21621: "The 'From' number {from_} has not been enabled for MMS.",
    21623: "Number of media files exceeds allowed limit: {count} MediaUrls, at most 10.",
    21659: "'From' {from_} is a short code of {country} and cannot send to {to}.",
    21660: "Mismatch between the 'From' number {from_} and the account {account}.",
    21661: "'From' number {from_} is not SMS-capable.",
    21701: "The Messaging Service {sid} does not exist",
    21703: "The Messaging Service does not have a phone number available to send a message",
    21704: "The Messaging Service contains no phone numbers",
    30409: "This message cannot be canceled",
    35111: "SendAt timestamp is missing",
    35114: "SendAt time must be between 300 seconds and 35 days (3024000 seconds) in the future, "
    "inclusive",
    35118: "MessagingServiceSid is required to schedule a message",
}


def message_error(code: int, **fields: object) -> TwilioError:
    """A 400 the Messages resource answers with, its message filled from ``fields``."""
    return TwilioError(400, code, _MESSAGE_ERRORS[code].format(**fields))
