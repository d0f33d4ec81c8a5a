"""The control API on ``serve().url``: what a test in another language does with the mock
(reset, seed, snapshot, calls, deliver, inbound SMS), driven from child processes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.children import child_env, curl, python, run

pytestmark = pytest.mark.slow

# A Python child: one control request with requests (NO_PROXY keeps loopback direct).
CONTROL = """
import json, os, sys, requests
method, url, body, user, password = sys.argv[1:]
auth = (user, password) if user else None
answer = requests.request(method, url, data=body.encode() if body else None, auth=auth)
print(json.dumps({"status": answer.status_code, "type": answer.headers.get("Content-Type"),
                  "text": answer.text, "www": answer.headers.get("WWW-Authenticate")}))
"""


def control(mock: Any, method: str, path: str, body: Any = None, auth: Any = "account") -> dict:
    """One request to the control API from a Python child: status, type, text, json."""
    served = mock.serve()
    user, password = (mock.account_sid, mock.auth_token) if auth == "account" else auth or ("", "")
    text = body if isinstance(body, str) else "" if body is None else json.dumps(body)
    out = python(CONTROL, method, served.url + path, text, user, password, env=child_env(served))
    if out["type"] and out["type"].startswith("application/json"):
        out["json"] = json.loads(out["text"])
    return out


def one_line(out: dict) -> str:
    """The text of an answer that must be one line of text/plain."""
    assert out["type"] == "text/plain; charset=utf-8"
    assert out["text"].endswith("\n") and out["text"].count("\n") == 1
    return out["text"].strip()


def test_only_the_account_credentials_are_let_in(twilio_shortcodes):
    twilio_shortcodes.add_short_code("12345")
    key, secret = twilio_shortcodes.add_api_key()
    before = twilio_shortcodes.snapshot()
    for auth in (None, (twilio_shortcodes.account_sid, "wrong"), (key, secret)):
        out = control(twilio_shortcodes, "POST", "/_mock/reset", auth=auth)
        assert out["status"] == 401
        assert "account SID and auth token" in one_line(out)
        assert out["www"].startswith("Basic realm=")
    assert twilio_shortcodes.snapshot() == before  # nothing reset


def test_reset_empties_the_account_and_keeps_the_credentials(twilio_shortcodes):
    twilio_shortcodes.add_short_code("12345")
    twilio_shortcodes.add_messaging_service("Alerts")
    served = twilio_shortcodes.serve()
    auth = f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}"
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes.json"
    assert curl("-u", auth, url, env=child_env(served))[0] == 200

    out = control(twilio_shortcodes, "POST", "/_mock/reset")

    assert (out["status"], out["json"]) == (200, {"account_sid": twilio_shortcodes.account_sid})
    snapshot = twilio_shortcodes.snapshot()
    assert snapshot["short_codes"] == snapshot["messaging_services"] == {}
    assert list(twilio_shortcodes.calls) == []
    status, _, body = curl("-u", auth, url, env=child_env(served))
    assert (status, json.loads(body)["short_codes"]) == (200, [])


SEED = {
    "short_codes": ["12345", {"short_code": "67890", "friendly_name": "Alerts"}],
    "messaging_services": [{"friendly_name": "Alerts", "short_codes": ["12345", "55555"]}],
    "proxy_services": [{"unique_name": "support", "short_codes": ["67890"]}],
}


def test_seed_answers_the_sids_it_made(twilio_shortcodes):
    out = control(twilio_shortcodes, "POST", "/_mock/seed", SEED)

    assert out["status"] == 200
    seeded = out["json"]
    assert sorted(seeded["short_codes"]) == ["12345", "55555", "67890"]
    for number, sid in seeded["short_codes"].items():
        assert twilio_shortcodes.short_code(number).sid == sid
    assert seeded["messaging_services"] == {
        "Alerts": twilio_shortcodes.messaging_service_sid("Alerts")
    }
    assert seeded["proxy_services"] == {"support": twilio_shortcodes.proxy_service_sid("support")}
    members = twilio_shortcodes.messaging_service_short_codes(
        seeded["messaging_services"]["Alerts"]
    )
    assert members == [seeded["short_codes"]["12345"], seeded["short_codes"]["55555"]]


@pytest.mark.parametrize(
    "body, problem",
    [
        ("{", "the body is not valid JSON: unexpected end of data"),
        ({"shortcodes": []}, "$: unknown key(s) 'shortcodes'"),
        ({"short_codes": [12345]}, "$.short_codes[0]: expected a string"),
        ({"short_codes": ["99999", "12"]}, "seed: $.short_codes[1]: short_code '12' must be"),
        ({"short_codes": ["11111"]}, "seed: $.short_codes[0]: short code 11111 is already in"),
        (
            {"messaging_services": [{"friendly_name": "New", "short_codes": ["99999", "11111"]}]},
            "seed: $.messaging_services[0]: 11111: Phone Number or Short Code is associated with",
        ),
    ],
)
def test_a_bad_seed_is_one_line_and_changes_nothing(twilio_shortcodes, body, problem):
    old = twilio_shortcodes.add_short_code("11111")
    twilio_shortcodes.add_messaging_service("Old", short_codes=[old])
    before = twilio_shortcodes.snapshot()

    out = control(twilio_shortcodes, "POST", "/_mock/seed", body)

    assert out["status"] == 400
    assert one_line(out).startswith(problem)
    assert twilio_shortcodes.snapshot() == before


def test_a_seed_may_name_the_account_s_short_codes_by_sid(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("11111")
    body = {"proxy_services": [{"unique_name": "p", "short_codes": [sid]}]}
    out = control(twilio_shortcodes, "POST", "/_mock/seed", body)
    assert out["status"] == 200
    assert twilio_shortcodes.proxy_service_short_codes(out["json"]["proxy_services"]["p"]) == [sid]
    assert out["json"]["short_codes"] == {"11111": sid}


SDK_SEND = """
import json, sys
from twilio.rest import Client
service, callback = sys.argv[1:]
message = Client().messages.create(to="+15558675310", messaging_service_sid=service,
                                   body="hello", status_callback=callback)
print(json.dumps(message.sid))
"""


STATUSES = ["queued", "sending", "sent", "delivered"]  # Twilio's, each reported


@contextmanager
def app() -> Iterator[tuple[str, list[dict[str, list[str]]]]]:
    """A loopback web app: records each POSTed form, answers TwiML with one reply."""
    seen: list[dict[str, list[str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            seen.append(parse_qs(self.rfile.read(length).decode()))
            body = b"<Response><Message>thanks</Message></Response>"
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_calls_deliver_and_inbound_sms(twilio_shortcodes):
    served = twilio_shortcodes.serve()
    with app() as (site, seen):
        seeded = control(
            twilio_shortcodes,
            "POST",
            "/_mock/seed",
            {
                "short_codes": [{"short_code": "12345", "sms_url": f"{site}/sms"}],
                # inbound SMS to a short code in a service go to the service's URL
                "messaging_services": [
                    {"friendly_name": "Alerts", "short_codes": ["12345"],
                     "inbound_request_url": f"{site}/sms"}
                ],
            },
        )["json"]  # fmt: skip
        service = seeded["messaging_services"]["Alerts"]
        sid = python(SDK_SEND, service, f"{site}/status", env=child_env(served))

        calls = control(twilio_shortcodes, "GET", "/_mock/calls")["json"]
        delivered = control(twilio_shortcodes, "POST", "/_mock/deliver", {"timeout": 5})["json"]
        sms = control(
            twilio_shortcodes, "POST", "/_mock/sms", {"to": "12345", "from": "+15550001111",
                                                      "body": "hi"}
        )["json"]  # fmt: skip

    assert [(c["method"], c["status"], c["resource"]) for c in calls] == [
        ("POST", 201, "api.v2010.account.message")
    ]
    assert calls[0]["params"]["Body"] == "hello" and calls[0]["body"]["sid"] == sid
    assert [(d["url"], d["params"]["MessageStatus"], d["status"]) for d in delivered] == [
        (f"{site}/status", status, 200) for status in STATUSES
    ]
    assert twilio_shortcodes.messages[0]["status"] == "delivered"
    assert [a["url"] for a in sms["attempts"]] == [f"{site}/sms"]
    assert sms["served_by"] == "primary"
    assert sms["replies"] == [
        {"to": "+15550001111", "from": "12345", "body": "thanks", "media": []}
    ]
    assert [form.get("MessageStatus", form.get("Body")) for form in seen] == [
        *([status] for status in STATUSES), ["hi"]
    ]  # fmt: skip


@pytest.mark.parametrize(
    "method, path, body, status, problem",
    [
        ("POST", "/_mock/sms", {"to": "12345", "form": "x"}, 400, "unknown field(s) 'form'"),
        ("POST", "/_mock/sms", {"to": "99999"}, 400, "no short code '99999' in account"),
        ("POST", "/_mock/sms", {"body": "x"}, 400, "'to' is missing"),
        ("POST", "/_mock/sms", {"to": "12345", "media_urls": "x"}, 400, "'media_urls' must be"),
        ("POST", "/_mock/sms", "[1", 400, "the body is not valid JSON"),
        ("POST", "/_mock/deliver", {"timeout": "soon"}, 400, "'timeout' must be a positive"),
        ("POST", "/_mock/reset", {"keep": True}, 400, "unknown field(s) 'keep'; expected none"),
        ("POST", "/_mock/reset", [], 400, "the body must be a JSON object, not list"),
        ("GET", "/_mock/reset", None, 405, "/_mock/reset takes POST, not GET"),
        ("POST", "/_mock/snapshot", None, 405, "/_mock/snapshot takes GET, not POST"),
        ("GET", "/_mock/nothing", None, 404, "no control endpoint '/_mock/nothing'; there are"),
    ],
)
def test_control_errors_are_one_line_and_change_nothing(
    twilio_shortcodes, method, path, body, status, problem
):
    twilio_shortcodes.add_short_code("12345")
    before = twilio_shortcodes.snapshot()
    out = control(twilio_shortcodes, method, path, body)
    assert out["status"] == status
    assert one_line(out).startswith(problem)
    assert twilio_shortcodes.snapshot() == before
    assert list(twilio_shortcodes.calls) == []


def test_curl_resets_seeds_and_reads_the_snapshot(twilio_shortcodes):
    twilio_shortcodes.add_short_code("11111")
    served = twilio_shortcodes.serve()
    env, auth = child_env(served), f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}"

    reset = curl("-u", auth, "-X", "POST", f"{served.url}/_mock/reset", env=env)
    seed = curl("-u", auth, "--json", json.dumps({"short_codes": ["22222"]}),
                f"{served.url}/_mock/seed", env=env)  # fmt: skip
    snapshot = curl("-u", auth, f"{served.url}/_mock/snapshot", env=env)

    assert reset[0] == seed[0] == snapshot[0] == 200
    assert snapshot[1] == "application/json; charset=utf-8"
    sid = json.loads(seed[2])["short_codes"]["22222"]
    assert json.loads(snapshot[2]) == twilio_shortcodes.snapshot()
    assert list(json.loads(snapshot[2])["short_codes"]) == [sid]


NODE_CONTROL = """
const [url, sid, token] = process.argv.slice(2);
const auth = "Basic " + Buffer.from(`${sid}:${token}`).toString("base64");
const post = (path, body) => fetch(url + path, {method: "POST", headers: {Authorization: auth,
  "Content-Type": "application/json"}, body: JSON.stringify(body)}).then((r) => r.json());
(async () => {
  await post("/_mock/reset", {});
  const seeded = await post("/_mock/seed", {short_codes: ["12345"]});
  const denied = (await fetch(url + "/_mock/snapshot")).status;
  const read = await fetch(url + "/_mock/snapshot", {headers: {Authorization: auth}});
  const snapshot = await read.json();
  console.log(JSON.stringify({seeded, denied, snapshot}));
})().catch((error) => { console.error(error); process.exit(1); });
"""


def test_a_node_child_drives_the_control_api(twilio_shortcodes, tmp_path):
    import shutil

    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    served = twilio_shortcodes.serve()
    script = tmp_path / "control.js"
    script.write_text(NODE_CONTROL)
    args = [served.url, twilio_shortcodes.account_sid, twilio_shortcodes.auth_token]

    out = json.loads(run(["node", str(script), *args], child_env(served)).stdout)

    assert out["denied"] == 401
    assert out["snapshot"] == twilio_shortcodes.snapshot()
    assert out["seeded"]["short_codes"] == {"12345": twilio_shortcodes.short_code("12345").sid}


def test_the_control_api_answers_through_the_proxy_too(twilio_shortcodes):
    """A client that sends even loopback traffic through the proxy (no NO_PROXY) names the
    proxy's own address in an absolute URL: that is the control API too, not a forward."""
    twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    auth = f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}"
    status, _, body = curl(
        "--noproxy", "", "-x", served.url, "-u", auth, f"{served.url}/_mock/snapshot",
        env=child_env(served),
    )  # fmt: skip
    assert status == 200
    assert json.loads(body) == twilio_shortcodes.snapshot()
