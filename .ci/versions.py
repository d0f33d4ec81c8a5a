"""What CI's version runs need, read from pyproject.toml.

    python .ci/versions.py pythons   # the oldest and newest Python the package declares
    python .ci/versions.py floors    # pins of the lowest declared dependency versions

The Pythons come from the ``Programming Language :: Python :: 3.X`` classifiers, which
must start at the ``requires-python`` floor. The floors are every dependency's ``>=``
bound, and the twilio SDK's from the test extra (the application's SDK: the lowest the
mock is tested with). A dependency without a floor is an error: it could not be tested.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest brings tomli
    import tomli as tomllib

PROJECT = tomllib.loads(
    Path(__file__).resolve().parent.parent.joinpath("pyproject.toml").read_text()
)["project"]


def pythons() -> str:
    declared = sorted(
        tuple(int(part) for part in c.rsplit(" ", 1)[1].split("."))
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    floor = re.fullmatch(r">=\s*(\d+)\.(\d+)", PROJECT["requires-python"])
    if not declared or floor is None or declared[0] != (int(floor[1]), int(floor[2])):
        sys.exit(
            f"the Python classifiers {declared} must start at requires-python "
            f"{PROJECT['requires-python']!r}"
        )
    return " ".join(f"{major}.{minor}" for major, minor in (declared[0], declared[-1]))


def floors() -> str:
    wanted = list(PROJECT["dependencies"])
    wanted += [r for r in PROJECT["optional-dependencies"]["test"] if r.startswith("twilio")]
    pins = []
    for requirement in wanted:
        spec, _, marker = requirement.partition(";")
        found = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([0-9][0-9.]*)\s*(,.*)?", spec)
        if found is None:
            sys.exit(f"{requirement!r} declares no lowest version (>=): CI cannot test its floor")
        pins.append(f"{found[1]}=={found[2]}" + (f";{marker}" if marker else ""))
    return "\n".join(pins)


if __name__ == "__main__":
    print({"pythons": pythons, "floors": floors}[sys.argv[1]]())
