"""QCut's preview panel: what it shows, counted in frames the browser presented, whichever `<video>` it used.

QCut swaps and re-sources its preview `<video>` elements, so the frames are counted for the panel: every
video in it, and every one added later, reports each frame the compositor presents
(`requestVideoFrameCallback`) with its source, and each source it starts to load. A frame is counted only
when it is shown, which sampling `currentTime` on wall time cannot tell; a preview that loads a new source
again and again while it plays (441dd2a5 gives its one `<video>` a new blob: URL on every playhead update)
shows next to nothing, and the check says so instead of waiting out its timeout.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .wayfinding import Way, any_shown, find, without_test_id

FRAMES_TO_SEE = 3
# Sources one playback of one clip may load after Play: its own, and one re-source; more is churn.
MAX_LOADS = 2
# Set before Play is pressed, so a short clip's frames cannot pass before the count starts.
COUNT_FRAMES = """(panel) => {
  panel.__e2eFrames = {};  // presented frames per source
  panel.__e2eLoads = 0;
  const watch = (video) => {
    if (video.__e2eWatched) return;
    video.__e2eWatched = true;
    video.addEventListener("loadstart", () => {
      panel.__e2eLoads += 1;
      panel.__e2eLoaded = video.currentSrc;
    });
    const count = () => {
      if (video.videoWidth > 0) {
        panel.__e2eFrames[video.currentSrc] = (panel.__e2eFrames[video.currentSrc] || 0) + 1;
      }
      video.requestVideoFrameCallback(count);
    };
    video.requestVideoFrameCallback(count);
  };
  panel.querySelectorAll("video").forEach(watch);
  if (!panel.__e2eObserver) {
    panel.__e2eObserver = new MutationObserver(() => panel.querySelectorAll("video").forEach(watch));
    panel.__e2eObserver.observe(panel, {childList: true, subtree: true});
  }
}"""
# Once one source presented `frames` frames, a video failed, or the panel loaded more sources than one
# playback needs: what it showed; false until then (`now`: what it showed so far, settled or not).
SETTLED = """([panel, frames, maxLoads, now]) => {
  const failed = [...panel.querySelectorAll("video")].find((video) => video.error !== null);
  const [src, shown] = Object.entries(panel.__e2eFrames).sort((a, b) => b[1] - a[1])[0] || [null, 0];
  if (!now && shown < frames && !failed && panel.__e2eLoads <= maxLoads) return false;
  return {
    frames: shown,
    loads: panel.__e2eLoads,
    loaded: panel.__e2eLoaded || null,
    sources: Object.keys(panel.__e2eFrames),
    src: failed ? failed.currentSrc : src,
    error: failed ? failed.error.code : null,
  };
}"""


class PreviewPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        skip_back = page.get_by_role("button", name="Skip backward 1s")
        # The panel as a user knows it: the picture above the playback controls; its test id one more way.
        self.panel_ways = [
            Way("the test id 'preview-panel'", page.get_by_test_id("preview-panel")),
            Way(
                "the box holding a video and 'Skip backward 1s'",
                without_test_id(page, "preview-panel")
                .get_by_role("button", name="Skip backward 1s")
                .locator("xpath=ancestor::*[.//video][1]"),
            ),
        ]
        self.panel = any_shown(self.panel_ways)
        self.play_button = page.get_by_test_id("preview-play-button")
        self.pause_button = page.get_by_test_id("preview-pause-button")  # the same button while playing
        # Play/Pause is an icon with no name of its own; a user finds it beside "Skip backward 1s".
        beside_skip = skip_back.locator("xpath=following-sibling::button[1]")
        self.play_ways = [
            Way("the test id 'preview-play-button'", self.play_button),
            Way(
                "the button after 'Skip backward 1s', not playing",
                beside_skip.and_(page.locator("[data-playing=false]")),
            ),
        ]
        self.pause_ways = [
            Way("the test id 'preview-pause-button'", self.pause_button),
            Way(
                "the button after 'Skip backward 1s', playing",
                beside_skip.and_(page.locator("[data-playing=true]")),
            ),
        ]

    # --- user verbs ---------------------------------------------------------------------------------

    def play(self) -> None:
        """Press Play, counting the frames each preview video presents from then on."""
        find(self.page, "the preview panel", self.panel_ways).evaluate(COUNT_FRAMES)
        find(self.page, "the preview's Play button", self.play_ways).click()

    def pause(self) -> None:
        """Stop playback where it is, so the next Play starts it again instead of stopping it."""
        if self.pause_button.is_visible():
            find(self.page, "the preview's Pause button", self.pause_ways).click()
        expect(any_shown(self.play_ways), "the preview should stop playing").to_be_visible()

    # --- expectations -------------------------------------------------------------------------------

    def expect_playing(self, source_kind: str | None = "blob", timeout: float = 15_000) -> None:
        """The preview presents frames of the video; from a blob: URL of the stored file by default."""
        self.play()
        video = self.settled(timeout)
        assert video["error"] is None, (
            "the generated video should play in the preview; its <video> failed "
            f"(MediaError {video['error']}) loading {video['src']}"
        )
        # Timed out after loading more than one source: the churn again, only slower (seen under load).
        churned = video["loads"] > MAX_LOADS or (video["timed_out"] and video["loads"] > 1)
        within = f" in {timeout / 1000:g} s" if video["timed_out"] else ""
        assert not churned, (
            f"the preview should play the video from one source; it loaded {video['loads']} sources while "
            f"playing, a new one each time (the last {video['loaded']}), and no source showed more than "
            f"{video['frames']} frame(s){within}"
        )
        assert not video["timed_out"], (
            f"the generated video should play in the preview; it presented {video['frames']} frame(s)"
            f"{within} from {video['src'] or 'no source'}, and no error"
        )
        scheme = "blob:" if source_kind == "blob" else "https://"
        other = [source for source in video["sources"] if not source.startswith(scheme)]
        if source_kind == "blob":
            assert not other, (
                "the preview should play a blob: URL of the stored file, not the remote URL that CSP or COEP "
                f"can block; it plays {other[0]}"
            )
        elif source_kind:
            assert not other, f"the preview should play the remote URL, not {other[0]}"

    def expect_blocked(self, timeout: float = 15_000) -> None:
        """The preview's video failed to load (what a CSP or COEP refusal does to a `<video>`)."""
        self.play()
        video = self.settled(timeout)
        assert video["error"] is not None, (
            f"the preview should fail to play; it presents frames of {video['src']}"
        )

    def settled(self, timeout: float) -> dict[str, Any]:
        """What the panel showed once it presented enough frames or a video failed: sources, frames, error;
        or, after `timeout` ms without that, what it showed by then (`timed_out`), for the failure to say."""
        handle = self.panel.element_handle()
        try:
            waited = self.page.wait_for_function(
                SETTLED, arg=[handle, FRAMES_TO_SEE, MAX_LOADS, False], timeout=timeout
            )
        except PlaywrightTimeoutError:
            shown: dict[str, Any] = self.page.evaluate(SETTLED, [handle, FRAMES_TO_SEE, MAX_LOADS, True])
            # It may have settled between the last poll and this look.
            unsettled = (
                shown["frames"] < FRAMES_TO_SEE and shown["error"] is None and shown["loads"] <= MAX_LOADS
            )
            return {**shown, "timed_out": unsettled}
        return {**waited.json_value(), "timed_out": False}
