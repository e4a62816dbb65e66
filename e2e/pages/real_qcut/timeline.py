"""QCut's timeline toolbar, for one thing: zooming the empty timeline out before the suite reads the page.

A 2026 editor (53c8b4a6) gives an empty project a two-hour timeline and, at its default zoom, draws a ruler
mark and label for every second: 14,404 elements, 45,841 DOM nodes in all. Every Playwright query walks them,
so each costs about 190 ms there against 21 ms once the timeline is zoomed out (969 nodes; measured with the
same two locators). The suite zooms out as a user with a five-second clip would, with the toolbar's Zoom out
button. The zoom is the timeline's own view state (not saved, reset when the editor mounts), and no test
reads the ruler, so this changes nothing the suite checks; a build without the button is left as it is.
"""

from __future__ import annotations

from playwright.sync_api import Page

# QCut's zoom levels run 0.05, 0.1, 0.25, 0.5 up from the default 1: four steps reach the widest.
ZOOM_OUT_STEPS = 4


def zoom_out(page: Page) -> None:
    """Zoom the timeline out to its widest, where the build has a Zoom out button (an icon, known by its
    test id alone); elsewhere do nothing: this only spares the suite's queries a huge ruler."""
    button = page.get_by_test_id("zoom-out-button")
    if not button.is_visible():
        return
    # The click goes straight to the button's own handler: Playwright's checks before a real click walk the
    # whole page first, which on the two-hour ruler cost 1.6 s for the first step (0.5 s dispatched).
    for _ in range(ZOOM_OUT_STEPS):
        button.dispatch_event("click")
