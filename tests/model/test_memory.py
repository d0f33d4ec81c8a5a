"""Nothing a test does stays in memory once its mock has stopped (issue 12, item 3)."""

import json

SUITE = """
import pytest

@pytest.mark.parametrize("n", range(2000))
def test_one(twilio_shortcodes, twilio_client, n):
    service = twilio_shortcodes.add_messaging_service(short_codes=[str(10000 + n)])
    pool = twilio_client.messaging.v1.services(service).short_codes
    assert [sc.short_code for sc in pool.list()] == [str(10000 + n)]
    api = twilio_client.api.v2010.accounts(twilio_shortcodes.account_sid).short_codes
    assert api.list()[0].friendly_name == str(10000 + n)
"""

CONFTEST = """
import gc, json, tracemalloc

BASELINE = []

# pytest keeps every test's report for the summary: that is pytest's memory, not ours.
PYTEST_OWN = [tracemalloc.Filter(False, "*/_pytest/*"), tracemalloc.Filter(False, "*/pluggy/*")]

def pytest_runtest_logfinish(nodeid, location):
    if not BASELINE:  # after the first test: imports, compiled schemas, warm caches
        gc.collect()
        tracemalloc.start()
        BASELINE.append(tracemalloc.take_snapshot().filter_traces(PYTEST_OWN))

def pytest_sessionfinish(session):
    gc.collect()
    after = tracemalloc.take_snapshot().filter_traces(PYTEST_OWN)
    grown = sum(stat.size_diff for stat in after.compare_to(BASELINE[0], "filename"))
    top = [str(stat) for stat in after.compare_to(BASELINE[0], "lineno")[:5]]
    with open("retained.json", "w") as out:
        json.dump({"bytes": grown, "top": top}, out)
"""


def test_two_thousand_tests_retain_under_a_megabyte(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_many=SUITE)
    result = pytester.runpytest_subprocess("-q", "-p", "no:randomly", "-p", "no:xdist")
    result.assert_outcomes(passed=2000)
    retained = json.loads((pytester.path / "retained.json").read_text())
    print(f"retained after 2,000 tests: {retained['bytes']:,} bytes")
    assert retained["bytes"] < 1_000_000, retained


def test_a_reset_account_is_freed_at_once_without_the_cycle_collector(twilio_shortcodes):
    """Every object of an account is freed by reference counting the moment ``reset`` (or
    the end of a test) lets it go: none waits for Python's cycle collector, which would
    otherwise run in the middle of a later test's requests, at a cost that grows with
    what earlier tests left behind."""
    import gc
    import weakref

    import requests

    mock = twilio_shortcodes
    service = mock.add_messaging_service(short_codes=["12345"])
    auth = (mock.account_sid, mock.auth_token)
    messages = f"https://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/Messages.json"
    sent = requests.post(messages, data={"To": "+15005550006", "MessagingServiceSid": service,
                                         "Body": "hi"}, auth=auth)  # fmt: skip
    assert sent.status_code == 201, sent.text
    mock.deliver_messages()
    pages = requests.get(
        f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes", auth=auth
    )
    assert pages.json()["short_codes"][0]["short_code"] == "12345"
    account = weakref.ref(mock._account)
    messages = weakref.ref(mock._account.messages)  # the Messages part of the account
    gc.disable()
    try:
        mock.reset()
        assert account() is None and messages() is None
    finally:
        gc.enable()


def test_a_mock_nothing_holds_is_freed_at_once_with_its_account():
    """A mock started, used through the SDK (short codes, a message and its delivery) and
    stopped is freed, with its account, the moment nothing holds it: no cycle among them."""
    import gc
    import weakref

    from twilio.rest import Client

    from pytest_twilio_shortcodes import TwilioShortCodeMock

    def use_and_drop():
        mock = TwilioShortCodeMock()
        with mock:
            service = mock.add_messaging_service(short_codes=["12345"])
            client = Client(mock.account_sid, mock.auth_token)
            assert len(client.messaging.v1.services(service).short_codes.list()) == 1
            client.messages.create(
                to="+15558675310",
                messaging_service_sid=service,
                body="hi",
                status_callback="https://app.example/status",
            )
            callbacks = mock.deliver_messages(lambda environ, start: start("204 OK", []) or [b""])
            assert [c.params["MessageStatus"] for c in callbacks][-1] == "delivered"
        return weakref.ref(mock), weakref.ref(mock._account)

    use_and_drop()  # imports and first-use caches, outside the measure
    gc.disable()
    try:
        mock, account = use_and_drop()
        assert mock() is None and account() is None
    finally:
        gc.enable()
