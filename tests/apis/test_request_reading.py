"""How a request is read before any handler runs: its parameters, its credentials (and the
headers already accepted), and the request ID its answer carries."""

from __future__ import annotations

import os
import random
import re
import warnings

import pytest
import requests

from pytest_twilio_shortcodes.wire.http import HttpRequest
from pytest_twilio_shortcodes.wire.parse import parse_request
from tests.conftest import assert_twilio_error, parse_qsl_values

SERVICES = "https://messaging.twilio.com/v1/Services"

QUERIES = [
    "",
    "PageSize=50",
    "PageSize=50&Page=0&PageToken=PA12",
    "a=1&a=2&b=",
    "a&b=&=c&&d=1=2",
    "&&",
    "x=%41%2b+y&x=2",  # decoded by parse_qsl: "A+ y"
    "name=caf%C3%A9&plain=yes",
    "plus=a+b",
    "semi=1;2",  # not a separator since Python 3.10
    "ünï=cödé",
]


@pytest.mark.parametrize("query", QUERIES)
def test_query_parameters_read_as_parse_qsl_reads_them(query):
    url = "https://messaging.twilio.com/v1/Services" + (f"?{query}" if query else "")
    req = parse_request(HttpRequest.of("GET", url, []))
    assert (req.params, req.repeated) == parse_qsl_values(query)


@pytest.mark.parametrize("form", QUERIES)
def test_form_parameters_read_as_parse_qsl_reads_them(form):
    request = HttpRequest.of(
        "POST",
        "https://messaging.twilio.com/v1/Services",
        [("content-type", "application/x-www-form-urlencoded")],
        form.encode(),
    )
    assert parse_request(request).params == parse_qsl_values(form)[0]


def test_an_accepted_header_stops_working_when_its_key_is_forgotten(twilio_shortcodes):
    service = twilio_shortcodes.add_messaging_service("Keys")
    key, secret = twilio_shortcodes.add_api_key()
    url = f"{SERVICES}/{service}/ShortCodes"
    assert requests.get(url, auth=(key, secret)).status_code == 200
    assert requests.get(url, auth=(key, secret)).status_code == 200  # the header known now
    twilio_shortcodes.reset()  # API keys are forgotten with the rest
    assert_twilio_error(requests.get(url, auth=(key, secret)), 401, 20003)


def test_an_accepted_header_is_checked_against_the_current_secret(twilio_shortcodes):
    service = twilio_shortcodes.add_messaging_service("Keys")
    key, secret = twilio_shortcodes.add_api_key()
    url = f"{SERVICES}/{service}/ShortCodes"
    assert requests.get(url, auth=(key, secret)).status_code == 200
    credentials = twilio_shortcodes._credentials
    credentials.api_keys[key] = "another secret"  # a key whose secret changed
    assert_twilio_error(requests.get(url, auth=(key, secret)), 401, 20003)
    assert requests.get(url, auth=(key, "another secret")).status_code == 200
    del credentials.api_keys[key]
    assert_twilio_error(requests.get(url, auth=(key, "another secret")), 401, 20003)


def test_the_headers_remembered_are_bounded(twilio_shortcodes):
    service = twilio_shortcodes.add_messaging_service("Keys")
    url = f"{SERVICES}/{service}/ShortCodes"
    keys = [twilio_shortcodes.add_api_key() for _ in range(100)]
    for key, secret in keys:
        assert requests.get(url, auth=(key, secret)).status_code == 200
    assert len(twilio_shortcodes._credentials._accepted) <= 64
    for key, secret in keys:  # forgotten or not, each still answers the same
        assert requests.get(url, auth=(key, secret)).status_code == 200
        assert_twilio_error(requests.get(url, auth=(key, secret + "0")), 401, 20003)


def _request_ids(api, count):
    return [api.get(SERVICES).headers["Twilio-Request-Id"] for _ in range(count)]


def test_request_ids_differ_even_when_a_test_seeds_random(api):
    random.seed(1234)
    first = _request_ids(api, 20)
    random.seed(1234)
    second = _request_ids(api, 20)
    assert all(re.fullmatch(r"RQ[0-9a-f]{32}", rq) for rq in first + second)
    assert len(set(first + second)) == 40


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX's")
def test_a_forked_child_draws_request_ids_of_its_own(api):
    read, write = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns of fork() in a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: its next ID, then out without running pytest's teardown
        try:
            os.write(write, _request_ids(api, 1)[0].encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    parent = _request_ids(api, 1)[0]
    assert re.fullmatch(r"RQ[0-9a-f]{32}", child)
    assert child != parent
