"""One `media-item` card's state as a user reads it: its badges (Unsaved, URL only) and its actions."""

from __future__ import annotations

from playwright.sync_api import Locator, expect


class MediaCard:
    """The card of one item; build it from `MediaPanel.item(name)`."""

    def __init__(self, card: Locator, name: str) -> None:
        self.card = card
        self.name = name
        self.unsaved_badge = card.get_by_test_id("unsaved-badge")
        self.url_only_badge = card.get_by_test_id("url-only-badge")
        self.retry_button = card.get_by_role("button", name="Retry", exact=True)
        self.save_locally_button = card.get_by_role("button", name="Save locally", exact=True)

    def expect_badges(self, *, unsaved: bool, url_only: bool) -> None:
        """Exactly these badges: Unsaved and/or URL only."""
        for badge, text, shown in (
            (self.unsaved_badge, "Unsaved", unsaved),
            (self.url_only_badge, "URL only", url_only),
        ):
            if shown:
                expect(badge, f"{self.name!r} should be badged {text}").to_have_text(text)
            else:
                expect(badge, f"{self.name!r} should not be badged {text}").to_have_count(0)

    def expect_actions(self, *, retry: bool, save_locally: bool) -> None:
        """Exactly these storage actions on the card: Retry and/or Save locally."""
        for button, label, offered in (
            (self.retry_button, "Retry", retry),
            (self.save_locally_button, "Save locally", save_locally),
        ):
            if offered:
                expect(button, f"{self.name!r} should offer {label}").to_be_visible()
            else:
                expect(button, f"{self.name!r} should not offer {label}").to_have_count(0)

    def expect_unsaved_reason(self, reason: str) -> None:
        """The Unsaved badge's tooltip says why the save failed (the store's storageError)."""
        expect(
            self.unsaved_badge, f"the Unsaved badge of {self.name!r} should say why: {reason!r}"
        ).to_have_attribute("title", reason)
