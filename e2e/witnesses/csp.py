"""Collect Content-Security-Policy violations a page really raises, from two independent witnesses.

1. In the page: a `securitypolicyviolation` listener, installed by init script in every document and
   forwarded to Python through a binding (the binding survives navigation; a window buffer would not).
2. In Chromium: the DevTools `Audits.issueAdded` events of kind ContentSecurityPolicyIssue, which also see
   documents the init script missed.

The app server's report endpoint is the third witness; `e2e/conftest.py` reads it separately.
Never combine this with `bypass_csp`: it hides every violation.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e.witnesses.audits import on_audit_issue

BINDING = "__e2eCspViolation"

LOG = "__e2eCspLog"

LISTENER = f"""
window.{LOG} = [];
document.addEventListener("securitypolicyviolation", (event) => {{
  const record = {{
    blockedURI: event.blockedURI, effectiveDirective: event.effectiveDirective,
    violatedDirective: event.violatedDirective, disposition: event.disposition,
    documentURI: event.documentURI,
    // A <meta> policy cannot report, so only a header policy carries report-uri/report-to.
    reporting: /(^|;)\\s*report-(uri|to)\\s/.test(event.originalPolicy || ""),
  }};
  window.{BINDING}(record);
  window.{LOG}.push(record);
}}, true);
"""

# Runs in the page: the first recorded violation matching a directive and a blocked host, or null.
FIND = f"""([directive, host]) => (window.{LOG} || []).find((v) =>
  (!directive || v.effectiveDirective === directive) &&
  (!host || (() => {{ try {{ return new URL(v.blockedURI).hostname === host; }}
                      catch {{ return v.blockedURI === host; }} }})())) || null"""


class PageRecord(TypedDict, total=False):
    """One violation as LISTENER records it in the page and hands it to the binding."""

    blockedURI: str
    effectiveDirective: str
    violatedDirective: str
    disposition: str
    documentURI: str
    reporting: bool


@dataclass(frozen=True)
class Violation:
    """One CSP violation: who saw it, the directive it broke, the URL it blocked."""

    witness: str  # "page" (securitypolicyviolation), "devtools" (Audits) or "report" (report endpoint)
    directive: str
    blocked_url: str
    disposition: str = "enforce"
    document_url: str = ""
    reporting: bool = False  # raised by a policy with report-uri/report-to (the header, in this app)

    @property
    def blocked_host(self) -> str:
        return urlsplit(self.blocked_url).hostname or self.blocked_url

    def matches(self, directive: str | None = None, host: str | None = None) -> bool:
        return (directive is None or self.directive == directive) and (
            host is None or self.blocked_host == host
        )

    def __str__(self) -> str:
        return f"[{self.witness}] {self.directive} blocked {self.blocked_url or '(inline)'}"


class CspCollector:
    """Records the violations of one browser context; tests declare the ones they expect."""

    def __init__(self, context: BrowserContext | None = None) -> None:
        self._lock = threading.Lock()
        self.violations: list[Violation] = []
        self.expected: list[tuple[str | None, str | None]] = []
        if context is not None:
            self.attach(context)

    def attach(self, context: BrowserContext) -> None:
        """Listen in every document of `context` (one collector may watch several contexts)."""
        context.expose_binding(BINDING, self._from_page)
        context.add_init_script(LISTENER)

    def _add(self, violation: Violation) -> None:
        with self._lock:
            self.violations.append(violation)

    def _from_page(self, _source: object, event: PageRecord) -> None:
        self._add(
            Violation(
                witness="page",
                directive=event.get("effectiveDirective") or event.get("violatedDirective", ""),
                blocked_url=event.get("blockedURI", ""),
                disposition=event.get("disposition", "enforce"),
                document_url=event.get("documentURI", ""),
                reporting=bool(event.get("reporting")),
            )
        )

    def watch_devtools(self, cdp: CDPSession) -> None:
        """Also record this page's ContentSecurityPolicyIssue audits (the caller enables Audits once)."""

        def on_issue(details: dict[str, Any]) -> None:
            self._add(
                Violation(
                    witness="devtools",
                    directive=details.get("violatedDirective", ""),
                    blocked_url=details.get("blockedURL", ""),
                    disposition="report" if details.get("isReportOnly") else "enforce",
                )
            )

        on_audit_issue(cdp, "ContentSecurityPolicyIssue", on_issue)

    def seen(self, witness: str | None = None) -> list[Violation]:
        with self._lock:
            return [v for v in self.violations if witness is None or v.witness == witness]

    def expect(self, directive: str | None = None, host: str | None = None) -> None:
        """Declare a violation this test expects, so the teardown check does not fail on it."""
        self.expected.append((directive, host))

    def unexpected(self) -> list[Violation]:
        return [v for v in self.seen() if not any(v.matches(d, h) for d, h in self.expected)]

    def wait_for(
        self, page: Page, directive: str | None = None, host: str | None = None, timeout: float = 10_000
    ) -> Violation:
        """Wait until the page raises a matching violation, and return it; fail saying what it raised.

        Waiting for a violation declares it: the teardown check does not count it as unexpected.
        """
        self.expect(directive, host)
        try:
            page.wait_for_function(FIND, arg=[directive, host], timeout=timeout)
        except PlaywrightTimeoutError:
            seen = "\n  ".join(map(str, self.seen())) or "none"
            raise AssertionError(
                f"expected a CSP violation of {directive or 'any directive'} blocking "
                f"{host or 'any host'}; the page raised:\n  {seen}"
            ) from None
        found = self._first(directive, host)
        assert found is not None, "the page saw the violation but its binding call was lost"
        return found

    def _first(self, directive: str | None, host: str | None) -> Violation | None:
        return next((v for v in self.seen() if v.matches(directive, host)), None)

    def log_lines(self) -> list[str]:
        return [str(v) for v in self.seen()]
