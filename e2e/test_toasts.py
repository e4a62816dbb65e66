"""Toasts: each stays long enough to be read (a success 4 s, a warning or error 8 s) and no longer, waits
while the pointer rests on it, closes on its button, the newest first; a failure's toast names the
operation and an error id that "Copy ID" copies."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.pages import QCutApp
from e2e.pages.ai_panel import FAL_MESSAGES, SYNC_MODEL
from e2e.pages.paint import expect_edged
from e2e.test_import import NOTHING_TAKEN
from fake_fal.faults import Fault
from fake_fal.server import FakeFal

pytestmark = [
    pytest.mark.flow,
    pytest.mark.browser,
    pytest.mark.reference_only("the reference app's toasts (QCut's come from sonner, its own to test)"),
]

PROMPT = "A paper boat on a rain-soaked street"
REFUSED = FAL_MESSAGES[401]
# How long a toast of each kind stays (ms), as sonner's defaults in the original app.
SHOWN_FOR = {"success": 4_000, "warning": 8_000, "error": 8_000}
# The colour of each kind's edge, as the stylesheet names it.
EDGE = {"success": "--ok", "warning": "--warn", "error": "--error"}
ERROR_ID = r"ERR-\d{13}-[A-Z0-9]{6}"
START = datetime(2025, 11, 18, 10, 0, 0)


def with_the_clock_held(qcut: QCutApp, page: Page) -> None:
    """A new project open with the page's clock installed and paused: toasts' time moves only when told."""
    page.clock.install(time=START)
    qcut.open_new_project()
    page.clock.pause_at(START + timedelta(hours=1))


def a_refused_run(qcut: QCutApp, fal: FakeFal) -> Locator:
    """A run FAL refuses with 401: its warning toast."""
    fal.fault(Fault(status=401, step="run", times=1))
    qcut.ai.start_generation(PROMPT, SYNC_MODEL)
    qcut.ai.expect_error(REFUSED)
    return qcut.toasts.with_title("warning", REFUSED).first


def a_video_added(qcut: QCutApp) -> Locator:
    """A run that adds a video: its success toast."""
    qcut.ai.generate(PROMPT, SYNC_MODEL)
    return qcut.toasts.with_title("success", "Video added to").first


def a_file_refused(qcut: QCutApp, folder: Path) -> Locator:
    """A text file imported: the error toast that refuses it."""
    notes = folder / "notes.txt"
    notes.write_text("not a video", encoding="utf-8")
    qcut.media.import_files(notes)
    return qcut.toasts.with_title("error", NOTHING_TAKEN).first


@pytest.mark.parametrize("kind", list(SHOWN_FOR))
def test_a_toast_stays_until_its_time_is_up_and_goes_then(
    qcut: QCutApp, fal: FakeFal, page: Page, tmp_path: Path, kind: str
) -> None:
    with_the_clock_held(qcut, page)
    made = {
        "success": lambda: a_video_added(qcut),
        "warning": lambda: a_refused_run(qcut, fal),
        "error": lambda: a_file_refused(qcut, tmp_path),
    }
    toast = made[kind]()
    expect(toast, f"the {kind} toast should show").to_be_visible()
    # An error interrupts a screen reader (role alert); the others wait their turn (role status).
    role = "alert" if kind == "error" else "status"
    expect(toast, f"the {kind} toast should be announced as {role}").to_have_attribute("role", role)

    page.clock.run_for(SHOWN_FOR[kind] - 100)
    expect(toast, f"the {kind} toast should still be there {SHOWN_FOR[kind] - 100} ms on").to_be_visible()
    page.clock.run_for(100)
    expect(toast, f"the {kind} toast should go after {SHOWN_FOR[kind]} ms").to_have_count(0)


def test_a_toast_waits_while_the_pointer_rests_on_it_and_closes_on_its_button(
    qcut: QCutApp, fal: FakeFal, page: Page
) -> None:
    with_the_clock_held(qcut, page)
    toast = a_refused_run(qcut, fal)

    toast.hover()
    page.clock.run_for(3 * SHOWN_FOR["warning"])
    expect(toast, "a toast under the pointer should wait to be read").to_be_visible()
    page.mouse.move(0, 0)
    page.clock.run_for(SHOWN_FOR["warning"] - 100)
    expect(toast, "once the pointer leaves, the toast's time starts again").to_be_visible()

    close = toast.get_by_role("button", name="Close toast", exact=True)
    expect(close, "the toast should offer a button named 'Close toast'").to_be_visible()
    close.click()
    expect(toast, "the close button should close the toast").to_have_count(0)


def test_the_newest_toast_shows_first(qcut: QCutApp, fal: FakeFal, page: Page) -> None:
    qcut.open_new_project()
    a_refused_run(qcut, fal)

    a_video_added(qcut)

    # Sonner's list holds the newest toast first: in front of the stack, where the eye falls.
    expect(page.locator("[data-sonner-toast]").first, "the newest toast should show first").to_contain_text(
        "Video added to"
    )


@pytest.mark.parametrize("kind", list(EDGE))
def test_each_toast_is_edged_in_its_kinds_colour(
    qcut: QCutApp, fal: FakeFal, tmp_path: Path, kind: str
) -> None:
    qcut.open_new_project()
    if kind == "success":
        toast = a_video_added(qcut)
    elif kind == "warning":
        toast = a_refused_run(qcut, fal)
    else:
        toast = a_file_refused(qcut, tmp_path)

    expect_edged(
        toast, "left", EDGE[kind], f"a {kind} toast should be edged in the stylesheet's {EDGE[kind]}"
    )


def test_toasts_show_in_the_bottom_right_corner_out_of_the_editors_way(qcut: QCutApp, page: Page) -> None:
    qcut.open_new_project()
    toast = a_video_added(qcut)

    box, view = toast.bounding_box(), page.viewport_size
    assert box is not None
    assert view is not None
    corner = {
        "right": view["width"] - (box["x"] + box["width"]),
        "bottom": view["height"] - (box["y"] + box["height"]),
    }
    assert all(0 <= gap <= 48 for gap in corner.values()), (
        f"the toast should sit in the bottom-right corner: {corner}"
    )


def test_a_failures_toast_names_the_operation_and_copy_id_copies_its_error_id(
    qcut: QCutApp, fal: FakeFal, page: Page
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    qcut.open_new_project()
    toast = a_refused_run(qcut, fal)
    description = toast.locator("[data-description]")
    expect(description, "the toast should name what failed and an id to quote").to_have_text(
        re.compile(rf"^Generate {re.escape(SYNC_MODEL)} video \({ERROR_ID}\)$")
    )
    error_id = re.search(ERROR_ID, description.inner_text())

    toast.get_by_role("button", name="Copy ID", exact=True).click()

    expect(toast, "Copy ID should close the toast").to_have_count(0)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert error_id, f"the description should hold an error id: {description.inner_text()!r}"
    assert copied == error_id.group(0), f"Copy ID should copy {error_id.group(0)}: got {copied!r}"
