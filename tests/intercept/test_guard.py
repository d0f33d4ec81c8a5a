"""Clients the mock does not serve cannot reach a Twilio host: refused at the name, before
any look-up or connection, recorded, and failing the test at teardown."""

from __future__ import annotations

import asyncio
import http.client
import socket
import urllib.request

import aiodns
import aiohttp
import pytest
import urllib3
from aiohttp.resolver import AsyncResolver

from pytest_twilio_shortcodes import TwilioShortCodeMock

SERVED = (
    "requests (the twilio SDK's default client), aiohttp (the SDK's AsyncTwilioHttpClient) "
    "and httpx"
)


def raw_socket(family, address):
    def connect():
        with socket.socket(family) as sock:
            sock.connect(address)

    return connect


def raw_socket_ex():
    with socket.socket() as sock:
        sock.connect_ex(("api.twilio.com", 443))


async def asyncio_stream():
    await asyncio.open_connection("api.twilio.com", 443)


async def aiodns_query():
    await aiodns.DNSResolver().query("api.twilio.com", "AAAA")


async def aiohttp_resolver():
    await AsyncResolver().resolve("api.twilio.com", 443, socket.AF_INET6)


REFUSED = {
    "urllib.request": (
        lambda: urllib.request.urlopen("https://api.twilio.com/2010-04-01/Accounts.json"),
        "api.twilio.com (socket.getaddrinfo)",
    ),
    "http.client": (
        lambda: http.client.HTTPSConnection("api.twilio.com").request("GET", "/"),
        "api.twilio.com (socket.getaddrinfo)",
    ),
    "urllib3 pool": (
        lambda: urllib3.PoolManager(retries=False).request("GET", "https://messaging.twilio.com/"),
        "messaging.twilio.com (socket.getaddrinfo)",
    ),
    "raw socket, IPv4": (
        raw_socket(socket.AF_INET, ("api.twilio.com", 443)),
        "api.twilio.com (socket.connect)",
    ),
    "raw socket, IPv6": (
        raw_socket(socket.AF_INET6, ("API.Twilio.com.", 443, 0, 0)),
        "API.Twilio.com. (socket.connect)",
    ),
    "raw socket, connect_ex": (raw_socket_ex, "api.twilio.com (socket.connect_ex)"),
    "socket.create_connection": (
        lambda: socket.create_connection(("proxy.twilio.com", 443)),
        "proxy.twilio.com (socket.getaddrinfo)",
    ),
    "getaddrinfo, IPv4": (
        lambda: socket.getaddrinfo("api.twilio.com", 443, socket.AF_INET),
        "api.twilio.com (socket.getaddrinfo)",
    ),
    "getaddrinfo, IPv6": (
        lambda: socket.getaddrinfo("messaging.sydney.au1.twilio.com", 443, socket.AF_INET6),
        "messaging.sydney.au1.twilio.com (socket.getaddrinfo)",
    ),
    "getaddrinfo, bytes": (
        lambda: socket.getaddrinfo(b"api.twilio.com", 443),
        "api.twilio.com (socket.getaddrinfo)",
    ),
    "gethostbyname": (
        lambda: socket.gethostbyname("api.twilio.com"),
        "api.twilio.com (socket.gethostbyname)",
    ),
    "gethostbyaddr": (
        lambda: socket.gethostbyaddr("api.twilio.com"),
        "api.twilio.com (socket.gethostbyaddr)",
    ),
    "UDP sendto": (
        lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
            b"x", ("api.twilio.com", 443)
        ),
        "api.twilio.com (socket.sendto)",
    ),
    # socket looks a text host up by its IDNA form, which folds these spellings to ASCII.
    "fullwidth letters": (
        lambda: socket.create_connection(("api.\uff54\uff57\uff49\uff4c\uff49\uff4f.com", 443)),
        "api.\uff54\uff57\uff49\uff4c\uff49\uff4f.com (socket.getaddrinfo)",
    ),
    "ideographic full stops": (
        lambda: socket.getaddrinfo("api\u3002twilio\u3002com", 443),
        "api\u3002twilio\u3002com (socket.getaddrinfo)",
    ),
    "a soft hyphen, urllib": (
        lambda: urllib.request.urlopen("http://api.twi\u00adlio.com/2010-04-01/Accounts.json"),
        "api.twi\u00adlio.com (socket.getaddrinfo)",
    ),
    "a masculine ordinal": (
        lambda: socket.socket().connect(("api.twili\u00ba.com", 443)),
        "api.twili\u00ba.com (socket.connect)",
    ),
    "gethostbyname_ex": (
        lambda: socket.gethostbyname_ex("api.twilio.com"),
        "api.twilio.com (socket.gethostbyname_ex)",
    ),
    "asyncio streams": (
        lambda: asyncio.run(asyncio_stream()),
        "api.twilio.com (socket.getaddrinfo)",
    ),
    "aiodns": (
        lambda: asyncio.run(aiodns_query()),
        "api.twilio.com (aiodns.DNSResolver.query)",
    ),
    "aiohttp's aiodns resolver": (
        lambda: asyncio.run(aiohttp_resolver()),
        "api.twilio.com (aiodns.DNSResolver.getaddrinfo)",
    ),
}


@pytest.fixture
def network_calls(monkeypatch):
    """Every look-up and connection that gets past the guard (installed underneath it)."""
    seen = []

    def spy(original, name):
        def record(*args, **kwargs):
            seen.append((name, args[:2]))
            return original(*args, **kwargs)

        return record

    for owner, names in (
        (socket, ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr")),
        (socket.socket, ("connect", "connect_ex", "sendto")),
        (aiodns.DNSResolver, ("query", "query_dns", "getaddrinfo", "gethostbyname")),
    ):
        for name in names:
            if hasattr(owner, name):
                monkeypatch.setattr(owner, name, spy(getattr(owner, name), name))
    return seen


@pytest.mark.parametrize("attempt, recorded", REFUSED.values(), ids=REFUSED.keys())
def test_refused_before_any_lookup_or_connection(network_calls, attempt, recorded):
    with TwilioShortCodeMock() as mock:
        with pytest.raises(Exception) as caught:  # each client wraps the refusal its own way
            attempt()
        assert f"pytest-twilio-shortcodes: refused a connection to {recorded}" in str(caught.value)
        assert f"the mock serves Twilio requests made with {SERVED}, not this client" in str(
            caught.value
        )
        assert mock.refused == [recorded]
        assert network_calls == []
        mock.refused.clear()


def test_aiohttp_with_the_aiodns_resolver_is_served(twilio_shortcodes, network_calls):
    """A session on aiodns is served: aiohttp's connection seam sits above name resolution."""
    service = twilio_shortcodes.add_messaging_service()
    auth = aiohttp.BasicAuth(twilio_shortcodes.account_sid, twilio_shortcodes.auth_token)

    async def get():
        connector = aiohttp.TCPConnector(resolver=AsyncResolver())
        async with aiohttp.ClientSession(connector=connector) as session:
            url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
            async with session.get(url, auth=auth) as response:
                return response.status

    assert asyncio.run(get()) == 200
    assert network_calls == []
    assert twilio_shortcodes.refused == []


def test_other_hosts_pass_the_guard(twilio_shortcodes):
    assert socket.getaddrinfo("localhost", 80, socket.AF_INET)
    assert socket.gethostbyname("127.0.0.1") == "127.0.0.1"
    assert twilio_shortcodes.refused == []


@pytest.mark.twilio_live  # the session's guard lets this test's Twilio look-ups out
def test_the_mocks_guard_is_off_once_every_mock_has_stopped(network_calls):
    with TwilioShortCodeMock():
        pass
    assert socket.getaddrinfo.__name__ == "record"  # the spy, no longer wrapped by the guard
    with pytest.raises(OSError, match="only reaches loopback"):  # this suite's own guard
        socket.getaddrinfo("api.twilio.com", 443)
    assert network_calls == [("getaddrinfo", ("api.twilio.com", 443))]
    from tests import conftest

    conftest._ESCAPES.pop()  # provoked on purpose


def test_a_refused_attempt_fails_the_test_at_teardown(pytester):
    pytester.makepyfile(
        """
        import urllib.request

        def test_urllib(twilio_shortcodes):
            try:
                urllib.request.urlopen("https://api.twilio.com/2010-04-01/Accounts.json")
            except OSError as error:
                print(error)

        def test_cleared(twilio_shortcodes):
            try:
                urllib.request.urlopen("https://api.twilio.com/2010-04-01/Accounts.json")
            except OSError:
                twilio_shortcodes.refused.clear()
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "-s")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*<urlopen error pytest-twilio-shortcodes: refused a connection to api.twilio.com "
            f"(socket.getaddrinfo): the mock serves Twilio requests made with {SERVED}, "
            "not this client>*",
            "*ERROR at teardown of test_urllib*",
            "pytest-twilio-shortcodes: 1 connection(s) to Twilio refused, from clients the mock "
            f"does not serve (it serves {SERVED}):",
            "  api.twilio.com (socket.getaddrinfo)",
        ]
    )


def test_the_hot_socket_calls_keep_their_calling_conventions(network_calls):
    """``getaddrinfo``, ``connect``/``connect_ex`` and ``send``/``sendall`` are guarded by
    wrappers with their own signatures (not ``*args, **kwargs``, which cost every client's
    request): keywords where the original takes them, flags passed on, positional-only
    where the original is, answers unchanged; and a Twilio host is refused in every form."""
    with TwilioShortCodeMock() as mock:
        found = socket.getaddrinfo(host="localhost", port=80, type=socket.SOCK_STREAM)
        assert found and found[0][1] == socket.SOCK_STREAM
        with pytest.raises(Exception, match=r"api\.twilio\.com \(socket\.getaddrinfo\)"):
            socket.getaddrinfo(host="api.twilio.com", port=443)
        with socket.socket() as closed, socket.socket() as client:
            closed.bind(("127.0.0.1", 0))  # bound, never listening: connect_ex's errno
            assert client.connect_ex(closed.getsockname()) != 0
        with (
            socket.socket() as client,
            pytest.raises(Exception, match=r"API\.Twilio\.com\. \(socket\.connect_ex\)"),
        ):
            client.connect_ex(("API.Twilio.com.", 443))
        a, b = socket.socketpair()
        with a, b:
            assert a.send(b"GET / HTTP/1.1\r\n\r\n") == 18
            a.sendall(b"POST /x HTTP/1.1\r\n\r\n", 0)
            assert b.recv(100) == b"GET / HTTP/1.1\r\n\r\nPOST /x HTTP/1.1\r\n\r\n"
            with pytest.raises(TypeError):
                a.sendall(b"x", flags=0)  # as the original: no keywords
            for line in (b"get http://api.twilio.com/ HTTP/1.1\r\n\r\n",
                         b"\r\nGET https://api.twilio.com/ HTTP/1.1\r\n\r\n",
                         b"CONNECT api.twilio.com:443 HTTP/1.1\r\n\r\n"):  # fmt: skip
                with pytest.raises(Exception, match=r"api\.twilio\.com \(\w+ to the HTTP proxy"):
                    a.sendall(line)
        assert len(mock.refused) == 5
        mock.refused.clear()
    assert [call[0] for call in network_calls] == ["getaddrinfo", "connect_ex"]


def test_the_guard_hands_on_exactly_the_arguments_it_was_given(monkeypatch):
    """What lies under the guard (a shim or spy a suite put there first) is called with
    the caller's own arguments, never with defaults the guard filled in: a
    ``getaddrinfo`` taking only ``(host, port)``, a ``send`` spy seeing flags only when
    given."""
    seen = []

    def two_only(host, port):
        seen.append(("getaddrinfo", host, port))
        return []

    original_send = socket.socket.send

    def send_spy(sock, *args):
        seen.append(("send", *args))
        return original_send(sock, *args)

    monkeypatch.setattr(socket, "getaddrinfo", two_only)
    monkeypatch.setattr(socket.socket, "send", send_spy)
    with TwilioShortCodeMock():
        assert socket.getaddrinfo("example.org", 443) == []
        assert socket.getaddrinfo(host="example.org", port=80) == []
        a, b = socket.socketpair()
        with a, b:
            assert a.send(b"GET / HTTP/1.1\r\n\r\n") == 18
            assert a.send(b"x", 0) == 1
    assert seen == [
        ("getaddrinfo", "example.org", 443),
        ("getaddrinfo", "example.org", 80),
        ("send", b"GET / HTTP/1.1\r\n\r\n"),
        ("send", b"x", 0),
    ]


@pytest.mark.parametrize(
    "line",
    [
        b"MKCOL http://api.twilio.com/x HTTP/1.1\r\n\r\n",  # an extension method
        b"move http://api.twilio.com/x HTTP/1.1\r\n\r\n",
        b"LOCK https://messaging.twilio.com/v1 HTTP/1.1\r\n\r\n",
        b" GET http://api.twilio.com/ HTTP/1.1\r\n\r\n",  # white space before the line
        b"\tCONNECT api.twilio.com:443 HTTP/1.1\r\n\r\n",
    ],
    ids=["MKCOL", "lower-case move", "LOCK", "a leading space", "a leading tab"],
)
def test_any_method_and_leading_white_space_are_read(line):
    """A request line for a proxy is read whatever method it carries and whatever white
    space a server would skip before it (the first-byte filter once let these through)."""
    with TwilioShortCodeMock() as mock:
        a, b = socket.socketpair()
        with a, b:
            for send in (a.send, a.sendall):
                with pytest.raises(Exception, match=r"twilio\.com \(\w+ to the HTTP proxy"):
                    send(line)
        assert len(mock.refused) == 2
        mock.refused.clear()
