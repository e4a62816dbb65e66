"""DevTools' `Audits.issueAdded` events of one kind, for the witnesses that read them (CSP, COEP)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import CDPSession


def on_audit_issue(cdp: CDPSession, code: str, handle: Callable[[dict[str, Any]], None]) -> None:
    """Call `handle` with the details of every audit issue of `code` (`BlockedByResponseIssue`, ...).

    The caller enables Audits once, after every listener is on: enabling replays the issues raised so far.
    """
    # DevTools names the details after the code: BlockedByResponseIssue -> blockedByResponseIssueDetails.
    details_key = code[0].lower() + code[1:] + "Details"

    def on_issue(params: dict[str, Any]) -> None:
        issue = params.get("issue", {})
        if issue.get("code") == code:
            handle(issue.get("details", {}).get(details_key, {}))

    cdp.on("Audits.issueAdded", on_issue)
