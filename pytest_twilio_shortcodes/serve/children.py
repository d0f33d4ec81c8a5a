"""What a Python child process needs, beyond the proxy variables, to be served by the mock
whatever client it uses: the bootstrap directory first on its ``PYTHONPATH`` (Python runs
its ``sitecustomize`` at start-up, as coverage.py is started in subprocesses), and the
proxy it must send Twilio requests through. See ``bootstrap/``."""

from __future__ import annotations

import os
from pathlib import Path

BOOTSTRAP = str(Path(__file__).resolve().parent / "bootstrap")


def python_env(proxy_url: str) -> dict[str, str]:
    """``PYTHONPATH`` (the bootstrap, then this process's own entries) and the proxy."""
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {
        "PYTHONPATH": os.pathsep.join([BOOTSTRAP, *(p for p in inherited if p != BOOTSTRAP)]),
        "TWILIO_SHORTCODES_PROXY": proxy_url,
    }
