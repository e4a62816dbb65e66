"""What the suite is known to find on a real build, from a committed file per build, checked both ways.

`e2e/apps/expectations/<app>.toml` (e.g. `qcut-7e2231ef.toml`, `qcut-7e2231ef+desktop.toml`) says which plan
features the build lacks and which of its real bugs which tests catch:

    lacks = ["unsaved-badge", "retry"]          # plan features never built upstream: known gaps
    cannot_drive = ["editor"]                   # what the suite cannot drive on this build (e2e.apps.choice)

    [bugs]
    storage-rollback = ["test_storage.py::test_item_stays_visible_and_unsaved_when_quota_is_full"]

A test expected to fail passes the run only when it fails with its cause's evidence in the failure (a
rollback must fail where the item should stay listed, not anywhere); one that passes instead fails the run
until the file is updated; a test the file does not name must pass, as on the reference app.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from e2e.apps.choice import CAPABILITIES, DESKTOP_SUFFIX, AppChoice
from e2e.pages.real_qcut.wayfinding import HARNESS_GAP

EXPECTATIONS_DIR = Path(__file__).resolve().parent / "expectations"

# Plan features of the bug report a build may lack, each with the words its absence leaves in a failure.
PLAN_FEATURES: dict[str, tuple[str, str]] = {
    "unsaved-badge": (
        "the Unsaved badge and warning on an item whose save failed",
        r"Unsaved|unsaved|Saved locally",
    ),
    "retry": ("Retry on an unsaved item", r"Retry"),  # capital: the button, not "retry later"
    "url-only": ("the URL-only fallback with Save locally", r"URL.only|urlOnly|Save locally|url_only"),
    # QCut forgets the filters whenever the user leaves the Media view to generate, so without the plan's
    # filter handling the new item is not even hidden when the user comes back.
    "hidden-hint": (
        "the hint and Clear filters when a filter or search hides the new item",
        r"hint|hidden|in the filters should hide the new video",
    ),
    # The reference app's, beyond the report's plan: it checks that a downloaded video decodes.
    "cannot-play-warning": (
        "the warning toast and Can't play badge on a generated video that cannot be decoded",
        r"can't be played|Can't play",
    ),
}
# A real bug a test catches, with the words that prove it was that bug (the test's own failure message).
BUG_EVIDENCE: dict[str, tuple[str, str]] = {
    "storage-rollback": (
        "storage save failed and the item was removed from the list",
        r"should stay listed|should be listed whatever storage did|kept whatever storage did",
    ),
    "remote-preview": (
        "the preview plays the remote FAL URL, not the stored file",
        r"not the remote URL that CSP or COEP\s+can block; it plays https://",
    ),
    "coep": (
        "COEP require-corp refuses the preview of a CDN URL without CORP",
        r"COEP|ERR_BLOCKED_BY_RESPONSE",
    ),
    "csp-media-src": ("CSP media-src lacks the FAL media host", r"media-src"),
    "preview-reload": (
        "the preview gives its <video> a new blob: URL on every playhead update: next to nothing is shown",
        r"it loaded \d+ sources while\s+playing",
    ),
    "stale-project-media": (
        "a project started from the editor opens with the media of the project open before it",
        r"should not list it",
    ),
    "storage-blocked-crash": (
        "with site data blocked the app throws reading localStorage at start and no project ever opens",
        r"SecurityError: Failed to read the 'localStorage' property",
    ),
    "desktop-only-save": (
        "the web build adds a generated video only once the desktop shell saved it to disk "
        "(window.electronAPI.video.saveToDisk, no fallback): in a browser it is downloaded and never listed",
        r"Electron API not available - cannot save video to disk",
    ),
    "silent-download-failure": (
        "a generated video that cannot be downloaded (a 404, a body cut short, a result with no URL, an "
        "http: URL) ends the run with no word to the user: the error goes to the console only, so the video "
        "is simply never there",
        r"should be told '[^']*' by the end of the run \(or in \d+ s\): the AI panel showed no error and "
        r"the toasts said nothing",
    ),
    "swallowed-fal-error": (
        "FAL's refusal of a text-to-video run (a 401, 422, 429 or 500) never reaches the AI view: the run "
        "ends 'Generated 0 videos successfully!', and at most a generic toast says anything, never what FAL "
        "said",
        r"should be told '(Invalid FAL|FAL API error|Rate limit|flagged by|Internal error)[^']*' by the end "
        r"of the run \(or in \d+ s\): the AI panel showed no error",
    ),
    "fal-detail-object": (
        "FAL's 422 says what was wrong as a list (detail: [{loc, msg, type}]); the build prints that list as "
        "'FAL API error: [object Object]', so the user never reads FAL's reason",
        r"FAL API error: \[object Object\]",
    ),
    "stale-generation-error": (
        "the error of a failed run stays on the AI view after the next run succeeds (only Reset clears it)",
        r"the AI panel should no longer say",
    ),
    "project-race": (
        "a run that ends while another project is open stores its video where it started but lists it in the "
        "project on screen (addMediaItem appends to the open list whatever the project), until a reload",
        r"should not show up in '[^']*', the project on screen when it arrived",
    ),
    "generate-while-running": (
        "Generate stays clickable while a run is on (disabled only by !canGenerate, and handleGenerate has "
        "no isGenerating guard): a second click starts a second run over the first",
        r"a second generation should not start meanwhile",
    ),
    # Last: any cause above whose video never reaches the store too is told by its own, narrower evidence.
    "never-listed": (
        "the run ends as generated in the AI view, and the video never reaches the media store, so it is "
        "never listed",
        r"the app's media store holds no item named",
    ),
}


class ExpectationsError(ValueError):
    """An expectations file cannot be used: the message names the file, the key and what is allowed."""


@dataclass(frozen=True)
class Expected:
    """Why one test is expected to fail on this build: a gap or a bug, and the evidence that proves it."""

    kind: str  # "gap" or "bug"
    cause: str
    description: str
    evidence: re.Pattern[str]

    @property
    def reason(self) -> str:
        return f"known {self.kind} of this build: {self.cause} ({self.description})"

    def excerpt(self, failure: str, width: int = 240) -> str:
        """The line of `failure` where the evidence is, as a report shows it."""
        line = next((line for line in failure.splitlines() if self.evidence.search(line)), "")
        return " ".join(line.split())[:width]


@dataclass(frozen=True)
class BuildExpectations:
    """One build's known gaps and bugs, by test id relative to `e2e/` (a bare name covers its params)."""

    app: str
    path: Path | None
    lacks: frozenset[str] = frozenset()
    bugs: dict[str, list[str]] = field(default_factory=dict)
    cannot_drive: frozenset[str] = frozenset()

    def lacks_feature(self, feature: str) -> bool:
        return feature in self.lacks

    def for_test(self, test_id: str, needs: set[str]) -> list[Expected]:
        """How a test (its id relative to e2e/) may fail here: its listed bug or its gaps; [] must pass.

        A test that needs two features this build lacks fails on whichever it checks first.
        """
        bare = test_id.split("[", 1)[0]
        for cause, tests in self.bugs.items():
            if test_id in tests or bare in tests:
                description, evidence = BUG_EVIDENCE[cause]
                return [Expected("bug", cause, description, re.compile(evidence))]
        return [
            Expected("gap", feature, PLAN_FEATURES[feature][0], re.compile(PLAN_FEATURES[feature][1]))
            for feature in sorted(needs & self.lacks)
        ]


UNEXPLAINED = "unexplained"  # a failure that shows no known bug's evidence


def cause_of(failure: str) -> str | None:
    """The known bug whose evidence this failure text (with its notes) shows, in BUG_EVIDENCE's order."""
    for cause, (_description, evidence) in BUG_EVIDENCE.items():
        if re.search(evidence, failure):
            return cause
    return None


def classify(failure: str) -> tuple[str, str]:
    """What a failure on a build shows, by its evidence alone (no expectations file needed): the suite
    losing its way (`harness-gap`), a known bug's cause, a plan feature the build lacks, or `unexplained`.

    Returns (kind, name): ("harness-gap", "harness-gap"), ("bug", cause), ("gap", feature) or
    ("unexplained", "unexplained"). A harness gap comes first: its message lists what the page offered,
    whose words must not read as a bug's.
    """
    if f"{HARNESS_GAP}:" in failure:
        return HARNESS_GAP, HARNESS_GAP
    cause = cause_of(failure)
    if cause:
        return "bug", cause
    for feature, (_description, evidence) in PLAN_FEATURES.items():
        if re.search(evidence, failure):
            return "gap", feature
    return UNEXPLAINED, UNEXPLAINED


def usable_on(choice: AppChoice) -> frozenset[str]:
    """What the suite can drive and check on this app: what its page objects drive there, less what the
    build's file says it cannot, and the plan features the build has (the reference app has them all)."""
    if choice.is_reference:
        return choice.capabilities | frozenset(PLAN_FEATURES)
    expectations = load_expectations(choice.name)
    return (choice.capabilities - expectations.cannot_drive) | (frozenset(PLAN_FEATURES) - expectations.lacks)


def lanes_of(commit: str) -> list[str]:
    """The `--app` value of each lane of a build: the build, and `+desktop` where an expectations file asks
    for the desktop shell's headers too."""
    desktop = f"qcut:{commit}{DESKTOP_SUFFIX}"
    return [f"qcut:{commit}", *([desktop] if expectations_file(desktop).is_file() else [])]


def expectations_file(app: str) -> Path:
    """`e2e/apps/expectations/qcut-7e2231ef.toml` for `qcut:7e2231ef` (`+desktop` kept in the name)."""
    return EXPECTATIONS_DIR / f"{app.replace(':', '-')}.toml"


def load_expectations(app: str) -> BuildExpectations:
    """The expectations of `app`; none (everything must pass) when it has no file, as the reference app."""
    path = expectations_file(app)
    if not path.is_file():
        return BuildExpectations(app, None)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ExpectationsError(f"{path}: not TOML: {error}") from None
    unknown = sorted(set(table) - {"lacks", "bugs", "cannot_drive"})
    if unknown:
        raise ExpectationsError(f"{path}: unknown key(s) {unknown}; allowed: lacks, bugs, cannot_drive")
    bugs = table.get("bugs", {})
    _names(path, "bugs", list(bugs), BUG_EVIDENCE)
    for cause, tests in bugs.items():
        if not isinstance(tests, list) or not all(isinstance(test, str) for test in tests):
            raise ExpectationsError(f"{path}: bugs.{cause} must be a list of test ids relative to e2e/")
    return BuildExpectations(
        app,
        path,
        lacks=_names(path, "lacks", table.get("lacks", []), PLAN_FEATURES),
        bugs=bugs,
        cannot_drive=_names(path, "cannot_drive", table.get("cannot_drive", []), CAPABILITIES),
    )


def _names(path: Path, key: str, names: object, allowed: Mapping[str, object]) -> frozenset[str]:
    """`names` as a set, when it is a list of names from `allowed`; else the error naming what is."""
    if not isinstance(names, list) or not set(names) <= set(allowed):
        raise ExpectationsError(f"{path}: {key}: {names!r} is not a list from {sorted(allowed)}")
    return frozenset(names)
