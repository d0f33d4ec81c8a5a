"""What the inspection helpers read from the account: copies and plain data, never the
live objects. Each takes the account and holds its lock while it reads."""

from __future__ import annotations

from typing import Any

from ..apis.incoming_phone_numbers import render as render_phone_number
from ..apis.messages import render as render_message
from ..model.account import Account
from ..model.resources import ShortCode
from .records import ShortCodeRecord, plain, record_of


def find_short_code(account: Account, sid_or_number: str) -> ShortCode:
    """The account's short code with this SID or number (``KeyError`` if none)."""
    with account.lock:
        found = account.short_code(sid_or_number) or account.short_code(
            account.sid_of_number(sid_or_number) or ""
        )
    if found is None:
        raise KeyError(f"no short code {sid_or_number!r} in account {account.sid}")
    return found


def short_code_record(account: Account, short_code: ShortCode) -> ShortCodeRecord:
    with account.lock:
        return record_of(
            short_code,
            account.messaging_service_of(short_code.sid),
            account.proxy_service_of(short_code.sid),
        )


def messages(account: Account) -> list[dict[str, Any]]:
    """Every message of the account, oldest first, as the Messages resource renders it."""
    with account.lock:
        return [render_message(account.sid, m) for m in account.messages]


def snapshot(account: Account) -> dict[str, Any]:
    """The whole account as plain data (see ``TwilioShortCodeMock.snapshot``): each
    message as the Messages resource renders it, never the mock's internal fields."""
    with account.lock:
        return {
            "short_codes": {
                sc.sid: short_code_record(account, sc).as_dict() for sc in account.short_codes
            },
            "phone_numbers": {
                pn.sid: render_phone_number(account.sid, pn) for pn in account.phone_numbers.records
            },
            "messaging_services": {
                sid: [
                    plain({"sid": m.sid, "date_created": m.date_created,
                           "date_updated": m.date_updated})
                    for m in (*service.members, *account.phone_numbers.pool(sid))
                ]
                for sid, service in account.messaging_services.items()
            },
            "proxy_services": {
                sid: [
                    plain({"sid": m.sid, "date_created": m.date_created,
                           "date_updated": m.date_updated, "is_reserved": m.is_reserved})
                    for m in service.members
                ]
                for sid, service in account.proxy_services.items()
            },
            "messages": messages(account),
            "opted_out": {
                sid: sorted(numbers) for sid, numbers in account.opted_out.items() if numbers
            },
        }  # fmt: skip


def opted_out(account: Account, messaging_service_sid: str) -> set[str]:
    """The numbers opted out of a Messaging Service (a copy)."""
    with account.lock:
        return set(account.opted_out.get(messaging_service_sid, ()))


def service_sid(account: Account, kind: str, name: str) -> str:
    """The SID of the one ``Messaging`` Service with this friendly name, or ``Proxy``
    Service with this unique name (``KeyError`` if none or several)."""
    with account.lock:
        if kind == "Messaging":
            services = account.messaging_services.items()
            found = [sid for sid, service in services if service.friendly_name == name]
        else:  # unique names are unique in the account
            proxy = account.proxy_service_named(name)
            found = [proxy.sid] if proxy is not None else []
    if len(found) != 1:
        raise KeyError(f"{len(found)} {kind} Services are named {name!r}")
    return found[0]


def member_sids(account: Account, kind: str, service_sid: str) -> list[str]:
    """The SIDs of the short codes in a ``Messaging`` or ``Proxy`` Service, in the order
    they were added."""
    with account.lock:
        services = account.messaging_services if kind == "Messaging" else account.proxy_services
        return [m.sid for m in services[service_sid].members]


def pool_phone_numbers(account: Account, service_sid: str) -> list[str]:
    """The SIDs of the phone numbers in a Messaging Service, in the order they were added."""
    with account.lock:
        return [m.sid for m in account.phone_numbers.pool(service_sid)]
