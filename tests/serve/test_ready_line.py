"""The serve command's ready line (one JSON line on standard output once it accepts
connections) and its errors (one ``error:`` line, exit status 2)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.children import TIMEOUT, curl

pytestmark = pytest.mark.slow

ACCOUNT = "AC" + "cd" * 16
TOKEN = "fedcba9876543210" * 2
SEED = {
    "short_codes": ["12345", {"short_code": "67890", "friendly_name": "Alerts"}],
    "messaging_services": [{"friendly_name": "Alerts", "short_codes": ["12345", "44444"]}],
    "proxy_services": [{"unique_name": "support", "short_codes": ["67890"]}],
}
COMMAND = [sys.executable, "-m", "pytest_twilio_shortcodes", "serve"]


def ready_line(server: subprocess.Popen) -> dict:
    """The first line of standard output that is a JSON object."""
    for line in server.stdout:  # type: ignore[union-attr]
        if line.startswith("{"):
            return json.loads(line)
    raise AssertionError(f"no ready line; stderr: {server.stderr.read()}")  # type: ignore[union-attr]


def test_the_ready_line_names_what_a_child_needs_and_what_was_seeded(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    command = [*COMMAND, "--seed", str(seed), "--account-sid", ACCOUNT, "--auth-token", TOKEN]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = ready_line(server)
        env = {**os.environ, **ready["env"]}
        auth = f"{ACCOUNT}:{TOKEN}"
        listed = curl("-u", auth, "https://messaging.twilio.com/v1/Services", env=env)
        members = curl(
            "-u",
            auth,
            f"https://messaging.twilio.com/v1/Services/{ready['seeded']['messaging_services']['Alerts']}/ShortCodes",
            env=env,
        )
        snapshot = curl("-u", auth, f"{ready['url']}/_mock/snapshot", env=env)
        authority = Path(ready["ca"]).read_text()  # removed when the command ends
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=TIMEOUT)

    assert set(ready) == {"url", "ca", "env", "seeded"}
    assert ready["url"].startswith("http://127.0.0.1:")
    assert ready["env"]["HTTPS_PROXY"] == ready["url"]
    assert ready["env"]["TWILIO_ACCOUNT_SID"] == ACCOUNT
    assert ready["env"]["NODE_EXTRA_CA_CERTS"] == ready["ca"]
    assert authority.count("BEGIN CERTIFICATE") == 1
    seeded = ready["seeded"]
    assert set(seeded) == {"short_codes", "phone_numbers", "messaging_services", "proxy_services"}
    assert sorted(seeded["short_codes"]) == ["12345", "44444", "67890"]
    assert all(sid.startswith("SC") for sid in seeded["short_codes"].values())
    assert seeded["proxy_services"]["support"].startswith("KS")
    # The SIDs are the account's: the API and the control API show the same ones.
    short_codes = json.loads(snapshot[2])["short_codes"]
    assert {sc["short_code"]: sid for sid, sc in short_codes.items()} == seeded["short_codes"]
    assert [sc["sid"] for sc in json.loads(members[2])["short_codes"]] == [
        seeded["short_codes"]["12345"],
        seeded["short_codes"]["44444"],
    ]
    assert listed[0] in (200, 404)  # the service list may not be served yet; no crash
    assert server.returncode == 0


def test_without_a_seed_the_ready_line_seeds_nothing():
    server = subprocess.Popen(COMMAND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = ready_line(server)
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=TIMEOUT)
    assert ready["seeded"] == {
        "short_codes": {},
        "phone_numbers": {},
        "messaging_services": {},
        "proxy_services": {},
    }
    assert server.returncode == 0


def one_error_line(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr.strip()


def test_a_busy_port_is_one_error_line():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        error = one_error_line([*COMMAND, "--port", str(port)])
    assert error == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_a_port_out_of_range_is_one_error_line():
    error = one_error_line([*COMMAND, "--port", "70000"])
    assert error.startswith("error: cannot listen on 127.0.0.1:70000: ")


@pytest.mark.parametrize("package", ["trustme", "h11"])
def test_the_missing_serve_extra_is_named(package):
    # The child cannot import the package, as where the [serve] extra is not installed.
    script = (
        f"import sys; sys.modules[{package!r}] = None\n"
        "from pytest_twilio_shortcodes.__main__ import main\n"
        "sys.exit(main(['serve']))\n"
    )
    error = one_error_line([sys.executable, "-c", script])
    assert error == (
        f"error: serving needs the [serve] extra ({package} is not installed): "
        "pip install 'pytest-twilio-shortcodes[serve]'"
    )


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{", "not valid JSON"),
        ('{"short_codes": ["12345", "12345"]}', "$.short_codes[1]: short code 12345 is already"),
        (
            '{"messaging_services": [{"short_codes": ["1"]}]}',
            "$.messaging_services[0]: short_code '1' must be 5 or 6 digits",
        ),
    ],
)
def test_a_bad_seed_is_one_error_line(tmp_path, content, problem):
    seed = tmp_path / "seed.json"
    seed.write_text(content)
    error = one_error_line([*COMMAND, "--seed", str(seed)])
    assert error.startswith(f"error: {seed}: ")
    assert problem in error
