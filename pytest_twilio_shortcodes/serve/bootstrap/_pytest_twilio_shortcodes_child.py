"""pytest-twilio-shortcodes in a child process started with ``serve()``'s environment:
its Twilio requests are answered by the mock through the proxy, or refused; never let out.

- ``requests`` (the twilio SDK's sync client), ``httpx``, ``urllib.request`` and curl-like
  clients read ``HTTPS_PROXY`` and the CA bundle themselves: they reach the proxy.
- ``aiohttp`` ignores ``HTTPS_PROXY`` unless ``trust_env=True`` (the SDK's
  ``AsyncTwilioHttpClient`` does not set it): a session's Twilio requests are given the
  proxy here (``ClientSession._request``), once aiohttp is imported.
- Every other way to a Twilio host (``http.client`` to the name, a raw socket, a client
  with ``trust_env`` off, a CONNECT to another proxy) is refused before any look-up,
  connection or write, with an error saying so.

Standard library only: the package may not be importable in the child. Twilio hosts are
judged by the package's own ``wire/hosts.py``, loaded from its file.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import socket
import sys
from typing import Any, Callable, Optional
from urllib.parse import urlsplit


class TwilioHostRefused(ConnectionRefusedError):
    """A connection to a Twilio host that went around the mock's proxy."""


def _load_hosts() -> Any:
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, os.pardir, os.pardir, "wire", "hosts.py")
    spec = importlib.util.spec_from_file_location("_pytest_twilio_shortcodes_hosts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def install(proxy_url: str) -> None:
    hosts = _load_hosts()
    parts = urlsplit(proxy_url)
    own = (parts.hostname or "127.0.0.1", parts.port or 80)

    def refuse(host: Any, how: str) -> TwilioHostRefused:
        if isinstance(host, (bytes, bytearray)):
            host = bytes(host).decode("ascii", "replace")
        return TwilioHostRefused(
            f"pytest-twilio-shortcodes: refused a connection to {host} ({how}) in a process "
            f"started with the mock's proxy ({proxy_url}): Twilio requests must go through "
            "it (HTTPS_PROXY), where the mock answers them; this client went around it"
        )

    def at_the_name(original: Any, how: str, at: int) -> Any:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            target = args[at] if len(args) > at else kwargs.get("host")
            host = target[0] if isinstance(target, tuple) and target else target
            if hosts.is_twilio_host(host):
                raise refuse(host, how)
            return original(*args, **kwargs)

        return guarded

    def check(sock: Any, data: Any) -> None:
        found = hosts.proxied_twilio_host(data)
        if found is None:
            return
        try:
            peer = sock.getpeername()[:2]
        except OSError:
            peer = ("?", 0)
        if tuple(peer) != own:
            raise refuse(found[0], f"{found[1]} to the HTTP proxy {peer[0]}:{peer[1]}")

    def first(data: Any) -> Optional[int]:
        try:
            byte = data[0]
        except (TypeError, IndexError, KeyError):
            return None
        return byte if type(byte) is int else None

    def on_write(original: Any) -> Any:
        def guarded(sock: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
            if first(data) in hosts.INITIALS:
                check(sock, data)
            return original(sock, data, *args, **kwargs)

        return guarded

    def on_sendmsg(original: Any) -> Any:
        def guarded(sock: Any, buffers: Any, *args: Any, **kwargs: Any) -> Any:
            buffers = list(buffers)
            if buffers and first(buffers[0]) in hosts.INITIALS:
                check(sock, b"".join(bytes(part[: hosts.HEAD]) for part in buffers[:8]))
            return original(sock, buffers, *args, **kwargs)

        return guarded

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, at_the_name(getattr(socket, name), f"socket.{name}", 0))
    for name in ("connect", "connect_ex"):
        original = getattr(socket.socket, name)
        setattr(socket.socket, name, at_the_name(original, f"socket.{name}", 1))
    for name in ("send", "sendall"):
        setattr(socket.socket, name, on_write(getattr(socket.socket, name)))
    if hasattr(socket.socket, "sendmsg"):
        socket.socket.sendmsg = on_sendmsg(socket.socket.sendmsg)  # type: ignore[method-assign]

    def through_the_proxy() -> None:
        from aiohttp import client

        request = client.ClientSession._request

        async def _request(self: Any, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
            if kwargs.get("proxy") is None and hosts.TWILIO_URL.match(str(url)):
                kwargs["proxy"] = proxy_url
            return await request(self, method, url, *args, **kwargs)

        client.ClientSession._request = _request  # type: ignore[method-assign]

    def resolver_guarded() -> None:
        import aiodns

        for name in ("query", "query_dns", "getaddrinfo", "gethostbyname"):
            if hasattr(aiodns.DNSResolver, name):
                original = getattr(aiodns.DNSResolver, name)
                guarded = at_the_name(original, f"aiodns.DNSResolver.{name}", 1)
                setattr(aiodns.DNSResolver, name, guarded)

    _when_imported("aiohttp", through_the_proxy)
    _when_imported("aiodns", resolver_guarded)  # aiohttp's resolver, if installed


def _when_imported(name: str, callback: Callable[[], None]) -> None:
    """``callback()`` right after ``name`` is first imported (now, if it is)."""
    if name in sys.modules:
        callback()
        return

    class AfterImport(importlib.abc.MetaPathFinder):
        looking = False

        def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
            if fullname != name or self.looking:
                return None
            self.looking = True
            try:
                spec = importlib.util.find_spec(fullname)
            finally:
                self.looking = False
            loader = getattr(spec, "loader", None)
            if loader is None or not hasattr(loader, "exec_module"):
                return None
            exec_module = loader.exec_module

            def exec_then_call(module: Any) -> None:
                exec_module(module)
                vars(loader).pop("exec_module", None)
                if hook in sys.meta_path:
                    sys.meta_path.remove(hook)
                callback()

            loader.exec_module = exec_then_call
            return spec

    hook = AfterImport()
    sys.meta_path.insert(0, hook)
