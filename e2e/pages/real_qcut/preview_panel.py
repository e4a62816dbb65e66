"""QCut's preview panel: whichever `<video>` it shows now, counted in frames the browser presented.

QCut swaps and re-sources its preview `<video>` elements, so every video in the panel, and every one added
later, gets a `requestVideoFrameCallback` counter, and the check passes on the first that has presented
frames: a frame is only counted when the compositor shows it, which sampling `currentTime` cannot tell.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

FRAMES_TO_SEE = 3
# Counts presented frames on every video in the panel, now and as QCut adds them; set before Play is
# pressed, so a short clip's frames cannot pass before the count starts.
COUNT_FRAMES = """(panel) => {
  const watch = (video) => {
    if (video.__e2eFrames !== undefined) return;
    video.__e2eFrames = 0;
    const count = () => { video.__e2eFrames += 1; video.requestVideoFrameCallback(count); };
    video.requestVideoFrameCallback(count);
  };
  panel.querySelectorAll("video").forEach(watch);
  if (!panel.__e2eObserver) {
    panel.__e2eObserver = new MutationObserver(() => panel.querySelectorAll("video").forEach(watch));
    panel.__e2eObserver.observe(panel, {childList: true, subtree: true});
  }
}"""
# The first video that presented `frames` frames or failed; false until then (polled).
SETTLED = """([panel, frames]) => {
  const videos = [...panel.querySelectorAll("video")];
  const shown = videos.find((video) => video.__e2eFrames >= frames && video.videoWidth > 0 && !video.error);
  const settled = shown || videos.find((video) => video.error !== null);
  if (!settled) return false;
  return {src: settled.currentSrc, frames: settled.__e2eFrames, error: settled.error && settled.error.code};
}"""


class PreviewPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.get_by_test_id("preview-panel")
        self.play_button = page.get_by_test_id("preview-play-button")

    # --- user verbs ---------------------------------------------------------------------------------

    def play(self) -> None:
        """Press Play, counting the frames each preview video presents from then on."""
        self.panel.evaluate(COUNT_FRAMES)
        self.play_button.click()

    # --- expectations -------------------------------------------------------------------------------

    def expect_playing(self, source_kind: str | None = "blob", timeout: float = 15_000) -> None:
        """The preview presents frames of the video; from a blob: URL of the stored file by default."""
        self.play()
        video = self.settled(timeout)
        assert video["error"] is None, (
            "the generated video should play in the preview; its <video> failed "
            f"(MediaError {video['error']}) loading {video['src']}"
        )
        if source_kind == "blob":
            assert video["src"].startswith("blob:"), (
                "the preview should play a blob: URL of the stored file, not the remote URL that CSP or COEP "
                f"can block; it plays {video['src']}"
            )
        elif source_kind:
            assert video["src"].startswith("https://"), (
                f"the preview should play the remote URL, not {video['src']}"
            )

    def expect_blocked(self, timeout: float = 15_000) -> None:
        """The preview's video failed to load (what a CSP or COEP refusal does to a `<video>`)."""
        self.play()
        video = self.settled(timeout)
        assert video["error"] is not None, (
            f"the preview should fail to play; it presents frames of {video['src']}"
        )

    def settled(self, timeout: float) -> dict[str, Any]:
        """The first preview video that presented frames or failed: its src, frames and MediaError code."""
        arg = [self.panel.element_handle(timeout=timeout), FRAMES_TO_SEE]
        return self.page.wait_for_function(SETTLED, arg=arg, timeout=timeout).json_value()
