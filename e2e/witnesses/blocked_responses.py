"""Loads the browser refused because of the response's embedder policy (COEP/CORP), not because of CSP.

The user's log was read as a CSP problem, but it said `net::ERR_BLOCKED_BY_RESPONSE.
NotSameOriginAfterDefaultedToSameOriginByCoep`: the app's `Cross-Origin-Embedder-Policy: require-corp`
refused a no-cors `<video>` load from a CDN that sends no `Cross-Origin-Resource-Policy`. Two witnesses:
Playwright's `requestfailed` event (the network error text) and DevTools' BlockedByResponseIssue audit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import CDPSession, Page, Request

from e2e.witnesses.audits import on_audit_issue

BLOCKED_BY_RESPONSE = "ERR_BLOCKED_BY_RESPONSE"


@dataclass(frozen=True)
class BlockedResponse:
    """One load refused by a response policy: who saw it, the URL and Chromium's reason."""

    witness: str  # "network" (requestfailed) or "devtools" (Audits BlockedByResponseIssue)
    url: str
    reason: str

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def is_coep(self) -> bool:
        return "coep" in self.reason.lower()

    def __str__(self) -> str:
        return f"[{self.witness}] {self.url} refused: {self.reason}"


class BlockedResponseLog:
    """Records the response-policy blocks of the pages it watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.blocks: list[BlockedResponse] = []
        self.expected: list[str | None] = []

    def watch(self, page: Page) -> None:
        page.on("requestfailed", self._on_request_failed)

    def watch_devtools(self, cdp: CDPSession) -> None:
        """Also record this page's BlockedByResponseIssue audits (the caller enables Audits once)."""

        def on_issue(details: dict[str, Any]) -> None:
            url = details.get("request", {}).get("url", "")
            self._add(BlockedResponse("devtools", url, details.get("reason", "")))

        on_audit_issue(cdp, "BlockedByResponseIssue", on_issue)

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or ""
        if BLOCKED_BY_RESPONSE in failure:
            self._add(BlockedResponse("network", request.url, failure))

    def _add(self, block: BlockedResponse) -> None:
        with self._lock:
            self.blocks.append(block)

    def seen(self, host: str | None = None) -> list[BlockedResponse]:
        with self._lock:
            return [b for b in self.blocks if host is None or b.host == host]

    def expect(self, host: str | None = None) -> None:
        """Declare a block this test expects (from `host`, or any), so the teardown check allows it."""
        self.expected.append(host)

    def unexpected(self) -> list[BlockedResponse]:
        return [b for b in self.seen() if not any(host in (None, b.host) for host in self.expected)]

    def log_lines(self) -> list[str]:
        return [str(b) for b in self.seen()]
