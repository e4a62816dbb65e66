"""Turn what a replay observed into diagnosis.md: the symptom, each cause with its evidence, causes ruled out.

The evidence is plain data (`evidence.py`), gathered by `replay.py` from independent witnesses: the page's
CSP listener, DevTools audits, the app server's report endpoints, Playwright's network events, the console
(read with `signatures.py`), the store, IndexedDB and OPFS, and fake_fal's request log. The causes are read
from it by `causes.py`: a CSP block and a COEP block are told apart by what the browser itself reported,
never by the app's own "CSP FIX NEEDED" line, which the original printed for any failed fal.media video.
"""

from __future__ import annotations

from typing import Any

from e2e.repro.causes import causes_observed
from e2e.repro.evidence import Evidence, Observation, mismatches
from e2e.repro.scenario import CAUSES, Outcome


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
