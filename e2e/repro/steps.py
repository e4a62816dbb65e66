"""What the user did, step by step: one small dataclass per `[[steps]]` action, read strictly from TOML.

Each class's docstring is what its action means (`fixtures/scenarios/README.md` says the same for scenario
authors); `read_step` reads one table into its class, and the replay dispatches on the class with `match`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from e2e.repro.table import Table, allowed

FILTER_TYPES = ("all", "video", "audio", "image")
GENERATE_UNTIL = ("done", "submitted")


@dataclass(frozen=True)
class OpenProject:
    """open project `project` (created on first use, with its `id` and `name` from [projects])"""

    action: ClassVar[str] = "open_project"
    project: str

    def describe(self) -> str:
        return f"{self.action} {self.project}"


@dataclass(frozen=True)
class Generate:
    """select the [fal] model, type `prompt`, press Generate; `until` = done (default) or submitted"""

    action: ClassVar[str] = "generate"
    prompt: str
    until: str = "done"

    def describe(self) -> str:
        return f"{self.action} {self.prompt!r}" + (" (until submitted)" if self.until == "submitted" else "")


@dataclass(frozen=True)
class Release:
    """FAL finishes the held job ([fal] hold = true); waits until the app has handled the result"""

    action: ClassVar[str] = "release"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class Filter:
    """set the media panel's type filter to `type` (all, video, audio, image)"""

    action: ClassVar[str] = "filter"
    type: str

    def describe(self) -> str:
        return f"{self.action} {self.type}"


@dataclass(frozen=True)
class Search:
    """type `query` into the media panel's search box"""

    action: ClassVar[str] = "search"
    query: str

    def describe(self) -> str:
        return f"{self.action} {self.query!r}"


@dataclass(frozen=True)
class Reload:
    """reload the page"""

    action: ClassVar[str] = "reload"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class Preview:
    """choose the generated item and watch the preview panel play it (or fail to)"""

    action: ClassVar[str] = "preview"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class RestoreStorage:
    """lift the quota override ([environment] storage = transient or quota-full)"""

    action: ClassVar[str] = "restore_storage"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class Retry:
    """press Retry on the generated item's card, if the app offers one (an unsaved item)"""

    action: ClassVar[str] = "retry"

    def describe(self) -> str:
        return self.action


Step = OpenProject | Generate | Release | Filter | Search | Reload | Preview | RestoreStorage | Retry
STEP_TYPES: tuple[type[Step], ...] = (
    OpenProject,
    Generate,
    Release,
    Filter,
    Search,
    Reload,
    Preview,
    RestoreStorage,
    Retry,
)
# What each step does, by action name: the classes' docstrings.
ACTIONS: dict[str, str] = {kind.action: (kind.__doc__ or "").strip() for kind in STEP_TYPES}


def read_step(table: Table, projects: Mapping[str, Any]) -> Step:
    """One `[[steps]]` table as its step; a ScenarioError names the key and what is allowed."""
    action = table.choice("action", ACTIONS)
    if action is None:
        table.fail(f"is required; allowed: {allowed(ACTIONS)}", "action")
    step: Step
    match action:
        case "open_project":
            project = table.choice("project", projects)
            if project is None:
                table.fail(f"is required for open_project; declared projects: {allowed(projects)}", "project")
            step = OpenProject(str(project))
        case "generate":
            prompt = table.get("prompt", str, required=True)
            if not prompt.strip():
                table.fail("must not be blank (the app refuses to generate without a prompt)", "prompt")
            step = Generate(prompt, table.choice("until", GENERATE_UNTIL, "done") or "done")
        case "filter":
            kind = table.choice("type", FILTER_TYPES)
            if kind is None:
                table.fail(f"is required for filter; allowed: {allowed(FILTER_TYPES)}", "type")
            step = Filter(str(kind))
        case "search":
            step = Search(table.get("query", str, required=True))
        case "release":
            step = Release()
        case "reload":
            step = Reload()
        case "preview":
            step = Preview()
        case "restore_storage":
            step = RestoreStorage()
        case _:
            step = Retry()
    table.done(("action", *(f.name for f in fields(step))))
    return step
