"""Read what a user pasted into a report: name the known signatures and the scenario that replays it.

    python -m e2e.repro.triage console.log        # or `-` for standard input; a HAR works too

It reads a console log, a DevTools console export, a log with timestamps and source links, an Electron
(Chromium) log or a HAR, told apart by content, and says what that kind can show and what it cannot. It
tells a CSP block (the browser's "violates the following Content Security Policy directive" line) from a
COEP block (`net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep`), counts a refusal
as evidence only for FAL media, and flags the app's own "CSP FIX NEEDED" hint as a guess: the original app
printed it for any failed fal.media video. The scenario it names is the one with the strongest evidence.
The diagnosis of a reproduction (`diagnosis.py`) reads the run's console with the same signatures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from e2e.repro.loader import ScenarioError, load_all
from e2e.repro.pasted import CONSOLE, Kind, read_pasted
from e2e.repro.scenario import Scenario
from e2e.repro.signatures import (
    DIRECT,
    IMPLIED_CAUSES,
    STORAGE_KINDS,
    STRENGTHS,
    TRIAGE_CAUSES,
    Finding,
    scan,
)
from e2e.repro.user_build import LaneMatch, match_lanes

EPILOG = """exit status:
  0  the log shows at least one known signature (the report names it, and the scenario to replay)
  1  no line has a known signature: nothing is claimed
  2  the log cannot be read

example:
  python -m e2e.repro.triage fixtures/scenarios/ltx_console_v2.console.log
"""


@dataclass
class Triage:
    """What a paste shows: its findings, the causes they point to and how strongly, the facts of the run."""

    findings: list[Finding]
    kind: Kind = CONSOLE

    def of(self, *names: str) -> list[Finding]:
        return [f for f in self.findings if f.signature.name in names]

    @property
    def strengths(self) -> dict[str, int]:
        """Each cause the log shows, with the strength of its best evidence."""
        strengths: dict[str, int] = {}
        for finding in self.findings:
            if finding.cause:
                strengths[finding.cause] = max(strengths.get(finding.cause, 0), finding.strength)
        if len(self.project_ids) > 1:
            strengths["project-mismatch"] = DIRECT
        if {"storage-rollback", "storage-unsaved"} & strengths.keys():
            strengths.pop("storage-failed", None)  # the app's own line says what followed the failure
        return strengths

    @property
    def causes(self) -> set[str]:
        return set(self.strengths)

    @property
    def project_ids(self) -> list[str]:
        return list(dict.fromkeys(f.detail["project"] for f in self.of("add-called")))

    @property
    def facts(self) -> dict[str, str]:
        """Model, media host, download size, storage condition and project, where the log shows them."""
        facts: dict[str, str] = {}
        for finding in self.of("file"):
            facts["model"] = finding.detail["model"]
        for finding in self.of("model"):
            facts["model_name"] = finding.detail["model_name"]
        media = (
            "download-url",
            "video-error",
            "coep-block",
            "blocked-by-response",
            "csp-media-src",
            "fal-media",
        )
        for finding in self.of(*media):
            if finding.host and not finding.off_fal_media:
                facts.setdefault("media_host", finding.host)
        for finding in self.of("download"):
            facts["file_size"] = finding.detail["size"]
        for finding in self.findings:
            if finding.storage:
                facts.setdefault("storage", finding.storage)
        if self.project_ids:
            facts["project"] = self.project_ids[0]
        return facts

    def notes(self) -> list[str]:
        """What a reader of this log must not miss."""
        notes = self._policy_notes()
        if self.of("saved") and not self.of("storage-rollback", "storage-unsaved"):
            notes.append('Storage worked: "Saved to storage" rules out a rollback.')
        if "storage-failed" in self.causes:
            notes.append(
                "Storage failed (the browser's error or the app's toast); no app line says what followed: "
                "a rollback (the item vanishes) or an unsaved item (it stays, with Retry)."
            )
        if len(self.project_ids) > 1:
            notes.append(
                "Several projects in use: addMediaItem was called with "
                + ", ".join(self.project_ids)
                + "; the item may be in another project than the one on screen."
            )
        elif self.project_ids:
            notes.append(
                f"Project in use: {self.project_ids[0]}; check that the project on screen "
                "(activeProject.id) is the same, and clear the filters and the search."
            )
        return notes

    def _policy_notes(self) -> list[str]:
        notes = []
        hints = self.of("csp-fix-hint")
        csp = [f for f in self.of("csp-media-src") if f.cause]
        coep = [f for f in self.of("coep-block", "blocked-by-response") if f.cause]
        elsewhere = [
            f for f in self.of("csp-media-src", "coep-block", "blocked-by-response") if f.off_fal_media
        ]
        if hints and coep and not csp:
            notes.append(
                f'Not CSP: the "CSP FIX NEEDED" hint (line {hints[0].line}) is the app\'s own guess. '
                f"The browser's line {coep[0].line} says ERR_BLOCKED_BY_RESPONSE (COEP require-corp), "
                'and no line says "violates the following Content Security Policy directive" for FAL media. '
                "Adding hosts to media-src changes nothing; play a blob: URL of the stored file, "
                "or drop COEP require-corp."
            )
        elif hints and not csp:
            notes.append(
                f'The "CSP FIX NEEDED" hint (line {hints[0].line}) is the app\'s own guess, '
                "and no browser line confirms a CSP block of FAL media."
            )
        for finding in elsewhere:
            notes.append(
                f"Line {finding.line} refuses {finding.host}, not a FAL media host: "
                "some other media of the page, not the generated video."
            )
        return notes


def triage(lines: Sequence[str], numbers: Sequence[int] | None = None, kind: Kind = CONSOLE) -> Triage:
    """The findings of a console log (or of a paste's message lines, numbered as the paste numbers them)."""
    return Triage(scan(lines, numbers), kind)


@dataclass(frozen=True)
class Match:
    """How well one scenario fits a log: the strength of the shared causes' evidence, then shared facts."""

    scenario: Scenario
    causes: frozenset[str]
    facts: tuple[str, ...]
    strength: int = 0

    @property
    def score(self) -> tuple[int, int, int]:
        return (self.strength, len(self.causes), len(self.facts))


def _scenario_size(scenario: Scenario) -> int | None:
    if scenario.fal.file_size is not None:
        return scenario.fal.file_size
    from fixtures.media import CLIPS

    clip = CLIPS.get(scenario.fal.clip or "")
    return clip.pad_to_bytes if clip else None


def _same_facts(facts: dict[str, str], scenario: Scenario) -> list[str]:
    same: list[str] = []
    if facts.get("model") == scenario.fal.model:
        same.append(f"model {scenario.fal.model}")
    if facts.get("media_host") == scenario.fal.media_host:
        same.append(f"host {scenario.fal.media_host}")
    if "file_size" in facts and int(facts["file_size"]) == _scenario_size(scenario):
        same.append(f"{int(facts['file_size']):,} bytes")
    if scenario.environment.storage in STORAGE_KINDS.get(facts.get("storage", ""), ()):
        same.append(f"storage {scenario.environment.storage}")
    if "project" in facts and facts["project"] in {p.id for p in scenario.projects.values()}:
        same.append(f"project {facts['project']}")
    return same


def match_scenarios(result: Triage, scenarios: Iterable[Scenario]) -> list[Match]:
    """The scenarios sharing a cause with the log, the strongest evidence first."""
    facts, strengths = result.facts, result.strengths
    matches = []
    for scenario in scenarios:
        stands_for = set(scenario.causes)
        for cause in scenario.causes:
            stands_for |= IMPLIED_CAUSES.get(cause, frozenset())
        shared = frozenset(strengths.keys() & stands_for)
        if shared:
            strength = sum(strengths[cause] for cause in shared)
            matches.append(Match(scenario, shared, tuple(_same_facts(facts, scenario)), strength))
    # Fewer extra causes is a closer fit when the scores tie.
    return sorted(matches, key=lambda m: (m.score, -len(m.scenario.causes - m.causes)), reverse=True)


def report(
    source: str,
    lines: Sequence[str],
    scenarios: Iterable[Scenario],
    *,
    result: Triage | None = None,
    lanes: Sequence[LaneMatch] | None = None,
) -> str:
    """The triage of one paste as text: its kind, signatures, causes, notes and the scenario to run."""
    result = result or triage(lines)
    unit = result.kind.unit
    lines_said = f"{len(lines)} line{'' if len(lines) == 1 else 's'}"
    size = lines_said if unit == "line" else f"{lines_said} read from its requests"
    out = [f"{source}: {result.kind.name}, {size}, {len(result.findings)} known signature(s)"]
    out += [f"  it can show: {result.kind.shows}", f"  it cannot show: {result.kind.misses}", ""]
    out += [finding.row(unit) for finding in result.findings] or ["(no known signature)"]
    out.append("")
    strengths = result.strengths
    if strengths:
        out.append("Causes (strongest evidence first):")
        ranked = sorted(strengths, key=lambda cause: (-strengths[cause], cause))
        out += [f"  {cause} ({STRENGTHS[strengths[cause]]}): {TRIAGE_CAUSES[cause]}" for cause in ranked]
    elif result.findings:
        out.append("Causes: none of the known ones among these signatures.")
    else:
        out.append(f"Causes: nothing to go on: no line of this {result.kind.name} has a known signature.")
    out += [f"- {note}" for note in result.notes()]
    out.append("")
    matches = match_scenarios(result, scenarios)
    if matches:
        best = matches[0]
        why = ", ".join([*sorted(best.causes), *best.facts])
        out.append(
            f"Reproduce with: python -m e2e.repro {best.scenario.name}   ({best.scenario.path.name}: {why})"
        )
        for other in matches[1:]:
            out.append(f"  also related: {other.scenario.name} ({', '.join(sorted(other.causes))})")
        out += _on_the_users_build(best.scenario.name, lanes)
    elif result.findings:
        out.append(
            "No scenario reproduces this log yet: draft one with `python -m e2e.repro.har2scenario user.har` "
            "(fixtures/scenarios/README.md)."
        )
    return "\n".join(out) + "\n"


def _on_the_users_build(scenario: str, lanes: Sequence[LaneMatch] | None) -> list[str]:
    if lanes is None:
        return []
    if not lanes:
        return ["  on a real build: no QCut built here prints its app lines (python -m qcut_builds list)"]
    return [f"  on the user's build: {lane.line(scenario)}" for lane in lanes]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m e2e.repro.triage",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    parser.add_argument(
        "log", help="a console log, DevTools export, Electron log or HAR from a report (`-`: standard input)"
    )
    args = parser.parse_args(argv)
    try:
        text = (
            sys.stdin.read()
            if args.log == "-"
            else Path(args.log).read_text(encoding="utf-8", errors="replace")
        )
    except OSError as error:
        print(f"cannot read {args.log}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        scenarios = load_all()
    except ScenarioError as error:
        print(f"warning: scenarios not loaded, so none is named: {error}", file=sys.stderr)
        scenarios = []
    pasted = read_pasted(text)
    result = triage(pasted.lines, pasted.numbers, pasted.kind)
    lanes = match_lanes(pasted.lines, result.causes)
    sys.stdout.write(report(args.log, pasted.lines, scenarios, result=result, lanes=lanes))
    return 0 if result.findings else 1


if __name__ == "__main__":
    sys.exit(main())
