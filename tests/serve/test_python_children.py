"""A Python child started with serve()'s environment is served by the mock through the
proxy with every client the plugin serves in-process (requests, the SDK's sync client and
its AsyncTwilioHttpClient, a plain aiohttp session, httpx), answered with urllib.request,
and answered or refused, never let through, with http.client. A spy in the child, under
every patch (the interpreter's audit events, and c-ares's own calls for aiohttp's aiodns
resolver), lists each look-up and connection made: none is for Twilio."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys

import pytest

from tests.children import TIMEOUT, child_env

pytestmark = pytest.mark.slow

CHILD = """
import asyncio, json, os, sys

seen = []

def audit(event, args):
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.connect"):
        seen.append([event, repr(args[:2])])

sys.addaudithook(audit)
try:  # aiohttp's default resolver when aiodns is installed: c-ares, below any patch
    import pycares
except ImportError:
    pass
else:
    for name in ("getaddrinfo", "query", "search"):
        def spy(channel, host, *args, _original=getattr(pycares.Channel, name), _name=name,
                **kwargs):
            seen.append([f"pycares.{_name}", repr(host)])
            return _original(channel, host, *args, **kwargs)
        setattr(pycares.Channel, name, spy)
ACCOUNT, TOKEN = os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"]
URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/SMS/ShortCodes.json"


def requests_client():
    import requests
    return requests.get(URL, auth=(ACCOUNT, TOKEN)).json()["short_codes"][0]["short_code"]


def requests_without_trust_env():
    import requests
    session = requests.Session()
    session.trust_env = False
    return session.get(URL, auth=(ACCOUNT, TOKEN)).status_code


def sdk_sync():
    from twilio.rest import Client
    return Client().api.v2010.account.short_codes.list()[0].short_code


def sdk_async():
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    async def go():
        http_client = AsyncTwilioHttpClient()
        try:
            client = Client(http_client=http_client)
            return (await client.api.v2010.account.short_codes.list_async())[0].short_code
        finally:
            await http_client.close()

    return asyncio.run(go())


def aiohttp_session():
    import aiohttp

    async def go():
        async with aiohttp.ClientSession() as session:
            async with session.get(URL, auth=aiohttp.BasicAuth(ACCOUNT, TOKEN)) as response:
                return (await response.json())["short_codes"][0]["short_code"]

    return asyncio.run(go())


def httpx_client():
    import httpx
    return httpx.get(URL, auth=(ACCOUNT, TOKEN)).json()["short_codes"][0]["short_code"]


def urllib_request():
    import base64, urllib.request
    request = urllib.request.Request(URL)
    pair = base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    request.add_header("Authorization", f"Basic {pair}")
    with urllib.request.urlopen(request) as response:
        return json.load(response)["short_codes"][0]["short_code"]


def http_client_direct():
    import http.client
    connection = http.client.HTTPSConnection("api.twilio.com")
    connection.request("GET", URL)
    return connection.getresponse().status


def aiodns_direct():
    import aiodns

    async def go():
        return await aiodns.DNSResolver().query("api.twilio.com", "A")

    return repr(asyncio.run(go()))


def raw_socket():
    import socket
    return repr(socket.create_connection(("api.twilio.com", 443)))


def another_proxy():
    import socket
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"CONNECT api.twilio.com:443 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
    return port


def http_client_through_the_proxy():
    import base64, http.client
    from urllib.parse import urlsplit
    proxy = urlsplit(os.environ["HTTPS_PROXY"])
    connection = http.client.HTTPSConnection(proxy.hostname, proxy.port)
    connection.set_tunnel("api.twilio.com", 443)
    pair = base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    connection.request("GET", URL, headers={"Authorization": f"Basic {pair}"})
    return json.load(connection.getresponse())["short_codes"][0]["short_code"]


try:
    out = {"answer": globals()[sys.argv[1]]()}
except Exception as error:
    out = {"error": f"{type(error).__name__}: {error}"}
out["seen"] = seen
print(json.dumps(out))
"""

SERVED = [
    "requests_client",
    "sdk_sync",
    "sdk_async",
    "aiohttp_session",
    "httpx_client",
    "urllib_request",
    "http_client_through_the_proxy",
]
REFUSED = {
    "http_client_direct": "socket.getaddrinfo",
    "requests_without_trust_env": "socket.getaddrinfo",
    "aiodns_direct": "aiodns.DNSResolver.query",
    "raw_socket": "socket.getaddrinfo",
    "another_proxy": "CONNECT to the HTTP proxy 127.0.0.1:",
}


def run_child(client: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, client],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def twilio_seen(out: dict) -> list:
    return [entry for entry in out["seen"] if "twilio" in entry[1].lower()]


@pytest.mark.parametrize("client", SERVED)
def test_a_python_child_is_served_with(twilio_shortcodes, client):
    twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()

    out = run_child(client, child_env(served))

    assert out.get("answer") == "12345", out
    assert twilio_seen(out) == []  # no look-up of, no connection to, a Twilio host
    assert [(c.method, c.status) for c in twilio_shortcodes.calls] == [("GET", 200)]


@pytest.mark.parametrize("client, how", REFUSED.items(), ids=REFUSED.keys())
def test_a_python_child_going_around_the_proxy_is_refused(twilio_shortcodes, client, how):
    served = twilio_shortcodes.serve()

    out = run_child(client, child_env(served))

    assert f"refused a connection to api.twilio.com ({how}" in out.get("error", ""), out
    assert ") in a process " in out["error"]
    assert f"started with the mock's proxy ({served.url})" in out["error"]
    assert twilio_seen(out) == []
    assert twilio_shortcodes.calls == []


def test_the_bootstrap_keeps_the_childs_own_pythonpath_and_sitecustomize(
    twilio_shortcodes, tmp_path, monkeypatch
):
    (tmp_path / "sitecustomize.py").write_text("import os\nos.environ['THEIRS'] = 'ran'\n")
    (tmp_path / "their_module.py").write_text("NAME = 'theirs'\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # serve() reads it
    served = twilio_shortcodes.serve()
    code = "import os, socket, their_module\nprint(os.environ['THEIRS'])\n"
    code += "print(socket.getaddrinfo.__module__)"

    done = subprocess.run(
        [sys.executable, "-c", code], env=child_env(served),
        capture_output=True, text=True, timeout=TIMEOUT, check=True,
    )  # fmt: skip

    assert done.stdout.split() == ["ran", "_pytest_twilio_shortcodes_child"]
    assert served.env["PYTHONPATH"].split(os.pathsep)[1:] == [str(tmp_path)]


def test_without_the_proxy_variables_the_bootstrap_does_nothing(twilio_shortcodes):
    served = twilio_shortcodes.serve()
    env = {**os.environ, "PYTHONPATH": served.env["PYTHONPATH"]}  # no proxy variables
    code = "import socket; print(socket.getaddrinfo.__module__)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.stdout.strip() == "socket"


def test_without_the_bootstrap_the_async_sdk_goes_around_the_proxy(twilio_shortcodes):
    """Why the bootstrap is there: the SDK's AsyncTwilioHttpClient ignores HTTPS_PROXY."""
    twilio_shortcodes.add_short_code("12345")
    served = twilio_shortcodes.serve()
    env = {k: v for k, v in child_env(served).items() if k != "TWILIO_SHORTCODES_PROXY"}

    out = run_child("sdk_async", env)

    assert "Cannot connect to host api.twilio.com:443" in out["error"]  # no DNS here
    assert ["pycares.getaddrinfo", "'api.twilio.com'"] in out["seen"]
    assert twilio_shortcodes.calls == []


def test_a_child_with_the_serve_commands_lines_is_served(tmp_path):
    """Outside pytest: the lines ``python -m pytest_twilio_shortcodes serve`` prints."""
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"short_codes": ["12345"]}))
    command = [sys.executable, "-m", "pytest_twilio_shortcodes", "serve", "--seed", str(seed)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        printed: dict[str, str] = {}
        while "TWILIO_SHORTCODES_PROXY" not in printed or "PYTHONPATH" not in printed:
            line = server.stdout.readline()  # type: ignore[union-attr]
            assert line, "the serve command stopped printing"
            printed.update([shlex.split(line)[0].split("=", 1)])
        outs = {
            client: run_child(client, {**os.environ, **printed})
            for client in ("sdk_async", "aiohttp_session", "http_client_direct")
        }
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=TIMEOUT)

    assert outs["sdk_async"].get("answer") == "12345", outs
    assert outs["aiohttp_session"].get("answer") == "12345", outs
    assert "refused a connection to api.twilio.com" in outs["http_client_direct"]["error"]
    assert all(twilio_seen(out) == [] for out in outs.values())
