"""Colours as a user sees them: the stylesheet names them (`--accent`, `--error`), the screen shows rgb."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

# The colour the page's stylesheet gives a custom property, as the browser computes it.
COLOUR_OF = """(variable) => {
  const probe = document.createElement("i");
  probe.style.color = `var(${variable})`;
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}"""


def expect_edged(element: Locator, side: str, variable: str, message: str) -> None:
    """`element`'s border on `side` (top, left, ...) shows the stylesheet's `variable` colour."""
    colour = element.page.evaluate(COLOUR_OF, variable)
    expect(element, message).to_have_css(f"border-{side}-color", colour)
