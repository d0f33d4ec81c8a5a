"""The error catalogue's entries: every Twilio error the mock answers, once, as data
(``catalogue`` reads them: lookups, rules, the documentation's table). A new error is one
entry here and one row in ``errors_table.DOCUMENTED``."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class ErrorEntry:
    """One error the mock answers: Twilio's ``code``, its HTTP ``status`` and message."""

    name: str
    code: int
    status: Optional[int]  # None: never an HTTP answer (a Message's or a webhook's code)
    message: str  # a str.format template
    detail: Optional[str] = None  # the envelope's ``detail``, when Twilio gives one

    @property
    def fields(self) -> frozenset[str]:
        """The names the message and detail templates take."""
        parsed = string.Formatter().parse(self.message + (self.detail or ""))
        return frozenset(name for _, name, _, _ in parsed if name)


_E = ErrorEntry
ENTRIES: tuple[ErrorEntry, ...] = (
    # -- any API: routing, authentication, parameters, paging --------------------------
    _E("not_found", 20404, 404, "The requested resource {path} was not found"),
    _E(
        "not_mocked",
        20404,
        404,
        "The requested resource {method} {url} was not found: pytest-twilio-shortcodes "
        "does not mock this Twilio route",
    ),
    _E("method_not_allowed", 20004, 405, "Method {method} not allowed on {path}"),
    _E("no_credentials", 20003, 401, "Authentication Error - No credentials provided"),
    _E(
        "wrong_credentials",
        20003,
        401,
        "Authenticate",
        detail="Your AccountSid or AuthToken was incorrect.",
    ),
    _E(
        "wrong_account",
        20003,
        401,
        "Authenticate",
        detail="The credentials given do not grant access to account {account}",
    ),
    _E("missing_parameter", 20001, 400, "Missing required parameter {name} in the post body"),
    _E("invalid_parameter", 20001, 400, "Invalid value {value!r} for parameter {name}: {expected}"),
    _E("invalid_field", 20001, 400, "Invalid parameter {field}: {value!r}"),  # schema default
    _E("invalid_page_token", 21481, 400, "Invalid PageToken {token!r}"),
    _E("page_token_required", 70002, 400, "Paged requests must include a PageToken"),
    # -- scripted faults (fail_next) with a standard status ------------------------------
    _E("too_many_requests", 20429, 429, "Too many requests"),
    _E("internal_server_error", 20500, 500, "Internal Server Error"),
    _E("service_unavailable", 20503, 503, "Service Unavailable"),
    # -- Messaging v1: a service's short codes -------------------------------------------
    _E(
        "short_code_sid_invalid",
        21421,
        400,
        "ShortCodeSid {value!r} is not a valid short code SID of this account",
    ),
    _E(
        "short_code_not_in_account",
        21421,
        400,
        "ShortCodeSid {sid} is not a short code of this account",
    ),
    _E(
        "already_in_messaging_service",
        21710,
        409,
        "Phone Number or Short Code is already in the Messaging Service.",
    ),
    _E(
        "in_another_messaging_service",
        21712,
        409,
        "Phone Number or Short Code is associated with another Messaging Service.",
    ),
    # -- Messaging v1: Services and their alpha senders ----------------------------------
    _E(
        "invalid_service_friendly_name",
        20001,
        400,
        "Invalid FriendlyName {value!r}: 1 to 64 characters",
    ),
    _E(
        "invalid_boolean",
        20001,
        400,
        "Invalid value {value!r} for parameter {field}: expected true or false",
    ),
    _E(
        "invalid_scan_message_content",
        20001,
        400,
        "Invalid ScanMessageContent {value!r}: must be inherit, enable or disable",
    ),
    _E(
        "invalid_validity_period",
        20001,
        400,
        "Invalid ValidityPeriod {value!r}: must be an integer from 1 to 36000",
    ),
    _E(
        "invalid_usecase",
        20001,
        400,
        "Invalid Usecase {value!r}: must be one of notifications, marketing, verification, "
        "discussion, poll, undeclared",
    ),
    _E(
        "invalid_alpha_sender",
        20001,
        400,
        "Invalid AlphaSender {value!r}: 1 to 11 of A-Z a-z 0-9, space, - + _ &, and not only "
        "digits",
    ),
    _E(
        "alpha_sender_taken",
        20409,
        409,
        "Messaging Service {service} already has an alpha sender ({sender}): a service may "
        "only have one; remove it first",
    ),
    # -- Messaging v1: a service's phone numbers -----------------------------------------
    _E(
        "phone_number_sid_invalid",
        21421,
        400,
        "PhoneNumberSid {value!r} is not a valid phone number SID of this account",
    ),
    _E(
        "phone_number_not_in_account",
        21421,
        400,
        "PhoneNumberSid {sid} is not a phone number of this account",
    ),
    _E(
        "phone_number_not_sms",
        21715,
        400,
        "Phone Number Does Not Have Correct Messaging Service Capabilities",
    ),
    _E("pool_limit_reached", 21714, 412, "Number Pool size limit reached"),
    # -- the account's phone numbers (IncomingPhoneNumbers) -------------------------------
    _E(
        "phone_number_or_area_code_required",
        20001,
        400,
        "Missing required parameter PhoneNumber or AreaCode in the post body",
    ),
    _E("phone_number_to_buy_invalid", 21421, 400, "PhoneNumber {number!r} is invalid"),
    _E(
        "invalid_phone_number_field",
        21421,
        400,
        "PhoneNumber {value!r} is invalid: an E.164 number is expected",
    ),
    _E("phone_number_unavailable", 21422, 400, "PhoneNumber {number} is not available"),
    _E("area_code_invalid", 21451, 400, "AreaCode {area_code!r} is invalid"),
    _E(
        "invalid_area_code_field",
        21451,
        400,
        "AreaCode {value!r} is invalid: three digits of a US or Canada area code",
    ),
    _E("area_code_exhausted", 21452, 400, "No phone numbers found in area code {area_code}"),
    _E(
        "invalid_beta_filter",
        20001,
        400,
        "Invalid value {value!r} for parameter Beta: true or false",
    ),
    _E(
        "invalid_origin_filter",
        20001,
        400,
        "Invalid value {value!r} for parameter Origin: twilio or hosted",
    ),
    _E("invalid_account_sid", 20001, 400, "Invalid AccountSid {other}: {detail}"),
    _E("invalid_true_false", 20001, 400, "Invalid {field} {value!r}: must be true or false"),
    _E(
        "invalid_emergency_status",
        20001,
        400,
        "Invalid EmergencyStatus {value!r}: must be Active or Inactive",
    ),
    _E(
        "invalid_voice_receive_mode",
        20001,
        400,
        "Invalid VoiceReceiveMode {value!r}: must be voice or fax",
    ),
    _E("invalid_ap_sid", 20001, 400, "Invalid {field} {value!r}: not a AP SID"),
    _E("invalid_ad_sid", 20001, 400, "Invalid {field} {value!r}: not a AD SID"),
    _E("invalid_tk_sid", 20001, 400, "Invalid {field} {value!r}: not a TK SID"),
    _E("invalid_ri_sid", 20001, 400, "Invalid {field} {value!r}: not a RI SID"),
    _E("invalid_bu_sid", 20001, 400, "Invalid {field} {value!r}: not a BU SID"),
    _E("invalid_ac_sid", 20001, 400, "Invalid {field} {value!r}: not a AC SID"),
    # -- Proxy v1: a service's short codes -----------------------------------------------
    _E(
        "short_code_not_associated",
        80303,
        400,
        "Short Code Sid is not associated with your Account.",
    ),
    _E("already_in_proxy_service", 80105, 400, "ShortCode has already been added to Service"),
    _E(
        "in_another_proxy_service",
        80601,
        400,
        "Short Code {short_code} is not available: it is already in Proxy Service {service}",
    ),
    # -- Proxy v1: Services ----------------------------------------------------------------
    _E("unique_name_taken", 80602, 400, "Service UniqueName must be unique."),
    _E("invalid_unique_name", 80701, 400, "'{field}' is invalid: 1 to 191 characters"),
    _E("invalid_proxy_parameter", 80701, 400, "'{field}' is invalid: {value!r}"),
    _E(
        "invalid_is_reserved",
        20001,
        400,
        "Invalid value {value!r} for parameter IsReserved: expected true or false",
    ),
    # -- the account's short codes (2010-04-01, 2008-08-01) --------------------------------
    _E(
        "invalid_friendly_name",
        20001,
        400,
        "Invalid FriendlyName: at most 64 characters, none that XML 1.0 cannot carry",
    ),
    _E(
        "invalid_api_version",
        20001,
        400,
        "Invalid ApiVersion {value!r}: must be 2010-04-01 or 2008-08-01",
    ),
    _E("invalid_callback_url", 21502, 400, "Invalid callback url for {field}: {value!r}"),
    _E("invalid_method", 21403, 400, "Invalid method {value!r} for {field}: must be GET or POST"),
    # -- Messages ------------------------------------------------------------------------
    _E("invalid_message_parameter", 20001, 400, "Invalid parameter {name}: {detail}"),
    _E("invalid_status_update", 20001, 400, "Invalid Status {value!r}: the only value is canceled"),
    _E("message_incomplete", 20009, 400, "Cannot {action} this resource before it is complete"),
    _E("to_invalid", 21211, 400, "The 'To' number {to} is not a valid phone number: {reason}."),
    _E(
        "from_invalid",
        21212,
        400,
        "The 'From' number {from_} is not a valid phone number, shortcode, or alphanumeric "
        "sender ID.",
    ),
    _E("to_is_short_code", 21265, 400, "'To' number cannot be a Short Code: {to}"),
    _E("body_required", 21602, 400, "Message body is required."),
    _E(
        "from_required",
        21603,
        400,
        "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
    ),
    _E("to_required", 21604, 400, "A 'To' phone number is required."),
    _E("invalid_status_callback", 21609, 400, "Invalid StatusCallback url: {value!r}"),
    _E(
        "status_callback_host_invalid",
        21609,
        400,
        "Invalid StatusCallback url {value!r}: an http(s) URL with a valid host name (letters, "
        "digits, hyphens; no underscore) is expected",
    ),
    _E(
        "too_many_media",
        21623,
        400,
        "Number of media files exceeds allowed limit: {count} MediaUrls, at most 10.",
    ),
    _E(
        "invalid_message_validity_period",
        90007,
        400,
        "Invalid validity period value {value!r}: whole seconds from 1 to 36000",
    ),
    _E("unsubscribed_recipient", 21610, 400, "Attempt to send to unsubscribed recipient"),
    _E(
        "body_too_long",
        21617,
        400,
        "The concatenated message body exceeds the 1600 character limit.",
    ),
    _E("content_required", 21619, 400, "A Message Body, Media URL or Content SID is required."),
    _E("invalid_media_url", 21620, 400, "Invalid media URL(s): {value!r}"),
    _E("from_not_mms", 21621, 400, "The 'From' number {from_} has not been enabled for MMS."),
    _E(
        "from_wrong_country",
        21659,
        400,
        "'From' {from_} is a short code of {country} and cannot send to {to}.",
    ),
    _E(
        "from_not_in_account",
        21660,
        400,
        "Mismatch between the 'From' number {from_} and the account {account}.",
    ),
    _E("from_not_sms", 21661, 400, "'From' number {from_} is not SMS-capable."),
    _E("messaging_service_not_found", 21701, 400, "The Messaging Service {sid} does not exist"),
    _E(
        "no_sender_available",
        21703,
        400,
        "The Messaging Service does not have a phone number available to send a message",
    ),
    _E("service_has_no_numbers", 21704, 400, "The Messaging Service contains no phone numbers"),
    _E(
        "messaging_service_sid_invalid",
        21705,
        400,
        "The Messaging Service is invalid: {value!r} is not a Messaging Service SID",
    ),
    _E("not_cancelable", 30409, 400, "This message cannot be canceled"),
    _E("send_at_missing", 35111, 400, "SendAt timestamp is missing"),
    _E(
        "send_at_out_of_window",
        35114,
        400,
        "SendAt time must be between 300 seconds and 35 days (3024000 seconds) in the future, "
        "inclusive",
    ),
    _E(
        "schedule_needs_service",
        35118,
        400,
        "MessagingServiceSid is required to schedule a message",
    ),
    # -- a Message's error_code once it failed (never an HTTP answer) ---------------------
    _E("unreachable_handset", 30003, None, "Unreachable destination handset"),
    _E("message_blocked", 30004, None, "Message blocked"),
    _E("unknown_handset", 30005, None, "Unknown destination handset"),
    _E("landline_or_unreachable_carrier", 30006, None, "Landline or unreachable carrier"),
    _E("message_filtered", 30007, None, "Message filtered"),
    _E("unknown_error", 30008, None, "Unknown error"),
    # -- a webhook attempt's ErrorCode, before Twilio tries the fallback URL ----------------
    _E("http_retrieval_failure", 11200, None, "HTTP retrieval failure"),
    _E("http_connection_failure", 11205, None, "HTTP connection failure"),
    _E("document_parse_failure", 12100, None, "Document parse failure"),
)
del _E
