"""``python -m pytest_twilio_shortcodes serve``: the proxy outside pytest, and its seed file."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_twilio_shortcodes import __main__ as cli
from pytest_twilio_shortcodes.__main__ import main
from tests.children import TIMEOUT, curl

pytestmark = pytest.mark.slow

SEED = {
    "short_codes": [
        "12345",
        {"short_code": "67890", "friendly_name": "Alerts", "sms_url": "https://app.example/sms"},
        {"short_code": "55555", "sms_fallback_url": None},
    ],
    "messaging_services": [
        {"friendly_name": "Alerts", "short_codes": ["12345", "67890"]},
        {"friendly_name": "Empty", "inbound_request_url": "https://app.example/in"},
    ],
    "proxy_services": [{"unique_name": "support", "short_codes": ["67890", "44444"]}],
}
ACCOUNT = "AC" + "ab" * 16
TOKEN = "0123456789abcdef" * 2


def test_serve_prints_the_environment_and_serves_the_seeded_account(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    command = [sys.executable, "-m", "pytest_twilio_shortcodes", "serve", "--seed", str(seed),
               "--account-sid", ACCOUNT, "--auth-token", TOKEN]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [server.stdout.readline() for _ in range(12)]  # type: ignore[union-attr]
        printed = dict(shlex.split(line)[0].split("=", 1) for line in lines)
        base = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/SMS/ShortCodes.json"
        status, _, body = curl("-u", f"{ACCOUNT}:{TOKEN}", base, env={**os.environ, **printed})
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=TIMEOUT)

    assert printed["TWILIO_ACCOUNT_SID"] == ACCOUNT
    assert printed["TWILIO_AUTH_TOKEN"] == TOKEN
    assert printed["HTTPS_PROXY"].startswith("http://127.0.0.1:")
    assert Path(printed["SSL_CERT_FILE"]).name == "bundle.pem"
    assert status == 200
    short_codes = {sc["short_code"]: sc for sc in json.loads(body)["short_codes"]}
    assert sorted(short_codes) == ["12345", "44444", "55555", "67890"]
    assert short_codes["67890"]["friendly_name"] == "Alerts"
    assert short_codes["67890"]["sms_url"] == "https://app.example/sms"
    assert "serving Twilio through http://127.0.0.1:" in errors
    assert server.returncode == 0


def test_the_seed_reaches_every_api(tmp_path):
    """What the file says is what the services hold (checked in-process)."""
    from pytest_twilio_shortcodes import TwilioShortCodeMock
    from pytest_twilio_shortcodes.serve.seed import apply_seed, load_seed

    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    mock = TwilioShortCodeMock()
    apply_seed(mock, load_seed(seed))

    alerts = mock.messaging_service_sid("Alerts")
    members = mock.messaging_service_short_codes(alerts)
    assert [mock.short_code(sid).short_code for sid in members] == ["12345", "67890"]
    assert mock.messaging_service_short_codes(mock.messaging_service_sid("Empty")) == []
    support = mock.proxy_service_short_codes(mock.proxy_service_sid("support"))
    assert [mock.short_code(sid).short_code for sid in support] == ["67890", "44444"]
    assert mock.short_code("67890").sms_url == "https://app.example/sms"


SC0, MS = "$.short_codes[0]", "$.messaging_services"
BAD_SEEDS = [
    ("{", "not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2"),
    ("[]", "$: expected an object, not a list"),
    ('{"shortcodes": []}', "$: unknown key(s) 'shortcodes'; expected some of short_codes,"),
    ('{"short_codes": "12345"}', "$.short_codes: expected a list, not a string"),
    (
        '{"short_codes": [12345]}',
        f'{SC0}: expected a string ("12345") or an object, not a number (12345)',
    ),
    ('{"short_codes": [{"friendly_name": "x"}]}', f"{SC0}: 'short_code' is missing"),
    (
        '{"short_codes": [{"short_code": "12345", "smsurl": "x"}]}',
        f"{SC0}: unknown key(s) 'smsurl'; expected some of short_code,",
    ),
    (
        '{"short_codes": [{"short_code": "12345", "capabilities": ["SMS", 1]}]}',
        f"{SC0}.capabilities[1]: expected a string, not a number (1)",
    ),
    (
        '{"short_codes": [{"short_code": "12345", "sms_url": 7}]}',
        f"{SC0}.sms_url: expected a string or null, not a number (7)",
    ),
    ('{"short_codes": ["12"]}', f"{SC0}: short_code '12' must be 5 or 6 digits"),
    (
        '{"short_codes": ["12345", "12345"]}',
        "$.short_codes[1]: short code 12345 is already in the account",
    ),
    (
        '{"messaging_services": [{"short_codes": "12345"}]}',
        f"{MS}[0].short_codes: expected a list, not a string",
    ),
    (
        '{"messaging_services": [{"friendly_name": null}]}',
        f"{MS}[0].friendly_name: expected a string, not null",
    ),
    (
        '{"messaging_services": [{"short_codes": ["12345"]}, {"short_codes": ["12345"]}]}',
        f"{MS}[1]: 12345: ",
    ),
    (
        '{"proxy_services": [{"unique_name": "p", "inbound_request_url": "x"}]}',
        "$.proxy_services[0]: unknown key(s) 'inbound_request_url'",
    ),
]


@pytest.mark.parametrize("content, problem", BAD_SEEDS)
def test_a_bad_seed_file_is_a_clear_error(tmp_path, capsys, monkeypatch, content, problem):
    seed = tmp_path / "seed.json"
    seed.write_text(content)
    monkeypatch.setattr(cli, "_stop_on_a_signal", _accepted)  # never serve forever here

    assert main(["serve", "--seed", str(seed)]) == 2

    assert capsys.readouterr().err.startswith(f"error: {seed}: {problem}")


def _accepted() -> None:
    raise AssertionError("the seed file was accepted")


def test_a_missing_seed_file_is_a_clear_error(tmp_path, capsys):
    assert main(["serve", "--seed", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'nope.json'}: cannot read the seed file:")
