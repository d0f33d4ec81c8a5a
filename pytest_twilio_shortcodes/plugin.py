"""The pytest glue: the ``twilio_shortcodes`` and ``twilio_client`` fixtures.

Imported by pytest at start-up through the ``pytest11`` entry point, so it imports
nothing heavy: the mock, ``responses`` and ``jsonschema`` load when a test asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from .mock import TwilioShortCodeMock


@pytest.fixture
def twilio_shortcodes(monkeypatch: pytest.MonkeyPatch) -> Iterator[TwilioShortCodeMock]:
    """A started in-memory Twilio for the ShortCode APIs, with ``TWILIO_ACCOUNT_SID`` and
    ``TWILIO_AUTH_TOKEN`` set to its credentials. The test fails at teardown if it called a
    Twilio route the mock does not serve or got a response that broke its schema."""
    from .mock import TwilioShortCodeMock

    mock = TwilioShortCodeMock()
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", mock.account_sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", mock.auth_token)
    with mock:
        yield mock
    report = mock.teardown_report()
    mock.reset()
    if report:
        pytest.fail(report, pytrace=False)


@pytest.fixture
def twilio_client(twilio_shortcodes: TwilioShortCodeMock) -> Any:
    """A ``twilio.rest.Client`` bound to the mock's account."""
    from twilio.rest import Client

    return Client(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)
