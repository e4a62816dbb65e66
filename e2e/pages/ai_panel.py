"""The AI Video view (`ai-features-panel`): prompt, model checkboxes, generate, progress and the error box."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


# A generated video's name in the media panel, as the original builds it.
def generated_name(prompt: str) -> str:
    return f"AI: {prompt[:30]}..."


class AIPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.tab = page.get_by_test_id("ai-panel-tab")
        self.panel = page.get_by_test_id("ai-features-panel")
        self.prompt = page.get_by_placeholder("Describe the video you want to generate...")
        self.generate_button = self.panel.get_by_role("button", name=re.compile(r"^Generat"))
        self.status = self.panel.get_by_test_id("ai-status-message")
        self.error_box = self.panel.get_by_role("alert")

    def model(self, model_name: str) -> Locator:
        return self.panel.get_by_label(f"Select {model_name}", exact=True)

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
        count = len(model_names)
        expect(self.generate_button).to_have_text(f"Generate with {count} Model{'s' if count != 1 else ''}")
        self.generate_button.click()
        return generated_name(prompt)

    def generate(self, prompt: str, *model_names: str, timeout: float = 30_000) -> str:
        """Generate and wait until the flow is done; return the item name."""
        name = self.start_generation(prompt, *model_names)
        self.expect_state("done", timeout=timeout)
        return name

    # --- expectations -------------------------------------------------------------------------------

    def expect_state(self, state: str, timeout: float = 30_000) -> None:
        expect(self.panel, f"generation should reach {state!r}").to_have_attribute(
            "data-generation-state", state, timeout=timeout
        )

    def expect_error(self, text: str | re.Pattern[str], timeout: float = 30_000) -> None:
        self.expect_state("error", timeout=timeout)
        expect(self.error_box, "the AI panel should say what went wrong").to_contain_text(text)
