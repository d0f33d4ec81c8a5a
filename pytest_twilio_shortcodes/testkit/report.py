"""The teardown report: what should fail the test, one problem a line."""

from __future__ import annotations

from typing import Sequence

from ..model.messages import DeliveryFailure
from .calls import Journal
from .faults import Fault

_STRICT_HINT = (
    "  To send invalid requests on purpose, make them inside "
    "`with twilio_shortcodes.allow_invalid_requests():`, or turn strict mode off "
    "for the test: @pytest.mark.twilio_shortcodes(strict=False)."
)


def teardown_report(
    journal: Journal,
    *,
    strict: bool,
    refused: Sequence[str],
    served: str,
    faults: Sequence[Fault],
    failures: Sequence[DeliveryFailure],
) -> str:
    """``strict``: requests that broke their schema (outside ``allow_invalid_requests``)
    count; ``served``: the clients the interception serves. Empty when all is well."""
    unmatched, response_failures = journal.unmatched, journal.response_failures
    invalid = journal.invalid() if strict else []
    sections = []
    if unmatched:
        sections.append(
            [f"{len(unmatched)} request(s) to Twilio routes this mock does not serve:"]
            + [f"  {call.method} {call.url}" for call in unmatched]
        )
    if refused:
        sections.append(
            [
                f"{len(refused)} connection(s) to Twilio refused, from clients the "
                f"mock does not serve (it serves {served}):"
            ]
            + [f"  {attempt}" for attempt in refused]
        )
    if response_failures:
        sections.append(
            [f"{len(response_failures)} response(s) broke their schema:"]
            + ["  " + str(f).replace("\n", "\n  ") for f in response_failures]
        )
    if invalid:
        lines = [f"{len(invalid)} request(s) broke their schema (strict mode):"]
        for call in invalid:
            lines.append(f"  {call}")
            lines += [f"    {path}: {message}" for path, message in call.schema_errors]
        lines.append(_STRICT_HINT)
        sections.append(lines)
    unused = [fault for fault in faults if fault.remaining > 0]
    if unused:
        sections.append(
            [f"{len(unused)} scripted fault(s) were not used up:"]
            + [f"  {fault.describe()}" for fault in unused]
        )
    unused_failures = [f for f in failures if f.remaining > 0]
    if unused_failures:
        sections.append(
            [f"{len(unused_failures)} scripted delivery failure(s) were not used up:"]
            + [f"  {failure.describe()}" for failure in unused_failures]
        )
    return "\n".join("pytest-twilio-shortcodes: " + "\n".join(lines) for lines in sections)
