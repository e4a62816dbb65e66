"""Turn what a replay observed into diagnosis.md: the symptom, each cause with its evidence, causes ruled out.

The evidence is plain data (`Evidence`), gathered by `e2e/replay.py` from independent witnesses: the page's
CSP listener, DevTools audits, the app server's report endpoints, Playwright's network events, the console
(read with `e2e/triage.py`'s signatures), the store, IndexedDB and OPFS, and fake_fal's request log. A CSP
block and a COEP block are told apart by what the browser itself reported, never by the app's own
"CSP FIX NEEDED" line, which the original printed for any failed fal.media video.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from e2e.blocked_responses import BlockedResponse
from e2e.csp import Violation
from e2e.repro.scenario import CAUSES, Outcome, Scenario
from e2e.repro.signatures import Finding, scan

FAL_MEDIA_HOSTS = ("fal.media", "v3.fal.media", "v3b.fal.media")


@dataclass(frozen=True)
class Toast:
    """One toast the user saw: sonner's type, title and description."""

    kind: str
    title: str
    description: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}" + (f" ({self.description})" if self.description else "")


@dataclass
class Observation:
    """What the user sees in one project once the steps are done (the fields of `Outcome`)."""

    project: str
    project_id: str
    listed: bool
    appeared: bool
    in_store: bool
    saved: bool
    unsaved: bool
    url_only: bool
    plays: bool | None
    blocked_by: str | None
    hint: bool
    filter: str = "all"
    search: str = ""
    toasts: list[Toast] = field(default_factory=list)

    def seen(self, check: str) -> Any:
        """The observed value for one `Outcome` check, as the scenario file writes it."""
        if check in ("toast", "no_toast"):
            return [str(t) for t in self.toasts]
        if check == "blocked_by":
            return self.blocked_by or "none"
        return getattr(self, check)


def mismatches(outcome: Outcome, observation: Observation) -> list[tuple[str, Any, Any]]:
    """The checks of `outcome` this observation fails: (check, wanted, seen)."""
    texts = [f"{t.title} {t.description}" for t in observation.toasts]
    failed = []
    for check, wanted in outcome.checks().items():
        if check == "toast":
            ok = any(wanted in text for text in texts)
        elif check == "no_toast":
            ok = not any(wanted in text for text in texts)
        elif check == "blocked_by":
            ok = (observation.blocked_by or "none") == wanted
        else:
            ok = getattr(observation, check) == wanted
        if not ok:
            failed.append((check, wanted, observation.seen(check)))
    return failed


@dataclass
class Evidence:
    """Everything one replay saw; `diagnose` turns it into prose."""

    scenario: Scenario
    fixed: bool
    bugs: frozenset[str]
    observation: Observation | None = None
    expect_observation: Observation | None = None
    console: list[str] = field(default_factory=list)
    csp: list[Violation] = field(default_factory=list)
    csp_reports: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[BlockedResponse] = field(default_factory=list)
    coep_reports: list[dict[str, Any]] = field(default_factory=list)
    fal: list[str] = field(default_factory=list)
    media_sizes: dict[str, int] = field(default_factory=dict)
    toasts: list[Toast] = field(default_factory=list)
    generation_project: tuple[str, str] | None = None  # (key, id) of the project that started it
    projects: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (id, name)
    item: dict[str, Any] | None = None
    error: str | None = None
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def conditions(self) -> str:
        if self.fixed:
            return "the fixed app (every bug switch off)"
        env = self.scenario.environment
        bugs = ", ".join(sorted(self.bugs)) or "none"
        return f"the user's conditions: bug switches {bugs}; storage {env.storage}"

    @property
    def symptom_mismatches(self) -> list[tuple[str, Any, Any]]:
        if self.observation is None:
            return [("run", "completed", self.error or "did not finish")]
        return mismatches(self.scenario.symptom, self.observation)

    @property
    def expect_mismatches(self) -> list[tuple[str, Any, Any]]:
        observation = self.expect_observation or self.observation
        if observation is None:
            return [("run", "completed", self.error or "did not finish")]
        return mismatches(self.scenario.expect, observation)

    @property
    def reproduced(self) -> bool:
        """Whether the user's symptom was seen: every [symptom] check held and the run finished."""
        return self.error is None and not self.symptom_mismatches

    def findings(self) -> list[Finding]:
        return scan(self.console)

    def project_name(self, project_id: str) -> str:
        for key, (pid, name) in self.projects.items():
            if pid == project_id:
                return f'"{name}" ({key}, {pid})'
        return project_id


@dataclass
class Cause:
    """A cause seen in this run, with the evidence lines that show it."""

    name: str
    headline: str
    evidence: list[str]
    fix: str = ""


def _is_media(url: str) -> bool:
    return (urlsplit(url).hostname or "") in FAL_MEDIA_HOSTS


def _csp_cause(ev: Evidence, findings: list[Finding]) -> Cause | None:
    violations = [v for v in ev.csp if v.directive.startswith("media-src") and _is_media(v.blocked_url)]
    reports = [r for r in ev.csp_reports if str(r.get("effective_directive", "")).startswith("media-src")]
    lines = [f for f in findings if f.signature.name == "csp-media-src"]
    if not (violations or reports or lines):
        return None
    evidence = []
    for v in violations:
        evidence.append(f"{v.witness}: directive `{v.directive}` blocked `{v.blocked_url}`")
    for r in reports:
        evidence.append(
            f"report endpoint ({r.get('via')}): "
            f"`{r.get('effective_directive')}` blocked `{r.get('blocked_uri')}`"
        )
    evidence += [f"console line {f.line}: `{f.text.strip()[:220]}`" for f in lines]
    url = (violations[0].blocked_url if violations else "") or (
        lines[0].detail.get("url", "") if lines else ""
    )
    host = urlsplit(url).hostname or "the FAL media host"
    return Cause(
        "csp-media-src",
        f"CSP blocked the preview: `media-src` does not list `https://{host}`",
        evidence,
        f"add `https://{host}` (and the other FAL media hosts) to `media-src`, or play a `blob:` URL of the "
        "stored file",
    )


def _coep_cause(ev: Evidence, findings: list[Finding]) -> Cause | None:
    blocks = [b for b in ev.blocked if b.is_coep or "BLOCKED_BY_RESPONSE" in b.reason]
    lines = [f for f in findings if f.signature.name in ("coep-block", "blocked-by-response")]
    if not (blocks or lines or ev.coep_reports):
        return None
    evidence = [f"{b.witness}: `{b.url}` refused: `{b.reason}`" for b in blocks]
    evidence += [f"report endpoint: COEP report for `{r.get('blocked_uri')}`" for r in ev.coep_reports]
    evidence += [f"console line {f.line}: `{f.text.strip()[:220]}`" for f in lines]
    hints = [f for f in findings if f.signature.guess]
    if hints and not _csp_cause(ev, findings):
        evidence.append(
            f'the app\'s own "CSP FIX NEEDED" hint (console line {hints[0].line}) is a guess: '
            "no CSP violation was raised by any witness (page listener, DevTools, report endpoint)"
        )
    return Cause(
        "coep",
        "COEP blocked the preview, not CSP: the page is served with `Cross-Origin-Embedder-Policy: "
        "require-corp` and the FAL CDN sends no `Cross-Origin-Resource-Policy`",
        evidence,
        "play a `blob:` URL of the stored file (it is same-origin), or serve COEP `credentialless`; "
        "adding hosts to `media-src` changes nothing",
    )


def _storage_cause(ev: Evidence, findings: list[Finding]) -> Cause | None:
    rollback = [f for f in findings if f.signature.name == "storage-rollback"]
    unsaved = [f for f in findings if f.signature.name == "storage-unsaved"]
    if not (rollback or unsaved):
        return None
    storage_toasts = [
        t
        for t in ev.toasts
        if t.kind in ("error", "warning") and ("torage" in t.title or "storage" in t.description)
    ]
    evidence = [f"console line {f.line}: `{f.text.strip()[:220]}`" for f in rollback + unsaved]
    evidence += [f"toast {t}" for t in storage_toasts]
    if ev.item is not None:
        metadata = ev.item.get("metadata") or {}
        evidence.append(
            "the store keeps the item: "
            + ", ".join(
                f"{k} = {metadata.get(k)!r}" for k in ("unsaved", "storageError", "urlOnly") if k in metadata
            )
        )
    else:
        evidence.append("the store has no such item: `useMediaStore.getState().mediaItems` lacks it")
    obs = ev.observation
    if rollback:
        if obs is not None and obs.appeared and not obs.listed:
            evidence.append(
                "it was in the on-screen list for a moment, then removed (it flashed in and vanished)"
            )
        return Cause(
            "storage-rollback",
            "the storage save failed and addMediaItem rolled the item back: it was removed from the list",
            evidence,
            "keep the item listed, marked `metadata.unsaved`, with a toast and a Retry action",
        )
    metadata = (ev.item or {}).get("metadata") or {}
    if metadata.get("urlOnly"):
        return Cause(
            "storage-unsaved",
            "storage is blocked; the item was kept URL-only (its remote URL), marked unsaved",
            evidence,
        )
    blocked = any(
        word in str(metadata.get("storageError", "")).lower()
        for word in ("denied", "security", "not allowed")
    )
    return Cause(
        "storage-unsaved",
        "the storage save failed; the item was kept in the list, marked unsaved, in memory only",
        evidence,
        "storage is refused, not full: a URL-only fallback (`metadata.urlOnly`) keeps it wherever any "
        "storage works"
        if blocked
        else "",
    )


def _project_cause(ev: Evidence) -> Cause | None:
    obs = ev.observation
    if ev.generation_project is None or obs is None:
        return None
    started_id = ev.generation_project[1]
    if started_id == obs.project_id:
        return None
    evidence = [
        f"generation started in {ev.project_name(started_id)}: "
        f"`[MediaStore.addMediaItem] Called with projectId: {started_id}`",
        f"on screen after the last step: {ev.project_name(obs.project_id)}",
    ]
    if obs.appeared:
        evidence.append("the item was appended to the on-screen project's list (the wrong project)")
    if not obs.listed:
        evidence.append("it is not listed in the project on screen")
    return Cause(
        "project-mismatch",
        "the item belongs to another project than the one on screen",
        evidence,
        "add the item to the project that started the generation, and say so in a toast",
    )


def _filter_causes(ev: Evidence) -> list[Cause]:
    obs = ev.observation
    if obs is None or obs.listed or not obs.in_store:
        return []
    causes = []
    item_type = (ev.item or {}).get("type", "video")
    hint = "the hidden-item hint is shown" if obs.hint else "no hint says so (nothing on screen explains it)"
    if obs.filter not in ("", "all") and obs.filter != item_type:
        causes.append(
            Cause(
                "filter",
                f"the type filter is `{obs.filter}`, so the new {item_type} is hidden",
                [f"filter = {obs.filter!r}; the item's type = {item_type!r}; it is in the store", hint],
                "show a hint with Clear filters when a new item is hidden",
            )
        )
    name = (ev.item or {}).get("name", "")
    if obs.search and obs.search.strip().lower() not in name.lower():
        causes.append(
            Cause(
                "search",
                f"the search `{obs.search}` does not match the new item's name",
                [f"search = {obs.search!r}; the item's name = {name!r}; it is in the store", hint],
                "show a hint with Clear filters when a new item is hidden",
            )
        )
    return causes


def causes_observed(ev: Evidence) -> list[Cause]:
    """Every cause this run's evidence shows."""
    findings = ev.findings()
    found = [
        _csp_cause(ev, findings),
        _coep_cause(ev, findings),
        _storage_cause(ev, findings),
        _project_cause(ev),
        *_filter_causes(ev),
    ]
    return [cause for cause in found if cause is not None]


def _ruled_out(ev: Evidence, seen: set[str]) -> list[str]:
    obs = ev.observation
    out = []
    if "csp-media-src" not in seen:
        out.append(
            f"CSP: no violation from the page listener, DevTools or the report endpoint ({len(ev.csp)} seen, "
            "none for media-src and a FAL host)"
        )
    if "coep" not in seen:
        out.append("COEP: no `ERR_BLOCKED_BY_RESPONSE` from the network, DevTools or the console")
    if not seen & {"storage-rollback", "storage-unsaved"}:
        saved = obs is not None and obs.saved
        out.append(
            "storage: no save failure logged"
            + ("; the item's metadata is in IndexedDB and its file in OPFS" if saved else "")
        )
    if "project-mismatch" not in seen and ev.generation_project is not None:
        out.append(
            f"project: the generation's project {ev.project_name(ev.generation_project[1])} is on screen"
        )
    if not seen & {"filter", "search"}:
        if obs is not None and obs.listed:
            out.append("filter and search: the item is listed")
        elif obs is not None:
            out.append(f"filter and search: filter {obs.filter!r}, search {obs.search!r} hide nothing new")
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(map(str, value)) or "(none)"
    return "(not checked)" if value is None else str(value)


def diagnose(ev: Evidence) -> str:
    """diagnosis.md for one replay."""
    scenario = ev.scenario
    causes = causes_observed(ev)
    seen = {cause.name for cause in causes}
    out = [f"# Diagnosis: {scenario.title}", ""]
    out.append(f"Scenario `{scenario.name}` ({scenario.path}), replayed under {ev.conditions}.")
    out += ["", "The user said:", ""] + [f"> {line}" for line in scenario.report.splitlines()]
    out += ["", "What the user did:", ""]
    out += [f"{number}. {step.describe()}" for number, step in enumerate(scenario.steps, start=1)]
    out += ["", "## Symptom", ""]
    if ev.error:
        out += [f"The replay broke before the end: {ev.error}", ""]
    if ev.fixed:
        failed = ev.expect_mismatches
        verdict = "the user sees the video" if not failed else "the user still does not see the video"
        out += [f"**Fixed app: {verdict}.**", ""]
        out += _table(scenario.expect, ev.expect_observation or ev.observation, "expected on the fixed app")
        out.append("")
        out.append(
            "The user's symptom "
            + ("was **reproduced** here too." if ev.reproduced else "was not reproduced here.")
        )
    else:
        out += [f"**{'Reproduced' if ev.reproduced else 'Not reproduced'}.**", ""]
        out += _table(scenario.symptom, ev.observation, "the user saw")
    out += ["", "## Causes observed", ""]
    if not causes:
        out += ["None of the known causes was observed.", ""]
    for cause in causes:
        out += [f"### {cause.headline}", ""]
        out += [f"- {line}" for line in cause.evidence]
        if cause.fix:
            out.append(f"- fix: {cause.fix}")
        out.append("")
    expected = scenario.causes if not ev.fixed else frozenset()
    missing = sorted(expected - seen)
    if missing:
        out.append("Causes the scenario stands for but this run did not show: " + ", ".join(missing))
        out.append("")
    out += ["## Ruled out", ""]
    out += [f"- {line}" for line in _ruled_out(ev, seen)] or ["- nothing"]
    out += ["", "## What FAL did", ""]
    out += [f"- `{line}`" for line in ev.fal] or ["- no FAL request reached the fake"]
    for url, size in ev.media_sizes.items():
        out.append(f"- served `{url}`: {size:,} bytes")
    if ev.toasts:
        out += ["", "## Toasts", ""] + [f"- {toast}" for toast in ev.toasts]
    if ev.files:
        out += ["", "## Files", ""] + [f"- `{name}`: {path}" for name, path in ev.files.items()]
    out += [
        "",
        "Cause names: " + ", ".join(f"`{name}` {text}" for name, text in CAUSES.items() if name in seen),
    ]
    return "\n".join(out).rstrip() + "\n"


def _table(outcome: Outcome, observation: Observation | None, label: str) -> list[str]:
    rows = ["| check | " + label + " | this run |", "|---|---|---|"]
    failed = {check for check, _, _ in mismatches(outcome, observation)} if observation else set()
    for check, wanted in outcome.checks().items():
        seen = observation.seen(check) if observation else None
        mark = " ✗" if check in failed or observation is None else ""
        rows.append(f"| {check} | {_fmt(wanted)} | {_fmt(seen)}{mark} |")
    return rows
