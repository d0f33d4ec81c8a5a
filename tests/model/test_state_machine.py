"""A model-checked state machine: random operations across the APIs (short codes, phone
numbers, Messaging and Proxy Services), through the twilio SDK and plain requests, checked
after every step against a small model."""

from __future__ import annotations

import re
from collections import Counter
from itertools import count

import pytest
import requests
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from pytest_twilio_shortcodes import TwilioShortCodeMock, validate

MESSAGING = "https://messaging.twilio.com/v1/Services"
PROXY = "https://proxy.twilio.com/v1/Services"
COUNTS: Counter[str] = Counter()
NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<&>\"' é👋"), max_size=70
)


class ShortCodeWorld(RuleBasedStateMachine):
    short_codes = Bundle("short_codes")
    messaging = Bundle("messaging")
    proxy = Bundle("proxy")
    phone_numbers = Bundle("phone_numbers")

    def __init__(self) -> None:
        super().__init__()
        self.mock = TwilioShortCodeMock().start()
        self.client = Client(self.mock.account_sid, self.mock.auth_token)
        self.auth = (self.mock.account_sid, self.mock.auth_token)
        self.account_url = (
            f"https://api.twilio.com/2010-04-01/Accounts/{self.mock.account_sid}/SMS/ShortCodes"
        )
        self.numbers_url = self.account_url.replace("SMS/ShortCodes", "IncomingPhoneNumbers")
        self.numbers: dict[str, str] = {}  # sid -> number, in purchase order
        self.names: dict[str, str] = {}  # sid -> friendly name
        self.in_messaging: dict[str, list[str]] = {}  # MG -> sids in the order added
        self.in_proxy: dict[str, dict[str, bool]] = {}  # KS -> sid -> is_reserved
        self.phones: dict[str, str] = {}  # PN sid -> number, of the numbers the account holds
        self.phone_pool: dict[str, list[str]] = {}  # MG -> PN sids in the order added
        self.unique_names: dict[str, str] = {}  # KS -> unique name (unique in the account)
        self.created = count(1)

    def teardown(self) -> None:
        self.mock.stop()

    def count(self, name: str) -> None:
        COUNTS["operations"] += 1
        COUNTS[name] += 1

    # -- set-up and seeding -----------------------------------------------------------------

    @initialize(target=messaging)
    def messaging_service(self):
        sid = self.mock.add_messaging_service()
        self.in_messaging[sid] = []
        self.phone_pool[sid] = []
        return sid

    @initialize(target=proxy)
    def proxy_service(self):
        name = f"pool {next(self.created)}"
        sid = self.mock.add_proxy_service(name)
        self.in_proxy[sid], self.unique_names[sid] = {}, name
        return sid

    @rule(target=messaging)
    def another_messaging_service(self):
        self.count("add messaging service")
        return self.messaging_service()

    @rule(target=proxy)
    def another_proxy_service(self):
        self.count("add proxy service")
        return self.proxy_service()

    # -- the services themselves, through the API --------------------------------------------

    @rule(target=messaging, name=NAMES, sdk=st.booleans())
    def create_messaging_service(self, name, sdk):
        self.count("messaging service create")
        valid = 1 <= len(name) <= 64
        if sdk:
            try:
                sid = self.client.messaging.v1.services.create(friendly_name=name).sid
            except TwilioRestException as error:
                assert not valid and (error.status, error.code) == (400, 20001)
                return multiple()
        else:
            response = requests.post(MESSAGING, data={"FriendlyName": name}, auth=self.auth)
            if not valid:
                assert (response.status_code, response.json()["code"]) == (400, 20001)
                return multiple()
            assert response.status_code == 201
            validate(response.json(), "messaging.v1.service")
            sid = response.json()["sid"]
        assert valid
        self.in_messaging[sid] = []
        self.phone_pool[sid] = []
        return sid

    @rule(service=messaging, sdk=st.booleans())
    def delete_messaging_service(self, service, sdk):
        self.count("messaging service delete")
        present = service in self.in_messaging
        if sdk:
            try:
                assert self.client.messaging.v1.services(service).delete() is True
                status = 204
            except TwilioRestException as error:
                status = error.status
        else:
            status = requests.delete(f"{MESSAGING}/{service}", auth=self.auth).status_code
        assert status == (204 if present else 404)
        self.in_messaging.pop(service, None)  # its short codes are released
        self.phone_pool.pop(service, None)  # and its phone numbers

    @rule(size=st.integers(1, 7))
    def walk_messaging_services(self, size):
        self.count("messaging service list walk")
        listed = [s.sid for s in self.client.messaging.v1.services.list(page_size=size)]
        assert listed == list(self.in_messaging)

    @rule(target=proxy, name=NAMES)
    def create_proxy_service(self, name):
        self.count("proxy service create")
        response = requests.post(PROXY, data={"UniqueName": name}, auth=self.auth)
        if not 1 <= len(name) <= 191:
            assert (response.status_code, response.json()["code"]) == (400, 80701)
            return multiple()
        if name in self.unique_names.values():
            assert (response.status_code, response.json()["code"]) == (400, 80602)
            return multiple()
        assert response.status_code == 201
        body = response.json()
        validate(body, "proxy.v1.service")
        assert body["unique_name"] == name
        self.in_proxy[body["sid"]], self.unique_names[body["sid"]] = {}, name
        return body["sid"]

    @rule(service=proxy, other=proxy)
    def rename_proxy_service(self, service, other):
        self.count("proxy service rename")
        if other not in self.unique_names:
            return
        name = self.unique_names[other]
        response = requests.post(f"{PROXY}/{service}", data={"UniqueName": name}, auth=self.auth)
        if service not in self.unique_names:
            assert response.status_code == 404
        elif service != other:
            assert (response.status_code, response.json()["code"]) == (400, 80602)
        else:
            assert response.json()["unique_name"] == name

    @rule(service=proxy)
    def delete_proxy_service(self, service):
        self.count("proxy service delete")
        response = requests.delete(f"{PROXY}/{service}", auth=self.auth)
        assert response.status_code == (204 if service in self.in_proxy else 404)
        self.in_proxy.pop(service, None)  # its short codes are released
        self.unique_names.pop(service, None)

    @rule(size=st.integers(1, 150))
    def walk_proxy_services(self, size):
        self.count("proxy service list walk")
        url, walked = f"{PROXY}?PageSize={size}", []
        while url:
            page = requests.get(url, auth=self.auth).json()
            validate(page, "proxy.v1.service.list")
            walked += [(s["sid"], s["unique_name"]) for s in page["services"]]
            url = page["meta"]["next_page_url"]
        assert walked == list(self.unique_names.items())

    @rule(target=short_codes, number=st.integers(10000, 10099))
    def buy(self, number):
        self.count("buy")
        number = str(number)
        if number in self.numbers.values():
            try:
                self.mock.add_short_code(number)
            except ValueError as error:
                assert "already in the account" in str(error)
            return next(sid for sid, n in self.numbers.items() if n == number)
        sid = self.mock.add_short_code(number)
        self.numbers[sid] = self.names[sid] = number
        return sid

    # -- Messaging v1 -------------------------------------------------------------------------

    def owner(self, sid: str):
        return next((mg for mg, sids in self.in_messaging.items() if sid in sids), None)

    @rule(service=messaging, sid=short_codes, sdk=st.booleans())
    def add_to_messaging(self, service, sid, sdk):
        self.count("messaging add")
        owner = self.owner(sid)
        expected = 201 if owner is None else (409, 21710 if owner == service else 21712)
        if service not in self.in_messaging:
            expected = (404, 20404)
        if sdk:
            try:
                created = self.client.messaging.v1.services(service).short_codes.create(sid)
                status = 201
                assert created.sid == sid and created.service_sid == service
            except TwilioRestException as error:
                status = (error.status, error.code)
        else:
            response = requests.post(
                f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": sid}, auth=self.auth
            )
            body = response.json()
            status = 201 if response.status_code == 201 else (response.status_code, body["code"])
            validate(body, "messaging.v1.service.short_code" if status == 201 else "twilio.error")
        assert status == expected
        if status == 201:
            self.in_messaging[service].append(sid)

    @rule(service=messaging, sid=short_codes, sdk=st.booleans())
    def remove_from_messaging(self, service, sid, sdk):
        self.count("messaging remove")
        present = sid in self.in_messaging.get(service, ())
        if sdk:
            try:
                assert self.client.messaging.v1.services(service).short_codes(sid).delete() is True
                status = 204
            except TwilioRestException as error:
                status = error.status
        else:
            status = requests.delete(
                f"{MESSAGING}/{service}/ShortCodes/{sid}", auth=self.auth
            ).status_code
        assert status == (204 if present else 404)
        if present:
            self.in_messaging[service].remove(sid)

    @rule(service=messaging, size=st.integers(1, 7))
    def walk_messaging(self, service, size):
        self.count("messaging list walk")
        if service not in self.in_messaging:
            with pytest.raises(TwilioException, match="Unable to fetch page"):
                self.client.messaging.v1.services(service).short_codes.list()
            return
        listed = [
            sc.sid
            for sc in self.client.messaging.v1.services(service).short_codes.list(page_size=size)
        ]
        assert listed == self.in_messaging[service]

    # -- the account's phone numbers and a Messaging Service's -----------------------------------

    @rule(target=phone_numbers, line=st.integers(100, 104), by_area_code=st.booleans())
    def buy_phone_number(self, line, by_area_code):
        self.count("phone number buy")
        url = f"{self.numbers_url}.json"
        if by_area_code:
            taken = set(self.phones.values())
            number = next(
                f"+1628555{n:04d}" for n in range(100, 200) if f"+1628555{n:04d}" not in taken
            )
            response = requests.post(url, data={"AreaCode": "628"}, auth=self.auth)
        else:
            number = f"+1415555{line:04d}"
            response = requests.post(url, data={"PhoneNumber": number}, auth=self.auth)
            if number in self.phones.values():
                assert (response.status_code, response.json()["code"]) == (400, 21422)
                return next(sid for sid, n in self.phones.items() if n == number)
        assert response.status_code == 201
        body = response.json()
        validate(body, "api.v2010.account.incoming_phone_number")
        assert body["phone_number"] == number
        self.phones[body["sid"]] = number
        return body["sid"]

    @rule(sid=phone_numbers, sdk=st.booleans())
    def release_phone_number(self, sid, sdk):
        self.count("phone number release")
        if sdk:
            try:
                assert self.client.incoming_phone_numbers(sid).delete() is True
                status = 204
            except TwilioRestException as error:
                status = error.status
        else:
            url = f"{self.numbers_url}/{sid}.json"
            status = requests.delete(url, auth=self.auth).status_code
        assert status == (204 if sid in self.phones else 404)
        self.phones.pop(sid, None)
        for sids in self.phone_pool.values():
            if sid in sids:
                sids.remove(sid)

    def phone_owner(self, sid: str):
        return next((mg for mg, sids in self.phone_pool.items() if sid in sids), None)

    @rule(service=messaging, sid=phone_numbers, sdk=st.booleans())
    def add_phone_to_messaging(self, service, sid, sdk):
        self.count("messaging add phone number")
        owner = self.phone_owner(sid)
        if service not in self.phone_pool:
            expected = (404, 20404)
        elif sid not in self.phones:
            expected = (400, 21421)
        elif owner is not None:
            expected = (409, 21710 if owner == service else 21712)
        else:
            expected = 201
        if sdk:
            try:
                pool = self.client.messaging.v1.services(service).phone_numbers
                created = pool.create(phone_number_sid=sid)
                status = 201
                assert (created.sid, created.phone_number) == (sid, self.phones[sid])
            except TwilioRestException as error:
                status = (error.status, error.code)
        else:
            response = requests.post(
                f"{MESSAGING}/{service}/PhoneNumbers", data={"PhoneNumberSid": sid}, auth=self.auth
            )
            body = response.json()
            status = 201 if response.status_code == 201 else (response.status_code, body["code"])
            validate(body, "messaging.v1.service.phone_number" if status == 201 else "twilio.error")
        assert status == expected
        if status == 201:
            self.phone_pool[service].append(sid)

    @rule(service=messaging, sid=phone_numbers)
    def remove_phone_from_messaging(self, service, sid):
        self.count("messaging remove phone number")
        present = sid in self.phone_pool.get(service, ())
        response = requests.delete(f"{MESSAGING}/{service}/PhoneNumbers/{sid}", auth=self.auth)
        assert response.status_code == (204 if present else 404)
        if present:
            self.phone_pool[service].remove(sid)

    @rule(service=messaging, size=st.integers(1, 4))
    def walk_phone_numbers(self, service, size):
        self.count("phone numbers list walk")
        pool = self.client.messaging.v1.services(service).phone_numbers
        if service not in self.phone_pool:
            with pytest.raises(TwilioException, match="Unable to fetch page"):
                pool.list()
        else:
            assert [n.sid for n in pool.list(page_size=size)] == self.phone_pool[service]
        listed = self.client.incoming_phone_numbers.list(page_size=size)
        assert [(n.sid, n.phone_number) for n in listed] == list(self.phones.items())

    # -- Proxy v1 (plain requests: the latest SDK no longer has the resource) -------------------

    @rule(service=proxy, sid=short_codes)
    def add_to_proxy(self, service, sid):
        self.count("proxy add")
        owner = next((ks for ks, sids in self.in_proxy.items() if sid in sids), None)
        response = requests.post(f"{PROXY}/{service}/ShortCodes", data={"Sid": sid}, auth=self.auth)
        if service not in self.in_proxy:
            assert response.status_code == 404
        elif owner is None:
            assert response.status_code == 201
            assert response.json()["is_reserved"] is False
            self.in_proxy[service][sid] = False
        else:
            assert (response.status_code, response.json()["code"]) == (
                400,
                80105 if owner == service else 80601,
            )

    @rule(
        service=proxy, sid=short_codes, reserved=st.sampled_from(["true", "false", "True", "False"])
    )
    def reserve(self, service, sid, reserved):
        self.count("proxy reserve")
        response = requests.post(
            f"{PROXY}/{service}/ShortCodes/{sid}", data={"IsReserved": reserved}, auth=self.auth
        )
        if sid in self.in_proxy.get(service, ()):
            assert response.status_code == 200
            self.in_proxy[service][sid] = reserved.lower() == "true"
            assert response.json()["is_reserved"] is self.in_proxy[service][sid]
        else:
            assert response.status_code == 404

    @rule(service=proxy, sid=short_codes)
    def remove_from_proxy(self, service, sid):
        self.count("proxy remove")
        response = requests.delete(f"{PROXY}/{service}/ShortCodes/{sid}", auth=self.auth)
        assert response.status_code == (204 if sid in self.in_proxy.get(service, ()) else 404)
        self.in_proxy.get(service, {}).pop(sid, None)

    @rule(service=proxy, size=st.integers(1, 150))
    def walk_proxy(self, service, size):
        self.count("proxy list walk")
        if service not in self.in_proxy:
            response = requests.get(f"{PROXY}/{service}/ShortCodes", auth=self.auth)
            assert response.status_code == 404
            return
        url, walked = f"{PROXY}/{service}/ShortCodes?PageSize={size}", []
        while url:
            page = requests.get(url, auth=self.auth).json()
            validate(page, "proxy.v1.service.short_code.list")
            assert len(page["short_codes"]) <= min(size, 100)
            walked += [(sc["sid"], sc["is_reserved"]) for sc in page["short_codes"]]
            url = page["meta"]["next_page_url"]
        assert walked == list(self.in_proxy[service].items())

    # -- the account's short codes -------------------------------------------------------------

    @rule(sid=short_codes, name=NAMES)
    def rename(self, sid, name):
        self.count("2010 update")
        short_code = self.client.api.v2010.accounts(self.mock.account_sid).short_codes(sid)
        try:
            updated = short_code.update(friendly_name=name)
        except TwilioRestException as error:
            assert len(name) > 64 and (error.status, error.code) == (400, 20001)
            return
        self.names[sid] = name or self.numbers[sid]
        assert updated.friendly_name == self.names[sid]

    @rule(size=st.integers(1, 9), pattern=st.text("0123456789*", max_size=3), xml=st.booleans())
    def list_account(self, size, pattern, xml):
        self.count("2010 list walk")
        matcher = re.compile("".join("[0-9]" if c == "*" else c for c in pattern))
        expected = [sid for sid, n in self.numbers.items() if matcher.search(n)]
        walked = []
        if xml:
            import xml.etree.ElementTree as ET

            url = f"{self.account_url}.xml?ShortCode={pattern.replace('*', '%2A')}&PageSize={size}"
            while url:
                page = ET.fromstring(requests.get(url, auth=self.auth).content).find("ShortCodes")
                walked += [e.findtext("Sid") for e in page.findall("ShortCode")]
                url = page.get("nextpageuri") and "https://api.twilio.com" + page.get("nextpageuri")
        else:
            account = self.client.api.v2010.accounts(self.mock.account_sid)
            walked = [
                sc.sid
                for sc in account.short_codes.list(short_code=pattern or None, page_size=size)
            ]
        assert walked == expected

    # -- scripted faults leave no trace --------------------------------------------------------

    @rule(service=messaging, sid=short_codes, status=st.sampled_from([429, 500, 503]))
    def faulted_add(self, service, sid, status):
        self.count("faulted request")
        before = self.mock.snapshot()
        self.mock.fail_next("POST", "messaging", status=status)
        response = requests.post(
            f"{MESSAGING}/{service}/ShortCodes", data={"ShortCodeSid": sid}, auth=self.auth
        )
        assert response.status_code == status
        assert self.mock.snapshot() == before

    # -- after every step -------------------------------------------------------------------------

    @invariant()
    def matches_the_model(self):
        for service, sids in self.in_messaging.items():
            assert self.mock.messaging_service_short_codes(service) == sids
        for service, members in self.in_proxy.items():
            assert self.mock.proxy_service_short_codes(service) == list(members)
        for sid, record in ((sid, self.mock.short_code(sid)) for sid in self.numbers):
            assert record.messaging_service_sid == self.owner(sid)
            assert record.proxy_service_sid == next(
                (ks for ks, sids in self.in_proxy.items() if sid in sids), None
            )
        everyone = [sid for sids in self.in_messaging.values() for sid in sids]
        assert len(everyone) == len(set(everyone))
        for service, sids in self.phone_pool.items():
            assert self.mock.messaging_service_phone_numbers(service) == sids
        pooled = [sid for sids in self.phone_pool.values() for sid in sids]
        assert len(pooled) == len(set(pooled)) and set(pooled) <= set(self.phones)
        for sid, number in self.numbers.items():
            record = self.mock.short_code(sid)
            assert (record.short_code, record.friendly_name) == (number, self.names[sid])
        assert self.mock.response_failures == []
        assert self.mock.unmatched == []


def test_state_machine(record_property):
    COUNTS.clear()
    run_state_machine_as_test(
        ShortCodeWorld, settings=settings(max_examples=150, stateful_step_count=60)
    )
    record_property("reliability: state machine operations", COUNTS["operations"])
    assert COUNTS["operations"] > 0
    for name in (
        "messaging add",
        "messaging remove",
        "proxy add",
        "proxy reserve",
        "2010 update",
        "2010 list walk",
        "phone number buy",
        "phone number release",
        "messaging add phone number",
        "phone numbers list walk",
        "messaging service create",
        "messaging service delete",
        "proxy service create",
        "proxy service delete",
    ):
        assert COUNTS[name] > 0, f"the state machine never ran {name!r}"
