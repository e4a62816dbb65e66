"""One `media-item` card as a user meets it: its badges (Unsaved, URL only, Can't play) and its actions
(Preview, Retry, Save locally, Delete). `MediaPanel.card(name)` builds it; the panel's per-item verbs and
expectations go through it."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from e2e.pages.paint import expect_edged


class MediaCard:
    """The card of one item: `MediaPanel.card(name)`, or `MediaCard(panel.item(name), name)`."""

    def __init__(self, card: Locator, name: str) -> None:
        self.card = card
        self.name = name
        self.unsaved_badge = card.get_by_test_id("unsaved-badge")
        self.url_only_badge = card.get_by_test_id("url-only-badge")
        self.playback_error_badge = card.get_by_test_id("playback-error-badge")
        self.preview_button = card.get_by_role("button", name=f"Preview {name}", exact=True)
        self.retry_button = card.get_by_role("button", name="Retry", exact=True)
        self.save_locally_button = card.get_by_role("button", name="Save locally", exact=True)
        self.delete_button = card.get_by_role("button", name=f"Delete {name}", exact=True)

    # --- user verbs ---------------------------------------------------------------------------------

    def select(self) -> None:
        """Choose the item, which shows it in the preview; its thumbnail button says it is the one chosen."""
        self.preview_button.click()
        expect(self.preview_button, f"{self.name!r} should show it is the one chosen").to_have_attribute(
            "aria-pressed", "true"
        )
        expect_edged(self.card, "top", "--accent", f"{self.name!r} should be framed as the one chosen")

    def retry(self) -> None:
        self.retry_button.click()

    def save_locally(self) -> None:
        self.save_locally_button.click()

    def delete(self) -> None:
        self.delete_button.click()

    # --- expectations -------------------------------------------------------------------------------

    def _expect_badge(self, badge: Locator, text: str, shown: bool) -> None:
        if shown:
            expect(badge, f"{self.name!r} should be badged {text}").to_have_text(text)
        else:
            expect(badge, f"{self.name!r} should not be badged {text}").to_have_count(0)

    def expect_badges(self, *, unsaved: bool, url_only: bool) -> None:
        """Exactly these badges: Unsaved and/or URL only."""
        self._expect_badge(self.unsaved_badge, "Unsaved", unsaved)
        self._expect_badge(self.url_only_badge, "URL only", url_only)

    def expect_unsaved(self, unsaved: bool = True) -> None:
        """The Unsaved badge shows (or, with `unsaved=False`, does not), whatever the URL-only badge does."""
        self._expect_badge(self.unsaved_badge, "Unsaved", unsaved)

    def expect_cannot_play(self, cannot: bool = True) -> None:
        """The Can't play badge shows, its tooltip saying why (or, with `cannot=False`, no badge)."""
        self._expect_badge(self.playback_error_badge, "Can't play", cannot)
        if cannot:
            expect(
                self.playback_error_badge, f"the Can't play badge of {self.name!r} should say why"
            ).to_have_attribute("title", re.compile(r"\S"))

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


def cards_in_state(cards: Locator, state: str) -> Locator:
    """Those of `cards` whose badges say this storage state (saved, unsaved or url-only): how videos named
    alike (one click, several models) are told apart."""
    for test_id, shown in (("unsaved-badge", state != "saved"), ("url-only-badge", state == "url-only")):
        badge = cards.page.get_by_test_id(test_id)
        cards = cards.filter(has=badge) if shown else cards.filter(has_not=badge)
    return cards
