"""Toasts in sonner's markup: `[data-sonner-toast]` with data-type error, warning, success or info."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

# Sonner keeps a toast's element while it is up, so a mark set on it stays until it goes.
MARK_SHOWN = (
    "() => document.querySelectorAll('[data-sonner-toast]').forEach((t) => { t.dataset.e2eShown = '1'; })"
)


class Toasts:
    def __init__(self, page: Page) -> None:
        self.page = page

    def of_type(self, kind: str) -> Locator:
        return self.page.locator(f'[data-sonner-toast][data-type="{kind}"]')

    def mark_shown(self) -> None:
        """Mark the toasts on screen now, so `new_of_type` tells a toast shown again from one still up."""
        self.page.evaluate(MARK_SHOWN)

    def new_of_type(self, kind: str) -> Locator:
        """The toasts of `kind` shown since `mark_shown`."""
        return self.page.locator(f'[data-sonner-toast][data-type="{kind}"]:not([data-e2e-shown])')

    def with_title(self, kind: str, title: str | re.Pattern[str]) -> Locator:
        return self.of_type(kind).filter(has_text=title)

    def action(self, kind: str, title: str | re.Pattern[str], action: str) -> Locator:
        return self.with_title(kind, title).first.get_by_role("button", name=action, exact=True)

    def up_now(self, kind: str, title: str | re.Pattern[str] = "") -> list[str]:
        """The toasts of `kind` (with `title`) up at this moment, read once. To say a toast did not come once
        what would bring it is over: waiting for it to be absent would let a 4 s toast time out and pass."""
        shown = self.with_title(kind, title) if title else self.new_of_type(kind)
        return [" ".join(text.split()) for text in shown.all_inner_texts()]

    # --- expectations -------------------------------------------------------------------------------

    def expect_toast(self, kind: str, title: str | re.Pattern[str], message: str | None = None) -> None:
        expect(
            self.with_title(kind, title).first, message or f"a {kind} toast {title!r} should show"
        ).to_be_visible()

    def expect_action(self, kind: str, title: str | re.Pattern[str], action: str) -> None:
        """The toast offers a button named `action`."""
        expect(
            self.action(kind, title, action), f"the {kind} toast {title!r} should offer {action!r}"
        ).to_be_visible()
