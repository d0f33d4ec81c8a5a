"""A small application that manages the short codes of a Twilio Messaging Service.

It is ordinary application code: it talks to Twilio through the official SDK and knows
nothing of tests. ``test_shortcode_manager.py`` runs it against the in-memory Twilio.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


@dataclass(frozen=True)
class ServiceShortCode:
    sid: str
    number: str
    country: str


class ShortCodeAlreadyUsed(Exception):
    """The short code already serves this or another Messaging Service."""


def provision_service(
    client: Client, friendly_name: str, inbound_request_url: str, status_callback: str
) -> str:
    """The deploy step: the Messaging Service named ``friendly_name``, created if the
    account has none, with this deploy's webhooks; returns its SID. Run twice, it finds the
    service it made and only updates its URLs."""
    services = client.messaging.v1.services
    existing = [s for s in services.stream() if s.friendly_name == friendly_name]
    settings = {"inbound_request_url": inbound_request_url, "status_callback": status_callback}
    if existing:
        return services(existing[0].sid).update(**settings).sid
    return services.create(friendly_name=friendly_name, **settings).sid


class ShortCodeManager:
    def __init__(
        self, client: Client, service_sid: str, attempts: int = 3, max_wait: float = 5.0
    ) -> None:
        self.client = client
        self.service_sid = service_sid
        self.attempts = attempts
        self.max_wait = max_wait

    @property
    def _short_codes(self):
        return self.client.messaging.v1.services(self.service_sid).short_codes

    def add(self, short_code_sid: str) -> ServiceShortCode:
        """Add a short code to the service, retrying when Twilio answers 429."""
        for attempt in range(1, self.attempts + 1):
            try:
                created = self._short_codes.create(short_code_sid=short_code_sid)
            except TwilioRestException as error:
                if error.code in (21710, 21712):
                    raise ShortCodeAlreadyUsed(short_code_sid) from error
                if error.status == 429 and attempt < self.attempts:
                    time.sleep(min(self.max_wait, 0.1 * 2**attempt))
                    continue
                raise
            return ServiceShortCode(created.sid, created.short_code, created.country_code)
        raise AssertionError("unreachable")  # pragma: no cover

    def numbers(self) -> list[str]:
        """Every short code number in the service, in the order they were added."""
        return [sc.short_code for sc in self._short_codes.stream(page_size=20)]

    def remove(self, short_code_sid: str) -> bool:
        """Remove a short code from the service; False if it was not there."""
        try:
            return self._short_codes(short_code_sid).delete()
        except TwilioRestException as error:
            if error.status == 404:
                return False
            raise

    def find_account_short_code(self, number: str) -> str | None:
        """The SID of one of the account's short codes, by its number."""
        for sc in self.client.short_codes.list(short_code=number):
            if sc.short_code == number:
                return sc.sid
        return None
