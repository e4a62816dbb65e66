"""QCut's model choice in the AI Video view, as each build offers it.

2025 builds tick a checkbox per model ("Select <model>", visually hidden: a user clicks its label). 2026
builds show a grid of toggle buttons (the model's name, a badge, the price) whose only state is how they
look, and count the choice on the Generate button ("Generate (2 models)"). A toggle is taken as chosen when
it looks unlike most of its grid, and that reading is checked against the button's count: where the two
disagree, the suite says it cannot tell the choice (a harness gap), rather than generate with other models.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from .wayfinding import Way, find, gap

GENERATE_COUNT = re.compile(r"Generate \((\d+) models?\)")
MODEL_CHECKBOX = re.compile(r"^Select ")  # 2025: "Select <model>"; other checkboxes (settings) are not models
# The names of the toggles in a grid that look chosen: those whose background differs from most of them.
CHOSEN_TOGGLES = """(toggle) => {
  const toggles = [...toggle.parentElement.children].filter((element) => element.tagName === "BUTTON");
  // A hover's colour transition still running reads as another background: end it as the eye would.
  toggles.forEach((element) => element.getAnimations().forEach((animation) => animation.finish()));
  const background = (element) => getComputedStyle(element).backgroundColor;
  const counts = {};
  toggles.forEach((element) => { counts[background(element)] = (counts[background(element)] || 0) + 1; });
  const usual = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
  return toggles.filter((element) => background(element) !== usual)
    .map((element) => element.innerText.split("\\n")[0].trim());
}"""


class ModelPicker:
    def __init__(self, page: Page, panel: Locator) -> None:
        self.page = page
        self.panel = panel
        self.generate_button = panel.get_by_role("button", name=re.compile(r"^Generat"))

    def checkbox(self, name: str) -> Locator:
        return self.page.get_by_role("checkbox", name=f"Select {name}", exact=True)

    def label(self, name: str) -> Locator:
        return self.label_of(self.checkbox(name))

    def label_of(self, checkbox: Locator) -> Locator:
        return self.panel.locator("label").filter(has=checkbox)

    def toggle(self, name: str) -> Locator:
        return self.panel.get_by_role("button").filter(has=self.page.get_by_text(name, exact=True))

    def control(self, name: str) -> Locator:
        """What a user clicks to choose or drop the model: its checkbox's label, or its toggle."""
        return self.label(name) if self.label(name).count() else self.toggle(name)

    def wait_listed(self, name: str) -> None:
        """The view lists its models (checkboxes or toggles); a HarnessGap naming `name` otherwise."""
        ways = [
            Way(f"a checkbox named 'Select {name}'", self.label(name)),
            Way(f"a button showing {name!r}", self.toggle(name)),
            # From the page's root: a locator given to `has` is read inside each label.
            Way("any model checkbox", self.label_of(self.page.get_by_role("checkbox", name=MODEL_CHECKBOX))),
        ]
        find(self.page, "the AI Video view's model list", ways)

    def offers(self, name: str) -> bool:
        return bool(self.label(name).count() or self.toggle(name).count())

    def choose_only(self, names: set[str]) -> None:
        """Choose exactly these models, dropping any other the view kept chosen."""
        if self.panel.get_by_role("checkbox", name=MODEL_CHECKBOX).count():
            self._tick_only(names)
        else:
            self._toggle_only(names)

    def _tick_only(self, names: set[str]) -> None:
        for box in self.panel.get_by_role("checkbox", name=MODEL_CHECKBOX, checked=True).all():
            name = (box.get_attribute("aria-label") or "").removeprefix("Select ")
            if name not in names:
                self.label(name).click()
        for name in names:
            if not self.checkbox(name).is_checked():
                self.label(name).click()

    def _toggle_only(self, names: set[str]) -> None:
        first = next(iter(names))
        any_toggle = find(
            self.page, f"the model toggle {first!r}", [Way(f"a button showing {first!r}", self.toggle(first))]
        )
        self.page.mouse.move(0, 0)  # a toggle under the pointer looks chosen: hover changes its background
        chosen = set(any_toggle.evaluate(CHOSEN_TOGGLES))
        for name in sorted(chosen ^ names):
            self.toggle(name).first.click()
        counted = GENERATE_COUNT.search(self.generate_button.inner_text())
        if counted is None or int(counted[1]) != len(names):
            raise gap(
                self.page,
                f"exactly the models {sorted(names)} chosen (the Generate button says "
                f"{self.generate_button.inner_text()!r}; toggles that looked chosen: {sorted(chosen)})",
                [Way("toggles told apart by their background", any_toggle)],
            )
