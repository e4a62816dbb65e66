"""Settings (#/settings): the FAL API key a user saves, as in the original's API keys tab."""

from __future__ import annotations

from playwright.sync_api import Page, expect


class SettingsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.api_keys_tab = page.get_by_test_id("api-keys-tab")
        self.fal_key = page.get_by_label("FAL API Key")
        self.save_button = page.get_by_role("button", name="Save API Keys")

    def open(self) -> None:
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
        expect(self.api_keys_tab).to_be_visible()

    def save_fal_key(self, key: str) -> None:
        """Type a FAL key and save it (it replaces the key the server preset for this browser)."""
        self.fal_key.fill(key)
        self.save_button.click()
        expect(self.page.locator("[data-sonner-toast]").filter(has_text="API keys saved")).to_be_visible()
