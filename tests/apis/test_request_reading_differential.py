"""The request path's shortcuts checked against the slow paths they stand for, on many
generated inputs (a fixed seed: the same cases every run): the hand split of a query or
form with nothing to decode against ``parse_qsl``, and a ``Credentials`` that remembers
the headers it accepted against one that remembers none, through key, token and SID
changes."""

from __future__ import annotations

import base64
import itertools
import logging
import random
from typing import Any, Optional
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from pytest_twilio_shortcodes.model.errors import TwilioError
from pytest_twilio_shortcodes.wire.auth import Credentials
from pytest_twilio_shortcodes.wire.http import HttpRequest
from pytest_twilio_shortcodes.wire.parse import _PLAIN_URL, _first_values, split_url
from tests.conftest import parse_qsl_values

PIECES = ["=", "&", "a", "b", ";", " ", "\t", "\x00", "é", "\u2028", "\ufffd", "\ud800", "😀"]
PIECES += ["#", "?", "==", "&&", "=&", "\x1f", "ß", "[]"]


def _generated_queries() -> list[str]:
    rng = random.Random(20)
    small = ["=", "&", "a", "é"]
    every = ["".join(t) for n in range(7) for t in itertools.product(small, repeat=n)]
    picked = [
        "".join(
            rng.choice(PIECES) if rng.random() < 0.8 else chr(rng.randrange(0x110000))
            for _ in range(rng.randrange(25))
        )
        for _ in range(3000)
    ]
    return every + picked


def test_a_query_with_nothing_to_decode_splits_as_parse_qsl_splits_it():
    queries = [q for q in _generated_queries() if "%" not in q and "+" not in q]
    assert len(queries) > 5000
    for query in queries:
        params, repeated = _first_values(query)
        expected_params, expected_repeated = parse_qsl_values(query)
        assert (params, list(params)) == (expected_params, list(expected_params)), query
        assert repeated == expected_repeated, query


URL_PIECES = [
    "https://",
    "http://",
    "HTTPS://",
    "ftp://",
    "//",
    "messaging.twilio.com",
    "API.Twilio.com.",
    "proxy.twilio.com",
    "user:pw@",
    "@",
    ":",
    ":443",
    ":x",
    "[::1]",
    "/",
    "/v1/Services",
    "/MG0a",
    "?",
    "&",
    "=",
    "#",
    "#frag",
    " ",
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x7f",
    "é",
    "%41",
    "+",
    "..",
    "_",
    "-",
    ";",
    "\u2028",
    "\ufffd",
]


def _expected_split(url: str) -> tuple[str, str, str, str]:
    """What the parse read from every URL before the plain-URL path: ``urlsplit`` alone."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return url, (parts.hostname or "").rstrip(".").lower(), parts.path, parts.query


def _generated_urls() -> list[str]:
    rng = random.Random(21)
    urls = [
        "https://messaging.twilio.com/v1/Services/MG0123/ShortCodes?PageSize=50&Page=0",
        "https://API.twilio.com./2010-04-01/Accounts/AC1/SMS/ShortCodes.json",
        "https://messaging.twilio.com:443",
        "https://messaging.twilio.com?PageSize=1",
        "http://messaging.twilio.com/v1/Services/",
    ]
    for _ in range(20000):
        start = rng.choice(["https://", "http://", ""])
        urls.append(start + "".join(rng.choice(URL_PIECES) for _ in range(rng.randrange(9))))
    return urls


def test_a_url_splits_as_urlsplit_splits_it():
    plain = 0
    for url in _generated_urls():
        try:
            expected = _expected_split(url)
        except ValueError:  # urlsplit refuses it (a bad IPv6 host, a bad netloc)
            with pytest.raises(ValueError):
                split_url(url)
            continue
        assert split_url(url) == expected, repr(url)
        plain += _PLAIN_URL.fullmatch(url) is not None
    assert plain > 1000  # the fast path itself was tried, not only the fallback


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _request(rng: random.Random, user: str, secret: str) -> HttpRequest:
    pair, form = f"{user}:{secret}", rng.randrange(8)
    url = "https://messaging.twilio.com/v1/Services"
    headers: list[tuple[Any, Any]] = []
    if form == 0:
        headers = [("Authorization", "Basic " + _b64(pair))]
    elif form == 1:
        headers = [("AUTHORIZATION", "bAsIc  " + _b64(pair) + " ")]
    elif form == 2:
        headers = [("Authorization", "Bearer " + _b64(pair))]
    elif form == 3:
        headers = [("Authorization", "Basic " + _b64(pair)[:-1])]
    elif form == 4:
        headers = [("Authorization", "Basic " + _b64(pair) + "é")]
    elif form == 5:
        headers = [(b"Authorization", ("Basic " + _b64(pair)).encode())]
    elif form == 6:
        url = f"https://{quote(user, safe='')}:{quote(secret, safe='')}@messaging.twilio.com/v1"
    return HttpRequest.of("GET", url, headers)


def _outcome(credentials: Credentials, request: HttpRequest, log: list[str]) -> Any:
    log.clear()
    try:
        credentials.authenticate(request)
        answer: Optional[tuple[int, Any]] = None
    except TwilioError as error:
        answer = (error.status, error.body())
    return answer, list(log)


def test_a_remembered_header_is_accepted_exactly_when_a_fresh_check_accepts_it():
    log: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            log.append(record.getMessage())

    logger = logging.getLogger("pytest_twilio_shortcodes")
    handler = Collect()
    logger.addHandler(handler)
    try:
        accepted = refused = 0
        for seed in range(300):
            rng = random.Random(seed)
            sids = ["AC" + "a" * 32, "AC" + "b" * 32]
            sid, token = rng.choice(sids), "0" * 32
            remembering, fresh = Credentials(sid, token), Credentials(sid, token)
            keys: list[tuple[str, str]] = []
            for _ in range(40):
                step = rng.random()
                if step < 0.6:
                    user = rng.choice([*sids, "SKx", "", "é", *[k for k, _ in keys] * 2])
                    secret = rng.choice(["", "s:1", "ü", "1" * 32, token, *[s for _, s in keys]])
                    request = _request(rng, user, secret)
                    fresh._accepted.clear()  # the check as it was before headers were kept
                    outcome = _outcome(remembering, request, log)
                    assert outcome == _outcome(fresh, request, log), (seed, request)
                    accepted += outcome[0] is None
                    refused += outcome[0] is not None
                elif step < 0.7:
                    key = remembering.add_api_key()
                    fresh.api_keys[key[0]] = key[1]
                    keys.append(key)
                elif step < 0.8 and keys:
                    key_sid = rng.choice(keys)[0]
                    secret = rng.choice(["1" * 32, "changed"])
                    remembering.api_keys[key_sid] = fresh.api_keys[key_sid] = secret
                    keys.append((key_sid, secret))
                elif step < 0.85 and keys:
                    key_sid = rng.choice(keys)[0]
                    remembering.api_keys.pop(key_sid, None)
                    fresh.api_keys.pop(key_sid, None)
                elif step < 0.9:
                    token = rng.choice(["0" * 32, "1" * 32])
                    remembering.auth_token = fresh.auth_token = token
                elif step < 0.95:
                    sid = rng.choice(sids)
                    remembering.account_sid = fresh.account_sid = sid
                else:
                    remembering.clear()
                    fresh.clear()
        assert accepted > 200 and refused > 1000
    finally:
        logger.removeHandler(handler)
