"""The editor's panel tabs, reached as a user reaches them: a tab by its label, after opening its group.

QCut's left panel has had one flat row of tabs (2025: "Media", "AI Video", ...) and, since February 2026, a
row of groups above it ("Create", "Edit", "Library", "Agents") that each show only their own tabs. A tab is
found by its visible label (its role and name where a build gives it one, its test id as one more way); when
it is not shown, the groups it has lived in are opened one by one, as a user would look for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from .wayfinding import FIND_MS, Way, find, gap, shows_any


@dataclass(frozen=True)
class PanelTab:
    """A panel of the editor's left side: its tab's label and test id, and the groups that may hold it."""

    label: str  # what the tab shows: "AI Video"
    test_id: str  # "ai-panel-tab"
    groups: tuple[str, ...]  # the group labels it has been under: ("Create",)


AI_VIDEO = PanelTab("AI Video", "ai-panel-tab", ("Create",))
MEDIA = PanelTab("Media", "media-panel-tab", ("Library",))


class TabBar:
    def __init__(self, page: Page) -> None:
        self.page = page

    def tab_ways(self, tab: PanelTab) -> list[Way]:
        exact = re.compile(rf"^\s*{re.escape(tab.label)}\s*$")
        return [
            Way(f"a tab named {tab.label!r}", self.page.get_by_role("tab", name=exact)),
            Way(f"the text {tab.label!r}", self.page.get_by_text(tab.label, exact=True)),
            Way(f"the test id {tab.test_id!r}", self.page.get_by_test_id(tab.test_id)),
        ]

    def group_ways(self, group: str) -> list[Way]:
        exact = re.compile(rf"^\s*{re.escape(group)}\s*$")
        return [
            Way(f"a group button named {group!r}", self.page.get_by_role("button", name=exact)),
            Way(f"a group tab named {group!r}", self.page.get_by_role("tab", name=exact)),
        ]

    def open(self, tab: PanelTab, panel: Locator, sought: str) -> None:
        """Show `panel` through its tab: at once if the tab shows, else through the first group that does."""
        if panel.is_visible():
            return
        ways = self.tab_ways(tab)
        if not shows_any(ways):
            self._open_group_of(tab, ways)
        # A click can land while the scrolling tab row still moves (seen under load on 2025 builds): as a
        # user would, click the tab once more before calling the view missing.
        for _attempt in range(2):
            find(self.page, f"the {tab.label!r} tab", ways).click()
            try:
                expect(panel).to_be_visible(timeout=FIND_MS)
                return
            except AssertionError:
                continue
        raise gap(self.page, sought, [Way(f"what the {tab.label!r} tab opens", panel)])

    def _open_group_of(self, tab: PanelTab, tab_ways: list[Way]) -> None:
        """Open the group that holds `tab`; a HarnessGap naming the tab and its groups when none shows."""
        groups = [way for group in tab.groups for way in self.group_ways(group)]
        found = find(self.page, f"the {tab.label!r} tab or its group", [*tab_ways, *groups])
        if not shows_any(tab_ways):
            found.click()
