"""HTTP Basic authentication as Twilio does it: the account SID and auth token, or an API
key and its secret. A refused request gets Twilio's bare 401; the first refusal of each
user name also logs, outside the wire body, how to line the credentials up."""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import os
from typing import Optional
from urllib.parse import unquote, urlsplit

from ..model.credentials import credentials_hint
from ..model.errors import TwilioError, unauthenticated
from ..model.resources import new_sid
from .http import HttpRequest

LOG = logging.getLogger("pytest_twilio_shortcodes")


class Credentials:
    """The credentials one account accepts."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api_keys: dict[str, str] = {}
        self._hinted: set[Optional[str]] = set()  # refused user names already explained
        # header -> (user, secret) it carried, for headers accepted before: a client sends
        # the same one on every request; the secret is still compared with the current one
        self._accepted: dict[str, tuple[str, str]] = {}

    def add_api_key(self) -> tuple[str, str]:
        key_sid, secret = new_sid("SK"), os.urandom(16).hex()
        self.api_keys[key_sid] = secret
        return key_sid, secret

    def clear(self) -> None:
        """Forget the API keys and the refusals already explained."""
        self.api_keys.clear()
        self._hinted.clear()
        self._accepted.clear()

    def _secret_of(self, user: str) -> Optional[str]:
        return self.auth_token if user == self.account_sid else self.api_keys.get(user)

    def authenticate(self, request: HttpRequest) -> None:
        """Raise Twilio's 401 unless ``request`` carries credentials of this account."""
        header = _header(request)
        if not header:
            raise self._refused(None)
        known = self._accepted.get(header)
        if known is not None and self._secret_of(known[0]) == known[1]:
            return
        scheme, _, encoded = header.partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip().encode("ascii"), validate=True).decode(
                "utf-8"
            )
        except (binascii.Error, UnicodeError):
            raise self._refused("") from None
        user, _, secret = decoded.partition(":")
        expected = self._secret_of(user)
        if (
            scheme.lower() != "basic"
            or expected is None
            or not hmac.compare_digest(expected.encode(), secret.encode())
        ):
            raise self._refused(user if scheme.lower() == "basic" else "")
        if len(self._accepted) >= 64:  # a few clients a test: bounded whatever it sends
            self._accepted.clear()
        self._accepted[header] = (user, secret)

    def _refused(self, user: Optional[str]) -> TwilioError:
        """The 401 for credentials that do not authenticate (``user``: the user name sent;
        None when none came, "" when they were not HTTP Basic)."""
        if user not in self._hinted:
            self._hinted.add(user)
            LOG.warning(credentials_hint(user, self.account_sid, set(self.api_keys)))
        return unauthenticated(credentials_given=user is not None)


def _header(request: HttpRequest) -> Optional[str]:
    """The ``Authorization`` header, or Basic credentials built from the URL's userinfo
    (as requests, aiohttp and httpx do when they send such a URL)."""
    header = request.headers.get("authorization")
    if header:
        return header
    userinfo = urlsplit(request.url).netloc.rpartition("@")[0]
    if not userinfo:
        return None
    user, _, password = userinfo.partition(":")
    pair = f"{unquote(user)}:{unquote(password)}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")
