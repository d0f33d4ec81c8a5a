"""Seeding helpers behind ``add_short_codes`` and the services' ``short_codes=``, and the
checks of the mock's constructor options."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Union

from ..model.account import Account
from ..model.errors import TwilioError
from ..model.opt_outs import opt_out_replies
from ..model.resources import Service
from ..wire.hosts import names_twilio_host

VALIDATE = {True: "all", False: "none", "all": "all", "none": "none", "requests": "requests",
            "responses": "responses"}  # fmt: skip


def check_options(
    validate: Union[bool, str], strict: bool, frozen_clock: bool, passthrough: Iterable[str]
) -> tuple[str, tuple[str, ...]]:
    """The constructor's options checked (``ValueError`` naming the bad one); returns the
    validation mode's name and the passthrough patterns."""
    if validate not in VALIDATE:
        raise ValueError(f"validate must be one of {sorted(map(str, VALIDATE))}, not {validate!r}")
    if not isinstance(strict, bool):
        raise ValueError(f"strict must be True or False, not {strict!r}")
    if not isinstance(frozen_clock, bool):
        raise ValueError(f"frozen_clock must be True or False, not {frozen_clock!r}")
    patterns = tuple(passthrough)
    for pattern in patterns:
        if names_twilio_host(pattern):
            raise ValueError(f"Twilio hosts never pass through: {pattern!r}")
    return VALIDATE[validate], patterns


def given(arguments: dict[str, Any]) -> dict[str, Any]:
    """A member's arguments (its ``locals()`` on entry), to forward as they were given."""
    return {name: value for name, value in arguments.items() if name != "self"}


@contextmanager
def bulk() -> Iterator[None]:
    """Seeding allocates many objects that live on: pause the cyclic garbage collector,
    which would otherwise walk the growing heap again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def add_short_codes(
    buy: Callable[..., str], short_codes: Iterable[str], attributes: dict[str, Any]
) -> list[str]:
    """Buy many short codes with the same attributes, the garbage collector paused."""
    with bulk():
        return [buy(number, **attributes) for number in short_codes]


def seed_members(
    service: Service,
    items: Iterable[str],
    join: Callable[[Any, str], Any],
    resolve: Callable[[str], str],
) -> None:
    """Put ``items`` in ``service`` through ``join``, each item's SID from ``resolve`` (which
    buys a number not yet in the account); a refusal is a ``ValueError``."""
    with bulk():
        for item in items:
            sid = resolve(item)
            try:
                join(service, sid)
            except TwilioError as error:
                raise ValueError(f"{item}: {error.message}") from None


def short_code_sid(account: Account, buy: Callable[[str], str]) -> Callable[[str], str]:
    """An SC SID, or a number of the account (bought with ``buy`` if it is not), as a SID."""

    def resolve(item: str) -> str:
        sid = item if account.short_code(item) else account.sid_of_number(item)
        return buy(item) if sid is None else sid

    return resolve


def add_phone_number(account: Account, *, phone_number: str, **attributes: Any) -> str:
    """``TwilioShortCodeMock.add_phone_number``: a phone number in the account, its SID."""
    with account.lock:
        return account.phone_numbers.add(phone_number, **attributes).sid


def add_messaging_service(
    account: Account,
    buy: Callable[[str], str],
    buy_phone_number: Callable[[str], str],
    *,
    friendly_name: str,
    inbound_request_url: Optional[str],
    fallback_url: Optional[str],
    inbound_method: str,
    fallback_method: str,
    short_codes: Iterable[str],
    status_callback: Optional[str],
    advanced_opt_out: Union[bool, Mapping[str, str]],
    use_inbound_webhook_on_number: bool,
    alpha_sender: Optional[str],
    phone_numbers: Iterable[str],
) -> str:
    """``TwilioShortCodeMock.add_messaging_service``: the service (and its alpha sender),
    then its members."""
    service = account.add_messaging_service(
        friendly_name,
        inbound_request_url=inbound_request_url,
        fallback_url=fallback_url,
        inbound_method=inbound_method,
        fallback_method=fallback_method,
        status_callback=status_callback,
        advanced_opt_out=opt_out_replies(advanced_opt_out),
        use_inbound_webhook_on_number=use_inbound_webhook_on_number,
        alpha_sender=alpha_sender,
    )
    seed_members(
        service, short_codes, account.add_to_messaging_service, short_code_sid(account, buy)
    )
    pool = account.phone_numbers

    def join(service: Any, sid: str) -> Any:
        return pool.join(service.sid, sid, len(service.members))

    def phone_number_sid(item: str) -> str:
        found = pool.find(item)
        return buy_phone_number(item) if found is None else found.sid

    seed_members(service, phone_numbers, join, phone_number_sid)
    return service.sid


def add_proxy_service(
    account: Account, buy: Callable[[str], str], *, unique_name: str, short_codes: Iterable[str]
) -> str:
    """``TwilioShortCodeMock.add_proxy_service``: the service, then its members."""
    service = account.add_proxy_service(unique_name)
    seed_members(service, short_codes, account.add_to_proxy_service, short_code_sid(account, buy))
    return service.sid
