"""The browser console and uncaught page errors of one test, kept for its artifacts and its verdict.

An uncaught page error fails the test; the console is written next to the
trace and screenshot when a test fails, so a reader sees what a user's DevTools would have shown.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from playwright.sync_api import ConsoleMessage, Error, Page


@dataclass(frozen=True)
class ConsoleLine:
    """One console message or page error, as DevTools would print it."""

    kind: str  # console type ("log", "error", "warning", ...) or "pageerror"
    text: str
    url: str = ""

    def __str__(self) -> str:
        where = f"  ({self.url})" if self.url else ""
        return f"[{self.kind}] {self.text}{where}"


class ConsoleLog:
    """Records every console message and uncaught error of the pages it watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.lines: list[ConsoleLine] = []

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        # Playwright always gives a location (its url is "" when the page has none).
        url = message.location["url"]
        with self._lock:
            self.lines.append(ConsoleLine(message.type, message.text, url))

    def _on_page_error(self, error: Error) -> None:
        with self._lock:
            self.lines.append(ConsoleLine("pageerror", f"{error.name}: {error.message}"))

    def page_errors(self) -> list[ConsoleLine]:
        with self._lock:
            return [line for line in self.lines if line.kind == "pageerror"]

    def text(self) -> str:
        with self._lock:
            return "\n".join(map(str, self.lines)) + "\n"
