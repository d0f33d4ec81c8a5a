"""The README is the PyPI page: short, absolute links only, the short-code essentials on its
first screen, and the fresh-clone commands that CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
DOCS = "https://pytest-twilio-shortcodes.readthedocs.io/en/latest/"


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 250


def test_every_link_is_absolute_as_pypi_needs():
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    assert targets
    assert [t for t in targets if not t.startswith("https://")] == []


def slug(heading: str) -> str:
    """The anchor MkDocs' toc extension gives a heading."""
    text = re.sub(r"[^\w\s-]", "", heading.replace("`", "")).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def test_documentation_links_name_pages_and_headings_the_site_has():
    anchors = {}
    for page in (ROOT / "docs").rglob("*.md"):
        name = str(page.relative_to(ROOT / "docs").with_suffix("")).removesuffix("index")
        headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)
        anchors[name] = {slug(h) for h in headings}
    linked = re.findall(re.escape(DOCS) + r"([a-z/-]*?)/?(?:#([a-z-]+))?\)", README)
    assert linked
    unknown = [
        f"{page}#{anchor}"
        for page, anchor in linked
        if page not in anchors or (anchor and anchor not in anchors[page])
    ]
    assert unknown == []


def test_sending_delivery_and_opt_out_are_on_the_first_screen():
    first_screen = "\n".join(README.splitlines()[:20])
    for words in ("sending", "delivery", "deliver_messages()", "opt-out", "receive_sms()"):
        assert words in first_screen


def test_ci_runs_exactly_the_two_fresh_clone_commands():
    section = README[README.index("## Working on the project") :]
    (commands,) = re.findall(r"```bash\n(.*?)```", section, re.S)
    runs = [
        run.rstrip()
        for run in re.findall(r"\.venv(?:-proxy)?/bin/python -m pytest([^&\n]*)", commands)
    ]
    assert runs == [" examples", " -n 4", " -m proxy"]
    in_ci = re.findall(r'^"\$WORK/(?:latest|proxy)/bin/python" -m pytest([^\n]*)$', CI, re.M)
    assert in_ci == [" -n 4", " examples", " -m proxy"]  # the same runs, the main job second
    installs = re.findall(r"pip install -e ('[^']+'(?: '[^']+')?)", commands)
    assert installs == ["'.[test]'", "'.[test]'", "'.[test]' 'twilio==9.6.3'"]
    for install in ("'.[test]'", "'.[test]' 'twilio==9.6.3'"):
        assert f'pip" install -q -e {install}\n' in CI
