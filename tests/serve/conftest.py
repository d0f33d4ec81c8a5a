"""What the serve tests share: the ``twilio`` npm package for Node children."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """``node_modules`` holding the twilio npm package (installed once, then cached)."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.skip("node and npm are not installed: the twilio-node child cannot run")
    import fcntl

    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = Path(
        os.environ.get("PYTEST_TWILIO_NODE_CACHE") or default / "pytest-twilio-shortcodes" / "npm"
    )
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:  # xdist workers install it once between them
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (cache / "node_modules" / "twilio" / "package.json").exists():
            subprocess.run(
                [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", "twilio"],
                check=True,
                capture_output=True,
                timeout=600,
            )
    return cache / "node_modules"
