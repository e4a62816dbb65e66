"""The AI Video view (`ai-features-panel`): prompt, model checkboxes, generate, progress and the error box."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from media_app.models import APP_MODELS

# The app's models by the name their checkbox carries, and the FAL endpoint each one calls: LTX on the
# synchronous fal.run path, Kling on the queue.
ENDPOINTS: dict[str, str] = {model.name: model.endpoint for model in APP_MODELS}
SYNC_MODEL = next(model.name for model in APP_MODELS if model.mode == "sync")
QUEUED_MODEL = next(model.name for model in APP_MODELS if model.mode == "queue")
# What the AI panel says when FAL answers with this status (the original's messages, QCut's too).
FAL_MESSAGES: dict[int, str] = {
    401: "Invalid FAL.ai API key. Please check your API key configuration.",
    422: "FAL API error: The content could not be processed because it was flagged by a content checker.",
    429: "Rate limit exceeded. Please wait a moment before trying again.",
    500: "FAL API error: Internal error",
}


# A generated video's name in the media panel, as the original builds it.
def generated_name(prompt: str) -> str:
    return f"AI: {prompt[:30]}..."


def button_text(count: int) -> str:
    """The generate button's label with `count` models ticked and nothing running."""
    return f"Generate with {count} Model{'s' if count != 1 else ''}"


class AIPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.tab = page.get_by_test_id("ai-panel-tab")
        self.panel = page.get_by_test_id("ai-features-panel")
        self.prompt = page.get_by_placeholder("Describe the video you want to generate...")
        self.generate_button = self.panel.get_by_role("button", name=re.compile(r"^Generat"))
        self.status = self.panel.get_by_test_id("ai-status-message")
        self.progress_percent = self.panel.get_by_test_id("ai-progress-percent")
        self.progress_bar = self.panel.get_by_role("progressbar", name="Generation progress")
        self.error_box = self.panel.get_by_role("alert")
        self.results = self.panel.get_by_role("region", name="Generated Videos")
        self.counter = self.panel.get_by_text(re.compile(r"^\d+ characters remaining$"))
        self.prompt_hint = self.panel.get_by_role("note").filter(has_text="Please enter a prompt")
        self.elapsed = self.panel.get_by_text(re.compile(r"^Elapsed: "))

    def model(self, model_name: str) -> Locator:
        return self.panel.get_by_label(f"Select {model_name}", exact=True)

    def endpoint(self, model_name: str) -> str:
        """The FAL endpoint the app calls for the suite's model."""
        return ENDPOINTS[model_name]

    # --- user verbs ---------------------------------------------------------------------------------

    def show(self) -> None:
        self.tab.click()
        expect(self.panel).to_be_visible()

    def start_generation(self, prompt: str, *model_names: str) -> str:
        """Type the prompt, tick the models and click Generate; return the item name the video will get."""
        self.show()
        self.prompt.fill(prompt)
        for name in model_names:
            self.model(name).check()
        expect(self.generate_button).to_have_text(button_text(len(model_names)))
        self.generate_button.click()
        return generated_name(prompt)

    def generate(self, prompt: str, *model_names: str, timeout: float = 30_000) -> str:
        """Generate and wait until the flow is done; return the item name. A run that ends in an error
        fails at once, with what the error box says."""
        name = self.start_generation(prompt, *model_names)
        self.expect_run_ended(timeout)
        if self.panel.get_attribute("data-generation-state") == "error":
            raise AssertionError(f"generation should reach 'done'; it ended in error: {self.error_shown()!r}")
        return name

    # --- expectations -------------------------------------------------------------------------------

    def expect_state(self, state: str, timeout: float = 30_000) -> None:
        expect(self.panel, f"generation should reach {state!r}").to_have_attribute(
            "data-generation-state", state, timeout=timeout
        )

    def expect_progress(
        self, state: str, percent: int, message: str | re.Pattern[str], timeout: float = 30_000
    ) -> None:
        """The panel is in `state`, showing `percent`% and the status `message`, as the user reads them."""
        self.expect_state(state, timeout=timeout)
        expect(self.status, f"the status line should show while {state}").to_be_visible()
        expect(self.status, f"the status line should read {message!r} while {state}").to_have_text(message)
        expect(self.progress_percent, f"the progress should show {percent}% while {state}").to_have_text(
            f"{percent}%"
        )
        expect(self.progress_bar, f"the bar should stand at {percent}% while {state}").to_have_js_property(
            "value", percent
        )

    def expect_submitting(self, model_name: str) -> None:
        """The run is on its way to FAL: 10% and the original's "Submitting <model> request..."."""
        self.expect_progress("submitting", 10, f"Submitting {model_name} request...")

    def expect_downloading(self) -> None:
        """FAL has answered and the video is downloading: 100% and "Downloading video..."."""
        self.expect_progress("downloading", 100, "Downloading video...")

    def expect_running(self) -> None:
        """The generate button says the video is being made and cannot be clicked again."""
        expect(self.generate_button, "the button should say a video is being generated").to_have_text(
            "Generating Video..."
        )
        expect(self.generate_button, "a second generation should not start meanwhile").to_be_disabled()
        expect(self.prompt, "the prompt of a run under way cannot be changed").not_to_be_editable()
        open_to_change = self.panel.get_by_role("checkbox", disabled=False)
        expect(open_to_change, "the models of a run under way cannot be changed").to_have_count(0)

    def expect_ready(self, count: int = 1) -> None:
        """The generate button is back, offering another run with `count` models."""
        expect(self.generate_button, "the generate button should be ready again").to_have_text(
            button_text(count)
        )
        expect(self.generate_button, "the generate button should be clickable again").to_be_enabled()
        expect(self.prompt, "once the run is over, the prompt can be changed again").to_be_editable()
        locked = self.panel.get_by_role("checkbox", disabled=True)
        expect(locked, "once the run is over, every model can be chosen").to_have_count(0)

    def expect_run_ended(self, timeout: float = 30_000) -> None:
        """The run is over, whichever project is on screen: the app's own generation state says so."""
        expect(self.panel, "the run should end").to_have_attribute(
            "data-generation-state", re.compile(r"^(done|error)$"), timeout=timeout
        )

    def expect_done(self, videos: int = 1, timeout: float = 30_000) -> None:
        """The run finished: 100% and the original's success line."""
        self.expect_progress("done", 100, f"Generated {videos} videos successfully!", timeout=timeout)
        expect(self.error_box, "a finished run should show no error").to_be_hidden()

    def expect_error(self, text: str | re.Pattern[str], timeout: float = 30_000) -> None:
        shown = text.pattern if isinstance(text, re.Pattern) else text
        self.expect_state("error", timeout=timeout)
        expect(self.error_box, f"the AI panel's error box should say {shown!r}").to_contain_text(text)
        expect(self.status, "a failed run shows its error, no progress line").to_be_hidden()

    def expect_error_gone(self, text: str) -> None:
        """The error of an earlier run no longer shows: the panel has no error box at all."""
        expect(self.error_box, f"the AI panel should no longer say {text!r}").to_be_hidden()

    def error_shown(self) -> str:
        """What the error box says now ("" when it shows none)."""
        return " ".join(" ".join(text.split()) for text in self.error_box.all_inner_texts())

    def expect_results(self, count: int) -> None:
        """'Generated Videos' lists `count` videos: each one this page made, run after run."""
        rows = self.results.get_by_role("listitem")
        expect(rows, f"'Generated Videos' should list the {count} video(s) this page made").to_have_count(
            count
        )

    def expect_button(self, label: str, *, enabled: bool) -> None:
        """The generate button says `label` and can (or cannot) be clicked."""
        expect(self.generate_button, f"the generate button should say {label!r}").to_have_text(label)
        if enabled:
            expect(self.generate_button, f"{label!r} should be clickable").to_be_enabled()
        else:
            expect(self.generate_button, f"{label!r} should not be clickable").to_be_disabled()

    def expect_counter(self, prompt: str) -> None:
        """The counter under the prompt: what the prompt field's own limit leaves after `prompt`."""
        limit = int(self.prompt.get_attribute("maxlength") or 0)
        left = f"{limit - len(prompt)} characters remaining"
        expect(
            self.counter, f"the counter should say {left!r} for a {len(prompt)}-character prompt"
        ).to_have_text(left)

    def expect_elapsed(self, text: str) -> None:
        expect(self.elapsed, f"the progress box should say the run has taken {text}").to_have_text(
            f"Elapsed: {text}"
        )

    def expect_result_listed(self, text: str) -> None:
        """The 'Generated Videos' list shows `text` (model name or prompt) as plain text."""
        expect(self.results, f"'Generated Videos' should list {text!r}").to_contain_text(text)
