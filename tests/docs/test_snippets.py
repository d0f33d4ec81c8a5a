"""Every Python code block of the README and of the documentation site runs, so none rots.

How a block runs (say it in CONTRIBUTING.md if this changes):

- A block fenced ```` ```python ```` is written to a test file and run by pytest (in-process,
  with this plugin and the real twilio SDK, under the suite's network guard), in a directory
  of its own with pytest-asyncio's loop scope set, as the docs tell users to set it.
- A block that defines ``test_*`` functions is that test file: every test in it must pass,
  and there must be at least one.
- Any other block is the body of one test that has the ``twilio_shortcodes`` fixture, so a
  fragment may use the fixture's mock by that name and nothing else it does not define.
- A block deliberately not run is fenced ```` ```python ```` too, with the line
  ``<!-- snippet: not run: REASON -->`` just above it. Keep these few.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import pytest_twilio_shortcodes

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n", re.M)
NOT_RUN = re.compile(r"<!-- snippet: not run: (?P<reason>\S[^\n]*?) -->\s*$")
MOST_NOT_RUN = 3  # deliberately not runnable blocks, in all the pages


@dataclass(frozen=True)
class Snippet:
    page: Path
    line: int  # of the opening fence, 1-based
    info: str
    code: str
    not_run: str | None  # the reason, when the block is marked as not run

    @property
    def name(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page.name
        return f"{page}:{self.line}"


def snippets(page: Path) -> list[Snippet]:
    """Every fenced code block of a Markdown page, in order (indented fences included)."""
    text = page.read_text(encoding="utf-8")
    found: list[Snippet] = []
    at = 0
    while (opening := FENCE.search(text, at)) is not None:
        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(rf"^[ ]*{re.escape(fence[0])}{{{len(fence)},}}[ ]*$", re.M)
        end = closing.search(text, opening.end())
        body_end = end.start() if end else len(text)
        body = text[opening.end() : body_end]
        code = "\n".join(
            line[len(indent) :] if line.startswith(indent) else line.lstrip()
            for line in body.splitlines()
        )
        before = text[: opening.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = NOT_RUN.search(before)
        found.append(
            Snippet(
                page=page,
                line=text.count("\n", 0, opening.start()) + 1,
                info=opening["info"].strip(),
                code=code + "\n",
                not_run=mark["reason"] if mark else None,
            )
        )
        at = end.end() if end else len(text)
    return found


def python_snippets() -> list[Snippet]:
    return [s for page in PAGES for s in snippets(page) if s.info.split(" ")[0] == "python"]


def as_test_module(snippet: Snippet) -> tuple[str, int]:
    """The test file a block becomes, and how many tests it holds."""
    tree = ast.parse(snippet.code, filename=snippet.name)
    tests = [
        node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test")
    ]
    if tests:
        return snippet.code, len(tests)
    body = textwrap.indent(snippet.code, "    ")
    return f"def test_snippet(twilio_shortcodes):\n{body}    pass\n", 1


RUN = [s for s in python_snippets() if s.not_run is None]


@pytest.fixture(scope="module", autouse=True)
def _the_plugin_imported_outside_the_inner_runs() -> None:
    """An in-process pytester run forgets the modules first imported inside it, while the
    seams the plugin patched into them stay in: load the plugin's modules and the clients it
    patches here, once, as a user's process has them loaded for its whole run."""
    for client in ("aiohttp", "httpx", "requests", "twilio.http.async_http_client", "flask"):
        importlib.import_module(client)
    package = pytest_twilio_shortcodes
    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def test_the_pages_hold_python_snippets_and_few_are_not_run():
    assert len(PAGES) > 10 and RUN  # the collector reads the pages it should
    not_run = [s for s in python_snippets() if s.not_run is not None]
    assert len(not_run) <= MOST_NOT_RUN, [s.name for s in not_run]


@pytest.mark.parametrize("snippet", RUN, ids=[s.name for s in RUN])
def test_the_snippet_runs(pytester: pytest.Pytester, snippet: Snippet) -> None:
    source, tests = as_test_module(snippet)
    stem = re.sub(r"\W", "_", snippet.name.removesuffix(".md").replace(".md:", "_"))
    pytester.makepyfile(**{f"test_{stem}": source})
    result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == tests, result.stdout.str()
    assert set(outcomes) <= {"passed", "warnings", "warning"}, result.stdout.str()


def test_the_collector_finds_fences_and_marks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# A page\n\n```python\nx = 1\n```\n\n"
        "- an item:\n\n  ```python\n  def test_it():\n      assert True\n  ```\n\n"
        "<!-- snippet: not run: needs a phone -->\n````python\nring()\n````\n\n"
        "```bash\nls\n```\n",
        encoding="utf-8",
    )
    found = snippets(page)
    assert [(s.line, s.info, s.not_run) for s in found] == [
        (3, "python", None),
        (9, "python", None),
        (15, "python", "needs a phone"),
        (19, "bash", None),
    ]
    assert found[1].code == "def test_it():\n    assert True\n"
    assert as_test_module(found[0]) == (
        "def test_snippet(twilio_shortcodes):\n    x = 1\n    pass\n",
        1,
    )
    assert as_test_module(found[1])[1] == 1
