"""Preview: the generated video really renders, from a blob: URL of the stored file, showing the clip's own
frames; and when an embedder policy blocks a remote preview, the suite says COEP, not CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.apps.target import AppTarget
from e2e.pages import QCutApp
from e2e.pages.ai_panel import ENDPOINTS, SYNC_MODEL
from e2e.pages.preview_panel import NOTHING_PREVIEWED
from e2e.witnesses.blocked_responses import BLOCKED_BY_RESPONSE, BlockedResponseLog
from e2e.witnesses.csp import CspCollector
from fake_fal.faults import Fault
from fake_fal.models import FAMILY_HOST, family_of
from fake_fal.server import FakeFal
from fixtures.media import CLIPS

pytestmark = [pytest.mark.preview, pytest.mark.browser]

PROMPT = "A lighthouse beam sweeps over a stormy sea at night"
CLIP = CLIPS["small"]
ENDPOINT = ENDPOINTS[SYNC_MODEL]
VIDEO_HOST = FAMILY_HOST[family_of(ENDPOINT)]


@pytest.mark.needs("preview-title")
def test_the_cannot_play_box_goes_when_a_playable_item_is_chosen(qcut: QCutApp, fal: FakeFal) -> None:
    """An unplayable clip, then a good one: choosing the good one must show it playing, and no word left of
    the one before (a box left over says the user's new video is broken too)."""
    qcut.open_new_project()
    fal.fault(Fault(kind="corrupt_mp4", step="media", times=1))
    broken = qcut.ai.generate("A clip no browser can decode", SYNC_MODEL)
    good = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.select(broken)
    qcut.preview.expect_blocked()

    qcut.media.select(good)

    qcut.preview.expect_playing(source_kind="blob")


@pytest.mark.needs("preview-title")
def test_deleting_the_previewed_video_empties_the_preview(qcut: QCutApp) -> None:
    qcut.open_new_project()
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")

    qcut.media.delete(name)

    expect(qcut.preview.title, "the preview should no longer name the deleted video").to_have_text(
        NOTHING_PREVIEWED
    )
    expect(qcut.preview.video, "the preview should no longer show the deleted video").to_be_hidden()


@pytest.mark.reference_only(
    "the reference app's Play and Pause; QCut's preview is driven through its timeline"
)
def test_the_preview_offers_pause_while_it_plays_and_play_once_paused(qcut: QCutApp, fal: FakeFal) -> None:
    fal.model(ENDPOINT, clip="hd-720p-5s")  # long enough to be still playing when it is looked at
    qcut.open_new_project()
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.select(name)
    preview = qcut.preview
    expect(preview.panel, "the chosen video should start playing").to_have_attribute(
        "data-preview-state", "playing"
    )
    preview.expect_controls(playing=True)

    preview.pause_button.click()
    expect(preview.panel, "Pause should pause the video").to_have_attribute("data-preview-state", "paused")
    preview.expect_controls(playing=False)
    preview.play_button.click()
    expect(preview.panel, "Play should play it again").to_have_attribute("data-preview-state", "playing")
    preview.expect_controls(playing=True)


@pytest.mark.reference_only("the reference app's preview state; QCut's preview follows its timeline")
def test_a_paused_preview_keeps_its_frame_while_another_video_arrives(qcut: QCutApp) -> None:
    """A new video changes the library, not the chosen one: reloading the preview's source (a fresh blob:
    URL for the same file) would start the paused video over from its first frame."""
    qcut.open_new_project()
    first = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.select(first)
    qcut.preview.expect_playing(source_kind="blob")
    qcut.preview.show_frame_at(1.5)

    second = qcut.ai.generate("A second beam crosses the first one", SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(second, "the second video should be listed")

    qcut.preview.expect_held_at(1.5, "another video arrived in the library")


@pytest.mark.needs("frame-seek")
def test_preview_plays_the_stored_file_from_a_blob_url_showing_the_clips_own_frames(
    qcut: QCutApp, fal: FakeFal
) -> None:
    qcut.open_new_project()
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()

    qcut.media.select(name)

    qcut.preview.expect_playing(source_kind="blob")
    # Two seconds of two colours: a frozen or blank picture cannot match both.
    for seconds in (0.5, 1.5):
        qcut.preview.expect_frame_colour(CLIP.colour_at(seconds), at_seconds=seconds)


@pytest.mark.detector
def test_coep_block_of_the_remote_preview_is_reported_as_coep_not_csp(
    qcut: QCutApp,
    fal: FakeFal,
    page: Page,
    csp: CspCollector,
    blocked_responses: BlockedResponseLog,
    app_target: AppTarget,
) -> None:
    blocked_responses.expect(VIDEO_HOST)
    # Exactly this switch, whatever the server runs: CSP would otherwise refuse the load before COEP can.
    qcut.open_new_project("?profile=fixed&bugs=coep-require-corp")
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()

    with page.expect_event(
        "requestfailed", lambda request: BLOCKED_BY_RESPONSE in (request.failure or "")
    ) as failed:
        qcut.media.select(name)

    qcut.preview.expect_blocked()
    blocks = blocked_responses.seen(VIDEO_HOST)
    assert blocks, f"the witnesses should have seen the refused load of {failed.value.url}"
    assert all(block.is_coep for block in blocks), f"the refused load should be named a COEP block: {blocks}"
    assert not csp.seen(), f"a COEP block must not be reported as a CSP violation: {csp.log_lines()}"
    if app_target.server is None:
        return  # --app-url: the app's report endpoint is not ours to read
    report = app_target.server.wait_for_coep_report(timeout=10)
    assert VIDEO_HOST in (report["blocked_uri"] or ""), f"the COEP report should name the video: {report}"
