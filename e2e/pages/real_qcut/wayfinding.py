"""Finding one's way on a QCut build the suite was never shown: by what a user sees, or saying why not.

QCut regroups its panels from one month to the next (a flat tab bar in 2025, groups "Create", "Edit",
"Library" and "Agents" in 2026, a landing page at `/`). A page object asks for a control by the ways a user
would find it (its role and visible name first, a test id as one more way); when none of them shows within
`FIND_MS`, the step ends at once with a `HarnessGap` that names what was sought and what the page offered
instead (visible tabs, buttons, headings), so a reorganised build reads as the suite losing its way, never
as a bug of the app and never as a bare timeout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

HARNESS_GAP = "harness-gap"
# How long a control the page should already show may take to appear: the editor is mounted by then, so
# more time would only turn a missing control into a slow failure.
FIND_MS = 5_000
NOTHING_SHOWN = "nothing visible"

# What the page offers, by kind, as a user would name it: each visible control's accessible text.
OFFERED = """() => {
  const shown = (element) => element.getClientRects().length > 0
    && getComputedStyle(element).visibility !== "hidden";
  const name = (element) => (element.getAttribute("aria-label") || element.innerText || element.title || "")
    .replace(/\\s+/g, " ").trim().slice(0, 40);
  const names = (selector) => [...new Set([...document.querySelectorAll(selector)]
    .filter(shown).map(name).filter(Boolean))].slice(0, 40);
  return {
    tabs: names("[role=tab]"),
    buttons: names("button, [role=button]"),
    headings: names("h1, h2, h3, [role=heading]"),
    links: names("a[href]"),
  };
}"""


class HarnessGap(AssertionError):
    """The suite cannot find what a step needs on this build (a harness gap, not a bug of the app)."""


@dataclass(frozen=True)
class Way:
    """One way a user finds a control, and how a report names it (`tab named "AI"`)."""

    described: str
    locator: Locator


def offered(page: Page) -> str:
    """What the page shows a user, by kind, for a harness-gap message."""
    found: dict[str, list[str]] = page.evaluate(OFFERED)
    parts = [f"{kind} {items}" for kind, items in found.items() if items]
    return "; ".join(parts) or NOTHING_SHOWN


def gap(page: Page, sought: str, ways: Sequence[Way]) -> AssertionError:
    """The error for a control none of `ways` found: what was sought, how, and what was there (a plain
    AssertionError when the page shows nothing at all)."""
    how = " or ".join(way.described for way in ways)
    shown = offered(page)
    if shown == NOTHING_SHOWN:
        # A blank page is the app failing to start (its page errors say why), not a page the suite
        # cannot read.
        return AssertionError(f"the app shows nothing: it never rendered {sought} (looked for {how})")
    return HarnessGap(
        f"{HARNESS_GAP}: the suite could not find {sought} on this build (looked for {how}); "
        f"the page offered: {shown}"
    )


def without_test_id(page: Page, test_id: str, within: Locator | None = None) -> Locator:
    """The page's root (or `within`) while nothing on the page carries `test_id`, else nothing: the scope of
    a way by what a control shows, so a build that has the test id never pays for that search (on a 2026
    editor's 45,000 nodes, walking up from a control and looking through each box above it takes seconds a
    query)."""
    absent = f"not(//*[@data-testid='{test_id}'])"
    if within is None:
        return page.locator(f"xpath=/html[{absent}]")
    return within.locator(f"xpath=self::*[{absent}]")


def find(page: Page, sought: str, ways: Sequence[Way], timeout: float = FIND_MS) -> Locator:
    """The first control that one of `ways` shows within `timeout` ms; a HarnessGap otherwise."""
    shown = any_shown(ways)
    try:
        expect(shown).to_be_visible(timeout=timeout)
    except AssertionError:
        raise gap(page, sought, ways) from None
    return shown


def any_shown(ways: Sequence[Way]) -> Locator:
    """The first visible control any of `ways` finds, as one locator: one query, where asking each way in
    turn would cost a query (and a trace snapshot) apiece."""
    either = ways[0].locator
    for way in ways[1:]:
        either = either.or_(way.locator)
    return either.filter(visible=True).first


def shows_any(ways: Sequence[Way]) -> bool:
    """Whether one of `ways` shows a visible control now (no waiting)."""
    return any_shown(ways).is_visible()
