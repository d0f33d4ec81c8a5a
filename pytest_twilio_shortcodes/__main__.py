"""``python -m pytest_twilio_shortcodes serve``: the in-memory Twilio for other processes,
outside pytest. Prints the environment lines a client needs, then serves until
interrupted (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import argparse
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
        "environment, then serves until interrupted.",
    )
    serve.add_argument("--port", type=int, default=0, help="the proxy's port (default: a free one)")
    serve.add_argument("--seed", type=Path, help="a JSON file of short codes and services")
    serve.add_argument("--account-sid", help="the account SID (default: a new one)")
    serve.add_argument("--auth-token", help="the auth token (default: a new one)")
    args = parser.parse_args(argv)

    from .mock import TwilioShortCodeMock
    from .serve.seed import SeedError, apply_seed, load_seed

    try:
        mock = TwilioShortCodeMock(account_sid=args.account_sid, auth_token=args.auth_token)
        if args.seed is not None:
            apply_seed(mock, load_seed(args.seed), str(args.seed))
    except (SeedError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with mock:
        proxy = mock.serve(args.port)
        for name, value in proxy.env.items():
            print(f"{name}={shlex.quote(value)}")
        sys.stdout.flush()
        print(f"serving Twilio through {proxy.url}; Ctrl-C stops", file=sys.stderr, flush=True)
        _wait_for_a_signal()
    report = mock.teardown_report()
    if report:
        print(report, file=sys.stderr)
    return 0


def _wait_for_a_signal() -> None:
    stop = threading.Event()

    def stop_serving(signum: int, frame: Any) -> None:
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop_serving)
    while not stop.wait(1):
        pass


if __name__ == "__main__":
    sys.exit(main())
