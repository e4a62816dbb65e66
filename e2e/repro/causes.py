"""The causes a replay's evidence shows, each with the lines that show it and the fix: CSP, COEP, storage,
project, filter and search. A CSP block and a COEP block are told apart by what the browser itself
reported, never by the app's own "CSP FIX NEEDED" line.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from e2e.repro.evidence import Evidence
from e2e.repro.signatures import Finding, is_fal_media_host


@dataclass
class Cause:
    """A cause seen in this run, with the evidence lines that show it."""

    name: str
    headline: str
    evidence: list[str]
    fix: str = ""


def _is_media(url: str) -> bool:
    return is_fal_media_host(urlsplit(url).hostname)


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
