"""The build gate's one page (reports/real-builds/index.html), opened in Chromium and read as a maintainer
reads it: each cell against the lanes' JUnit XML it was written from."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from e2e.gate.matrix import write_index

OLD, DESKTOP, NEW = "qcut:7e2231ef", "qcut:7e2231ef+desktop", "qcut:53c8b4a6"
PREVIEW_TEST = "test_smoke.py::test_generated_video_is_listed_plays_and_survives_reload[chromium]"
GAP_TEST = "test_unsaved.py::test_unsaved_item_is_badged[chromium]"
HARNESS_TEST = "test_flow.py::test_fal_error_keeps_the_library[chromium]"
LABEL = "QCut {commit} ({date}, 'a subject') from archive qcut-{commit}.tar.gz"


def junit(app: str, date: str, cases: str) -> str:
    commit = app.removeprefix("qcut:").removesuffix("+desktop")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<properties><property name="app" value="{app}"/>
<property name="app_build" value="{LABEL.format(commit=commit, date=date)}"/></properties>
{cases}
</testsuite></testsuites>"""


def case(test: str, body: str = "", artifacts: str = "") -> str:
    module, name = test.split(".py::")
    props = f'<properties><property name="artifacts" value="{artifacts}"/></properties>' if artifacts else ""
    return f'<testcase classname="e2e.{module}" name="{name}">{props}{body}</testcase>'


def artifacts_folder(root: Path, name: str) -> str:
    """A failing test's artifacts as a lane leaves them: a screenshot and a log."""
    folder = root / "reports" / "runs" / "run-1" / name
    folder.mkdir(parents=True)
    Image.new("RGB", (320, 180), "red").save(folder / "test-failed-1.png")
    (folder / "console.log").write_text("[error] the preview failed\n")
    return str(folder.relative_to(root))


@pytest.fixture
def index(tmp_path: Path) -> Path:
    """Three lanes: the older build catches remote-preview and lacks the badge; with the desktop shell's
    headers the same test catches COEP first; the newer build passes it, is not driven on the badge, and
    has one harness gap (function scope)."""
    caught = artifacts_folder(tmp_path, "preview")
    lost = artifacts_folder(tmp_path, "lost")
    old = tmp_path / "old.xml"
    old.write_text(
        junit(
            OLD,
            "2025-11-18",
            case(
                PREVIEW_TEST,
                '<skipped type="pytest.xfail" message="known bug of this build: remote-preview (the preview '
                'plays the remote FAL URL); evidence: AssertionError: it plays https://v3b.fal.media/x.mp4"/>',
                caught,
            )
            + case(
                GAP_TEST,
                '<skipped type="pytest.xfail" message="known gap of this build: unsaved-badge (the Unsaved '
                "badge); evidence: AssertionError: 'AI: fox' should be badged Unsaved\"/>",
            )
            + case(HARNESS_TEST),
        )
    )
    desktop = tmp_path / "desktop.xml"
    desktop.write_text(
        junit(
            DESKTOP,
            "2025-11-18",
            case(
                PREVIEW_TEST,
                '<skipped type="pytest.xfail" message="known bug of this build: coep (COEP refuses it); '
                'evidence: ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep"/>',
            ),
        )
    )
    new = tmp_path / "new.xml"
    new.write_text(
        junit(
            NEW,
            "2026-03-01",
            case(PREVIEW_TEST)
            + case(GAP_TEST, '<skipped type="pytest.skip" message="the suite cannot drive it here"/>')
            + case(
                HARNESS_TEST,
                "<failure message=\"AssertionError: harness-gap: could not find the 'AI Video' tab; "
                "the page offered: buttons ['Studio']\">trace</failure>",
                lost,
            ),
        )
    )
    page = tmp_path / "reports" / "real-builds" / "index.html"
    return write_index([old, desktop, new], page, root=tmp_path)


def cell_of(page: Page, app: str, cause: str) -> str:
    """The text of the cell in `app`'s row under the column headed `cause`."""
    headers = page.get_by_role("columnheader").all_inner_texts()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=app))
    return row.get_by_role("cell").nth(headers.index(cause) - 1).inner_text().strip()


def test_each_cell_says_what_the_lanes_junit_recorded(page: Page, index: Path) -> None:
    page.goto(index.as_uri())

    expect(page.get_by_role("heading", level=1)).to_have_text("Real QCut builds: what the gate found")
    headers = page.get_by_role("columnheader").all_inner_texts()
    assert headers == ["build", "remote-preview", "coep", "unsaved-badge", "harness-gap"], headers
    rows = page.get_by_role("rowheader").all_inner_texts()
    assert [row.split("\n")[0] for row in rows] == [OLD, DESKTOP, NEW], "builds down the side, as given"
    assert "2025-11-18" in rows[0], rows
    assert "2026-03-01" in rows[2], rows
    assert cell_of(page, OLD, "remote-preview").startswith("caught 1")
    assert cell_of(page, DESKTOP, "remote-preview") == "other cause 1", "COEP refused the preview first"
    assert cell_of(page, DESKTOP, "coep").startswith("caught 1")
    assert cell_of(page, OLD, "coep") == "other cause 1"
    assert cell_of(page, NEW, "remote-preview") == "passed 1", "the test that caught it passes on the newer"
    assert cell_of(page, NEW, "coep") == "passed 1"
    assert cell_of(page, OLD, "unsaved-badge").startswith("gap 1")
    assert cell_of(page, NEW, "unsaved-badge") == "not driven 1"
    assert cell_of(page, OLD, "harness-gap") == ""
    assert cell_of(page, NEW, "harness-gap").startswith("harness-gap 1")


def test_a_failing_cell_shows_its_screenshot_and_links_its_evidence(page: Page, index: Path) -> None:
    page.goto(index.as_uri())

    screenshot = page.get_by_role("img", name=f"screenshot of {PREVIEW_TEST}")
    expect(screenshot).to_be_visible()
    width = screenshot.evaluate("image => image.complete ? image.naturalWidth : 0")
    assert width == 320, "the thumbnail should be the test's own screenshot, loaded"
    page.get_by_role("link", name=f"screenshot of {PREVIEW_TEST}").click()
    expect(page.get_by_role("link", name="console.log")).to_be_visible()  # Chromium's folder listing
    page.go_back()
    lost = page.get_by_role("img", name=f"screenshot of {HARNESS_TEST}")
    expect(lost, "the harness gap's cell shows where the suite lost its way").to_be_visible()


# The page a build gate run has just written: `python -m e2e.gate.builds` runs the next test with it.
GATE_PAGE = os.environ.get("E2E_BUILD_GATE_PAGE", "")
XFAIL_CAUSE = re.compile(r"known (bug|gap) of this build: (\S+)")


def xfails_by_cause(junit: Path) -> dict[str, tuple[str, int]]:
    """Read straight from a lane's JUnit XML: each cause its expected failures showed, with their count."""
    found: dict[str, tuple[str, int]] = {}
    for skipped in ET.parse(junit).iter("skipped"):
        if skipped.get("type") == "pytest.xfail" and (match := XFAIL_CAUSE.match(skipped.get("message", ""))):
            kind, cause = match.groups()
            found[cause] = (kind, found.get(cause, (kind, 0))[1] + 1)
    return found


@pytest.mark.reference_only("check the page a build gate run writes (e2e.gate.builds runs them itself)")
@pytest.mark.skipif(
    not GATE_PAGE, reason="checks the page a build gate run just wrote (python -m e2e.gate.builds)"
)
def test_the_build_gate_page_agrees_with_the_junit_of_its_run(page: Page) -> None:
    index = Path(GATE_PAGE)
    page.goto(index.as_uri())

    apps = [row.split("\n")[0] for row in page.get_by_role("rowheader").all_inner_texts()]
    assert apps, f"{index} should list the lanes it was written from"
    for app in apps:
        for cause, (kind, count) in xfails_by_cause(index.parent / f"{app.replace(':', '-')}.xml").items():
            shown = cell_of(page, app, cause)
            state = "caught" if kind == "bug" else "gap"
            assert shown.startswith(f"{state} {count}"), (
                f"{app} / {cause}: the JUnit has {count}; the page: {shown}"
            )
