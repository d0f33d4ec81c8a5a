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
