"""reports/real-builds/index.html: the builds down the side, oldest first, the causes across the top.

Read from the lanes' JUnit XML, which `python -m e2e.gate.builds` writes (one per lane). Each cell says what
the tests filed under that cause did on that build:

- `caught`: they failed with the cause's evidence (a known bug of the build, or found by its evidence on a
  build with no expectations file);
- `gap`: they failed as a plan feature the build lacks;
- `harness-gap`, `unexplained`: failures the suite could not find its way through, or that show no known
  cause;
- `passed`: the tests that catch the cause on another build pass here (the bug is not there);
- `other cause`: those tests failed here first on another cause, so they cannot tell this one;
- `not driven`: those tests were skipped here, naming why.

A failing cell shows the screenshot of its first test and links that test's artifacts (screenshot, logs,
trace when kept), so a maintainer sees which commit brought a bug in and which one fixed it.
"""

from __future__ import annotations

import html
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from e2e.apps.expectations import BUG_EVIDENCE, PLAN_FEATURES, UNEXPLAINED, classify
from e2e.pages.real_qcut.wayfinding import HARNESS_GAP

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = "test-failed-1.png"  # pytest-playwright's name for a failing test's screenshot
XFAIL = "pytest.xfail"
NOT_DRIVEN = "not driven"
OTHER_CAUSE = "other cause"


@dataclass(frozen=True)
class Case:
    """One test on one lane: its outcome and, for a failure, what it is filed under."""

    test: str  # file.py::name[params]
    outcome: str  # passed, skipped, expected (an xfail: known bug or gap), failed
    kind: str = ""  # bug, gap, harness-gap, unexplained
    cause: str = ""
    evidence: str = ""
    artifacts: Path | None = None


@dataclass(frozen=True)
class Lane:
    app: str  # qcut:7e2231ef+desktop
    label: str  # the build as the run recorded it: commit, date, subject, source
    cases: tuple[Case, ...]

    def filed_under(self, cause: str) -> list[Case]:
        return [case for case in self.cases if case.cause == cause]


def read_lane(junit: Path, root: Path = ROOT) -> Lane:
    """A lane from its JUnit XML: run properties `app` and `app_build`, then every test case."""
    tree = ET.parse(junit)
    suite = tree.getroot().find("testsuite")
    properties = {} if suite is None else _properties(suite)
    app = properties.get("app", junit.stem)
    cases = tuple(_case(case, root) for case in tree.iter("testcase"))
    return Lane(app, properties.get("app_build", app), cases)


def _properties(element: ET.Element) -> dict[str, str]:
    found = element.find("properties")
    return {} if found is None else {p.get("name", ""): p.get("value", "") for p in found.iter("property")}


def _case(case: ET.Element, root: Path) -> Case:
    test = f"{case.get('classname', '').rsplit('.', 1)[-1]}.py::{case.get('name')}"
    artifacts = _properties(case).get("artifacts")
    folder = root / artifacts if artifacts else None
    failure = case.find("failure")
    failure = failure if failure is not None else case.find("error")
    skipped = case.find("skipped")
    if failure is not None:
        text = f"{failure.get('message', '')}\n{failure.text or ''}"
        kind, cause = classify(text)
        return Case(test, "failed", kind, cause, _first_line(failure.get("message", "")), folder)
    if skipped is not None and skipped.get("type") == XFAIL:
        # "known bug of this build: storage-rollback (...); evidence: <line>", or "known gap ..." likewise.
        message = skipped.get("message", "")
        head, _, rest = message.partition(" of this build: ")
        kind = "bug" if head.endswith("bug") else "gap"
        return Case(test, "expected", kind, rest.split(" ", 1)[0], rest.partition("; evidence: ")[2], folder)
    if skipped is not None:
        return Case(test, "skipped", evidence=skipped.get("message", ""))
    return Case(test, "passed")


def _first_line(text: str) -> str:
    return " ".join((text.splitlines() or [""])[0].split())[:300]


# --- the cells -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    state: str  # caught, gap, harness-gap, unexplained, passed, other cause, not driven, "" (nothing ran)
    count: int = 0
    first: Case | None = None  # the first failing test, for its screenshot and evidence
    unlisted: bool = False  # a failure the build's expectations did not list (or no file)


def columns(lanes: Iterable[Lane]) -> list[str]:
    """The causes any lane showed, known bugs first, then plan gaps, then the suite's own outcomes."""
    seen = {case.cause for lane in lanes for case in lane.cases if case.cause}
    order = [*BUG_EVIDENCE, *PLAN_FEATURES, HARNESS_GAP, UNEXPLAINED]
    return [cause for cause in order if cause in seen]


def cell(lane: Lane, cause: str, guards: set[str]) -> Cell:
    """What `lane` shows for `cause`; `guards` are the tests filed under it on any lane."""
    failing = lane.filed_under(cause)
    if failing:
        kind = failing[0].kind
        state = "caught" if kind == "bug" else kind
        unlisted = any(case.outcome == "failed" for case in failing)
        return Cell(state, len(failing), failing[0], unlisted)
    if cause in (HARNESS_GAP, UNEXPLAINED):
        return Cell("")
    here = [case for case in lane.cases if case.test in guards]
    passed = sum(case.outcome == "passed" for case in here)
    if passed:
        return Cell("passed", passed)
    ran = [case for case in here if case.outcome != "skipped"]
    if ran:  # they failed first on another cause (COEP before the remote URL, a gap before the rollback)
        return Cell(OTHER_CAUSE, len(ran))
    return Cell(NOT_DRIVEN, len(here)) if here else Cell("")


def guards_of(lanes: Iterable[Lane]) -> dict[str, set[str]]:
    guards: dict[str, set[str]] = {}
    for lane in lanes:
        for case in lane.cases:
            if case.cause:
                guards.setdefault(case.cause, set()).add(case.test)
    return guards


# --- the page ------------------------------------------------------------------------------------------

STYLE = """
body { font: 14px system-ui, sans-serif; margin: 1.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 6px; vertical-align: top; text-align: left; }
th[scope=row] { max-width: 22em; font-weight: normal; }
td[data-state=caught] { background: #fde2e1; }
td[data-state=gap] { background: #fff4d6; }
td[data-state=harness-gap], td[data-state=unexplained] { background: #e6e0f8; }
td[data-state=passed] { background: #e3f4e1; }
td[data-state="not driven"], td[data-state="other cause"] { color: #777; }
img { display: block; width: 160px; margin-top: 4px; border: 1px solid #999; }
.unlisted { font-weight: bold; }
"""


def render(lanes: list[Lane], page: Path) -> str:
    """The matrix as one HTML page, its links relative to `page` (written beside the lanes' reports)."""
    causes = columns(lanes)
    guards = guards_of(lanes)
    header = "".join(
        f'<th scope="col" title="{html.escape(_about(cause))}">{html.escape(cause)}</th>' for cause in causes
    )
    rows = "\n".join(
        f'<tr><th scope="row"><b>{html.escape(lane.app)}</b><br>{html.escape(lane.label)}</th>'
        + "".join(_cell_html(cell(lane, cause, guards.get(cause, set())), page) for cause in causes)
        + "</tr>"
        for lane in lanes
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Real QCut builds: what the gate found</title>
<style>{STYLE}</style></head>
<body>
<h1>Real QCut builds: what the gate found</h1>
<p>Builds down the side, oldest first; causes across the top. A cell: <b>caught</b> (the tests failed with
the cause's evidence), <b>gap</b> (a plan feature the build lacks), <b>harness-gap</b> (the suite could not
find its way), <b>unexplained</b>, <b>passed</b> (the tests that catch it elsewhere pass here),
<b>other cause</b> (they failed here first on another cause) or <b>not driven</b> (skipped here).
<span class="unlisted">Bold</span> counts are failures the build's expectations file does not list.
Screenshots link each test's artifacts.</p>
<table>
<caption>python -m e2e.gate.builds, {len(lanes)} lane(s)</caption>
<thead><tr><th scope="col">build</th>{header}</tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""


def _about(cause: str) -> str:
    if cause in BUG_EVIDENCE:
        return BUG_EVIDENCE[cause][0]
    if cause in PLAN_FEATURES:
        return f"lacks {PLAN_FEATURES[cause][0]}"
    return {HARNESS_GAP: "the suite could not find its way", UNEXPLAINED: "no known cause's evidence"}[cause]


def _cell_html(found: Cell, page: Path) -> str:
    if not found.state:
        return '<td data-state=""></td>'
    count = f'<span class="unlisted">{found.count}</span>' if found.unlisted else str(found.count)
    body = f"{html.escape(found.state)} {count}"
    first = found.first
    if first is not None:
        title = f"{first.test}: {first.evidence}"
        body = f'<span title="{html.escape(title)}">{body}</span>'
        if first.artifacts is not None and first.artifacts.is_dir():
            folder = _relative(first.artifacts, page)
            body += f'<a href="{html.escape(folder)}/" title="{html.escape(first.test)}">'
            if (first.artifacts / SCREENSHOT).is_file():
                alt = f"screenshot of {first.test}"
                body += f'<img src="{html.escape(folder)}/{SCREENSHOT}" alt="{html.escape(alt)}">'
            body += "evidence</a>"
    return f'<td data-state="{html.escape(found.state)}">{body}</td>'


def _relative(path: Path, page: Path) -> str:
    return Path(os.path.relpath(path, page.parent)).as_posix()


def write_index(junits: list[Path], page: Path, root: Path = ROOT) -> Path:
    """Read the lanes (in the order given: oldest build first) and write the matrix to `page`."""
    lanes = [read_lane(junit, root) for junit in junits if junit.is_file()]
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(render(lanes, page), encoding="utf-8")
    return page
