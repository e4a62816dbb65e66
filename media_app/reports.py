"""What browsers report to the app server: CSP violations (report-uri and report-to) and COEP blocks."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

Report = dict[str, Any]

# report-uri bodies (application/csp-report) use these names; report-to bodies use the camelCase ones.
_CSP_REPORT_FIELDS = {
    "blocked-uri": "blocked_uri",
    "effective-directive": "effective_directive",
    "violated-directive": "violated_directive",
    "document-uri": "document_uri",
    "disposition": "disposition",
    "original-policy": "original_policy",
    "source-file": "source_file",
    "status-code": "status_code",
    "referrer": "referrer",
}
_REPORTING_API_FIELDS = {
    "blockedURL": "blocked_uri",
    "effectiveDirective": "effective_directive",
    "documentURL": "document_uri",
    "disposition": "disposition",
    "originalPolicy": "original_policy",
    "sourceFile": "source_file",
    "statusCode": "status_code",
    "referrer": "referrer",
}


def _with_aliases(report: Report) -> Report:
    # Both spellings, so a reader of either spec finds the field.
    report.setdefault("violated_directive", report.get("effective_directive"))
    report["blockedURL"] = report.get("blocked_uri")
    report["effectiveDirective"] = report.get("effective_directive")
    report["documentURL"] = report.get("document_uri")
    return report


def parse_csp_reports(content_type: str, body: bytes) -> list[Report]:
    """Normalised CSP violation reports from one POST body of either format; other report types dropped."""
    data = json.loads(body.decode("utf-8"))
    if "reports+json" in content_type:
        reports = []
        for entry in data if isinstance(data, list) else [data]:
            if entry.get("type") != "csp-violation":
                continue
            fields = entry.get("body", {})
            report = {new: fields.get(old) for old, new in _REPORTING_API_FIELDS.items()}
            report.update(via="report-to", raw=entry)
            reports.append(_with_aliases(report))
        return reports
    fields = data.get("csp-report", {})
    report = {new: fields.get(old) for old, new in _CSP_REPORT_FIELDS.items()}
    report.update(via="report-uri", raw=data)
    return [_with_aliases(report)]


def parse_coep_reports(body: bytes) -> list[Report]:
    """COEP reports (Reporting API type `coep`) from one POST body."""
    data = json.loads(body.decode("utf-8"))
    reports = []
    for entry in data if isinstance(data, list) else [data]:
        if entry.get("type") != "coep":
            continue
        fields = entry.get("body", {})
        reports.append(
            {
                "blocked_uri": fields.get("blockedURL"),
                "blockedURL": fields.get("blockedURL"),
                "document_uri": entry.get("url"),
                "disposition": fields.get("disposition"),
                "destination": fields.get("destination"),
                "report_type": fields.get("type"),
                "via": "report-to",
                "raw": entry,
            }
        )
    return reports


class ReportLog:
    """A thread-safe list of reports that a test can wait on without polling."""

    def __init__(self) -> None:
        self._reports: list[Report] = []
        self._changed = threading.Condition()

    def add(self, reports: list[Report]) -> None:
        """Record reports and wake every waiter."""
        with self._changed:
            self._reports.extend(reports)
            self._changed.notify_all()

    def snapshot(self) -> list[Report]:
        """A copy of the reports received so far."""
        with self._changed:
            return list(self._reports)

    def clear(self) -> None:
        """Forget every report."""
        with self._changed:
            self._reports.clear()

    def wait_for(self, timeout: float, predicate: Callable[[Report], bool] | None = None) -> Report:
        """The first report matching `predicate` (any report when None), waiting up to `timeout` seconds."""
        matches = predicate or (lambda _report: True)

        def found() -> Report | None:
            return next((report for report in self._reports if matches(report)), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None, timeout=timeout):
                seen = [(r.get("effective_directive"), r.get("blocked_uri")) for r in self._reports]
                raise TimeoutError(f"no matching report within {timeout} s; received: {seen}")
            report = found()
            assert report is not None
            return report
