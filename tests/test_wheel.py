"""The schemas ship inside the wheel: a wheel installed (not editable) in a fresh
virtualenv finds them and validates a payload."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_carries_the_schemas(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("pytest_twilio_shortcodes-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    # The dependencies (jsonschema, ...) come from this interpreter's site-packages, behind
    # the new environment's own, so the package itself is the wheel's copy.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = textwrap.dedent(
        """
        import pytest_twilio_shortcodes as pts
        from pytest_twilio_shortcodes import schemas
        print(pts.__file__)
        print(schemas._schema_dir())
        pts.validate({"code": 20404, "message": "m", "status": 404,
                      "more_info": "https://www.twilio.com/docs/errors/20404"}, "twilio.error")
        try:
            pts.validate({"code": "x"}, "twilio.error")
        except pts.SchemaValidationError as e:
            print(len(e.errors))
        """
    )
    out = subprocess.run(
        [str(python), "-c", script], check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout.split()
    assert out[0].startswith(site)
    assert out[1] == str(Path(site) / "pytest_twilio_shortcodes" / "schemas")
    assert int(out[2]) >= 3
