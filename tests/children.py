"""Child processes for the serve tests: they reach the mock through its proxy only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from socketserver import ThreadingTCPServer
from typing import Any

TIMEOUT = 120


def child_env(served: Any, **extra: str) -> dict[str, str]:
    """What a test hands a child: its own environment plus the proxy's."""
    return {**os.environ, **served.env, **extra}


def run(args: list[str], env: Mapping[str, str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if check and done.returncode != 0:
        raise AssertionError(f"{args[0]} exited {done.returncode}:\n{done.stderr}")
    return done


def python(script: str, *args: str, env: Mapping[str, str]) -> Any:
    """Run a Python child and return the JSON it prints."""
    return json.loads(run([sys.executable, "-c", script, *args], env).stdout)


def curl(*args: str, env: Mapping[str, str]) -> tuple[int, str, str]:
    """(status, content type, body) of one request made by a ``curl`` child."""
    done = run(["curl", "-sS", "-w", "\n%{http_code} %{content_type}", *args], env)
    body, _, tail = done.stdout.rpartition("\n")
    status, _, content_type = tail.partition(" ")
    return int(status), content_type, body


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        body = f"loopback says hello to {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def loopback_site() -> Iterator[tuple[str, list[str]]]:
    """A plain HTTP server on 127.0.0.1, the only "other host" these tests ever reach:
    its base URL and the paths it was asked for."""
    server = ThreadingTCPServer(("127.0.0.1", 0), _Recorder)
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.seen  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
