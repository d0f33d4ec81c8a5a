"""What ships: the sdist and the wheel carry the LICENSE, and the schemas ship inside the
wheel: a wheel installed (not editable) in a fresh virtualenv finds them and validates a
payload."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_sdist_and_wheel_carry_the_license_and_the_wheel_the_schemas(tmp_path):
    dist = tmp_path / "dist"
    # The sdist first, then the wheel built from it: the sdist holds what a wheel needs.
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (sdist,) = dist.glob("pytest_twilio_shortcodes-*.tar.gz")
    (wheel,) = dist.glob("pytest_twilio_shortcodes-*.whl")
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License")
    with tarfile.open(sdist) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.endswith("/LICENSE")]
        assert archive.extractfile(member).read().decode() == license_text
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(name).decode() == license_text
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        fields = archive.read(metadata).decode()
    assert "License-Expression: MIT" in fields
    assert "License-File: LICENSE" in fields
    assert "Requires-Python: >=3.10" in fields
    assert "Project-URL: Source, https://github.com/" in fields
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
