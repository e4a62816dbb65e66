"""The manual holds: every relative link in the README and docs/ leads somewhere, and every `python -m` module
and `make` target they name exists. Plain file checks: no browser."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *ROOT.glob("CONTRIBUTING.md")],
    key=lambda page: page.name,
)
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCED = re.compile(r"```.*?```", re.DOTALL)
INLINE = re.compile(r"`[^`\n]+`")
MODULE = re.compile(r"python -m ([A-Za-z_][\w.]*)")
TARGET = re.compile(r"(?:^|[\s`;(])make ([a-z][a-z0-9-]*)")
MAKE_TARGET = re.compile(r"^([a-z][a-z0-9-]*):", re.MULTILINE)


def slug(heading: str) -> str:
    """A heading's anchor as GitHub renders it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCED.sub("", page.read_text(encoding="utf-8"))
    return {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def code(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return "\n".join([*FENCED.findall(text), *INLINE.findall(FENCED.sub("", text))])


def ids(pages: list[Path]) -> list[str]:
    return [str(page.relative_to(ROOT)) for page in pages]


@pytest.mark.parametrize("doc", PAGES, ids=ids(PAGES))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(doc: Path) -> None:
    broken = []
    for target in LINK.findall(FENCED.sub("", doc.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # an absolute URL: not this repository's to keep
        path, _, anchor = target.partition("#")
        linked = (doc.parent / path).resolve() if path else doc
        if not linked.exists():
            broken.append(f"{target} (no file {linked})")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target} (no heading #{anchor} in {linked.name})")
    assert not broken, f"{doc.name} links to what is not there: {broken}"


@pytest.mark.parametrize("doc", PAGES, ids=ids(PAGES))
def test_every_command_named_exists(doc: Path) -> None:
    targets = set(MAKE_TARGET.findall((ROOT / "Makefile").read_text(encoding="utf-8")))
    text = code(doc)
    missing = [f"python -m {name}" for name in MODULE.findall(text) if not _importable(name)]
    missing += [f"make {name}" for name in TARGET.findall(text) if name not in targets]
    assert not missing, f"{doc.name} names commands that do not exist: {sorted(set(missing))}"


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def test_the_checks_see_a_broken_link_and_a_missing_command(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("[gone](nowhere.md) and `python -m no_such_module` and `make no-such-target`")

    assert "nowhere.md" in LINK.findall(page.read_text())
    assert MODULE.findall(code(page)) == ["no_such_module"]
    assert not _importable("no_such_module")
    assert TARGET.findall(code(page)) == ["no-such-target"]
    assert slug("pytest-playwright's `options`") == "pytest-playwrights-options"
