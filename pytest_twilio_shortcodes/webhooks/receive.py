"""An SMS arriving at one of the account's short codes (``receive_sms``): recorded by the
account, then delivered to the application's webhook as Twilio would."""

from __future__ import annotations

from typing import Iterable, Optional, Union

from ..model.account import Account
from ..model.senders import number_of
from ..model.services import inbound_route
from . import inbound


def receive_sms(
    account: Account,
    auth_token: str,
    to: str,
    from_: str,
    body: str,
    media_urls: Iterable[Union[str, tuple[str, str]]],
    app: Optional[inbound.WsgiApp],
    timeout: float,
) -> inbound.Delivery:
    """Record the message on ``account`` (Advanced Opt-Out acts on keywords), POST
    Twilio's webhook for it (``model.services.inbound_route``: the Messaging Service's
    URL, or the short code's own, with fallback; or none, the message dropped), and record
    the application's TwiML replies."""
    with account.lock:
        record, service_sid = account.receiver(to)  # a short code or phone number (KeyError)
        service = account.messaging_services.get(service_sid or "")
        route = inbound_route(service)
    if service is not None and route == "service":
        primary = inbound.Endpoint(service.inbound_request_url, service.inbound_method)
        fallback = inbound.Endpoint(service.fallback_url, service.fallback_method)
    else:
        primary = inbound.Endpoint(record.sms_url, record.sms_method)
        fallback = inbound.Endpoint(record.sms_fallback_url, record.sms_fallback_method)
    media = inbound.media_items(media_urls)
    # the account records the message (unless dropped); Advanced Opt-Out acts on keywords
    message, opt_out_type = account.receive_message(
        record, service, from_, body, [m[0] for m in media], logged=route != "dropped"
    )
    params = inbound.inbound_params(
        message_sid=message.sid,
        account_sid=account.sid,
        to=number_of(record),
        to_country=record.country_code,
        from_=from_,
        body=body,
        media=media,
        api_version=record.api_version,
        messaging_service_sid=service_sid,
    )
    if opt_out_type:
        params["OptOutType"] = opt_out_type
    delivery = inbound.Delivery(message.sid, params)
    if service is not None and route == "dropped":
        delivery.note = inbound.dropped_note(service.sid)
        return delivery
    inbound.deliver(delivery, primary, fallback, auth_token, app, timeout)
    account.record_replies(message, delivery.replies)
    return delivery
