"""The documentation's errors table, rendered from the catalogue: one row per (API, code),
where and when the mock answers it. ``errors_table()`` gives the Markdown that
``docs/reference/errors.md`` and the README show; ``codes_table()`` the codes that are never
an HTTP answer."""

from __future__ import annotations

from typing import Optional

from .catalogue import ENTRIES, MESSAGE_FAILURE_CODES, STATUS_OF, entry

# -- the documentation's errors table ------------------------------------------------------

# One row per (API, code): where the mock answers the code and when. The status is the
# code's own (STATUS_OF); every code the mock answers over HTTP has at least one row.
DOCUMENTED: tuple[tuple[str, int, str], ...] = (
    (
        "any",
        20003,
        "no credentials (`Authentication Error - No credentials provided`), wrong ones "
        "(`Authenticate`, with a `detail`), or an account in a 2010/2008 path that is not the "
        "authenticated one",
    ),
    (
        "any",
        20404,
        "unknown service, short code or alpha sender, or a malformed SID in the path: `The "
        "requested resource {path} was not found` (v1 paths without `/v1`; 2010/2008 paths in "
        "full, extension included); a Twilio route the mock does not serve: `The requested "
        "resource {METHOD} {url} was not found: pytest-twilio-shortcodes does not mock this "
        "Twilio route`",
    ),
    ("any", 20004, "a method the route does not support"),
    (
        "any",
        20001,
        "a bad `PageSize` (not an integer from 1 to 1000) or `Page` (not an integer ≥ 0)",
    ),
    ("any", 70002, "`Page` > 0 without a `PageToken` (`Paged requests must include a PageToken`)"),
    ("any", 21481, "a `PageToken` not in the exact form the mock issues"),
    (
        "messaging",
        20001,
        "`ShortCodeSid` or `PhoneNumberSid` missing (`Missing required parameter ShortCodeSid in "
        "the post body`); on `Services`: `FriendlyName` missing or not 1 to 64 characters, "
        "`ValidityPeriod` not an integer from 1 to 36000, a boolean field other than "
        "`true`/`false`, `ScanMessageContent` or `Usecase` not one of Twilio's values; on "
        "`AlphaSenders`: `AlphaSender` missing, or not 1 to 11 of `A-Z a-z 0-9`, space, `-+_&`, "
        "or only digits",
    ),
    ("messaging", 21403, "a Service's `InboundMethod` or `FallbackMethod` other than `GET`/`POST`"),
    (
        "messaging",
        21502,
        "a Service's `InboundRequestUrl` or `FallbackUrl` not an `http(s)://` URL (an empty one "
        "clears it)",
    ),
    ("messaging", 21609, "a Service's `StatusCallback` not an `http(s)://` URL"),
    (
        "messaging",
        20409,
        "a second alpha sender in a Messaging Service (a service holds one; remove it first)",
    ),
    (
        "messaging",
        21421,
        "`ShortCodeSid` (`PhoneNumberSid`) malformed or not a short code (phone number) of this "
        "account",
    ),
    ("messaging", 21710, "the short code or phone number is already in this Messaging Service"),
    ("messaging", 21712, "the short code or phone number is in another Messaging Service"),
    (
        "messaging",
        21714,
        "the service already holds 400 senders, short codes and phone numbers together (`Number "
        "Pool size limit reached`)",
    ),
    (
        "messaging",
        21715,
        "the phone number is not SMS-capable (`Phone Number Does Not Have Correct Messaging "
        "Service Capabilities`)",
    ),
    (
        "proxy",
        20001,
        "`Sid` missing; a Proxy Service's `UniqueName` missing on create; `IsReserved` other "
        "than `true`/`false`/`True`/`False`",
    ),
    (
        "proxy",
        80303,
        "`Sid` malformed or not a short code of this account (`Short Code Sid is not associated "
        "with your Account.`)",
    ),
    (
        "proxy",
        80105,
        "the short code is already in this Proxy Service (`ShortCode has already been added to "
        "Service`)",
    ),
    ("proxy", 80601, "the short code is in another Proxy Service of the account"),
    (
        "proxy",
        80602,
        "a Proxy Service's `UniqueName` is taken by another Proxy Service of the account "
        "(`Service UniqueName must be unique.`)",
    ),
    (
        "proxy",
        80701,
        "a Proxy Service parameter that is invalid (`'<Name>' is invalid: …`): `UniqueName` not "
        "1 to 191 characters, `DefaultTtl` not an integer ≥ 0, `GeoMatchLevel` or "
        "`NumberSelectionBehavior` not one of Twilio's values, a URL not `http(s)://`, "
        "`ChatInstanceSid` not an `IS` SID",
    ),
    (
        "account",
        20001,
        "`FriendlyName` over 64 characters or with a character XML 1.0 cannot carry (see "
        "[Choices](../reference/resources.md#choices-where-twilios-behaviour-is-not-confirmed)); "
        "`ApiVersion` other than `2010-04-01`/`2008-08-01`; a phone number bought with neither "
        "`PhoneNumber` nor `AreaCode`, or with a setting of the wrong form "
        "(`VoiceCallerIdLookup` not `true`/`false`, a malformed SID); a `Beta` list filter other "
        "than `true`/`false`, an `Origin` other than `twilio`/`hosted`; an `AccountSid` update "
        "to another account",
    ),
    (
        "account",
        21403,
        "`SmsMethod` or `SmsFallbackMethod` other than `GET`/`POST` (phone numbers: any `…Method`)",
    ),
    (
        "account",
        21502,
        "`SmsUrl` or `SmsFallbackUrl` (phone numbers: any URL setting) not an `http(s)://` URL "
        "(or with whitespace, a trailing newline included, control characters, or a character "
        "XML 1.0 cannot carry)",
    ),
    (
        "account",
        21421,
        "`PhoneNumber` to buy is not an E.164 number (`+1` numbers NANP) of a known country",
    ),
    (
        "account",
        21422,
        "`PhoneNumber` to buy is already the account's (`PhoneNumber ... is not available`)",
    ),
    (
        "account",
        21451,
        "`AreaCode` not a US/Canada area code (three digits, not starting with 0 or 1, not N11)",
    ),
    (
        "account",
        21452,
        "no number left in that `AreaCode` (the mock offers its 555-0100 to 555-0199)",
    ),
    ("messages", 21604, "`To` missing or empty (`A 'To' phone number is required.`)"),
    ("messages", 21211, "`To` not an E.164 number (`+1` numbers must be NANP)"),
    ("messages", 21265, "`To` is a short code"),
    ("messages", 21603, "neither `From` nor `MessagingServiceSid`"),
    (
        "messages",
        21602,
        "no `Body`, `MediaUrl` or `ContentSid`, sent with `From` (`Message body is required.`)",
    ),
    ("messages", 21619, "the same, sent through a Messaging Service"),
    ("messages", 21617, "`Body` over 1,600 characters"),
    ("messages", 21620, "a `MediaUrl` that is not an `http(s)://` URL"),
    (
        "messages",
        21623,
        "more than ten `MediaUrl`s (`Number of media files exceeds allowed limit`)",
    ),
    (
        "messages",
        90007,
        "`ValidityPeriod` not a whole number of seconds from 1 to 36000 (`Invalid validity "
        "period value`)",
    ),
    (
        "messages",
        21609,
        "`StatusCallback` not an `http(s)://` URL with a valid host name: letters, digits and "
        "hyphens in dot-separated labels (no underscore), an IPv4 or a bracketed IPv6 address",
    ),
    (
        "messages",
        21212,
        "`From` neither a phone number nor a short code nor a Messaging Service SID",
    ),
    (
        "messages",
        21660,
        "`From` is not a short code of this account (`Mismatch between the 'From' number … and "
        "the account …`)",
    ),
    ("messages", 21661, "`From` is not SMS-capable (an MMS-only short code sending text)"),
    ("messages", 21621, "`MediaUrl` given and `From` is not MMS-capable"),
    (
        "messages",
        21659,
        "`From` is a short code of another country than `To`'s (US and CA short codes reach `+1`)",
    ),
    (
        "messages",
        21701,
        "`MessagingServiceSid` (or a `MG…` `From`) is not a Messaging Service of this account",
    ),
    ("messages", 21705, "`MessagingServiceSid` is not an `MG` SID"),
    (
        "messages",
        21704,
        "the Messaging Service holds no short code (`The Messaging Service contains no phone "
        "numbers`)",
    ),
    ("messages", 21703, "no short code of the service can send this message (country, MMS)"),
    (
        "messages",
        21610,
        "`To` opted out of the Messaging Service (Advanced Opt-Out), through the service or from "
        "one of its short codes (`Attempt to send to unsubscribed recipient`)",
    ),
    ("messages", 35118, "`ScheduleType=fixed` without a Messaging Service"),
    ("messages", 35111, "`ScheduleType=fixed` without `SendAt`"),
    ("messages", 35114, "`SendAt` not an ISO 8601 time from 300 seconds to 35 days ahead"),
    (
        "messages",
        30409,
        "`Status=canceled` on a message that is not scheduled (`This message cannot be canceled`)",
    ),
    (
        "messages",
        20009,
        'redacting (`Body=""`) or deleting a message that is still on its way (`Cannot delete '
        "this resource before it is complete`)",
    ),
    (
        "messages",
        20001,
        '`Status` other than `canceled`; `Body` other than `""` on update; a `DateSent` filter '
        "that is neither a date nor a time",
    ),
    ("scripted", 20429, "`fail_next(status=429)` (with `Retry-After: 1` unless given)"),
    ("scripted", 20500, "`fail_next(status=500)`"),
    ("scripted", 20503, "`fail_next(status=503)`"),
)


def errors_table(apis: Optional[tuple[str, ...]] = None) -> str:
    """The errors table in Markdown (``| API | status | code | when |``), one row per
    documented (API, code), in catalogue order; ``apis`` keeps only those APIs' rows."""
    lines = ["| API | status | code | when |", "|---|---|---|---|"]
    for api, code, when in DOCUMENTED:
        if apis is None or api in apis:
            lines.append(f"| {api} | {STATUS_OF[code]} | {code} | {when} |")
    return "\n".join(lines) + "\n"


def codes_table() -> str:
    """The codes that are never an HTTP answer, in Markdown: a Message's ``error_code``
    with its ``error_message``, and a webhook attempt's ``ErrorCode``."""
    lines = ["| code | message | where |", "|---|---|---|"]
    for e in ENTRIES:
        if e.status is None:
            where = (
                "a Message's `error_code`"
                if e.code in MESSAGE_FAILURE_CODES
                else ("an inbound webhook attempt's `ErrorCode`")
            )
            lines.append(f"| {e.code} | {e.message} | {where} |")
    for code in MESSAGE_FAILURE_CODES:
        if STATUS_OF[code] is not None:
            lines.append(f"| {code} | {entry(code).message} | a Message's `error_code` |")
    return "\n".join(lines) + "\n"


def _check() -> None:
    """Every code the mock answers over HTTP has a row, and every row's code is defined."""
    documented = {code for _, code, _ in DOCUMENTED}
    answered = {e.code for e in ENTRIES if e.status is not None}
    if documented != answered:
        raise AssertionError(f"errors table and catalogue differ: {documented ^ answered}")


_check()


if __name__ == "__main__":  # python -m pytest_twilio_shortcodes.model.errors_table
    print(errors_table())
    print(codes_table(), end="")
