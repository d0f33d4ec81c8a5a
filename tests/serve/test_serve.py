"""``serve()``: child processes reach the same in-memory Twilio through a local HTTPS
proxy. The children do the work; the test checks the mock's state and recorded calls."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import socket
import ssl
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import certifi
import pytest
import requests

from pytest_twilio_shortcodes import TwilioShortCodeMock
from tests.children import child_env, curl, loopback_site, python, run

pytestmark = pytest.mark.slow

SDK_CHILD = """
import json, sys
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

service, *sids = sys.argv[1:]
client = Client()  # TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN from the proxy's env
short_codes = client.messaging.v1.services(service).short_codes
made = [short_codes.create(short_code_sid=sid).sid for sid in sids]
listed = [sc.short_code for sc in short_codes.list(page_size=1)]  # one page a request
fetched = short_codes(sids[0]).fetch().short_code
deleted = short_codes(sids[0]).delete()
try:
    short_codes(sids[0]).fetch()
    gone = None
except TwilioRestException as error:
    gone = [error.status, error.code]
edge = Client(region="au1", edge="sydney").messaging.v1.services(service).short_codes
account = [sc.short_code for sc in client.api.v2010.account.short_codes.list()]
print(json.dumps({"made": made, "listed": listed, "fetched": fetched, "deleted": deleted,
                  "gone": gone, "edge_url": edge(sids[1]).fetch().url, "account": account}))
"""


def test_a_python_child_drives_the_twilio_sdk(twilio_shortcodes):
    sids = twilio_shortcodes.add_short_codes(["12345", "67890"])
    service = twilio_shortcodes.add_messaging_service("Alerts")
    served = twilio_shortcodes.serve()

    out = python(SDK_CHILD, service, *sids, env=child_env(served))

    assert out["made"] == sids
    assert out["listed"] == ["12345", "67890"]
    assert out["fetched"] == "12345"
    assert out["deleted"] is True
    assert out["gone"] == [404, 20404]
    assert out["edge_url"].startswith("https://messaging.sydney.au1.twilio.com/v1/Services/")
    assert out["account"] == ["12345", "67890"]
    # The same account the test sees: one short code left in the service, both in the account.
    assert twilio_shortcodes.messaging_service_short_codes(service) == [sids[1]]
    assert twilio_shortcodes.short_code(sids[0]).short_code == "12345"
    twilio_shortcodes.assert_called("POST", "messaging.v1.service.short_code", times=2)
    twilio_shortcodes.assert_called("DELETE", "messaging", times=1)
    twilio_shortcodes.assert_called("GET", "/v1/Services/*/ShortCodes", times=2)  # two pages
    assert [c.status for c in twilio_shortcodes.calls.filter(method="DELETE")] == [204]
    assert twilio_shortcodes.unmatched == []


def test_a_curl_child_in_json_and_xml(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345", friendly_name="Alerts")
    served = twilio_shortcodes.serve()
    env = child_env(served)
    account = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}"
    auth = f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}"

    status, content_type, body = curl("-u", auth, f"{account}/SMS/ShortCodes.json", env=env)
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert [sc["sid"] for sc in json.loads(body)["short_codes"]] == [sid]

    status, content_type, body = curl("-u", auth, f"{account}/SMS/ShortCodes/{sid}.xml", env=env)
    assert (status, content_type) == (200, "application/xml; charset=utf-8")
    assert ET.fromstring(body).findtext("ShortCode/FriendlyName") == "Alerts"

    v2008 = account.replace("2010-04-01", "2008-08-01")
    status, _, body = curl("-u", auth, f"{v2008}/SMS/ShortCodes", env=env)
    assert status == 200
    assert ET.fromstring(body).findtext("ShortCodes/ShortCode/ShortCode") == "12345"

    url = f"{account}/SMS/ShortCodes/{sid}.json"
    status, _, body = curl("-u", auth, "-d", "FriendlyName=Renamed", url, env=env)
    assert (status, json.loads(body)["friendly_name"]) == (200, "Renamed")
    assert twilio_shortcodes.short_code(sid).friendly_name == "Renamed"

    # Bad input gets Twilio's error, in the format asked for, and changes nothing.
    status, _, body = curl("-u", auth, "-d", "SmsMethod=PUT", url, env=env)
    assert (status, json.loads(body)["code"]) == (400, 21403)
    status, content_type, body = curl(url.replace(".json", ".xml"), env=env)  # no credentials
    assert (status, content_type) == (401, "application/xml; charset=utf-8")
    assert ET.fromstring(body).findtext("RestException/Code") == "20003"
    assert twilio_shortcodes.short_code(sid).sms_method == "POST"

    # Plain HTTP goes to the proxy as an absolute URL (http_proxy) and is answered too.
    status, _, body = curl("-u", auth, url.replace("https://", "http://"), env=env)
    assert (status, json.loads(body)["friendly_name"]) == (200, "Renamed")
    assert [c.status for c in twilio_shortcodes.calls] == [200, 200, 200, 200, 400, 401, 200]


def test_an_unserved_twilio_route_is_recorded(twilio_shortcodes):
    served = twilio_shortcodes.serve()
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/Calls.json"
    auth = f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}"

    status, _, body = curl("-u", auth, "-d", "Body=hi", url, env=child_env(served))

    assert status == 404
    assert json.loads(body)["message"].endswith("does not mock this Twilio route")
    assert [(c.method, c.url) for c in twilio_shortcodes.unmatched] == [("POST", url)]
    twilio_shortcodes.unmatched.clear()  # provoked on purpose


def test_an_unserved_route_from_a_child_fails_the_test_at_teardown(pytester):
    pytester.makepyfile(
        """
        import os, subprocess

        def test_child(twilio_shortcodes):
            served = twilio_shortcodes.serve()
            url = f"https://messaging.twilio.com/v2/Nothing"
            subprocess.run(["curl", "-sS", "-o", os.devnull, url],
                           env={**os.environ, **served.env}, check=True)
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*1 request(s) to Twilio routes this mock does not serve:",
            "*GET https://messaging.twilio.com/v2/Nothing",
        ]
    )


CONTENDER = """
import json, sys
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

mine, contested, own, rounds = sys.argv[1], sys.argv[2:4], sys.argv[4], int(sys.argv[5])
client = Client()
services = [client.messaging.v1.services(sid).short_codes for sid in contested]
tally = {"added": 0, "removed": 0, "refused": []}
for n in range(rounds):
    short_codes = services[n % 2]
    try:
        short_codes.create(short_code_sid=mine)
    except TwilioRestException as error:
        tally["refused"].append([error.status, error.code])
    else:
        tally["added"] += 1
        short_codes(mine).delete()
        tally["removed"] += 1
services[0].create(short_code_sid=own)
print(json.dumps(tally))
"""


def test_several_children_at_once(twilio_shortcodes):
    """Python children race to put one short code in one of two Messaging Services and
    take it out again, while curl children walk the account's list in XML: the rule that
    a short code is in at most one service holds, and every request is answered."""
    contested = twilio_shortcodes.add_short_code("11111")
    first = twilio_shortcodes.add_messaging_service("First")
    second = twilio_shortcodes.add_messaging_service("Second")
    own = twilio_shortcodes.add_short_codes(str(22220 + n) for n in range(4))
    served = twilio_shortcodes.serve()
    env = child_env(served)
    list_url = (
        f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}"
        "/SMS/ShortCodes.xml?PageSize=2"
    )
    auth = f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}"
    rounds = 6

    children = [
        subprocess.Popen(
            [sys.executable, "-c", CONTENDER, contested, first, second, sid, str(rounds)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for sid in own
    ] + [
        subprocess.Popen(
            ["curl", "-sS", "--fail", "-u", auth, *[list_url] * 10],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * len(children), outputs

    tallies = [json.loads(out) for out, _ in outputs[: len(own)]]
    added = sum(t["added"] for t in tallies)
    refused = [r for t in tallies for r in t["refused"]]
    assert added + len(refused) == rounds * len(own)
    assert {tuple(r) for r in refused} <= {(409, 21710), (409, 21712)}
    assert added == sum(t["removed"] for t in tallies) >= 1
    # What the children were told is what the mock recorded, and the rule held throughout.
    posts = twilio_shortcodes.calls.filter(method="POST", params={"ShortCodeSid": contested})
    assert [c.status for c in posts].count(201) == added
    assert len(twilio_shortcodes.calls.filter(method="DELETE")) == added
    assert sorted(twilio_shortcodes.messaging_service_short_codes(first)) == sorted(own)
    assert twilio_shortcodes.messaging_service_short_codes(second) == []
    pages = [ET.fromstring(page) for out, _ in outputs[len(own) :] for page in _documents(out)]
    assert len(pages) == 20
    assert all(p.findtext("ShortCodes/ShortCode/ShortCode") == "11111" for p in pages)


def _documents(text: str) -> list[str]:
    """Split curl's concatenated XML answers."""
    marker = "<?xml"
    return [marker + part for part in text.split(marker) if part.strip()]


def test_scripted_faults_reach_the_child(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    env = child_env(served)
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    auth = f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}"
    twilio_shortcodes.fail_next("GET", status=429, retry_after=2)
    twilio_shortcodes.fail_next("GET", error=requests.ConnectionError)

    limited = run(["curl", "-sS", "-i", "-u", auth, url], env).stdout
    dropped = run(["curl", "-sS", "-u", auth, url], env, check=False)
    status, _, body = curl("-u", auth, url, env=env)

    assert "\nHTTP/1.1 429 Too Many Requests" in limited  # after curl's CONNECT
    assert "Retry-After: 2" in limited
    assert json.loads(limited.rpartition("\n\n")[2])["code"] == 20429
    assert dropped.returncode == 52  # curl: empty reply from server
    assert (status, json.loads(body)["sid"]) == (200, sid)
    assert [(c.status, c.fault) for c in twilio_shortcodes.calls] == [
        (429, True), (0, True), (200, False)
    ]  # fmt: skip


def test_other_hosts_are_tunnelled_and_forwarded_by_default(twilio_shortcodes):
    served = twilio_shortcodes.serve()
    env = child_env(served)
    with loopback_site() as (site, seen):
        # --noproxy '' lifts NO_PROXY's loopback exception, so the proxy carries them.
        plain = curl("--noproxy", "", "-x", served.url, f"{site}/forwarded", env=env)
        tunnel = curl("--noproxy", "", "-x", served.url, "-p", f"{site}/tunnelled", env=env)

    assert plain == (200, "", "loopback says hello to /forwarded")
    assert tunnel == (200, "", "loopback says hello to /tunnelled")
    assert seen == ["/forwarded", "/tunnelled"]
    assert twilio_shortcodes.calls == []


LOOPBACK_CHILD = """
import json, sys, requests
print(json.dumps(requests.get(sys.argv[1]).text))
"""


def test_other_hosts_are_refused_outside_passthrough():
    with TwilioShortCodeMock(passthrough=["allowed.example"]) as mock:
        served = mock.serve()
        env = child_env(served)
        with loopback_site() as (site, seen):
            plain = curl("--noproxy", "", "-x", served.url, f"{site}/forwarded", env=env)
            tunnel = run(
                ["curl", "-sS", "--noproxy", "", "-x", served.url, "-p", f"{site}/tunnelled"],
                env,
                check=False,
            )
            assert seen == []
            # The environment as given leaves loopback traffic (a webhook app) unproxied.
            direct = python(LOOPBACK_CHILD, f"{site}/webhook", env=env)
            assert seen == ["/webhook"]

    assert plain[0] == 403
    assert "127.0.0.1 is not in the mock's passthrough hosts" in plain[2]
    assert tunnel.returncode == 56 and "403" in tunnel.stderr  # CONNECT refused
    assert direct == "loopback says hello to /webhook"


def test_the_environment_a_child_needs(twilio_shortcodes):
    served = twilio_shortcodes.serve()
    env = served.env
    assert served.url.startswith("http://127.0.0.1:")
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        assert env[name] == served.url
    assert env["NO_PROXY"] == env["no_proxy"] == "localhost,127.0.0.1,::1"
    assert env["TWILIO_ACCOUNT_SID"] == twilio_shortcodes.account_sid
    assert env["TWILIO_AUTH_TOKEN"] == twilio_shortcodes.auth_token
    bundle = Path(env["SSL_CERT_FILE"])
    assert env["REQUESTS_CA_BUNDLE"] == env["CURL_CA_BUNDLE"] == str(bundle)
    authority = Path(env["NODE_EXTRA_CA_CERTS"]).read_text()
    assert authority.count("BEGIN CERTIFICATE") == 1
    # The throw-away authority, then the usual roots, so other HTTPS still verifies.
    assert bundle.read_text().startswith(authority)
    assert Path(certifi.where()).read_text() in bundle.read_text()
    assert ssl.create_default_context(cafile=str(bundle)).cert_store_stats()["x509_ca"] > 100


URLLIB_CHILD = """
import json, sys, urllib.request
# urllib: https_proxy from the environment, certificates from SSL_CERT_FILE
request = urllib.request.Request(sys.argv[1], headers={"Authorization": sys.argv[2]})
print(json.dumps(json.load(urllib.request.urlopen(request))))
"""


def test_ssl_cert_file_is_enough_for_the_standard_library(twilio_shortcodes):
    import base64

    sid = twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    pair = f"{twilio_shortcodes.account_sid}:{twilio_shortcodes.auth_token}".encode()
    header = "Basic " + base64.b64encode(pair).decode()

    assert python(URLLIB_CHILD, url, header, env=child_env(served))["sid"] == sid


def test_serve_lives_and_stops_with_the_mock():
    mock = TwilioShortCodeMock()
    with pytest.raises(RuntimeError, match="start the TwilioShortCodeMock before serve"):
        mock.serve()
    with mock:
        served = mock.serve()
        assert mock.serve() is served
        with pytest.raises(ValueError, match="already served on port"):
            mock.serve(served.port + 1)
        kept_alive = socket.create_connection(("127.0.0.1", served.port))
    with kept_alive:
        kept_alive.settimeout(10)
        with contextlib.suppress(ConnectionResetError):  # closed with the mock
            assert kept_alive.recv(1) == b""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", served.port), timeout=10)


TWILIO_POST = b"POST http://api.twilio.com/x HTTP/1.1\r\nHost: api.twilio.com\r\n"
CHUNKED = TWILIO_POST + b"Transfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize(
    "raw, status",
    [
        (b"GET /v1/Services HTTP/1.1\r\nHost: x\r\n\r\n", 400),  # not a proxy request
        (b"CONNECT :443 HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),
        (b"CONNECT api.twilio.com:https HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),
        (b"CONNECT elsewhere.example:443 HTTP/1.1\r\nHost: elsewhere.example\r\n\r\n", 403),
        (b"GET http://elsewhere.example/ HTTP/1.1\r\nHost: elsewhere.example\r\n\r\n", 403),
        (TWILIO_POST + b"Content-Length: ten\r\n\r\n", 400),
        (CHUNKED + b"zz\r\n", 400),
        (b"NOT A REQUEST LINE\r\n\r\n", 400),
        (b"CONNECT [::1 HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),  # urlsplit: Invalid IPv6 URL
        (b"CONNECT api.twilio.com:99999 HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),
        (b"GET http://[::1/ HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),
        (b"GET * HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),  # no host to go to
        (b"OPTIONS * HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),
        (b"GET http:///x HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),  # an empty host
        (b"GET ftp://api.twilio.com/x HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n", 400),
        (TWILIO_POST + b"Content-Length: 1000000000000000\r\n\r\n", 413),
        (TWILIO_POST + b"Content-Length: 10485761\r\n\r\n", 413),
        (CHUNKED + b"A00001\r\n" + b"x" * 0xA00001, 413),  # 10 MiB and a byte
        (CHUNKED + b"-1\r\n", 400),  # not read to the end of the stream
        (CHUNKED + b"0x5\r\n", 400),
    ],
    # short ids: pytest 7 puts the whole id (10 MiB here) in PYTEST_CURRENT_TEST, which
    # curl's environment then cannot carry (E2BIG)
    ids=lambda value: repr(value[-40:]) if isinstance(value, bytes) else str(value),
)  # fmt: skip
def test_bad_requests_to_the_proxy(raw, status, capfd):
    with TwilioShortCodeMock(passthrough=["allowed.example"]) as mock:
        served = mock.serve()
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(raw)
            answer = sock.makefile("rb").readline()
        assert answer.split()[1] == str(status).encode()
        # The proxy goes on serving.
        url = f"http://api.twilio.com/2010-04-01/Accounts/{mock.account_sid}/SMS/ShortCodes.json"
        auth = f"{mock.account_sid}:{mock.auth_token}"
        assert curl("-u", auth, url, env=child_env(served))[0] == 200
        assert mock.calls[-1].status == 200
    assert "Traceback" not in capfd.readouterr().err  # an answer, not a crash


def _answer(stream: Any) -> tuple[int, bytes]:
    """Read one HTTP/1.1 answer (status line, headers, Content-Length body) from a file."""
    status = int(stream.readline().split()[1])
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, stream.read(length)


def _get(path: str, host: str, mock: TwilioShortCodeMock) -> bytes:
    pair = f"{mock.account_sid}:{mock.auth_token}".encode()
    auth = base64.b64encode(pair).decode()
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {auth}\r\n\r\n".encode()


class _ClientTLS(io.RawIOBase):
    """A TLS client over a socket through memory BIOs: its ClientHello is ready before the
    socket is written, so a test can send it in the same packet as the CONNECT."""

    def __init__(self, sock: socket.socket, cafile: str, host: str) -> None:
        super().__init__()
        self.sock = sock
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        context = ssl.create_default_context(cafile=cafile)
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname=host)
        with contextlib.suppress(ssl.SSLWantReadError):
            self.tls.do_handshake()  # writes the ClientHello to `outgoing`

    def pump(self, operation: Any, *args: Any) -> Any:
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self.sock.sendall(self.outgoing.read())
                data = self.sock.recv(65536)
                assert data, "the proxy closed the tunnel"
                self.incoming.write(data)
            else:
                self.sock.sendall(self.outgoing.read())
                return result

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self.pump(self.tls.read, len(buffer), buffer)


def test_bytes_sent_with_the_connect_are_not_lost(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    path = f"/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    connect = b"CONNECT api.twilio.com:443 HTTP/1.1\r\nHost: api.twilio.com:443\r\n\r\n"

    # TLS: the ClientHello in the CONNECT's packet.
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        tls = _ClientTLS(sock, served.env["NODE_EXTRA_CA_CERTS"], "api.twilio.com")
        sock.sendall(connect + tls.outgoing.read())
        # The 200 and the server's handshake may arrive together: split them by hand.
        received = b""
        while b"\r\n\r\n" not in received:
            received += sock.recv(65536) or pytest.fail("no answer to the CONNECT")
        established, _, rest = received.partition(b"\r\n\r\n")
        tls.incoming.write(rest)
        tls.pump(tls.tls.do_handshake)
        tls.pump(tls.tls.write, _get(path, "api.twilio.com", twilio_shortcodes))
        status, body = _answer(io.BufferedReader(tls))
    assert established.startswith(b"HTTP/1.1 200 Connection established")
    assert (status, json.loads(body)["sid"]) == (200, sid)

    # Plain HTTP: a request pipelined after the CONNECT (an empty port is the default one).
    for target in (b"api.twilio.com:443", b"api.twilio.com:"):
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            request = _get(path, "api.twilio.com", twilio_shortcodes)
            sock.sendall(
                b"CONNECT " + target + b" HTTP/1.1\r\nHost: " + target + b"\r\n\r\n" + request * 2
            )
            answers = sock.makefile("rb")
            assert _answer(answers)[0] == 200  # Connection established
            assert [_answer(answers)[0] for _ in range(2)] == [200, 200]
    assert [c.status for c in twilio_shortcodes.calls] == [200] * 5

    # A passthrough tunnel forwards what came with the CONNECT.
    with (
        loopback_site() as (site, seen),
        socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock,
    ):
        authority = site.split("//")[1]
        sock.sendall(
            f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode()
            + f"GET /tunnelled HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode()
        )
        answers = sock.makefile("rb")
        assert _answer(answers)[0] == 200  # Connection established
        assert _answer(answers) == (200, b"loopback says hello to /tunnelled")
    assert seen == ["/tunnelled"]


def test_an_empty_port_is_the_default_one(twilio_shortcodes):
    sid = twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    path = f"/2010-04-01/Accounts/{twilio_shortcodes.account_sid}/SMS/ShortCodes/{sid}.json"
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(_get(f"http://api.twilio.com:{path}", "api.twilio.com", twilio_shortcodes))
        status, body = _answer(sock.makefile("rb"))
    assert (status, json.loads(body)["sid"]) == (200, sid)
    assert twilio_shortcodes.calls[-1].url == f"http://api.twilio.com{path}"
