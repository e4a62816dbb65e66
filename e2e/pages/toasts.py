"""Toasts in sonner's markup: `[data-sonner-toast]` with data-type error, warning, success or info."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


class Toasts:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.all = page.locator("[data-sonner-toast]")

    def of_type(self, kind: str) -> Locator:
        return self.page.locator(f'[data-sonner-toast][data-type="{kind}"]')

    def with_title(self, kind: str, title: str | re.Pattern[str]) -> Locator:
        return self.of_type(kind).filter(has_text=title)

    def click_action(self, kind: str, title: str, action: str) -> None:
        self.with_title(kind, title).get_by_role("button", name=action, exact=True).click()

    def expect_toast(self, kind: str, title: str | re.Pattern[str], message: str | None = None) -> None:
        expect(
            self.with_title(kind, title).first, message or f"a {kind} toast {title!r} should show"
        ).to_be_visible()
