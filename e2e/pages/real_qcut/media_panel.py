"""QCut's media view: type filter, search, its cards (full name in the label's title) and their clips.

A card and a clip are found by their test ids (`media-item`, `timeline-element`) and, on a build without
them (QCut before its test ids, or one that renamed them), by what a user sees: a card is the box around its
name's label that holds its + button; a clip is its full name shown on the timeline.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from e2e.pages.media_panel import hidden_hint_text

from .projects_page import EDITOR_LOAD_MS, media_panel_ways
from .tab_bar import MEDIA, TabBar
from .wayfinding import FIND_MS, Way, any_shown, find, gap, without_test_id

TYPES = ("All", "Video", "Audio", "Image")
CARD_TEST_ID = "media-item"
TIMELINE_TEST_ID = "timeline-element"

EMPTY_STATE = "Drag and drop videos, photos, and audio files here"
# A card's label: titled with the item's full name (its text is shortened), and named so to a screen reader.
CARD_LABEL = "xpath=.//*[@title and @aria-label = @title][not(self::button)]"
# The card around a label: the nearest box holding a button (its + "Add to timeline") that holds no other
# label and no field (else it is the panel itself, around a card that lost its button).
AROUND_LABEL = (
    "xpath=ancestor::*[.//button][1][count(.//*[@title and @aria-label = @title]) = 1][not(.//input)]"
)


# The names of the items in the app's media store (bridged onto `window` by store_bridge.py).
STORE_NAMES = "() => window.useMediaStore?.getState().mediaItems.map((item) => item.name) ?? null"


def store_holding(name: str, held: list[str] | None) -> str:
    """Whether the app's own media store (its item names `held`; None where it cannot be reached) holds
    `name`: an item it never added is the app's doing, one it holds but the panel does not show may be the
    suite's."""
    if held is None:
        return "the app's media store is not reachable"
    if name in held:
        return f"the app's media store holds {name!r}, yet the panel does not show it"
    return f"the app's media store holds no item named {name!r} (it holds {held})"


class MediaPanel:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = any_shown(media_panel_ways(page))
        self.search = self.panel.get_by_placeholder("Search media...")
        self.items = self.panel.get_by_test_id(CARD_TEST_ID).or_(
            without_test_id(page, CARD_TEST_ID, within=self.panel).locator(CARD_LABEL).locator(AROUND_LABEL)
        )
        self.empty_state = self.panel.get_by_text(EMPTY_STATE)
        self.timeline_elements = page.get_by_test_id(TIMELINE_TEST_ID)
        self.without_clip_test_id = without_test_id(page, TIMELINE_TEST_ID)
        # QCut's type filter is an unlabelled select beside the search: a user knows it by what it shows.
        self.type_filter = self.panel.get_by_role("combobox").filter(
            has_text=re.compile(rf"^({'|'.join(TYPES)})$")
        )
        self.hidden_hint = self.panel.get_by_text(re.compile(r"hidden by the type filter or search"))
        # 2026 builds put a selection toolbar in place of the search while a card is chosen.
        self.deselect_button = self.panel.get_by_role("button", name="Deselect", exact=True)
        self.clear_filters_button = self.panel.get_by_role("button", name="Clear filters", exact=True)

    def item(self, name: str) -> Locator:
        """The card of the item with this full name (the label's title; the visible text is shortened)."""
        return self.items.filter(has=self.page.get_by_title(name, exact=True))

    def expect_card(self, name: str, message: str) -> Locator:
        """The card of `name` once the panel lists it. Where the panel shows the name in no card the suite
        knows (a build that renamed its cards), a harness-gap at once, not a wait blamed on the app."""
        card = self.item(name)
        named = self.panel.get_by_title(name, exact=True).or_(self.panel.get_by_text(name, exact=True))
        try:
            expect(card.or_(named).first, message).to_be_visible()
        except AssertionError as missing:
            raise AssertionError(
                f"{message}: {store_holding(name, self.page.evaluate(STORE_NAMES))}"
            ) from missing
        if card.count() == 0:
            ways = [
                Way(f"the test id {CARD_TEST_ID!r} holding its title", card),
                Way("the box around its titled label that holds its + button", card),
            ]
            raise gap(self.page, f"the card of {name!r}, whose name the media panel shows", ways)
        return card

    # --- user verbs ---------------------------------------------------------------------------------

    def show(self) -> None:
        """Open the Media view the way a user does (its group first, where the build has groups). Where a
        chosen card has put the selection toolbar in place of the search (2026), Deselect brings it back."""
        shown = self.search.or_(self.deselect_button).first
        TabBar(self.page).open(MEDIA, shown, "the Media view's search field")
        if self.deselect_button.is_visible():
            self.deselect_button.click()
            expect(self.search, "Deselect should bring back the media view's search").to_be_visible()

    def search_for(self, text: str) -> None:
        """Type into the Media view's search (opening the view first: 2026 builds may show another)."""
        self.show()
        self.search.fill(text)

    def filter_by(self, label: str) -> None:
        """Choose All, Video, Audio or Image in the type filter, as a user opens a select."""
        self.show()
        ways = [Way(f"a select beside the search showing one of {list(TYPES)}", self.type_filter)]
        find(self.page, "the media panel's type filter", ways).click()
        self.page.get_by_role("option", name=label, exact=True).click()
        expect(self.type_filter, f"the type filter should show {label!r}").to_have_text(label)

    def clear_filters(self) -> None:
        self.clear_filters_button.click()

    def select(self, name: str) -> None:
        """Preview an item the QCut way: add it to the timeline with the card's + button."""
        card = self.expect_card(name, f"the media panel should list {name!r} to preview it").first
        card.hover()
        # The card's one unlabelled button, shown on hover: "Add to timeline".
        card.get_by_role("button").first.click()
        # The timeline's clip shows the full name (the card only a shortened one, in its titled label). The
        # name seen outside the card but in no clip the suite knows means the suite has lost its way, and it
        # says so rather than blame the app.
        clip = self.timeline_elements.or_(self._clip_shown(name, exact=True))
        either = clip.or_(self._clip_shown(name, exact=False))
        expect(either, f"{name!r} should be on the timeline").not_to_have_count(0)
        try:
            expect(clip).not_to_have_count(0, timeout=FIND_MS)
        except AssertionError:
            ways = [
                Way(f"the test id {TIMELINE_TEST_ID!r}", self.timeline_elements),
                Way("its full name alone, outside a card's label", clip),
            ]
            raise gap(self.page, f"{name!r} on the timeline, whose name the page shows", ways) from None

    def _clip_shown(self, name: str, exact: bool) -> Locator:
        """Text naming `name` outside a card's titled label, on a build without the clips' test id."""
        return self.without_clip_test_id.get_by_text(name, exact=exact).locator("xpath=self::*[not(@title)]")

    def retry(self, name: str) -> None:
        self.item(name).get_by_role("button", name="Retry", exact=True).click()

    def save_locally(self, name: str) -> None:
        self.item(name).get_by_role("button", name="Save locally", exact=True).click()

    # --- expectations -------------------------------------------------------------------------------

    def expect_loaded(self) -> None:
        expect(self.panel, "the editor should show its media panel").to_be_visible(timeout=EDITOR_LOAD_MS)

    def expect_item_listed(self, name: str, message: str | None = None, times: int = 1) -> None:
        """Listed `times` times, each visible (one click with several models names its videos alike)."""
        message = message or f"the media panel should list {name!r}"
        cards = self.expect_card(name, message)
        expect(cards, message).to_have_count(times)
        for index in range(times):
            expect(cards.nth(index), message).to_be_visible()

    def expect_item_absent(self, name: str, message: str | None = None) -> None:
        self.show()  # absent from a view not shown proves nothing (2026 builds may open another view)
        # By its name too: cards under another test id would otherwise make any name absent.
        shown = self.item(name).or_(self.panel.get_by_title(name, exact=True))
        expect(shown, message or f"the media panel should not list {name!r}").to_have_count(0)

    def expect_count(self, count: int, message: str | None = None) -> None:
        expect(self.items, message or f"the media panel should show {count} item(s)").to_have_count(count)

    def expect_empty_state(self, message: str = "the media panel should show its empty state") -> None:
        self.show()
        expect(self.empty_state, message).to_be_visible()
        expect(self.items, message).to_have_count(0)

    def expect_no_empty_state(self, message: str = "the empty state should give way to the items") -> None:
        self.show()
        expect(self.empty_state, message).to_be_hidden()

    def expect_label_text(self, name: str, text: str) -> None:
        """The card's visible label contains `text` literally (markup in a name stays text)."""
        expect(self.item(name), f"the card of {name!r} should read {text!r} as typed").to_contain_text(text)

    def expect_filters(self, type_label: str = "All", search: str = "") -> None:
        """The type filter shows `type_label` and the search box holds `search`."""
        expect(self.type_filter, f"the type filter should show {type_label!r}").to_have_text(type_label)
        expect(self.search, f"the search box should hold {search!r}").to_have_value(search)

    def expect_hidden_hint(self, count: int = 1, message: str | None = None) -> None:
        """Plan feature: a hint that new items are hidden by the filters, with Clear filters."""
        message = message or f"a hint should say {count} new item(s) are hidden by the type filter or search"
        expect(self.panel.get_by_text(hidden_hint_text(count)), message).to_be_visible()
        expect(self.clear_filters_button, f"{message}, with a Clear filters button").to_be_visible()

    def expect_no_hidden_hint(self, message: str = "no hidden-item hint should show") -> None:
        expect(self.hidden_hint, message).to_be_hidden()

    def expect_unsaved(self, name: str) -> None:
        """Plan feature: an "Unsaved" badge on the card (no QCut commit here has one)."""
        expect(
            self.item(name).get_by_text("Unsaved", exact=True), f"{name!r} should be badged Unsaved"
        ).to_be_visible()

    def expect_cannot_play(self, name: str) -> None:
        """Plan feature: a "Can't play" badge on a card whose video does not decode (no QCut has one)."""
        expect(
            self.item(name).get_by_text("Can't play", exact=True), f"{name!r} should be badged Can't play"
        ).to_be_visible()

    def expect_saved(self, name: str) -> None:
        expect(
            self.item(name).get_by_text("Unsaved", exact=True), f"{name!r} should not be badged Unsaved"
        ).to_have_count(0)
