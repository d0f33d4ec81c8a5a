"""Through an HTTP proxy: a client the mock does not serve never looks the Twilio name up;
it connects to the proxy and writes ``CONNECT api.twilio.com:443`` or an absolute-form
request. That write is refused before it is sent, recorded in ``refused``, and fails the
test at teardown. Clients the mock serves, configured with a proxy, are still answered
in-process. A spy under the guard sees every look-up, connection and write that gets past
it: nothing for Twilio ever does."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import socket
import ssl
import urllib.request
from typing import Any
from unittest import mock

import pytest
import urllib3

from pytest_twilio_shortcodes import TwilioShortCodeMock
from tests.intercept.conftest import text, twilio_in

SERVED = (
    "requests (the twilio SDK's default client), aiohttp (the SDK's AsyncTwilioHttpClient) "
    "and httpx"
)


def urllib_opener(proxies: dict[str, str]) -> Any:
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies))


def urllib_from_the_environment(proxy: str, host: str) -> None:
    """``urllib.request`` as most code uses it: the proxy from ``HTTPS_PROXY``."""
    with mock.patch.dict(os.environ, {"HTTPS_PROXY": f"http://{proxy}", "NO_PROXY": ""}):
        opener = urllib.request.build_opener()  # its ProxyHandler reads the environment
    opener.open(f"https://{host}/2010-04-01/Accounts.json", timeout=5)


def http_client_tunnel(proxy: str, host: str) -> None:
    name, port = proxy.split(":")
    connection = http.client.HTTPSConnection(name, int(port), timeout=5)
    connection.set_tunnel(host, 443)
    try:
        connection.request("GET", "/2010-04-01/Accounts.json")
    finally:
        connection.close()


def http_client_absolute(proxy: str, host: str) -> None:
    name, port = proxy.split(":")
    connection = http.client.HTTPConnection(name, int(port), timeout=5)
    try:
        connection.request("GET", f"http://{host}/2010-04-01/Accounts.json")
        connection.getresponse().read()
    finally:
        connection.close()


def raw_write(proxy: str, line: bytes, how: str = "sendall") -> None:
    name, port = proxy.split(":")
    with socket.create_connection((name, int(port)), timeout=5) as sock:
        if how == "sendmsg":
            sock.sendmsg([line, b"Host: x\r\n\r\n"])
        elif how == "sendto":  # a connected TCP socket sends to its peer, whatever the address
            sock.sendto(line + b"Host: x\r\n\r\n", ("192.0.2.1", 9))
        else:
            getattr(sock, how)(line + b"Host: x\r\n\r\n")
        sock.recv(1024)


async def asyncio_stream(proxy: str, host: str) -> None:
    name, port = proxy.split(":")
    reader, writer = await asyncio.open_connection(name, int(port))
    try:
        writer.write(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
        await writer.drain()
        await reader.read(1024)
    finally:
        writer.close()


# (attempt, what is recorded): ``attempt(proxy, host)`` makes one request for ``host``.
UNSERVED = {
    "urllib.request, https through a ProxyHandler (CONNECT)": (
        lambda proxy, host: urllib_opener({"https": f"http://{proxy}"}).open(
            f"https://{host}/2010-04-01/Accounts.json", timeout=5
        ),
        "CONNECT",
    ),
    "urllib.request, http through a ProxyHandler (absolute form)": (
        lambda proxy, host: urllib_opener({"http": f"http://{proxy}"}).open(
            f"http://{host}/2010-04-01/Accounts.json", timeout=5
        ),
        "GET",
    ),
    "urllib.request, HTTPS_PROXY (CONNECT)": (urllib_from_the_environment, "CONNECT"),
    "http.client with set_tunnel (CONNECT)": (http_client_tunnel, "CONNECT"),
    "http.client, an absolute-form request": (http_client_absolute, "GET"),
    "urllib3.ProxyManager, https (CONNECT)": (
        lambda proxy, host: urllib3.ProxyManager(f"http://{proxy}", retries=False).request(
            "GET", f"https://{host}/v1/Services"
        ),
        "CONNECT",
    ),
    "urllib3.ProxyManager, http (absolute form)": (
        lambda proxy, host: urllib3.ProxyManager(f"http://{proxy}", retries=False).request(
            "POST", f"http://{host}/v1/Services", fields={"FriendlyName": "x"}
        ),
        "POST",
    ),
    "a raw socket, CONNECT": (
        lambda proxy, host: raw_write(proxy, f"CONNECT {host}:443 HTTP/1.1\r\n".encode()),
        "CONNECT",
    ),
    "a raw socket, lower case, userinfo and a port": (
        lambda proxy, host: raw_write(
            proxy, f"get https://user:pw@{host}:8443/x HTTP/1.1\r\n".encode(), "send"
        ),
        "GET",
    ),
    "a raw socket, sendto on the connected socket": (
        lambda proxy, host: raw_write(proxy, f"CONNECT {host}:443 HTTP/1.1\r\n".encode(), "sendto"),
        "CONNECT",
    ),
    "a raw socket, sendmsg": (
        lambda proxy, host: raw_write(
            proxy, f"DELETE http://{host}/x HTTP/1.1\r\n".encode(), "sendmsg"
        ),
        "DELETE",
    ),
    "asyncio streams, CONNECT": (
        lambda proxy, host: asyncio.run(asyncio_stream(proxy, host)),
        "CONNECT",
    ),
}  # fmt: skip


@pytest.mark.parametrize("attempt, method", UNSERVED.values(), ids=UNSERVED.keys())
def test_a_client_the_mock_does_not_serve_is_refused_at_the_proxy(wire, proxy, attempt, method):
    with TwilioShortCodeMock() as mock:
        with pytest.raises(Exception) as caught:  # each client wraps the refusal its own way
            attempt(proxy, "api.twilio.com")
        recorded = f"api.twilio.com ({method} to the HTTP proxy {proxy})"
        message = f"pytest-twilio-shortcodes: refused a connection to {recorded}: the mock"
        if "asyncio" in str(attempt.__qualname__) + repr(attempt.__code__.co_names):
            # asyncio's transport turns the refused send into a lost connection
            assert isinstance(caught.value, ConnectionResetError)
        else:
            assert message in str(caught.value)
        assert mock.refused == [recorded]
        mock.refused.clear()
    assert twilio_in(wire) == []  # no look-up, no connection, no byte for Twilio
    assert ("connect", ("127.0.0.1", int(proxy.split(":")[1]))) in wire  # to the proxy only


@pytest.mark.parametrize("attempt, method", UNSERVED.values(), ids=UNSERVED.keys())
def test_the_same_client_does_use_the_proxy_for_other_hosts(wire, proxy, attempt, method):
    """The control: for another host each of these clients does write to the proxy."""
    with TwilioShortCodeMock() as mock, contextlib.suppress(Exception):  # the proxy says 403
        attempt(proxy, "example.invalid")
    assert mock.refused == []
    written = [text(value) for name, value in wire if name.startswith("send")]
    assert any(b"example.invalid" in data for data in written)


@pytest.mark.parametrize(
    "line, recorded",
    [
        (b"CONNECT API.Twilio.COM:443 HTTP/1.1", "API.Twilio.COM (CONNECT"),
        (b"CONNECT api.twilio.com.:443 HTTP/1.1", "api.twilio.com. (CONNECT"),
        (b"CONNECT api.twilio%2Ecom:443 HTTP/1.1", "api.twilio.com (CONNECT"),
        (b"POST https://messaging.twilio.com/v1/Services HTTP/1.1", "messaging.twilio.com (POST"),
        (b"GET http://AC1:tok@twilio.com?x=1 HTTP/1.0", "twilio.com (GET"),
        (
            b"patch http://chat.dublin.ie1.twilio.com:8080/ HTTP/1.1",
            "chat.dublin.ie1.twilio.com (PATCH",
        ),
        # a server ignores blank lines before the request line and takes a tab for a space
        (b"\r\nCONNECT api.twilio.com:443 HTTP/1.1", "api.twilio.com (CONNECT"),
        (b"CONNECT\tapi.twilio.com:443 HTTP/1.1", "api.twilio.com (CONNECT"),
    ],
)
def test_each_form_of_a_request_line_for_twilio(wire, proxy, line, recorded):
    with TwilioShortCodeMock() as mock:
        with pytest.raises(ConnectionRefusedError):
            raw_write(proxy, line + b"\r\n")
        assert mock.refused == [f"{recorded} to the HTTP proxy {proxy})"]
        mock.refused.clear()
    assert twilio_in(wire) == []


@pytest.mark.parametrize(
    "line",
    [
        b"CONNECT example.com:443 HTTP/1.1",
        b"GET http://twilio.com.example.com/ HTTP/1.1",
        b"GET /twilio.com HTTP/1.1",
        b"Body=CONNECT api.twilio.com:443",
        b"GET http://[::1]:80/api.twilio.com HTTP/1.1",
    ],
)
def test_other_request_lines_are_written(wire, proxy, line):
    with TwilioShortCodeMock() as mock:
        raw_write(proxy, line + b"\r\n")
        assert mock.refused == []
    assert any(text(value).startswith(line) for name, value in wire if name == "sendall")


def test_an_https_proxy_is_guarded_inside_its_tls(wire, tls_proxy, authority):
    """``urllib3.ProxyManager`` to an ``https://`` proxy writes its CONNECT inside TLS."""
    context = ssl.create_default_context()
    authority.configure_trust(context)
    manager = urllib3.ProxyManager(f"https://{tls_proxy}", proxy_ssl_context=context, retries=False)
    with TwilioShortCodeMock() as mock:
        with pytest.raises(urllib3.exceptions.ProtocolError) as caught:
            manager.request("GET", "https://api.twilio.com/2010-04-01/Accounts.json")
        assert "refused a connection to api.twilio.com (CONNECT to the HTTP proxy" in str(
            caught.value
        )
        assert mock.refused == [f"api.twilio.com (CONNECT to the HTTP proxy {tls_proxy})"]
        mock.refused.clear()
    assert twilio_in(wire) == []


async def _asyncio_tls_connect(tls_proxy: str, context: ssl.SSLContext) -> None:
    name, port = tls_proxy.split(":")
    reader, writer = await asyncio.open_connection(name, int(port), ssl=context)
    try:
        writer.write(b"CONNECT api.twilio.com:443 HTTP/1.1\r\nHost: api.twilio.com:443\r\n\r\n")
        await writer.drain()
        await reader.read(1024)
    finally:
        writer.close()


def test_asyncio_tls_to_an_https_proxy_is_guarded_too(tls_proxy, authority):
    """aiohttp's and httpx's async clients speak TLS to an ``https://`` proxy through
    asyncio, which encrypts with ``ssl.SSLObject``: the CONNECT is refused there."""
    context = ssl.create_default_context()
    authority.configure_trust(context)
    with TwilioShortCodeMock() as mock:
        with pytest.raises(ConnectionError) as caught:
            asyncio.run(_asyncio_tls_connect(tls_proxy, context))
        assert "refused a connection to api.twilio.com" in str(caught.value)
        # Python 3.10's asyncio tries the buffered write again: the same refusal, twice
        assert mock.refused
        assert set(mock.refused) == {"api.twilio.com (CONNECT inside TLS, to an HTTPS proxy)"}
        mock.refused.clear()


def test_a_refused_proxied_attempt_fails_the_test_at_teardown(pytester, proxy):
    pytester.makepyfile(
        f"""
        import urllib.request

        def test_swallowed(twilio_shortcodes):
            opener = urllib.request.build_opener(
                urllib.request.ProxyHandler({{"https": "http://{proxy}"}})
            )
            try:
                opener.open("https://api.twilio.com/2010-04-01/Accounts.json", timeout=5)
            except OSError:
                pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_swallowed*",
            "pytest-twilio-shortcodes: 1 connection(s) to Twilio refused, from clients the mock "
            f"does not serve (it serves {SERVED}):",
            f"  api.twilio.com (CONNECT to the HTTP proxy {proxy})",
        ]
    )
