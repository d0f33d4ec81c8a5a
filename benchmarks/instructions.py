"""The new-page row of ``run.py`` counted in CPU instructions, which machine load does not move.

Each side runs in its own process under valgrind's callgrind, which counts only the timed
call (the SDK's ``page(page_size=50)``): a tiny C helper, compiled here with ``gcc``
against valgrind's ``callgrind.h``, turns the count on and off around it. The untimed work
between calls (reset, 50 new short codes in a new Messaging Service) is the same on both
sides, as in ``run.py``, and not counted. Hash seeds are fixed, so two runs agree to
about 0.1%.

    python benchmarks/instructions.py              # 20 pages a side (about a minute)
    python benchmarks/instructions.py --pages 50
    python benchmarks/instructions.py --same       # the same page again and again

Needs valgrind (with its headers) and gcc; ``perf stat`` is the quicker way where the
machine exposes hardware counters (this project's VM does not).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HELPER = r"""
#include <valgrind/callgrind.h>
void toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
"""


def helper(folder: Path) -> Path:
    source, library = folder / "toggle.c", folder / "libtoggle.so"
    source.write_text(HELPER)
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", library, source], check=True)
    return library


def side(name: str, pages: int, library: str, same: bool) -> None:
    """One side's pages, counted (run under callgrind by ``main``)."""
    import requests
    import responses
    from twilio.rest import Client

    from pytest_twilio_shortcodes import TwilioShortCodeMock

    toggle = ctypes.CDLL(library).toggle
    mock = TwilioShortCodeMock()
    client = Client(mock.account_sid, mock.auth_token)
    numbers = [str(20000 + i) for i in range(50)]

    def new_page() -> str:
        mock.reset()
        return mock.add_messaging_service("page", short_codes=numbers)

    service = new_page()
    url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
    with mock:  # the stub answers the mock's own bytes
        body = requests.get(url, params={"PageSize": 50}, auth=(mock.account_sid, mock.auth_token))

    def run() -> None:
        for n in range(10 + pages):  # ten untimed pages first, as warm-up
            target = service if same or name == "stub" else new_page()
            if name == "stub" and not same:
                new_page()  # the same untimed work between calls as the mock's side
            counted = n >= 10
            if counted:
                toggle()
            client.messaging.v1.services(target).short_codes.page(page_size=50)
            if counted:
                toggle()

    if name == "mock":
        with mock:
            run()
    else:
        with responses.RequestsMock() as stub:
            stub.add("GET", url, body=body.content, content_type="application/json")
            run()


def count(name: str, pages: int, library: Path, folder: Path, same: bool) -> float:
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no",
         f"--callgrind-out-file={folder / name}.out", sys.executable, __file__,
         "--side", name, "--pages", str(pages), "--library", str(library),
         *(["--same"] if same else [])],
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no count from callgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1)) / pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20, help="counted pages a side")
    parser.add_argument("--same", action="store_true", help="the same page again and again")
    parser.add_argument("--side", choices=("mock", "stub"), help=argparse.SUPPRESS)
    parser.add_argument("--library", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        side(args.side, args.pages, args.library, args.same)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        library = helper(folder)
        mock, stub = (
            count(name, args.pages, library, folder, args.same) for name in ("mock", "stub")
        )
    what = "the same page again" if args.same else "each a body not seen before"
    print(
        f"a page of 50, {what}: {mock / 1e6:.3f} M instructions vs "
        f"{stub / 1e6:.3f} M a page, ratio {mock / stub:.3f} ({args.pages} pages a side)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
