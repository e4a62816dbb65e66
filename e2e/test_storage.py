"""Storage: when saving a generated video fails, the user keeps it in view, is told so, and can save it later.

Quota full (real: DevTools quota override) keeps the item, unsaved, with Retry; site data blocked (real: a
profile setting) keeps it URL-only with "Save locally"; OPFS or IndexedDB alone blocked (script patches)
keep it URL-only where it survives a reload. Each test also says what a reload shows.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import QCutApp
from e2e.pages.ai_panel import SYNC_MODEL
from e2e.pages.media_card import MediaCard
from e2e.storage.faults import STORAGE_CONDITIONS, QuotaOverride, ScriptPatch
from e2e.storage.media_store import projects_holding, stored_item, wait_until_let_go, wait_until_stored
from fake_fal.faults import Fault
from fake_fal.server import FakeFal

pytestmark = [pytest.mark.storage, pytest.mark.browser]

PROMPT = "A hot air balloon rises over misty hills at sunrise"

# The app's texts (the original's error handler, and the fix's toasts).
STORAGE_FULL = "Storage space is full. Please free up space and try again."
STORAGE_DENIED = "Storage permission denied. Please check browser settings."
UNSAVED = "Saved locally, storage failed. Item marked unsaved; retry later."
URL_ONLY = "Saved as URL-only; persistent storage blocked. Re-download when storage is available."
# Chromium's own message when OPFS is refused (the script patch uses the same words).
OPFS_DENIED = "Storage directory access is denied."
PROJECT_NOT_SAVED = "Project not saved: browser storage is unavailable"


def card(qcut: QCutApp, name: str) -> MediaCard:
    return MediaCard(qcut.media.item(name), name)


def expect_kept_after_a_failed_save(
    qcut: QCutApp, name: str, *, error: str, warning: str, action: str, url_only: bool
) -> None:
    """The save failed and said so; the video is still listed, with the warning and badges of its case."""
    # The error toast comes last, whatever the app does with the item: what is listed now is final.
    qcut.toasts.expect_toast("error", error, f"an error toast should say {error!r}")
    qcut.media.show()
    qcut.media.expect_item_listed(name, f"the generated video should stay listed after {error!r}")
    qcut.toasts.expect_toast("warning", warning, f"a warning should say {warning!r}")
    expect(
        qcut.toasts.with_title("warning", warning).first, f"the warning should name {name!r}"
    ).to_contain_text(name)
    qcut.toasts.expect_action("warning", warning, action)
    card(qcut, name).expect_badges(unsaved=True, url_only=url_only)
    added = qcut.toasts.up_now("success", "Video added")  # the run is over: it would be up now
    assert not added, (
        f"a video whose save failed should not also be said added (its warning says so): {added}"
    )


@pytest.mark.needs("unsaved-badge")
def test_item_stays_visible_and_unsaved_when_quota_is_full(
    qcut: QCutApp, fal: FakeFal, page: Page, quota: QuotaOverride
) -> None:
    qcut.open_new_project()
    quota.fill()

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)

    expect_kept_after_a_failed_save(
        qcut, name, error=STORAGE_FULL, warning=UNSAVED, action="Retry", url_only=False
    )
    item = stored_item(page, name)
    assert item.metadata.get("unsaved") is True, f"the store should flag the video unsaved: {item.metadata}"

    # Nothing reached storage, so a reload cannot bring it back; the Unsaved badge was the warning.
    qcut.reload()
    qcut.media.show()
    qcut.media.expect_item_absent(name, "an unsaved video is gone after a reload: nothing was stored")


@pytest.mark.needs("unsaved-badge")
def test_an_unsaved_video_keeps_its_place_after_a_switch_away_and_back(
    qcut: QCutApp, fal: FakeFal, quota: QuotaOverride
) -> None:
    other, started_in = qcut.open_new_projects(2)
    saved = qcut.ai.generate("A kite over the dunes at noon", SYNC_MODEL)
    quota.fill()
    unsaved = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", UNSAVED)

    qcut.projects.switch_to(other)
    qcut.projects.switch_to(started_in)

    qcut.media.show()
    qcut.media.expect_order([saved, unsaved], "the videos should keep the order they came in, unsaved or not")
    card(qcut, unsaved).expect_badges(unsaved=True, url_only=False)
    qcut.media.select(unsaved)
    qcut.preview.expect_playing()  # its file lives in this page only: leaving the project must not let it go


def generate_with_the_quota_full(qcut: QCutApp, quota: QuotaOverride) -> str:
    """A new project's video generated with the quota full: unsaved warning shown, media panel open."""
    qcut.open_new_project()
    quota.fill()
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", UNSAVED)
    qcut.media.show()
    return name


@pytest.mark.needs("unsaved-badge", "retry")
def test_retry_after_quota_is_restored_saves_the_item_and_it_survives_a_reload(
    qcut: QCutApp, fal: FakeFal, page: Page, quota: QuotaOverride
) -> None:
    name = generate_with_the_quota_full(qcut, quota)
    card(qcut, name).expect_actions(retry=True, save_locally=False)

    quota.restore()
    qcut.media.retry(name)

    saved = qcut.toasts.with_title("success", "Saved to storage").first
    expect(saved, "Retry should say the video is now saved, naming it").to_contain_text(name)
    card(qcut, name).expect_badges(unsaved=False, url_only=False)
    card(qcut, name).expect_actions(retry=False, save_locally=False)
    expect(qcut.media.chosen, "Retry saves the video; it does not choose it for the preview").to_have_count(0)
    item = stored_item(page, name)
    assert item.flags == {}, f"Retry should clear every storage flag: {item.flags}"

    qcut.reload()
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the video saved by Retry should survive a reload")
    card(qcut, name).expect_badges(unsaved=False, url_only=False)
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")


def hold_the_toasts(page: Page) -> None:
    """Install and pause the page's clock: a warning's action stays to be clicked, however slow the run."""
    start = datetime(2025, 11, 18, 10, 0, 0)
    page.clock.install(time=start)
    page.clock.pause_at(start + timedelta(hours=1))


WARNINGS_OWN_ACTION = pytest.mark.reference_only(
    "click the fix's warning's own action (no QCut here has the warning: unsaved-badge, url-only)"
)


@WARNINGS_OWN_ACTION
@pytest.mark.needs("unsaved-badge", "retry")
def test_the_unsaved_warnings_retry_saves_the_video_as_the_cards_does(
    qcut: QCutApp, fal: FakeFal, page: Page, quota: QuotaOverride
) -> None:
    hold_the_toasts(page)
    name = generate_with_the_quota_full(qcut, quota)
    quota.restore()

    qcut.toasts.action("warning", UNSAVED, "Retry").click()

    qcut.toasts.expect_toast("success", "Saved to storage", "the warning's Retry should save the video")
    card(qcut, name).expect_badges(unsaved=False, url_only=False)


@pytest.mark.needs("unsaved-badge", "retry", "project-switcher")
def test_the_warnings_retry_after_a_switch_saves_the_video_in_the_project_that_made_it(
    qcut: QCutApp, fal: FakeFal, page: Page, quota: QuotaOverride
) -> None:
    hold_the_toasts(page)
    other, started_in = qcut.open_new_projects(2)
    quota.fill()
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", UNSAVED)
    qcut.projects.switch_to(other)
    quota.restore()

    qcut.toasts.action("warning", UNSAVED, "Retry").click()

    qcut.toasts.expect_toast("success", "Saved to storage", "the warning's Retry should save the video")
    wait_until_stored(page, started_in, name)
    holding = projects_holding(page, name)  # "name (id)" each
    assert [held.rsplit(" (", 1)[0] for held in holding] == [started_in], (
        f"{name!r} should be stored in {started_in!r} alone, where it was made, not in {holding}"
    )


@pytest.mark.needs("unsaved-badge", "retry")
def test_retry_while_the_quota_is_still_full_says_so_again_and_keeps_the_item_unsaved(
    qcut: QCutApp, fal: FakeFal, page: Page, quota: QuotaOverride
) -> None:
    name = generate_with_the_quota_full(qcut, quota)

    qcut.toasts.mark_shown()
    qcut.media.retry(name)

    again = qcut.toasts.new_of_type("error").filter(has_text=STORAGE_FULL)
    expect(again.first, "Retry with the quota still full should say so again").to_be_visible()
    saved = qcut.toasts.up_now("success")  # the Retry has failed: a success of its would be up now
    assert not saved, f"nothing was saved: no success toast should show, yet {saved}"
    card(qcut, name).expect_badges(unsaved=True, url_only=False)
    card(qcut, name).expect_actions(retry=True, save_locally=False)
    item = stored_item(page, name)
    assert item.metadata.get("unsaved") is True, f"a failed Retry should leave the flag: {item.metadata}"


@pytest.mark.needs("unsaved-badge", "retry")
def test_a_retry_that_fails_for_another_reason_tells_the_new_one(
    qcut: QCutApp, fal: FakeFal, page: Page, quota: QuotaOverride, opfs_patch: ScriptPatch
) -> None:
    name = generate_with_the_quota_full(qcut, quota)
    quota.restore()
    opfs_patch.apply(page)  # storage has room again, but now refuses the file

    qcut.toasts.mark_shown()
    qcut.media.retry(name)

    again = qcut.toasts.new_of_type("error").filter(has_text=OPFS_DENIED)
    expect(again.first, "the failed Retry should say why it failed this time").to_be_visible()
    card(qcut, name).expect_badges(unsaved=True, url_only=False)
    card(qcut, name).expect_unsaved_reason(OPFS_DENIED)


@pytest.mark.needs("url-only")
def test_item_is_kept_url_only_when_site_data_is_blocked(blocked_storage_qcut: QCutApp, fal: FakeFal) -> None:
    qcut = blocked_storage_qcut
    qcut.open_new_project()
    qcut.toasts.expect_toast("warning", PROJECT_NOT_SAVED, "the app should say the project is not saved")
    qcut.toasts.expect_toast(
        "error", STORAGE_DENIED, "loading the project's media should say storage is denied"
    )

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)

    expect_kept_after_a_failed_save(
        qcut, name, error=OPFS_DENIED, warning=URL_ONLY, action="Save locally", url_only=True
    )
    card(qcut, name).expect_actions(retry=False, save_locally=True)
    item = stored_item(qcut.page, name)
    assert item.flags.get("urlOnly") is True, f"the store should flag the video URL-only: {item.flags}"
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="remote")

    # Save locally downloads again but cannot store while site data stays blocked: it says so, and the
    # video stays URL-only.
    qcut.media.save_locally(name)
    fal.wait_for_request(step="media", count=2)
    qcut.toasts.expect_toast(
        "error",
        re.compile(re.escape(OPFS_DENIED) + ".*Save media item locally"),
        "Save locally should say storage is still denied",
    )
    card(qcut, name).expect_badges(unsaved=True, url_only=True)

    # Nothing of this project could be stored, not even the project itself.
    qcut.page.reload()
    expect(
        qcut.projects.open_project_name, "after a reload the unsaved project cannot be found"
    ).to_have_text("Project not found")


def a_url_only_video_and_storage_back(qcut: QCutApp, page: Page, opfs_patch: ScriptPatch) -> str:
    """A video generated while OPFS is blocked (kept as a URL only), then OPFS working again; its name."""
    qcut.open_new_project()
    opfs_patch.apply(page)
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", URL_ONLY)
    qcut.media.show()
    card(qcut, name).expect_badges(unsaved=True, url_only=True)
    opfs_patch.lift(page)
    return name


@pytest.mark.needs("url-only")
def test_save_locally_stores_a_url_only_item_once_storage_works_again(
    qcut: QCutApp, fal: FakeFal, page: Page, opfs_patch: ScriptPatch
) -> None:
    name = a_url_only_video_and_storage_back(qcut, page, opfs_patch)
    qcut.media.save_locally(name)

    qcut.toasts.expect_toast("success", "Saved locally", "Save locally should say the video is now stored")
    fal.wait_for_request(step="media", count=2)  # it downloaded the video again
    card(qcut, name).expect_badges(unsaved=False, url_only=False)
    item = stored_item(page, name)
    assert item.flags == {}, f"Save locally should clear every storage flag: {item.flags}"

    qcut.reload()
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the video saved locally should survive a reload")
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")


@pytest.mark.needs("url-only")
def test_a_video_saved_locally_plays_from_the_stored_file_in_the_same_visit(
    qcut: QCutApp, page: Page, opfs_patch: ScriptPatch
) -> None:
    """A user saves a video locally to keep it, FAL's URL being a loan: from then on it plays from the stored
    file at once, not only after a reload (which reads it from storage whatever the page kept)."""
    name = a_url_only_video_and_storage_back(qcut, page, opfs_patch)
    qcut.media.save_locally(name)
    qcut.toasts.expect_toast("success", "Saved locally", "Save locally should say the video is now stored")

    qcut.media.select(name)

    qcut.preview.expect_playing(source_kind="blob")


@pytest.mark.needs("url-only")
def test_save_locally_when_the_video_cannot_be_had_again_says_so_and_keeps_it_url_only(
    qcut: QCutApp, fal: FakeFal, page: Page, opfs_patch: ScriptPatch
) -> None:
    name = a_url_only_video_and_storage_back(qcut, page, opfs_patch)
    fal.fault(Fault(status=404, step="media"))

    qcut.media.save_locally(name)

    refused = qcut.toasts.with_title("error", "Could not download the video again").first
    expect(refused, "Save locally should say the video could not be had again, and why").to_contain_text(
        "Failed to download video: 404"
    )
    card(qcut, name).expect_badges(unsaved=True, url_only=True)
    assert stored_item(page, name).flags.get("urlOnly"), "the video should stay stored as a URL only"


@WARNINGS_OWN_ACTION
@pytest.mark.needs("url-only")
def test_the_url_only_warnings_save_locally_stores_the_video_as_the_cards_does(
    qcut: QCutApp, fal: FakeFal, page: Page, opfs_patch: ScriptPatch
) -> None:
    hold_the_toasts(page)
    name = a_url_only_video_and_storage_back(qcut, page, opfs_patch)

    qcut.toasts.action("warning", URL_ONLY, "Save locally").click()

    qcut.toasts.expect_toast("success", "Saved locally", "the warning's Save locally should store the video")
    card(qcut, name).expect_badges(unsaved=False, url_only=False)


@pytest.mark.needs("url-only")
def test_a_url_only_video_stays_in_the_project_that_made_it(
    qcut: QCutApp, fal: FakeFal, page: Page, indexeddb_patch: ScriptPatch
) -> None:
    first, second = qcut.open_new_projects(2)
    qcut.projects.switch_to(first)
    indexeddb_patch.apply(page)
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", URL_ONLY, "a warning should say the video is kept as a URL only")

    qcut.projects.switch_to(second)
    qcut.media.show()
    qcut.media.expect_item_absent(name, f"a URL-only video of {first!r} should not show in {second!r}")
    qcut.reload()
    qcut.media.show()
    qcut.media.expect_item_absent(name, f"nor in {second!r} after a reload")

    qcut.projects.switch_to(first)
    qcut.media.show()
    qcut.media.expect_item_listed(name, f"the URL-only video should still be in {first!r}")


@pytest.mark.needs("url-only")
@pytest.mark.parametrize("blocked", ["opfs-blocked", "indexeddb-blocked"])
def test_url_only_item_survives_a_reload_when_one_storage_api_is_blocked(
    qcut: QCutApp, fal: FakeFal, page: Page, request: pytest.FixtureRequest, blocked: str
) -> None:
    patch: ScriptPatch = request.getfixturevalue(str(STORAGE_CONDITIONS[blocked].fixture))
    project_id = qcut.open_new_project()
    patch.apply(page)
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", URL_ONLY, "a warning should say the video is kept as a URL only")

    qcut.reload()

    qcut.media.show()
    qcut.media.expect_item_listed(name, f"with {blocked} the URL-only video should survive a reload")
    card(qcut, name).expect_badges(unsaved=True, url_only=True)
    item = stored_item(page, name)
    assert (item.flags.get("unsaved"), item.flags.get("urlOnly")) == (True, True), (
        f"the reloaded video should still be flagged unsaved and URL-only: {item.flags}"
    )
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="remote")

    qcut.media.delete(name)
    wait_until_let_go(page, project_id, name)
    qcut.reload()

    qcut.media.show()
    qcut.media.expect_item_absent(
        name, f"with {blocked} a deleted URL-only video should stay gone after a reload"
    )


@pytest.mark.reference_only("check the suite's own wait on storage")
def test_the_wait_on_storage_waits_and_then_says_where_the_video_is_not(qcut: QCutApp) -> None:
    """wait_until_stored asks storage on every poll: a video never stored keeps it waiting to the end."""
    qcut.open_new_project()

    with pytest.raises(AssertionError, match=r"within 1 s: storage holds it in no project"):
        wait_until_stored(qcut.page, "New Project", "AI: never generated...", timeout=1_000)
