"""The preview panel: what the chosen item really renders, and why it does not."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.browser.frames import TOLERANCE, Colour, describe, frame_colour

PLAYED = re.compile(r"^(ready|playing|paused|ended)$")
SETTLED = re.compile(r"^(ready|playing|paused|ended|error)$")
RENDERED = "(video) => video.readyState >= 2 && video.videoWidth > 0 && !video.error"
# The preview's title with nothing chosen (or the chosen item gone).
NOTHING_PREVIEWED = "Select a media item to preview"

# Pause on `seconds` and flag the element once the browser has presented that frame
# (requestVideoFrameCallback), so a screenshot shows it rather than the frame before the seek.
SHOW_FRAME = """(video, seconds) => {
  video.__e2eFrameShown = false;
  video.pause();
  video.requestVideoFrameCallback(() => { video.__e2eFrameShown = true; });
  video.currentTime = seconds;
}"""
FRAME_SHOWN = """([video, seconds]) =>
  video.__e2eFrameShown && !video.seeking && Math.abs(video.currentTime - seconds) < 0.05"""
VIDEO_FACTS = """(video) => ({
  src: video.currentSrc, videoWidth: video.videoWidth, videoHeight: video.videoHeight,
  readyState: video.readyState, error: video.error && video.error.code,
})"""


def shown_name(playing: bool) -> str:
    """The control a user needs while the video plays (Pause) or not (Play)."""
    return "Pause" if playing else "Play"


class PreviewPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.get_by_test_id("preview-panel")
        self.video = self.panel.get_by_label("Preview video")
        self.error = self.panel.get_by_role("alert")
        self.title = self.panel.get_by_test_id("preview-title")
        self.play_button = self.panel.get_by_role("button", name="Play", exact=True)
        self.pause_button = self.panel.get_by_role("button", name="Pause", exact=True)

    # --- user verbs ---------------------------------------------------------------------------------

    def show_frame_at(self, seconds: float, timeout: float = 15_000) -> None:
        """Pause the preview on the frame at `seconds`, as a user scrubbing to it."""
        handle = self.video.element_handle(timeout=timeout)
        handle.evaluate(SHOW_FRAME, seconds)
        self.page.wait_for_function(FRAME_SHOWN, arg=[handle, seconds], timeout=timeout)

    # --- expectations -------------------------------------------------------------------------------

    def expect_playing(self, source_kind: str | None = "blob", timeout: float = 15_000) -> None:
        """The video decodes frames (videoWidth > 0); from a blob: URL of the stored file by default."""
        # Settle first (played or failed), so a failure is reported at once with what the user sees.
        expect(self.panel, "the preview should finish loading the video").to_have_attribute(
            "data-preview-state", SETTLED, timeout=timeout
        )
        expect(
            self.error, "the generated video should play in the preview; a user sees this error instead"
        ).to_be_hidden(timeout=1_000)
        expect(self.panel, "the preview should render the video").to_have_attribute(
            "data-preview-state", PLAYED, timeout=timeout
        )
        self.page.wait_for_function(RENDERED, arg=self.video.element_handle(), timeout=timeout)
        if source_kind == "blob":
            where = "a blob: URL of the stored file, not the remote URL that CSP or COEP can block"
        else:
            where = "the remote FAL URL"
        if source_kind:
            expect(self.panel, f"the preview should play from {where}").to_have_attribute(
                "data-source-kind", source_kind
            )
            expect(self.video, f"the video element should play from {where}").to_have_attribute(
                "src", re.compile(r"^blob:" if source_kind == "blob" else r"^https://")
            )

    def expect_held_at(self, seconds: float, why: str) -> None:
        """The preview is still paused on the frame at `seconds`, where the user left it."""
        expect(self.panel, f"the preview should stay paused where it was left: {why}").to_have_attribute(
            "data-preview-state", "paused"
        )
        at = self.video.evaluate("(video) => video.currentTime")
        assert abs(at - seconds) < 0.05, (
            f"the preview should still show {seconds} s: {why}; it shows {at:.2f} s"
        )

    def expect_controls(self, *, playing: bool) -> None:
        """The one control a user needs now: Pause while the video plays, Play while it does not."""
        shown, hidden = (
            (self.pause_button, self.play_button) if playing else (self.play_button, self.pause_button)
        )
        now = "while the video plays" if playing else "while the video is paused"
        expect(shown, f"the preview should offer {shown_name(playing)} {now}").to_be_visible()
        expect(hidden, f"the preview should not offer {shown_name(not playing)} {now}").to_be_hidden()

    def expect_blocked(self, timeout: float = 15_000) -> None:
        """The preview says it cannot play the video."""
        expect(self.panel, "the preview should fail to play").to_have_attribute(
            "data-preview-state", "error", timeout=timeout
        )
        expect(self.error).to_contain_text("This video can't be played")

    def expect_frame_colour(self, expected: Colour, at_seconds: float, tolerance: int = TOLERANCE) -> None:
        """The frame at `at_seconds` really shows `expected` on screen (a screenshot, read with Pillow)."""
        self.show_frame_at(at_seconds)
        shown = frame_colour(self.video.screenshot())
        facts = self.video.evaluate(VIDEO_FACTS)
        assert shown.matches(expected, tolerance), (
            f"the preview should show the clip's {describe(expected)} at {at_seconds} s; a user sees "
            f"{describe(shown.colour)} (off by {shown.distance(expected)}, spread {shown.spread}); "
            f"video {facts}"
        )
