"""``python -m pytest_twilio_shortcodes serve``: the in-memory Twilio for other processes,
outside pytest. Prints the environment lines a client needs, then the ready line (one
JSON object: url, ca, env, seeded), then serves until interrupted (Ctrl-C or SIGTERM).
Errors are one ``error:`` line and exit status 2."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shlex
import signal
import sys
import threading
from pathlib import Path
from typing import Any, Optional


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pytest_twilio_shortcodes",
        description="An in-memory Twilio for the ShortCode APIs.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve it to other processes through an HTTPS proxy on 127.0.0.1",
        description="Serve an in-memory Twilio through an HTTPS proxy on 127.0.0.1. Prints "
        "KEY=value lines (the proxy, the CA bundle, the credentials) for the client's "
        "environment, then one line of JSON (url, ca, env, seeded: the SIDs of what the seed "
        "made) once it accepts connections, then serves until interrupted.",
    )
    serve.add_argument("--port", type=int, default=0, help="the proxy's port (default: a free one)")
    serve.add_argument("--seed", type=Path, help="a JSON file of short codes and services")
    serve.add_argument("--account-sid", help="the account SID (default: a new one)")
    serve.add_argument("--auth-token", help="the auth token (default: a new one)")
    args = parser.parse_args(argv)

    missing = _missing_extra()
    if missing:
        return _error(
            f"serving needs the [serve] extra ({missing} is not installed): "
            "pip install 'pytest-twilio-shortcodes[serve]'"
        )
    from .mock import TwilioShortCodeMock
    from .serve.seed import SeedError, apply_seed, load_seed

    seeded: dict[str, Any] = {
        "short_codes": {},
        "phone_numbers": {},
        "messaging_services": {},
        "proxy_services": {},
    }
    try:
        mock = TwilioShortCodeMock(account_sid=args.account_sid, auth_token=args.auth_token)
        if args.seed is not None:
            seeded = apply_seed(mock, load_seed(args.seed), str(args.seed))
    except (SeedError, ValueError) as error:
        return _error(str(error))
    with mock:
        try:
            proxy = mock.serve(args.port)
        except (OSError, OverflowError) as error:  # a busy port, or none such
            errno = getattr(error, "errno", None)
            reason = os.strerror(errno) if errno else error
            return _error(f"cannot listen on 127.0.0.1:{args.port}: {reason}")
        stop = _stop_on_a_signal()  # before the ready line: a signal right after it counts
        for name, value in proxy.env.items():
            print(f"{name}={shlex.quote(value)}")
        ready = {"url": proxy.url, "ca": proxy.ca_file, "env": proxy.env, "seeded": seeded}
        print(json.dumps(ready), flush=True)  # the ready line: the last of the start
        print(f"serving Twilio through {proxy.url}; Ctrl-C stops", file=sys.stderr, flush=True)
        while not stop.wait(1):
            pass
    report = mock.teardown_report()
    if report:
        print(report, file=sys.stderr)
    return 0


def _missing_extra() -> Optional[str]:
    """The first package of the ``[serve]`` extra that cannot be imported, if any."""
    for name in ("trustme", "h11"):
        try:
            importlib.import_module(name)
        except ImportError:
            return name
    return None


def _error(message: str) -> int:
    """One ``error:`` line on standard error; the exit status of a command that failed."""
    print("error: " + " ".join(message.splitlines()), file=sys.stderr)
    return 2


def _stop_on_a_signal() -> threading.Event:
    """An event set by SIGINT or SIGTERM."""
    stop = threading.Event()

    def stop_serving(signum: int, frame: Any) -> None:
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop_serving)
    return stop


if __name__ == "__main__":
    sys.exit(main())
