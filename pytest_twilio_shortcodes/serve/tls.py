"""The server side of TLS inside a proxy tunnel, over ``ssl.MemoryBIO``.

The proxy terminates TLS itself for the Twilio hosts a client ``CONNECT``s to. It goes
through an ``ssl.SSLObject`` rather than an ``SSLSocket`` so that it starts from the bytes
already read past the ``CONNECT`` (a client may send its handshake, or more, in the same
packet as the ``CONNECT``): an ``SSLSocket`` would only see what is left in the kernel, and
wait for the rest for ever. ``relay`` copies bytes both ways through a tunnel the proxy
does not terminate.
"""

from __future__ import annotations

import selectors
import socket
import ssl
from typing import Any, Callable


class PlainStream:
    """A connected socket as the proxy reads and writes it (the same calls as ``TLSStream``)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def recv(self, size: int) -> bytes:
        return self.sock.recv(size)

    def sendall(self, data: bytes) -> None:
        self.sock.sendall(data)


class TLSStream:
    """TLS, server side, over a client's socket; ``pending``: bytes already read from it."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, pending: bytes) -> None:
        self.sock = sock
        self._incoming, self._outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self._incoming.write(pending)

    def _run(self, operation: Callable[..., Any], *args: Any) -> Any:
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self._flush()
                data = self.sock.recv(65536)
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()  # the next try raises SSLEOFError
            else:
                self._flush()
                return result

    def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self.sock.sendall(data)

    def handshake(self) -> None:
        """Complete the handshake (``ssl.SSLError`` if the client refuses the certificate)."""
        self._run(self._tls.do_handshake)

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes of plaintext; ``b""`` once the client has closed."""
        try:
            data: bytes = self._run(self._tls.read, size)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            return b""
        return data

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written: int = self._run(self._tls.write, view)
            view = view[written:]


def relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes between two sockets until either side closes."""
    other = {client: upstream, upstream: client}
    with selectors.DefaultSelector() as selector:
        selector.register(client, selectors.EVENT_READ)
        selector.register(upstream, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                try:
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    other[key.fileobj].sendall(data)  # type: ignore[index]
                except OSError:
                    return
