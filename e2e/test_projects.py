"""Projects and settings: a deleted project takes its videos with it and leaves the others' alone; the
projects page says when there is none and when storage cannot keep them; a FAL key saved in Settings is the
one FAL gets, after a reload too."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import QCutApp
from e2e.pages.ai_panel import FAL_MESSAGES, SYNC_MODEL
from e2e.pages.projects_page import project_name
from e2e.storage.faults import QuotaOverride
from fake_fal.server import FakeFal

pytestmark = [
    pytest.mark.storage,
    pytest.mark.browser,
    pytest.mark.reference_only("the reference app's projects page and Settings (QCut's are not driven)"),
]

STORED_NAMES = "async (id) => (await storageService.loadAllMediaItems(id)).map((item) => item.name)"
STORED_FILES = "async (id) => storageService.getProjectMediaAdapters(id).mediaFilesAdapter.list()"
USER_KEY = "user-key-id:user-key-secret"


def test_a_deleted_project_takes_its_videos_and_the_other_keeps_its_own(qcut: QCutApp, page: Page) -> None:
    first_id = qcut.open_new_project()
    gone = qcut.ai.generate("Harbor at dusk", SYNC_MODEL)
    second_id = qcut.projects.create_another_project()
    kept = qcut.ai.generate("Meadow at dusk", SYNC_MODEL)
    first, second = project_name(1), project_name(2)
    qcut.projects.back_to_projects()

    qcut.projects.delete_project(first)

    links = qcut.projects.items.get_by_role("link")
    expect(links, f"only {second!r} should be left after deleting {first!r}").to_have_text([second])
    page.reload()
    qcut.projects.expect_loaded()
    expect(links, f"{first!r} should stay deleted after a reload").to_have_text([second])
    assert page.evaluate(STORED_NAMES, first_id) == [], f"storage should no longer hold {gone!r} of {first!r}"
    assert page.evaluate(STORED_FILES, first_id) == [], f"OPFS should no longer hold the file of {gone!r}"
    qcut.projects.open_project(second)
    qcut.media.show()
    qcut.media.expect_item_listed(kept, f"{second!r} should keep its own video")
    assert page.evaluate(STORED_NAMES, second_id) == [kept], f"storage should still hold {kept!r}"
    assert len(page.evaluate(STORED_FILES, second_id)) == 1, f"OPFS should still hold the file of {kept!r}"


def test_the_projects_page_lists_the_newest_project_first_each_named_apart(qcut: QCutApp) -> None:
    qcut.open_new_projects(4)
    qcut.projects.back_to_projects()

    expect(qcut.projects.items.get_by_role("link"), "the newest project should come first").to_have_text(
        [project_name(4), project_name(3), project_name(2), project_name(1)]
    )


def test_a_project_that_is_not_there_says_so(qcut: QCutApp) -> None:
    qcut.open()

    qcut.page.goto(f"{qcut.url}#/editor/{uuid.uuid4()}")

    expect(qcut.projects.open_project_name, "an unknown project should say it is not found").to_have_text(
        "Project not found"
    )


def test_each_listed_project_says_when_it_was_made(qcut: QCutApp, page: Page) -> None:
    qcut.open_new_project()
    qcut.projects.back_to_projects()

    # Today as the page's own locale writes a date: the suite does not guess the user's format.
    today = page.evaluate("() => new Date().toLocaleDateString()")
    expect(qcut.projects.items, f"the project should say it was made today ({today})").to_contain_text(
        [today]
    )


def test_a_new_project_takes_the_first_free_name_so_no_two_share_one(qcut: QCutApp, page: Page) -> None:
    qcut.open_new_project()
    qcut.projects.create_another_project()
    qcut.projects.create_another_project()
    qcut.projects.back_to_projects()
    qcut.projects.delete_project(project_name(2))
    links = qcut.projects.items.get_by_role("link")
    expect(links, f"{project_name(2)!r} should be gone").to_have_text([project_name(3), project_name(1)])

    qcut.projects.create_project()
    qcut.projects.back_to_projects()

    expect(links, "the new project should take the name set free, not one in use").to_have_text(
        [project_name(2), project_name(3), project_name(1)]
    )


def test_the_projects_page_says_there_are_no_projects_yet(qcut: QCutApp) -> None:
    qcut.open()

    expect(qcut.projects.items, "a first visit has no projects").to_have_count(0)
    expect(
        qcut.page.get_by_text("No projects yet", exact=True), "the list should say it is empty"
    ).to_be_visible()
    expect(qcut.page.get_by_test_id("projects-storage-notice"), "storage works: no notice").to_have_text("")


def test_the_projects_page_warns_when_storage_cannot_keep_projects(blocked_storage_qcut: QCutApp) -> None:
    blocked_storage_qcut.open()

    notice = blocked_storage_qcut.page.get_by_test_id("projects-storage-notice")
    told = "with site data blocked, the user should be told projects last for this visit only"
    expect(notice, told).to_be_visible()
    expect(notice, told).to_have_text(
        "Browser storage is unavailable: projects are kept for this visit only."
    )


def test_a_project_storage_refuses_stays_listed_for_the_visit(qcut: QCutApp, quota: QuotaOverride) -> None:
    qcut.open()
    quota.fill()

    qcut.projects.create_project()

    qcut.toasts.expect_toast("warning", "Project not saved: browser storage is unavailable")
    qcut.projects.back_to_projects()
    listed = qcut.projects.items.get_by_role("link", name=project_name(1), exact=True)
    expect(listed, "a project storage refused should stay listed for this visit").to_be_visible()


def save_fal_key(qcut: QCutApp, key: str, where: str) -> None:
    """Type `key` into Settings and save it; the toast says `where` it is kept."""
    qcut.page.get_by_role("link", name="Settings", exact=True).click()
    qcut.page.get_by_label("FAL API Key", exact=True).fill(key)
    qcut.page.get_by_role("button", name="Save API Keys", exact=True).click()
    toast = qcut.toasts.with_title("success", "API keys saved").first
    expect(toast, f"saving the key should say it is {where!r}").to_contain_text(where)


def test_a_fal_key_saved_in_settings_is_the_one_fal_gets_after_a_reload_too(
    qcut: QCutApp, fal: FakeFal, page: Page
) -> None:
    fal.require_key(USER_KEY)
    project_id = qcut.open_new_project()
    qcut.ai.start_generation("Harbor at dusk", SYNC_MODEL)
    qcut.ai.expect_error(FAL_MESSAGES[401])

    save_fal_key(qcut, f"  {USER_KEY}  ", "Stored in this browser.")  # pasted with spaces around
    page.goto(f"{qcut.url}#/editor/{project_id}")
    page.reload()

    name = qcut.ai.generate("Meadow at dusk", SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "with the key saved in Settings, FAL should make the video")
    qcut.page.get_by_role("link", name="Settings", exact=True).click()
    expect(
        qcut.page.get_by_label("FAL API Key", exact=True), "Settings should show the key saved, trimmed"
    ).to_have_value(USER_KEY)


def test_with_site_data_blocked_a_saved_key_is_kept_for_the_visit_and_says_so(
    blocked_storage_qcut: QCutApp, fal: FakeFal
) -> None:
    fal.require_key(USER_KEY)
    project_id = blocked_storage_qcut.open_new_project()

    save_fal_key(blocked_storage_qcut, USER_KEY, "Kept for this visit only: browser storage is unavailable.")
    blocked_storage_qcut.page.goto(f"{blocked_storage_qcut.url}#/editor/{project_id}")

    blocked_storage_qcut.ai.generate("Meadow at dusk", SYNC_MODEL)
    assert fal.log.count(step="run") == 1, "FAL should get the key saved for this visit"


def test_with_no_fal_key_a_run_says_to_add_one_in_settings_and_asks_fal_nothing(
    qcut: QCutApp, fal: FakeFal, page: Page
) -> None:
    project_id = qcut.open_new_project()
    save_fal_key(qcut, "", "Stored in this browser.")
    page.goto(f"{qcut.url}#/editor/{project_id}")
    page.reload()  # cleared for good, not only in this page's memory: the server's preset stays unused

    qcut.ai.start_generation("Harbor at dusk", SYNC_MODEL)

    qcut.ai.expect_error("FAL API key is not configured. Add it in Settings.")
    qcut.ai.expect_ready()
    assert fal.log.count() == 0, f"with no key the app should not call FAL: {fal.log.find()}"
