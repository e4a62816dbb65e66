"""QCut's media view: type filter, search, the `media-item` cards (full name in the label's title)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .projects_page import EDITOR_LOAD_MS
from .tab_bar import MEDIA, TabBar

EMPTY_STATE = "Drag and drop videos, photos, and audio files here"


class MediaPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.get_by_test_id("media-panel")
        self.search = self.panel.get_by_placeholder("Search media...")
        self.items = self.panel.get_by_test_id("media-item")
        self.empty_state = self.panel.get_by_text(EMPTY_STATE)
        self.timeline_elements = page.get_by_test_id("timeline-element")

    def item(self, name: str) -> Locator:
        """The card of the item with this full name (the label's title; the visible text is shortened)."""
        return self.items.filter(has=self.page.get_by_title(name, exact=True))

    # --- user verbs ---------------------------------------------------------------------------------

    def show(self) -> None:
        """Open the Media view the way a user does (its group first, where the build has groups)."""
        TabBar(self.page).open(MEDIA, self.search, "the Media view's search field")

    def search_for(self, text: str) -> None:
        self.search.fill(text)

    def select(self, name: str) -> None:
        """Preview an item the QCut way: add it to the timeline with the card's + button."""
        card = self.item(name)
        card.hover()
        # The card's one unlabelled button, shown on hover: "Add to timeline".
        card.get_by_role("button").first.click()
        expect(self.timeline_elements, f"{name!r} should be on the timeline").not_to_have_count(0)

    def retry(self, name: str) -> None:
        self.item(name).get_by_role("button", name="Retry", exact=True).click()

    def save_locally(self, name: str) -> None:
        self.item(name).get_by_role("button", name="Save locally", exact=True).click()

    # --- expectations -------------------------------------------------------------------------------

    def expect_loaded(self) -> None:
        expect(self.panel, "the editor should show its media panel").to_be_visible(timeout=EDITOR_LOAD_MS)

    def expect_item_listed(self, name: str, message: str | None = None) -> None:
        expect(self.item(name), message or f"the media panel should list {name!r}").to_be_visible()

    def expect_item_absent(self, name: str, message: str | None = None) -> None:
        expect(self.item(name), message or f"the media panel should not list {name!r}").to_have_count(0)

    def expect_count(self, count: int, message: str | None = None) -> None:
        expect(self.items, message or f"the media panel should show {count} item(s)").to_have_count(count)

    def expect_empty_state(self, message: str = "the media panel should show its empty state") -> None:
        expect(self.empty_state, message).to_be_visible()
        expect(self.items, message).to_have_count(0)

    def expect_unsaved(self, name: str) -> None:
        """Plan feature: an "Unsaved" badge on the card (no QCut commit here has one)."""
        expect(
            self.item(name).get_by_text("Unsaved", exact=True), f"{name!r} should be badged Unsaved"
        ).to_be_visible()

    def expect_saved(self, name: str) -> None:
        expect(
            self.item(name).get_by_text("Unsaved", exact=True), f"{name!r} should not be badged Unsaved"
        ).to_have_count(0)
