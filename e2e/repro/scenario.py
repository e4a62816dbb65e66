"""The scenario format: a user's "my generated video is missing" report as data.

A scenario says what the user did (`[[steps]]`, one dataclass per action in `steps.py`), what FAL returned
(`[fal]`), the conditions they were in (`[environment]`), what they should have seen on the fixed app
(`[expect]`) and what they saw (`[symptom]`). `fixtures/scenarios/README.md` documents every key with an
example; `loader.py` reads a file strictly into these dataclasses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from e2e.apps.choice import REFERENCE
from e2e.repro.steps import Filter, Generate, OpenProject, Preview, Search, Step
from media_app.profiles import PROFILES

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"

# Readable names for the two policy switches, so a scenario can say what the user's build served.
CSP_MODES = {"allows-fal-media": frozenset(), "blocks-fal-media": frozenset({"csp-media-src"})}
COEP_MODES = {"none": frozenset(), "require-corp": frozenset({"coep-require-corp"})}

FAL_MODES = ("sync", "queue")
BLOCKERS = ("csp", "coep", "none")

# The causes a scenario can stand for; triage and the diagnosis use the same names.
CAUSES: dict[str, str] = {
    "csp-media-src": "CSP media-src lacks the FAL media host: the preview of the remote URL is blocked",
    "coep": "COEP require-corp blocks the no-cors <video> load of a CDN URL without CORP",
    "storage-rollback": "storage save failed and the item was rolled back (removed from the list)",
    "storage-unsaved": "storage save failed and the item was kept, marked unsaved",
    "project-mismatch": "the item went to a different project than the one on screen",
    "filter": "the media panel's type filter hides the item",
    "search": "the media panel's search hides the item",
}

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NAME_RULE = "lower-case letters, digits, _ or -"


def name_from(text: str) -> str:
    """A scenario name made from any text, such as a file name (`User Report (1)` -> `user_report_1`)."""
    return re.sub(r"[^a-z0-9_-]+", "_", text.lower()).strip("_-") or "user_report"


def name_error(name: str, path: Path | None = None) -> str | None:
    """What makes `name` unusable as the name of the scenario file at `path`, or None: the loader's rule."""
    if not _NAME.match(name):
        return f"{name!r} is not {NAME_RULE} (it names reports/repro/<name>/); {name_from(name)!r} would do"
    if path is not None and path.suffix == ".toml" and name != path.stem:
        return f"{name!r} must match the file name {path.stem!r}"
    return None


# -- the dataclasses -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Environment:
    """The user's conditions: the app build (profile and bug switches) and the state of their storage.

    `app` names a real QCut build (`qcut:<commit>[+desktop]`, e2e.apps.choice) instead of the reference app;
    the build then brings its own conditions, so it takes no profile, switches or policy modes.
    """

    profile: str = "fixed"
    bugs: tuple[str, ...] = ()
    storage: str = "ok"
    csp: str | None = None
    coep: str | None = None
    app: str = REFERENCE

    @property
    def effective_bugs(self) -> frozenset[str]:
        """Every bug switch the app is served with: the profile's, the listed ones, and the policy modes'."""
        return (
            PROFILES[self.profile]
            | frozenset(self.bugs)
            | CSP_MODES.get(self.csp or "", frozenset())
            | COEP_MODES.get(self.coep or "", frozenset())
        )

    @property
    def query(self) -> str:
        """The page query that serves exactly these switches (`?profile=fixed&bugs=a,b`)."""
        bugs = ",".join(sorted(self.effective_bugs))
        return "?profile=fixed" + (f"&bugs={bugs}" if bugs else "")


@dataclass(frozen=True)
class Fal:
    """What FAL did: the app's model and the FAL endpoint it called, the media it returned, delays, faults."""

    model: str
    endpoint: str
    media_host: str = "v3b.fal.media"
    clip: str | None = None
    file_size: int | None = None
    mode: str | None = None
    polls_in_queue: int | None = None
    polls_in_progress: int | None = None
    hold: bool = False
    faults: tuple[Mapping[str, Any], ...] = ()
    output: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Project:
    """A project the user worked in; `id` pins the id their log shows, `name` what the projects page lists."""

    key: str
    id: str | None = None
    name: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or f"Project {self.key}"


@dataclass(frozen=True)
class Outcome:
    """What the user sees once the steps are done; only the fields given are checked.

    `project` names the project to look in (the driver opens it, as a user would); by default, the one on
    screen after the last step.
    """

    project: str | None = None
    listed: bool | None = None
    appeared: bool | None = None
    in_store: bool | None = None
    saved: bool | None = None
    unsaved: bool | None = None
    url_only: bool | None = None
    plays: bool | None = None
    blocked_by: str | None = None
    hint: bool | None = None
    toast: str | None = None
    no_toast: str | None = None
    ai_error: str | None = None  # the AI panel's error says this; "" for no error at all

    def checks(self) -> dict[str, Any]:
        """The fields this outcome pins down (everything but `project`), by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "project" and getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class Scenario:
    """A user's report replayed: who, what they did, what FAL did, what they should see and what they saw."""

    path: Path
    name: str
    title: str
    report: str
    environment: Environment
    fal: Fal
    projects: Mapping[str, Project]
    steps: tuple[Step, ...]
    expect: Outcome
    symptom: Outcome

    @property
    def prompts(self) -> list[str]:
        return [step.prompt for step in self.steps if isinstance(step, Generate)]

    @property
    def previews(self) -> bool:
        return any(isinstance(step, Preview) for step in self.steps)

    @property
    def causes(self) -> frozenset[str]:
        """The causes this scenario stands for, from its conditions and steps (names from CAUSES)."""
        bugs = self.environment.effective_bugs
        causes: set[str] = set()
        if "csp-media-src" in bugs and self.previews:
            causes.add("csp-media-src")
        if "coep-require-corp" in bugs and self.previews:
            causes.add("coep")
        if self.environment.storage != "ok":
            causes.add("storage-rollback" if "rollback" in bugs else "storage-unsaved")
        if len({step.project for step in self.steps if isinstance(step, OpenProject)}) > 1:
            causes.add("project-mismatch")
        if any(isinstance(step, Filter) and step.type != "all" for step in self.steps):
            causes.add("filter")
        if any(isinstance(step, Search) for step in self.steps):
            causes.add("search")
        return frozenset(causes)

    def under_fixed_app(self) -> Scenario:
        """The same user, steps and storage on the fixed (reference) app: every bug switch off."""
        return self.on_app(REFERENCE)

    def on_app(self, app: str) -> Scenario:
        """The same user, steps and storage on `app`, with none of the reference app's switches."""
        fixed = replace(self.environment, profile="fixed", bugs=(), csp=None, coep=None, app=app)
        return replace(self, environment=fixed)
