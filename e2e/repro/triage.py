"""Read a console log pasted from a user's report: name the known signatures and the scenario that replays it.

    python -m e2e.repro.triage console.log        # or `-` for standard input

It tells a CSP block (the browser's "violates the following Content Security Policy directive" line) from a
COEP block (`net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep`), and flags the
app's own "CSP FIX NEEDED" hint as a guess: the original app printed it for any failed fal.media video.
The diagnosis of a reproduction (`e2e/diagnosis.py`) reads the run's console with the same signatures.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from e2e.repro.scenario import CAUSES, Scenario, ScenarioError, load_all

_URL = r"https?://[^\s'\"),]+"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass(frozen=True)
class Signature:
    """A console line we know: what it means, and the cause it is evidence of (None for plain facts)."""

    name: str
    label: str
    pattern: re.Pattern[str]
    meaning: str
    cause: str | None = None
    guess: bool = False  # the app's own hint, not evidence from the browser


def _sig(name: str, label: str, pattern: str, meaning: str, **kwargs: object) -> Signature:
    return Signature(name, label, re.compile(pattern), meaning, **kwargs)  # type: ignore[arg-type]


# Most specific first: a line is reported under the first signature it matches.
SIGNATURES: tuple[Signature, ...] = (
    _sig(
        "csp-media-src",
        "CSP block",
        rf"(?:Loading|Refused to load) media from\s+'(?P<url>{_URL})'.*?"
        r"Content Security Policy directive:? \"(?P<directive>media-src[^\"]*)\"",
        "the browser refused the <video> load: media-src does not list this host",
        cause="csp-media-src",
    ),
    _sig(
        "csp-other",
        "CSP block",
        rf"'(?P<url>{_URL})'.*?violates the following Content Security Policy directive:? "
        r"\"(?P<directive>[\w-]+[^\"]*)\"",
        "the browser refused a load under another CSP directive",
        cause=None,
    ),
    _sig(
        "coep-block",
        "COEP block",
        rf"(?:(?P<url>{_URL}).*?)?net::ERR_BLOCKED_BY_RESPONSE\.(?P<reason>\w*Coep\w*)",
        "the browser refused a no-cors load because the page's Cross-Origin-Embedder-Policy is require-corp "
        "and the CDN sends no Cross-Origin-Resource-Policy: COEP, not CSP",
        cause="coep",
    ),
    _sig(
        "blocked-by-response",
        "response block",
        rf"(?:(?P<url>{_URL}).*?)?net::ERR_BLOCKED_BY_RESPONSE(?:\.(?P<reason>\w+))?",
        "the browser refused a load because of a response policy (CORP/COEP/COOP)",
        cause="coep",
    ),
    _sig(
        "storage-rollback",
        "rollback",
        r"\[MediaStore\.addMediaItem\] Storage save FAILED, rolling back local item",
        "the storage save failed and addMediaItem removed the item from the list again",
        cause="storage-rollback",
    ),
    _sig(
        "storage-unsaved",
        "kept unsaved",
        r"\[MediaStore\.addMediaItem\] Storage save FAILED, keeping item unsaved",
        "the storage save failed; the item was kept in the list, marked unsaved",
        cause="storage-unsaved",
    ),
    _sig(
        "integration-failed",
        "integration failed",
        r"Media integration failed",
        "adding the downloaded video to the media store threw",
    ),
    _sig(
        "quota-toast",
        "quota full",
        r"Storage space is full\. Please free up space and try again\.|QuotaExceededError",
        "storage refused the write: the quota is full",
    ),
    _sig(
        "permission-toast",
        "storage denied",
        r"Storage permission denied\. Please check browser settings\.|SecurityError|NotAllowedError",
        "storage refused the page: blocked site data, a private window or a file:// page",
    ),
    _sig(
        "url-only",
        "URL-only",
        r"Saved as URL-only; persistent storage blocked",
        "storage is blocked; the item was kept with its remote URL only",
    ),
    _sig(
        "storage-error-toast",
        "storage error",
        r"Add media item to storage \((?P<error_id>ERR-[\w-]+)\)",
        "the app's storage error handler showed a toast for the failed save",
    ),
    _sig(
        "add-called",
        "project",
        rf"\[MediaStore\.addMediaItem\] Called with projectId: (?P<project>{_UUID})",
        "addMediaItem was called for this project",
    ),
    _sig(
        "saved",
        "saved",
        r"\[MediaStore\.addMediaItem\] Saved to storage",
        "the item was saved to storage (OPFS and IndexedDB)",
    ),
    _sig(
        "csp-fix-hint",
        "app's guess",
        r"CSP FIX NEEDED|to media-src CSP directive",
        "the app's own hint, printed for any failed fal.media video; not a browser message",
        guess=True,
    ),
    _sig(
        "video-error",
        "preview failed",
        rf"\[VideoPlayer\] Video error.*?src: (?P<url>{_URL})",
        "the preview's <video> raised an error",
    ),
    _sig(
        "download",
        "download",
        r"Downloaded video blob, size: (?P<size>\d+)",
        "the video was downloaded",
    ),
    _sig(
        "download-url",
        "media URL",
        rf"Downloading video from URL: (?P<url>{_URL})",
        "the FAL media URL the app downloaded",
    ),
    _sig(
        "file",
        "file",
        r"Created file: (?P<file>AI-Video-(?P<model>\w+?)-\d+\.mp4)",
        "the app made a File of the download (its name carries the app's model id)",
    ),
    _sig(
        "model",
        "model",
        r"Submitting (?P<model_name>.+?) request",
        "the model the user generated with",
    ),
    _sig(
        "download-failed",
        "download failed",
        r"Failed to download video: (?P<status>\d+)",
        "the video download failed: nothing reached the media store",
    ),
    _sig(
        "fal-error",
        "FAL error",
        r"Invalid FAL\.ai API key|Rate limit exceeded|FAL API error: (?P<detail>.+)",
        "FAL refused the generation: no video was made",
    ),
)


@dataclass(frozen=True)
class Finding:
    """One known signature on one line of the log."""

    signature: Signature
    line: int
    text: str
    detail: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str | None:
        url = self.detail.get("url")
        return urlsplit(url).hostname if url else None

    def describe(self) -> str:
        d, name = self.detail, self.signature.name
        if name in ("csp-media-src", "csp-other"):
            return f'{d.get("url")} refused by CSP directive "{d.get("directive")}"'
        if name in ("coep-block", "blocked-by-response"):
            reason = d.get("reason") or "ERR_BLOCKED_BY_RESPONSE"
            return f"{d.get('url') or 'a load'} refused: ERR_BLOCKED_BY_RESPONSE.{reason}"
        if name == "add-called":
            return f"addMediaItem called with projectId {d['project']}"
        if name == "download":
            return f"{int(d['size']):,} bytes downloaded"
        if name in ("download-url", "video-error"):
            return f"{self.signature.meaning}: {d['url']}"
        if name == "file":
            return f"{d['file']} (model {d['model']})"
        if name == "model":
            return d["model_name"]
        return self.signature.meaning

    def __str__(self) -> str:
        return f"line {self.line:>3}  {self.signature.label:<16} {self.describe()}"


def scan(lines: Iterable[str]) -> list[Finding]:
    """Every line that matches a known signature (the first one it matches), with its 1-based number."""
    findings = []
    for number, text in enumerate(lines, start=1):
        for signature in SIGNATURES:
            match = signature.pattern.search(text)
            if match:
                detail = {k: v for k, v in match.groupdict().items() if v is not None}
                findings.append(Finding(signature, number, text.rstrip("\n"), detail))
                break
    return findings


@dataclass
class Triage:
    """What a console log shows: its findings, the causes they point to, and the facts of the run."""

    findings: list[Finding]

    def of(self, *names: str) -> list[Finding]:
        return [f for f in self.findings if f.signature.name in names]

    @property
    def causes(self) -> set[str]:
        causes = {f.signature.cause for f in self.findings if f.signature.cause}
        if len(self.project_ids) > 1:
            causes.add("project-mismatch")
        return causes

    @property
    def project_ids(self) -> list[str]:
        return list(dict.fromkeys(f.detail["project"] for f in self.of("add-called")))

    @property
    def facts(self) -> dict[str, str]:
        """Model, media host, download size and project, where the log shows them."""
        facts: dict[str, str] = {}
        for finding in self.of("file"):
            facts["model"] = finding.detail["model"]
        for finding in self.of("model"):
            facts["model_name"] = finding.detail["model_name"]
        for finding in self.of("download-url", "video-error", "coep-block", "csp-media-src"):
            if finding.host:
                facts.setdefault("media_host", finding.host)
        for finding in self.of("download"):
            facts["file_size"] = finding.detail["size"]
        if self.project_ids:
            facts["project"] = self.project_ids[0]
        return facts

    def notes(self) -> list[str]:
        """What a reader of this log must not miss."""
        notes = []
        hints = self.of("csp-fix-hint")
        csp = self.of("csp-media-src")
        coep = self.of("coep-block", "blocked-by-response")
        if hints and coep and not csp:
            notes.append(
                f'Not CSP: the "CSP FIX NEEDED" hint (line {hints[0].line}) is the app\'s own guess. '
                f"The browser's line {coep[0].line} says ERR_BLOCKED_BY_RESPONSE (COEP require-corp), "
                'and no line says "violates the following Content Security Policy directive". '
                "Adding hosts to media-src changes nothing; play a blob: URL of the stored file, "
                "or drop COEP require-corp."
            )
        elif hints and not csp:
            notes.append(
                f'The "CSP FIX NEEDED" hint (line {hints[0].line}) is the app\'s own guess, '
                "and no browser line confirms a CSP block."
            )
        if self.of("saved") and not self.of("storage-rollback", "storage-unsaved"):
            notes.append('Storage worked: "Saved to storage" rules out a rollback.')
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


def triage(lines: Sequence[str]) -> Triage:
    """The findings of a console log."""
    return Triage(scan(lines))


@dataclass(frozen=True)
class Match:
    """How well one scenario fits a log: shared causes first, then shared facts."""

    scenario: Scenario
    causes: frozenset[str]
    facts: tuple[str, ...]

    @property
    def score(self) -> tuple[int, int]:
        return (len(self.causes), len(self.facts))


def _scenario_size(scenario: Scenario) -> int | None:
    if scenario.fal.file_size is not None:
        return scenario.fal.file_size
    from fixtures.media import CLIPS

    clip = CLIPS.get(scenario.fal.clip or "")
    return clip.pad_to_bytes if clip else None


def match_scenarios(result: Triage, scenarios: Iterable[Scenario]) -> list[Match]:
    """The scenarios sharing a cause with the log, best first."""
    facts = result.facts
    matches = []
    for scenario in scenarios:
        shared = frozenset(result.causes & scenario.causes)
        if not shared:
            continue
        same: list[str] = []
        if facts.get("model") == scenario.fal.model:
            same.append(f"model {scenario.fal.model}")
        if facts.get("media_host") == scenario.fal.media_host:
            same.append(f"host {scenario.fal.media_host}")
        if facts.get("file_size") and int(facts["file_size"]) == _scenario_size(scenario):
            same.append(f"{int(facts['file_size']):,} bytes")
        if "project" in facts and facts["project"] in {p.id for p in scenario.projects.values()}:
            same.append(f"project {facts['project']}")
        matches.append(Match(scenario, shared, tuple(same)))
    # Fewer extra causes is a closer fit when the scores tie.
    return sorted(matches, key=lambda m: (m.score, -len(m.scenario.causes - m.causes)), reverse=True)


def report(source: str, lines: Sequence[str], scenarios: Iterable[Scenario]) -> str:
    """The triage of one log as text: the signatures by line, the causes, notes and the scenario to run."""
    result = triage(lines)
    out = [f"{source}: {len(lines)} lines, {len(result.findings)} known signature(s)", ""]
    out += [str(finding) for finding in result.findings] or ["(no known signature)"]
    out.append("")
    if result.causes:
        out.append("Causes:")
        out += [f"  {cause}: {CAUSES[cause]}" for cause in sorted(result.causes)]
    else:
        out.append("Causes: none of the known ones (no CSP or COEP block, no storage failure, one project).")
    for note in result.notes():
        out.append(f"- {note}")
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
    else:
        out.append(
            "No scenario reproduces this log yet: draft one with `python -m e2e.repro.har2scenario user.har` "
            "(fixtures/scenarios/README.md)."
        )
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m e2e.repro.triage", description=__doc__.splitlines()[0])
    parser.add_argument("log", help="a console log pasted from a report (`-` reads standard input)")
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
    sys.stdout.write(report(args.log, text.splitlines(), scenarios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
