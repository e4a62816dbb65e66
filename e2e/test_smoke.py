"""Smoke: one short pass through generate → store → preview in a real Chromium against fake_fal, and the three
ways the original app lost the video (rollback on a full quota, CSP media-src, COEP), each shown happening."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.pages import QCutApp
from e2e.storage.faults import QuotaOverride
from e2e.witnesses.blocked_responses import BlockedResponseLog
from e2e.witnesses.csp import CspCollector
from fake_fal.models import MEDIA_HOSTS
from media_app.server import AppServer

pytestmark = [pytest.mark.smoke]
browser = pytest.mark.browser

SYNC_MODEL = "LTX Video 2.0 Fast T2V"
QUEUED_MODEL = "Kling v2.5 Turbo Pro T2V"
PROMPT = "A red fox runs through fresh snow at dawn, slow motion"

STORAGE_FULL = "Storage space is full. Please free up space and try again."
UNSAVED = "Saved locally, storage failed. Item marked unsaved; retry later."


@browser
@pytest.mark.parametrize("model", [SYNC_MODEL, QUEUED_MODEL], ids=["sync-fal-run", "queue"])
def test_generated_video_is_listed_plays_and_survives_reload(qcut: QCutApp, model: str) -> None:
    qcut.open_new_project()

    name = qcut.ai.generate(PROMPT, model)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the generated video should be listed in the media panel")
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")

    qcut.reload()
    qcut.media.expect_item_listed(name, "the generated video should still be listed after a reload")
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")


# Each stylesheet the page links and how many rules it brought: 0 for one that failed to load (Chromium keeps
# an empty sheet for a 404), -1 for none at all, None for another origin's, whose rules a page may not read.
LINKED_STYLESHEETS = """() => [...document.querySelectorAll('link[rel~="stylesheet"]')].map((link) => {
  let rules = -1;
  try { rules = link.sheet ? link.sheet.cssRules.length : -1; } catch { rules = null; }
  return { href: link.href, rules };
})"""


@browser
def test_the_editor_is_styled_by_every_stylesheet_it_links(qcut: QCutApp) -> None:
    qcut.open_new_project()

    sheets = qcut.page.evaluate(LINKED_STYLESHEETS)

    assert sheets, "the editor should link its stylesheet: unstyled, its panels and toasts are a wall of text"
    empty = [sheet["href"] for sheet in sheets if sheet["rules"] is not None and sheet["rules"] <= 0]
    assert not empty, f"{empty} brought no style rules (not found?): the user sees the editor unstyled"


@browser
@pytest.mark.reference_only("the reference app's profile badge")
def test_only_a_page_with_bugs_switched_back_on_wears_a_profile_badge(qcut: QCutApp) -> None:
    badge = qcut.page.get_by_test_id("profile-badge")
    qcut.open()
    expect(badge, "the fixed app is the product: no badge").to_be_hidden()

    qcut.open("?bugs=no-retry,no-hidden-hint")

    expect(badge, "a page with bugs back on should say which").to_have_text(
        "profile: custom (no-hidden-hint, no-retry)"
    )


@browser
@pytest.mark.reference_only("the reference app's landmarks")
def test_the_pages_landmarks_are_named_for_a_screen_reader(qcut: QCutApp) -> None:
    qcut.open()

    named = {
        "the header's links": qcut.page.get_by_role("navigation", name="Main", exact=True),
        "the toasts' region": qcut.page.get_by_role("region", name=re.compile(r"^Notifications\b")),
    }
    for what, landmark in named.items():
        expect(landmark, f"{what} should be a landmark a screen reader names").to_have_count(1)


@browser
@pytest.mark.reference_only("the reference app's busy flag while it starts")
def test_the_app_names_itself_in_its_tab_and_stops_saying_it_is_busy_once_started(qcut: QCutApp) -> None:
    qcut.open()

    expect(qcut.page, "the browser's tab should name the app").to_have_title("QCut")

    expect(
        qcut.page.get_by_role("main"), "a screen reader would wait on a page still busy"
    ).not_to_have_attribute("aria-busy", "true")


@browser
@pytest.mark.reference_only("the reference app's profile switches")
def test_a_page_asked_for_with_a_misspelt_switch_is_refused_naming_the_valid_ones(qcut: QCutApp) -> None:
    response = qcut.page.goto(qcut.url + "?bugs=no-retyr")

    assert response is not None
    assert response.status == 400, "a misspelt switch must not be served as the fixed app"
    expect(qcut.page.locator("body")).to_contain_text("unknown bug switch(es) no-retyr; valid: ")


@browser
def test_generated_video_is_listed_in_a_browser_without_the_desktop_shell(qcut_as_served: QCutApp) -> None:
    qcut_as_served.open_new_project()

    name = qcut_as_served.ai.generate(PROMPT, SYNC_MODEL)
    qcut_as_served.media.show()
    qcut_as_served.media.expect_item_listed(name, "the web build should list the video it generated")


@browser
@pytest.mark.needs("unsaved-badge", "retry")
def test_item_stays_listed_unsaved_when_quota_is_full_and_retry_saves_it(
    qcut: QCutApp, quota: QuotaOverride
) -> None:
    qcut.open_new_project()
    quota.fill()

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", UNSAVED)
    qcut.toasts.expect_toast("error", STORAGE_FULL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the generated video should stay listed after a storage failure")
    qcut.media.expect_unsaved(name)

    quota.restore()
    qcut.media.retry(name)
    qcut.media.expect_saved(name)
    qcut.reload()
    qcut.media.expect_item_listed(name, "the video saved by Retry should survive a reload")


@browser
@pytest.mark.detector  # pins its page's profile: it proves the detectors, not the app
def test_legacy_rollback_makes_the_item_vanish_when_quota_is_full(
    qcut: QCutApp, context: BrowserContext, page: Page, app_server: AppServer
) -> None:
    qcut.open_new_project("?profile=legacy")
    QuotaOverride(context.new_cdp_session(page), app_server.origin).fill()

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("error", STORAGE_FULL)
    qcut.media.show()
    qcut.media.expect_item_absent(name, "legacy rollback: the generated video is removed again")
    qcut.media.expect_count(0)


@browser
@pytest.mark.detector  # pins its page's profile: it proves the detectors, not the app
def test_legacy_preview_is_blocked_by_csp_media_src(
    qcut: QCutApp, csp: CspCollector, app_reports: AppServer
) -> None:
    qcut.open_new_project("?profile=legacy")

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.select(name)

    violation = csp.wait_for(qcut.page, directive="media-src")
    assert violation.blocked_host in MEDIA_HOSTS, f"the blocked load should be the FAL video, got {violation}"
    qcut.preview.expect_blocked()
    report = app_reports.wait_for_report(
        timeout=15, predicate=lambda r: r["effective_directive"] == "media-src"
    )
    assert report["disposition"] == "enforce", f"the header policy should report an enforced block: {report}"


@browser
@pytest.mark.detector  # pins its page's profile: it proves the detectors, not the app
def test_coep_require_corp_blocks_the_remote_preview(
    qcut: QCutApp, page: Page, blocked_responses: BlockedResponseLog
) -> None:
    blocked_responses.expect()
    qcut.open_new_project("?profile=fixed&bugs=coep-require-corp")

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    with page.expect_console_message(lambda message: "ERR_BLOCKED_BY_RESPONSE" in message.text) as blocked:
        qcut.media.select(name)

    assert "NotSameOriginAfterDefaultedToSameOriginByCoep" in blocked.value.text, blocked.value.text
    qcut.preview.expect_blocked()
