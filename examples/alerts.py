"""The example application's alerts: texts sent through its Messaging Service.

Ordinary application code: the SDK, nothing of tests. With Advanced Opt-Out on the
service, Twilio refuses a number that texted STOP (21610): the application counts it as
unsubscribed instead of failing. ``test_alerts.py`` runs it against the in-memory Twilio.
"""

from __future__ import annotations

from typing import Optional

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

UNSUBSCRIBED = 21610  # Twilio: "Attempt to send to unsubscribed recipient"


class Alerts:
    def __init__(self, client: Client, service_sid: str, status_callback: Optional[str] = None):
        self.client = client
        self.service_sid = service_sid
        self.status_callback = status_callback

    def send(self, to: str, text: str) -> Optional[str]:
        """Send one alert; its message SID, or None when the number has opted out."""
        options = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            message = self.client.messages.create(
                to=to, messaging_service_sid=self.service_sid, body=text, **options
            )
        except TwilioRestException as error:
            if error.code == UNSUBSCRIBED:
                return None
            raise
        return message.sid

    def broadcast(self, numbers: list[str], text: str) -> dict[str, Optional[str]]:
        """Send the same alert to every number: number -> message SID (None: opted out)."""
        return {number: self.send(number, text) for number in numbers}
