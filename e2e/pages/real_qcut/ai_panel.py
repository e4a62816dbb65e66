"""QCut's AI Video view (`ai-features-panel`): prompt, model checkboxes, Generate, progress, results.

QCut polls a queued job every 5 s with `setTimeout`. The page's clock is installed when the view opens and
moved 5 s on only once the app has logged the status it got, so each poll is driven, never waited out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from e2e.pages.ai_panel import ENDPOINTS, generated_name

from .media_panel import MediaPanel

# QCut's names for the FAL endpoints the suite's models call (apps/web/.../views/ai-constants.ts).
QCUT_MODEL_NAMES = {
    "fal-ai/ltxv-2/text-to-video/fast": "LTX Video 2.0 Fast T2V",
    "fal-ai/kling-video/v2.5-turbo/pro/text-to-video": "Kling v2.5 Turbo Pro",
}
# A build from before both (c844ed1f, 2025-09) offers Kling v2.1: the suite drives it through the queue.
FALLBACK_MODEL_NAME = "Kling v2.1"
SYNC_MODEL_NAME = "LTX Video 2.0 Fast T2V"  # QCut calls LTX-2 on fal.run and waits; others poll
POLL_INTERVAL_MS = 5_000
MAX_POLLS = 60  # QCut's own limit: 5 minutes of 5 s polls


def _is_status_log(message: ConsoleMessage) -> bool:
    # Logged right after a status poll's JSON is read, before the app sleeps for the next poll.
    return "Queue status" in message.text


class AIPanel:
    def __init__(self, page: Page, media: MediaPanel) -> None:
        self.page = page
        self.media = media
        self.tab = page.get_by_test_id("ai-panel-tab")
        self.panel = page.get_by_test_id("ai-features-panel")
        self.prompt = self.panel.locator("#prompt")
        self.generate_button = self.panel.get_by_role("button", name=re.compile(r"^Generat"))
        self.progress = self.panel.get_by_text("Generating...", exact=True)
        self.results = self.panel.get_by_text("Generated Videos", exact=True)

    def model(self, model_name: str) -> Locator:
        """The label of a model's checkbox (QCut's checkbox is visually hidden: a user clicks the label)."""
        return self.label(self.qcut_name(model_name))

    def checkbox(self, qcut_name: str) -> Locator:
        return self.page.get_by_role("checkbox", name=f"Select {qcut_name}", exact=True)

    def label(self, qcut_name: str) -> Locator:
        return self.panel.locator("label").filter(has=self.checkbox(qcut_name))

    def qcut_name(self, model_name: str) -> str:
        """QCut's name for the suite's model: the one calling the same endpoint, or the fallback if absent."""
        expect(self.panel.get_by_role("checkbox").first, "the AI panel should list models").to_be_attached()
        name = QCUT_MODEL_NAMES[ENDPOINTS[model_name]]
        return name if self.label(name).count() else FALLBACK_MODEL_NAME

    # --- user verbs ---------------------------------------------------------------------------------

    def show(self) -> None:
        self.tab.click()
        expect(self.panel).to_be_visible()

    def start_generation(self, prompt: str, *model_names: str) -> str:
        """Type the prompt, tick exactly these models, press Generate; return the video's item name."""
        self.show()
        self.prompt.fill(prompt)
        self.choose_only(*model_names)
        self.generate_button.click()
        return generated_name(prompt)

    def choose_only(self, *model_names: str) -> None:
        """Tick these models and untick any other QCut kept ticked from an earlier generation."""
        wanted = {self.qcut_name(name) for name in model_names}
        for box in self.panel.get_by_role("checkbox", checked=True).all():
            name = (box.get_attribute("aria-label") or "").removeprefix("Select ")
            if name not in wanted:
                self.label(name).click()
        for name in wanted:
            if not self.checkbox(name).is_checked():
                self.label(name).click()

    def generate(self, prompt: str, *model_names: str, timeout: float = 30_000) -> str:
        """Generate with these models and wait until QCut lists the result; return the item's name."""
        self.page.clock.install()  # once per page in effect: Playwright installs its clock script once
        self.show()
        if all(self.qcut_name(model) == SYNC_MODEL_NAME for model in model_names):
            name = self.start_generation(prompt, *model_names)
        else:
            name = self.drive_polls(lambda: self.start_generation(prompt, *model_names), timeout)
        self.expect_result(prompt, timeout=timeout)
        return name

    def drive_polls(self, start: Callable[[], str], timeout: float) -> str:
        """Start a queued job, then answer each of QCut's 5 s sleeps between status polls until it completes.

        Each wait is set up before the action that causes the log, so a fast answer cannot be missed.
        """
        with self.page.expect_console_message(_is_status_log, timeout=timeout) as logged:
            name = start()
        for _ in range(MAX_POLLS):
            if "COMPLETED" in logged.value.text:
                return name
            with self.page.expect_console_message(_is_status_log, timeout=timeout) as logged:
                self.page.clock.fast_forward(POLL_INTERVAL_MS)
        raise AssertionError(f"the queued job should complete within QCut's {MAX_POLLS} polls")

    # --- expectations -------------------------------------------------------------------------------

    def expect_done(self, videos: int = 1, timeout: float = 30_000) -> None:
        """QCut shows its "Generated Videos" results once every model has returned."""
        expect(self.results, "the AI panel should list the generated video").to_be_visible(timeout=timeout)

    def expect_result(self, prompt: str, timeout: float = 30_000) -> None:
        """QCut lists this run's videos (by the prompt's first 30 characters) once every model returned and
        each video went through the media store: it clears the list when a run starts."""
        line = self.panel.get_by_text(f"{prompt[:30]}...", exact=True)
        expect(line.first, f"the AI panel should list the video of {prompt!r}").to_be_visible(timeout=timeout)

    def expect_error(self, text: str | re.Pattern[str], timeout: float = 30_000) -> None:
        """QCut reports a failed generation in an error toast."""
        toast = self.page.locator('[data-sonner-toast][data-type="error"]').filter(has_text=text)
        expect(toast.first, f"an error toast {text!r} should show").to_be_visible(timeout=timeout)
