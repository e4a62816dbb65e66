"""What the user did, step by step: one small dataclass per `[[steps]]` action, read strictly from TOML.

Each class's docstring is what its action means (`fixtures/scenarios/README.md` says the same for scenario
authors); `read_step` reads one table into its class, and the replay dispatches on the class with `match`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from e2e.repro.table import Table, allowed
from media_app.models import APP_MODELS

if TYPE_CHECKING:
    from fake_fal.faults import Fault

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
    """select the [fal] model (or `model`), and `more_models` after it, type `prompt`, press Generate;
    `until` = done (default) or submitted; `hold` = FAL answers this job (the first model's) only at a
    `release` step"""

    action: ClassVar[str] = "generate"
    prompt: str
    until: str = "done"
    model: str | None = None
    hold: bool = False
    more_models: tuple[str, ...] = ()  # ticked after `model` for the same click: a video from each

    def describe(self) -> str:
        models = [self.model or "the [fal] model", *self.more_models] if self.more_models else [self.model]
        with_model = f" with {' and '.join(m for m in models if m)}" if any(models) else ""
        held = " (held)" if self.hold else ""
        until = " (until submitted)" if self.until == "submitted" else ""
        return f"{self.action} {self.prompt!r}{with_model}{until}{held}"


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
    """choose the generated item (or the one made from `prompt`) and watch the preview play it (or fail to)"""

    action: ClassVar[str] = "preview"
    prompt: str | None = None

    def describe(self) -> str:
        return self.action + (f" {self.prompt!r}" if self.prompt else "")


@dataclass(frozen=True)
class RestoreStorage:
    """lift the quota override ([environment] storage = transient or quota-full)"""

    action: ClassVar[str] = "restore_storage"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class Retry:
    """press Retry on the generated item's card (or the one made from `prompt`), if the app offers one"""

    action: ClassVar[str] = "retry"
    prompt: str | None = None

    def describe(self) -> str:
        return self.action + (f" {self.prompt!r}" if self.prompt else "")


@dataclass(frozen=True)
class Delete:
    """press Delete on the card of the item made from `prompt`"""

    action: ClassVar[str] = "delete"
    prompt: str

    def describe(self) -> str:
        return f"{self.action} {self.prompt!r}"


@dataclass(frozen=True)
class SaveLocally:
    """press "Save locally" on the URL-only card of the item made from `prompt`"""

    action: ClassVar[str] = "save_locally"
    prompt: str

    def describe(self) -> str:
        return f"{self.action} {self.prompt!r}"


@dataclass(frozen=True)
class ClearFilters:
    """set the type filter back to All and empty the search box"""

    action: ClassVar[str] = "clear_filters"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class FillStorage:
    """the origin's quota drops to 1 byte (a real DevTools quota override) until `restore_storage`"""

    action: ClassVar[str] = "fill_storage"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class BlockStorage:
    """OPFS refuses from now on (a script patch, as `opfs-blocked`) until `unblock_storage`"""

    action: ClassVar[str] = "block_storage"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class UnblockStorage:
    """OPFS works again"""

    action: ClassVar[str] = "unblock_storage"

    def describe(self) -> str:
        return self.action


@dataclass(frozen=True)
class FalFault:
    """from now on FAL answers the next matching requests with this fault (fake_fal's Fault: `kind`,
    `status`, `step`, `times`), as the user's session met it between two runs"""

    action: ClassVar[str] = "fal_fault"
    status: int = 500
    step: str | None = None
    times: int | None = 1
    kind: str = "status"

    def arm(self) -> Fault:
        """The fault itself, as fake_fal takes it (a ValueError names what it does not understand)."""
        from fake_fal.faults import Fault

        return Fault(kind=self.kind, status=self.status, step=self.step, times=self.times)  # type: ignore[arg-type]

    def describe(self) -> str:
        times = f"x{self.times}" if self.times else "always"
        return f"{self.action} {self.kind} {self.status} at {self.step or 'any step'} {times}"


def _fal_fault(table: Table) -> FalFault:
    fault = FalFault(
        status=table.get("status", int, 500),
        step=table.get("step", str),
        times=table.get("times", int, 1),
        kind=table.get("kind", str, "status"),
    )
    try:
        fault.arm()
    except ValueError as error:
        table.fail(f"not a fault fake_fal understands: {error}")
    return fault


Step = (
    OpenProject
    | Generate
    | Release
    | Filter
    | Search
    | Reload
    | Preview
    | RestoreStorage
    | Retry
    | Delete
    | SaveLocally
    | ClearFilters
    | FillStorage
    | BlockStorage
    | UnblockStorage
    | FalFault
)
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
    Delete,
    SaveLocally,
    ClearFilters,
    FillStorage,
    BlockStorage,
    UnblockStorage,
    FalFault,
)
# What each step does, by action name: the classes' docstrings.
ACTIONS: dict[str, str] = {kind.action: (kind.__doc__ or "").strip() for kind in STEP_TYPES}


def _more_models(table: Table, model: str | None) -> tuple[str, ...]:
    """`more_models`: app models, each once, none of them `model` (each ticked model makes one video)."""
    more = table.get("more_models", list, [])
    offered = [app_model.id for app_model in APP_MODELS]
    for value in more:
        if value not in offered:
            table.fail(f"{value!r} is not a model the app offers; allowed: {allowed(offered)}", "more_models")
    if len(set(more)) != len(more) or model in more:
        table.fail(
            "names each model once, and not the step's `model` (a model is ticked or not)", "more_models"
        )
    return tuple(more)


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
            model = table.choice("model", {model.id: model for model in APP_MODELS})
            until = table.choice("until", GENERATE_UNTIL, "done") or "done"
            hold = table.get("hold", bool, False)
            if hold and until != "submitted":
                table.fail('a held job needs until = "submitted" (a release step lets it finish)', "hold")
            step = Generate(prompt, until, model, hold, _more_models(table, model))
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
            step = Preview(table.get("prompt", str))
        case "restore_storage":
            step = RestoreStorage()
        case "retry":
            step = Retry(table.get("prompt", str))
        case "delete":
            step = Delete(table.get("prompt", str, required=True))
        case "save_locally":
            step = SaveLocally(table.get("prompt", str, required=True))
        case "clear_filters":
            step = ClearFilters()
        case "fill_storage":
            step = FillStorage()
        case "block_storage":
            step = BlockStorage()
        case "fal_fault":
            step = _fal_fault(table)
        case _:
            step = UnblockStorage()
    table.done(("action", *(f.name for f in fields(step))))
    return step
