"""Credentials: fixed ones are checked up front, and a refused request is explained
outside the wire body (Twilio's 401 says only "Authenticate")."""

from __future__ import annotations

import re
from typing import Optional

from .resources import is_sid

_AUTH_TOKEN = re.compile(r"[0-9a-fA-F]{32}")


def check_credentials(account_sid: Optional[str], auth_token: Optional[str]) -> None:
    """Fixed credentials must look like Twilio's, or every response would break its
    schema: ``AC`` and 32 hexadecimal digits, and a 32-hexadecimal-digit token."""
    problems = []
    if account_sid is not None and not (isinstance(account_sid, str) and is_sid(account_sid, "AC")):
        problems.append(
            f"account_sid {account_sid!r} must be 'AC' followed by 32 hexadecimal digits, "
            "as a Twilio account SID is"
        )
    if auth_token is not None and not (
        isinstance(auth_token, str) and _AUTH_TOKEN.fullmatch(auth_token)
    ):
        given = f"{len(auth_token)} characters" if isinstance(auth_token, str) else "not a str"
        problems.append(
            "auth_token must be 32 hexadecimal digits, as a Twilio auth token is "
            f"(the one given: {given})"
        )
    if problems:
        raise ValueError("; ".join(problems) + "; leave them out for fresh test credentials")


def credentials_hint(user: Optional[str], account_sid: str, api_keys: set[str]) -> str:
    if user is None:
        sent = "it sent no credentials"
    elif not user:
        sent = "its Authorization header is not HTTP Basic credentials"
    elif user == account_sid:
        sent = f"it sent the mock's account SID {account_sid} with another auth token"
    elif user in api_keys:
        sent = f"it sent API key {user} with another secret"
    elif user.startswith("SK"):
        sent = f"it sent API key {user}, which this mock did not issue (add_api_key() does)"
    else:
        sent = f"it sent account SID {user}; the mock's account is {account_sid}"
    return (
        f"pytest-twilio-shortcodes: a request was refused with 401 Authenticate: {sent}. "
        "Line the credentials up in one of three ways:\n"
        "  - build the client from the environment: twilio.rest.Client() with no "
        "arguments reads TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, which the "
        "twilio_shortcodes fixture sets to the mock's credentials;\n"
        "  - use the twilio_client fixture, a Client bound to the mock's account;\n"
        "  - give the mock your application's credentials: "
        "@pytest.mark.twilio_shortcodes(account_sid=..., auth_token=...) "
        "(or TwilioShortCodeMock(account_sid=..., auth_token=...))."
    )
