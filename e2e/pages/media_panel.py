"""The media panel's Media view: filter, search, the grid of media-item cards and their badges and actions."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from .media_card import MediaCard

EMPTY_STATE = "Drag and drop videos, photos, and audio files here"


def hidden_hint_text(count: int) -> str:
    """What the hint says when `count` new items are hidden by the type filter or the search."""
    items = "1 new item is" if count == 1 else f"{count} new items are"
    return f"{items} hidden by the type filter or search."


class MediaPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.get_by_test_id("media-panel")
        self.tab = page.get_by_test_id("media-panel-tab")
        self.type_filter = self.panel.get_by_label("Type", exact=True)
        self.search = self.panel.get_by_placeholder("Search media...")
        self.items = self.panel.get_by_test_id("media-item")
        self.empty_state = self.panel.get_by_text(EMPTY_STATE)
        self.loading = self.panel.get_by_role("status").filter(has_text="Loading media...")
        self.hidden_hint = self.panel.get_by_test_id("hidden-items-hint")
        self.clear_filters_button = self.hidden_hint.get_by_role("button", name="Clear filters")
        self.editor = page.get_by_test_id("editor-container")
        self.import_button = self.panel.get_by_role("button", name="+ Import", exact=True)
        # The card chosen for the preview: its thumbnail button stays pressed.
        self.chosen = self.panel.get_by_role("button", pressed=True)

    def item(self, name: str) -> Locator:
        """The card of the item with this full name (its label's title/aria-label, not the truncated text)."""
        return self.panel.get_by_role("listitem", name=name, exact=True)

    def card(self, name: str) -> MediaCard:
        """The item's card: its badges and actions, the one place they are read and used. Of videos named
        alike (one click, several models), the first, as a user reading the list meets them."""
        return MediaCard(self.item(name).first, name)

    # --- user verbs ---------------------------------------------------------------------------------

    def show(self) -> None:
        self.tab.click()
        expect(self.tab).to_have_attribute("aria-selected", "true")

    def filter_by(self, label: str) -> None:
        """Choose All, Video, Audio or Image in the type filter."""
        self.type_filter.select_option(label=label)

    def search_for(self, text: str) -> None:
        self.search.fill(text)

    def clear_filters(self) -> None:
        self.clear_filters_button.click()

    def import_files(self, *paths: Path) -> None:
        """Import files as a user does: "+ Import", then the files chosen in the browser's file dialog."""
        with self.page.expect_file_chooser() as chooser:
            self.import_button.click()
        chooser.value.set_files(list(paths))

    def select(self, name: str) -> None:
        """Choose an item, which shows it in the preview."""
        self.card(name).select()

    def retry(self, name: str) -> None:
        self.card(name).retry()

    def save_locally(self, name: str) -> None:
        self.card(name).save_locally()

    def delete(self, name: str) -> None:
        self.card(name).delete()

    # --- expectations -------------------------------------------------------------------------------

    def expect_loaded(self) -> None:
        expect(self.editor, "the editor should finish loading the project").to_have_attribute(
            "data-loaded", "true"
        )
        expect(self.loading, "once the project is open, no 'Loading media...'").to_be_hidden()

    def expect_item_listed(self, name: str, message: str | None = None, times: int = 1) -> None:
        """Listed `times` times, each visible (one click with several models names its videos alike)."""
        cards, message = self.item(name), message or f"the media panel should list {name!r}"
        expect(cards, message).to_have_count(times)
        for index in range(times):
            expect(cards.nth(index), message).to_be_visible()

    def expect_item_absent(self, name: str, message: str | None = None) -> None:
        expect(self.item(name), message or f"the media panel should not list {name!r}").to_have_count(0)

    def expect_order(self, names: list[str], message: str) -> None:
        """The cards show exactly `names`, in this order, first to last."""
        expect(self.items, message).to_have_count(len(names))
        for index, name in enumerate(names):
            expect(
                self.items.nth(index), f"{message}: card {index + 1} should be {name!r}"
            ).to_have_accessible_name(name)

    def expect_count(self, count: int, message: str | None = None) -> None:
        expect(self.items, message or f"the media panel should show {count} item(s)").to_have_count(count)

    def expect_empty_state(self, message: str = "the media panel should show its empty state") -> None:
        expect(self.empty_state, message).to_be_visible()
        expect(self.items, message).to_have_count(0)

    def expect_no_empty_state(self, message: str = "the empty state should give way to the items") -> None:
        expect(self.empty_state, message).to_be_hidden()

    def expect_hidden_hint(self, count: int = 1, message: str | None = None) -> None:
        """A hint says `count` new items are hidden by the filters and offers "Clear filters"."""
        message = message or f"a hint should say {count} new item(s) are hidden by the type filter or search"
        expect(self.hidden_hint, message).to_be_visible()
        expect(self.hidden_hint, message).to_contain_text(hidden_hint_text(count))
        expect(self.clear_filters_button, f"{message}, with a Clear filters button").to_be_visible()

    def expect_no_hidden_hint(self, message: str = "no hidden-item hint should show") -> None:
        expect(self.hidden_hint, message).to_be_hidden()

    def expect_filters(self, type_label: str = "All", search: str = "") -> None:
        """The type filter shows `type_label` and the search box holds `search`."""
        expect(self.type_filter, f"the type filter should show {type_label!r}").to_have_value(
            type_label.lower()
        )
        expect(self.search, f"the search box should hold {search!r}").to_have_value(search)

    def expect_label_text(self, name: str, text: str) -> None:
        """The card's visible label contains `text` literally (markup in a name stays text)."""
        expect(self.item(name), f"the card of {name!r} should read {text!r} as typed").to_contain_text(text)

    def expect_duration(self, name: str, text: str) -> None:
        """The card's thumbnail shows the video's length as m:ss."""
        expect(self.item(name), f"the card of {name!r} should show its length {text}").to_contain_text(text)

    def expect_cannot_play(self, name: str) -> None:
        self.card(name).expect_cannot_play()

    def expect_unsaved(self, name: str) -> None:
        self.card(name).expect_unsaved()

    def expect_saved(self, name: str) -> None:
        self.card(name).expect_unsaved(False)
