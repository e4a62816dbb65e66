"""What a browser test's pages reveal that the test did not ask about, its verdict, and its logs.

Three kinds of evidence, each with independent witnesses:
- CSP violations: the page's `securitypolicyviolation` events and DevTools' audits (`csp.py`), and the app
  server's report endpoint (the production header's report-to wiring).
- Loads refused by a response policy, COEP/CORP (`blocked_responses.py`).
- Uncaught page errors (`console_log.py`).

Anything a test did not declare fails it, in words that say what a user would have seen. When a test fails,
the console, the CSP log, the blocked responses and the media store are written beside its trace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from e2e.witnesses.blocked_responses import BlockedResponseLog
from e2e.witnesses.console_log import ConsoleLog
from e2e.witnesses.csp import CspCollector, Violation

# A report follows its violation within about 0.1 s (report-to, trusted certificate); this bounds the wait
# for reports the page says are on their way, so none arrives during the next test.
REPORT_WAIT_SECONDS = 5.0

# Runs in the page: the media store as DevTools shows it (Files do not serialise; their size does).
STORE_DUMP = """() => {
  const store = window.useMediaStore;
  if (!store) return null;
  return store.getState().mediaItems.map((item) => ({
    id: item.id, name: item.name, type: item.type, url: item.url, originalUrl: item.originalUrl,
    fileSize: item.file ? item.file.size : null, metadata: item.metadata,
  }));
}"""


class ReportSource(Protocol):
    """The app server's CSP report endpoint (media_app.server.AppServer)."""

    @property
    def csp_reports(self) -> list[dict[str, Any]]: ...

    def wait_for_report(self, timeout: float = 10.0, predicate: Any = None) -> dict[str, Any]: ...


def _report_host(report: dict[str, Any]) -> str:
    blocked = report.get("blocked_uri") or ""
    return urlsplit(blocked).hostname or blocked


def _report_line(report: dict[str, Any]) -> str:
    directive, blocked = report.get("effective_directive"), report.get("blocked_uri")
    return f"[report via {report.get('via')}] {directive} blocked {blocked}"


@dataclass
class Witnesses:
    """The witnesses of one test: every context and page it watches, and the app's report endpoint."""

    reports: ReportSource | None = None
    reports_note: str = ""  # why the report endpoint is not a witness, when it is not
    csp: CspCollector = field(default_factory=CspCollector)
    blocked: BlockedResponseLog = field(default_factory=BlockedResponseLog)
    console: ConsoleLog = field(default_factory=ConsoleLog)
    pages: list[Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False
    _contexts: list[BrowserContext] = field(default_factory=list)

    # --- watching ------------------------------------------------------------------------------------

    def watch(self, context: BrowserContext, page: Page | None = None) -> None:
        """Watch `context` (its documents' CSP events, its pages) and `page` through DevTools as well.

        Call before the page navigates: the CSP listener is an init script.
        """
        if context not in self._contexts:
            self._contexts.append(context)
            self.csp.attach(context)
            # Later pages (a popup, a second tab) get the network and console listeners; DevTools only for
            # `page`, since a sync call inside an event handler could deadlock the dispatcher.
            context.on("page", self._watch_page)
            for existing in context.pages:
                self._watch_page(existing)
        if page is not None:
            self._watch_page(page)
            cdp = context.new_cdp_session(page)
            self.csp.watch_devtools(cdp)
            self.blocked.watch_devtools(cdp)
            # Once, after both listen: enabling replays the issues raised so far, so a second enable
            # would record them twice.
            cdp.send("Audits.enable")

    def _watch_page(self, page: Page) -> None:
        if page in self.pages:
            return
        self.pages.append(page)
        self.console.watch(page)
        self.blocked.watch(page)

    # --- the verdict ---------------------------------------------------------------------------------

    def _await_reports(self) -> None:
        """Wait (bounded) for the report of every violation the page saw from a reporting policy."""
        if self.reports is None:
            return
        for violation in self.csp.seen("page"):
            if not violation.reporting or violation.disposition != "enforce":
                continue
            wanted = self._report_matcher(violation)
            try:
                self.reports.wait_for_report(timeout=REPORT_WAIT_SECONDS, predicate=wanted)
            except TimeoutError:
                self.notes.append(f"no report reached the app's endpoint for {violation}")

    @staticmethod
    def _report_matcher(violation: Violation) -> Callable[[dict[str, Any]], bool]:
        def matches(report: dict[str, Any]) -> bool:
            return (
                report.get("effective_directive") == violation.directive
                and _report_host(report) == violation.blocked_host
            )

        return matches

    def unexpected_reports(self) -> list[dict[str, Any]]:
        if self.reports is None:
            return []
        return [
            report
            for report in self.reports.csp_reports
            if not any(
                (directive is None or report.get("effective_directive") == directive)
                and (host is None or _report_host(report) == host)
                for directive, host in self.csp.expected
            )
        ]

    def problems(self) -> list[str]:
        """What went wrong that the test did not declare, each as a paragraph naming what a user saw."""
        self._await_reports()
        found = []
        violations = self.csp.unexpected()
        reports = self.unexpected_reports()
        if violations or reports:
            lines = [str(v) for v in violations] + [_report_line(r) for r in reports]
            found.append(
                "The Content-Security-Policy blocked a load this test did not expect; a user would see "
                "media that never loads or plays:\n  " + "\n  ".join(lines)
            )
        blocks = self.blocked.unexpected()
        if blocks:
            found.append(
                "The browser refused a response because of its embedder policy (COEP/CORP), not CSP; a user "
                "would see a preview that never plays:\n  " + "\n  ".join(map(str, blocks))
            )
        errors = self.console.page_errors()
        if errors:
            found.append(
                "The page threw an uncaught error; a user would be left with whatever the page showed "
                "when it stopped:\n  " + "\n  ".join(map(str, errors))
            )
        return found

    # --- logs ----------------------------------------------------------------------------------------

    def csp_log(self) -> str:
        lines = ["# CSP violations (page: securitypolicyviolation; devtools: Audits issues)"]
        lines += self.csp.log_lines() or ["none"]
        lines.append("# reports received by the app server's endpoint")
        if self.reports is None:
            lines.append(f"not a witness here: {self.reports_note or 'no app server'}")
        else:
            lines += [_report_line(r) for r in self.reports.csp_reports] or ["none"]
        lines.append("# declared by the test (directive, host)")
        lines += [f"{d or '*'} {h or '*'}" for d, h in self.csp.expected] or ["none"]
        lines += [f"# note: {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def media_store(self) -> list[Any]:
        """`useMediaStore.getState().mediaItems` of every open page (what the user's DevTools would show)."""
        dumps = []
        for page in self.pages:
            if page.is_closed():
                continue
            try:
                dumps.append({"url": page.url, "mediaItems": page.evaluate(STORE_DUMP)})
            except PlaywrightError as error:
                dumps.append({"url": page.url, "error": str(error).splitlines()[0]})
        return dumps

    def write(self, folder: Path) -> list[Path]:
        """Write console.log, csp.log, blocked-responses.log and media-store.json into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        self.written = True
        files = {
            "console.log": self.console.text(),
            "csp.log": self.csp_log(),
            "blocked-responses.log": "\n".join(self.blocked.log_lines() or ["none"]) + "\n",
            "media-store.json": json.dumps(self.media_store(), indent=2, default=str) + "\n",
        }
        written = []
        for name, text in files.items():
            path = folder / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written
