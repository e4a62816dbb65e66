"""The preview panel: what the chosen item really renders, and why it does not."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

RENDERED = "(video) => video.readyState >= 2 && video.videoWidth > 0 && !video.error"


class PreviewPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.get_by_test_id("preview-panel")
        self.video = self.panel.get_by_label("Preview video")
        self.error = self.panel.get_by_role("alert")

    def expect_playing(self, source_kind: str | None = "blob", timeout: float = 15_000) -> None:
        """The video decodes frames (videoWidth > 0); from a blob: URL of the stored file by default."""
        expect(self.panel, "the preview should render the video").to_have_attribute(
            "data-preview-state", re.compile(r"^(ready|playing|paused|ended)$"), timeout=timeout
        )
        self.page.wait_for_function(RENDERED, arg=self.video.element_handle(), timeout=timeout)
        if source_kind:
            expect(self.panel, f"the preview should play from a {source_kind} URL").to_have_attribute(
                "data-source-kind", source_kind
            )
            expect(self.video).to_have_attribute(
                "src", re.compile(rf"^{source_kind}:" if source_kind == "blob" else r"^https://")
            )

    def expect_blocked(self, timeout: float = 15_000) -> None:
        """The preview says it cannot play the video."""
        expect(self.panel, "the preview should fail to play").to_have_attribute(
            "data-preview-state", "error", timeout=timeout
        )
        expect(self.error).to_contain_text("This video can't be played")
