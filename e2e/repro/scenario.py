"""The scenario format: a user's "my generated video is missing" report as data, loaded from TOML.

A scenario says what the user did (`[[steps]]`), what FAL returned (`[fal]`), the conditions they were in
(`[environment]`), what they should have seen on the fixed app (`[expect]`) and what they saw (`[symptom]`).
`fixtures/scenarios/README.md` documents every key with an example. Loading is strict: an unknown key, a
wrong type or a value outside its set raises ScenarioError naming the file, the key and what is allowed.

    from e2e.repro.scenario import load_scenario
    scenario = load_scenario("fixtures/scenarios/ltx_console_v2.toml")
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from fake_fal.models import MEDIA_HOSTS
from media_app.models import APP_MODELS, MODELS_JS, AppModel, model_by_id
from media_app.profiles import BUGS, PROFILES

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"

STORAGE_CONDITIONS: dict[str, str] = {
    "ok": "storage works",
    "quota-full": "the origin's quota is 1 byte (a real DevTools quota override): "
    "every OPFS and IndexedDB write fails with QuotaExceededError",
    "transient": "quota full as above until a `restore_storage` step lifts it",
    "blocked": "the browser blocks site data (a real profile setting): OPFS and IndexedDB refuse the page",
    "opfs-blocked": "OPFS alone refuses (a script patch: no browser setting blocks it alone)",
    "indexeddb-blocked": "IndexedDB alone refuses for media (a script patch)",
}

# Readable names for the two policy switches, so a scenario can say what the user's build served.
CSP_MODES = {"allows-fal-media": frozenset(), "blocks-fal-media": frozenset({"csp-media-src"})}
COEP_MODES = {"none": frozenset(), "require-corp": frozenset({"coep-require-corp"})}

FAL_MODES = ("sync", "queue")
FILTER_TYPES = ("all", "video", "audio", "image")
BLOCKERS = ("csp", "coep", "none")

# What each step does; `fixtures/scenarios/README.md` says the same for scenario authors.
ACTIONS: dict[str, str] = {
    "open_project": "open project `project` (created on first use, with its `id` and `name` from [projects])",
    "generate": "select the [fal] model, type `prompt`, press Generate; `until` = done (default) "
    "or submitted",
    "release": "FAL finishes the held job ([fal] hold = true); waits until the app has handled the result",
    "filter": "set the media panel's type filter to `type` (all, video, audio, image)",
    "search": "type `query` into the media panel's search box",
    "reload": "reload the page",
    "preview": "choose the generated item and watch the preview panel play it (or fail to)",
    "restore_storage": "lift the quota override ([environment] storage = transient or quota-full)",
    "retry": "press Retry on the generated item's card, if the app offers one (an unsaved item)",
}
STEP_KEYS: dict[str, tuple[str, ...]] = {
    "open_project": ("project",),
    "generate": ("prompt", "until"),
    "release": (),
    "filter": ("type",),
    "search": ("query",),
    "reload": (),
    "preview": (),
    "restore_storage": (),
    "retry": (),
}
GENERATE_UNTIL = ("done", "submitted")

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

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ENDPOINT = re.compile(r"^[\w.-]+/[\w.-]+(/[\w.-]+)*$")
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


class ScenarioError(ValueError):
    """A scenario file that cannot be used: says which file, which key, and what is allowed."""


# -- the dataclasses -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Environment:
    """The user's conditions: the app build (profile and bug switches) and the state of their storage."""

    profile: str = "fixed"
    bugs: tuple[str, ...] = ()
    storage: str = "ok"
    csp: str | None = None
    coep: str | None = None

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
class Step:
    """One thing the user did; which keys apply depends on `action` (see ACTIONS)."""

    action: str
    project: str | None = None
    prompt: str | None = None
    until: str = "done"
    type: str | None = None
    query: str | None = None

    def describe(self) -> str:
        detail = {
            "open_project": self.project,
            "generate": f"{self.prompt!r}" + (" (until submitted)" if self.until == "submitted" else ""),
            "filter": self.type,
            "search": repr(self.query),
        }.get(self.action)
        return f"{self.action} {detail}" if detail else self.action


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
        return [step.prompt for step in self.steps if step.action == "generate" and step.prompt]

    @property
    def previews(self) -> bool:
        return any(step.action == "preview" for step in self.steps)

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
        if len({step.project for step in self.steps if step.action == "open_project"}) > 1:
            causes.add("project-mismatch")
        actions = {step.action for step in self.steps}
        if any(step.action == "filter" and step.type != "all" for step in self.steps):
            causes.add("filter")
        if "search" in actions:
            causes.add("search")
        return frozenset(causes)

    def under_fixed_app(self) -> Scenario:
        """The same user, steps and storage on the fixed app: every bug switch off."""
        return replace(
            self, environment=replace(self.environment, profile="fixed", bugs=(), csp=None, coep=None)
        )


# -- loading -------------------------------------------------------------------------------------------


_KIND_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "an array", dict: "a table"}


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(values)


class _Table:
    """One TOML table being read: every read is checked, leftovers are unknown keys."""

    def __init__(self, path: Path, where: str, data: Any) -> None:
        self.path, self.where = path, where
        if not isinstance(data, dict):
            self.fail(f"must be a table, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.read: set[str] = set()

    def fail(self, message: str, key: str | None = None) -> None:
        at = f"{self.where}.{key}" if key else self.where
        raise ScenarioError(f"{self.path}: {at}: {message}")

    def get(
        self, key: str, kind: type | tuple[type, ...], default: Any = None, *, required: bool = False
    ) -> Any:
        self.read.add(key)
        if key not in self.data:
            if required:
                self.fail("is required", key)
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # TOML booleans are not integers here, whatever Python thinks.
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if wrong_bool or not isinstance(value, kinds):
            names = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
            self.fail(f"must be {names}, got {value!r}", key)
        return value

    def choice(self, key: str, allowed: Iterable[str], default: str | None = None) -> str | None:
        allowed = tuple(allowed)
        value = self.get(key, str, default)
        if value is not None and value not in allowed:
            self.fail(f"{value!r} is not allowed; allowed: {_allowed(allowed)}", key)
        return value

    def matching(self, key: str, pattern: re.Pattern[str], what: str, **kwargs: Any) -> str | None:
        value = self.get(key, str, **kwargs)
        if value is not None and not pattern.match(value):
            self.fail(f"{value!r} is not {what}", key)
        return value

    def count(self, key: str) -> int | None:
        value = self.get(key, int)
        if value is not None and value < 0:
            self.fail(f"must be 0 or more, got {value}", key)
        return value

    def done(self, allowed: Iterable[str] | None = None) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            keys = _allowed(allowed if allowed is not None else sorted(self.read))
            self.fail(f"unknown key {', '.join(map(repr, unknown))}; allowed: {keys}")


def _section(path: Path, document: dict[str, Any], name: str, *, required: bool = True) -> _Table:
    if name not in document:
        if required:
            raise ScenarioError(f"{path}: [{name}] is required")
        return _Table(path, f"[{name}]", {})
    return _Table(path, f"[{name}]", document[name])


def _environment(table: _Table) -> Environment:
    profile = table.choice("profile", PROFILES, "fixed")
    bugs = table.get("bugs", list, [])
    for bug in bugs:
        if bug not in BUGS:
            table.fail(f"unknown bug switch {bug!r}; allowed: {_allowed(BUGS)}", "bugs")
    storage = table.choice("storage", STORAGE_CONDITIONS, "ok")
    csp = table.choice("csp", CSP_MODES)
    coep = table.choice("coep", COEP_MODES)
    table.done(("profile", "bugs", "storage", "csp", "coep"))
    environment = Environment(profile or "fixed", tuple(bugs), storage or "ok", csp, coep)
    if csp == "allows-fal-media" and "csp-media-src" in environment.effective_bugs:
        table.fail("allows-fal-media contradicts the csp-media-src switch of the profile or bugs", "csp")
    if coep == "none" and "coep-require-corp" in environment.effective_bugs:
        table.fail("none contradicts the coep-require-corp switch of the profile or bugs", "coep")
    return environment


def _fault(table: _Table) -> dict[str, Any]:
    """One [[fal.faults]] table, checked by building fake_fal's Fault from it."""
    from fake_fal.faults import Fault

    allowed = tuple(f.name for f in fields(Fault) if f.init)
    unknown = sorted(set(table.data) - set(allowed))
    if unknown:
        table.fail(
            f"unknown key {', '.join(map(repr, unknown))}; allowed (fake_fal's Fault): {_allowed(allowed)}"
        )
    try:
        Fault(**table.data)
    except (TypeError, ValueError) as error:
        table.fail(f"not a fault fake_fal understands: {error}")
    return dict(table.data)


def _check_model(table: _Table, model: str, endpoint: str | None) -> AppModel:
    """The model is one the app offers (media_app.models), and the endpoint is the one it calls."""
    if not APP_MODELS:
        table.fail(f"the app's model list cannot be read from {MODELS_JS}", "model")
    app_model = model_by_id(model)
    if app_model is None:
        offered = _allowed(f"{m.id} ({m.endpoint})" for m in APP_MODELS)
        table.fail(f"{model!r} is not a model the app offers; allowed: {offered}", "model")
    assert app_model is not None
    if endpoint != app_model.endpoint:
        table.fail(
            f"{endpoint!r} is not what model {model!r} calls: the app calls {app_model.endpoint!r} for it "
            "(a model and its endpoint come from media_app's model list together)",
            "endpoint",
        )
    return app_model


def _fal(table: _Table, clips: Mapping[str, Any]) -> Fal:
    model = table.get("model", str, required=True)
    endpoint = table.matching(
        "endpoint", _ENDPOINT, "a FAL endpoint id such as fal-ai/ltxv-2/text-to-video/fast", required=True
    )
    app_model = _check_model(table, model, endpoint)
    media_host = table.choice("media_host", MEDIA_HOSTS, "v3b.fal.media")
    clip = table.choice("clip", clips)
    file_size = table.get("file_size", int)
    if file_size is not None and file_size <= 0:
        table.fail(f"must be a positive byte count, got {file_size}", "file_size")
    if file_size is not None and clip is None:
        sized = [name for name, spec in clips.items() if getattr(spec, "pad_to_bytes", None) == file_size]
        if not sized:
            exact = [f"{name} ({spec.pad_to_bytes})" for name, spec in clips.items() if spec.pad_to_bytes]
            table.fail(
                f"no fixture clip is exactly {file_size} bytes; give `clip` (allowed: {_allowed(clips)}); "
                f"clips of exact sizes: {_allowed(exact)}",
                "file_size",
            )
        clip = sized[0]
    mode = table.choice("mode", FAL_MODES)
    if mode is not None and app_model.mode in FAL_MODES and mode != app_model.mode:
        table.fail(
            f"{mode!r}: the app calls {model!r} the {app_model.mode} way (media_app's model list)", "mode"
        )
    polls_in_queue = table.count("polls_in_queue")
    polls_in_progress = table.count("polls_in_progress")
    if mode == "sync" and (polls_in_queue or polls_in_progress):
        table.fail(
            "a synchronous run (mode = sync) is never polled; drop the polls or use mode = queue", "mode"
        )
    hold = table.get("hold", bool, False)
    raw_faults = table.get("faults", list, [])
    faults = [
        _fault(_Table(table.path, f"{table.where}.faults[{i}]", raw)) for i, raw in enumerate(raw_faults)
    ]
    output = table.get("output", dict)
    table.done(
        (
            "model",
            "endpoint",
            "media_host",
            "clip",
            "file_size",
            "mode",
            "polls_in_queue",
            "polls_in_progress",
            "hold",
            "faults",
            "output",
        )
    )
    return Fal(
        model=model or "",
        endpoint=endpoint or "",
        media_host=media_host or "v3b.fal.media",
        clip=clip,
        file_size=file_size,
        mode=mode,
        polls_in_queue=polls_in_queue,
        polls_in_progress=polls_in_progress,
        hold=hold,
        faults=tuple(faults),
        output=output,
    )


def _projects(path: Path, document: dict[str, Any]) -> dict[str, Project]:
    table = _section(path, document, "projects", required=False)
    projects = {}
    for key in list(table.data):
        if not _NAME.match(key):
            table.fail(f"project key {key!r} must be lower-case letters, digits, _ or -", key)
        entry = _Table(path, f"[projects.{key}]", table.get(key, dict))
        project_id = entry.matching(
            "id", _UUID, "a lower-case UUID like 91792c80-b639-4b2a-bf54-6b7da08e2ff1"
        )
        name = entry.get("name", str)
        entry.done(("id", "name"))
        projects[key] = Project(key, project_id, name)
    if not projects:
        projects["main"] = Project("main")
    return projects


def _steps(path: Path, document: dict[str, Any], projects: Mapping[str, Project]) -> tuple[Step, ...]:
    raw_steps = document.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ScenarioError(f"{path}: [[steps]] is required: at least one step; actions: {_allowed(ACTIONS)}")
    steps = []
    for index, raw in enumerate(raw_steps):
        table = _Table(path, f"steps[{index + 1}]", raw)
        action = table.choice("action", ACTIONS)
        if action is None:
            table.fail(f"is required; allowed: {_allowed(ACTIONS)}", "action")
        assert action is not None
        keys = STEP_KEYS[action]
        values: dict[str, Any] = {}
        if "project" in keys:
            values["project"] = table.choice("project", projects)
            if values["project"] is None:
                table.fail(
                    f"is required for open_project; declared projects: {_allowed(projects)}", "project"
                )
        if "prompt" in keys:
            values["prompt"] = table.get("prompt", str, required=True)
            if not values["prompt"].strip():
                table.fail("must not be blank (the app refuses to generate without a prompt)", "prompt")
            values["until"] = table.choice("until", GENERATE_UNTIL, "done")
        if "type" in keys:
            values["type"] = table.choice("type", FILTER_TYPES)
            if values["type"] is None:
                table.fail(f"is required for filter; allowed: {_allowed(FILTER_TYPES)}", "type")
        if "query" in keys:
            values["query"] = table.get("query", str, required=True)
        table.done(("action", *keys))
        steps.append(Step(action=action, **values))
    return tuple(steps)


def _outcome(table: _Table, projects: Mapping[str, Project]) -> Outcome:
    values: dict[str, Any] = {"project": table.choice("project", projects)}
    for name in ("listed", "appeared", "in_store", "saved", "unsaved", "url_only", "plays", "hint"):
        values[name] = table.get(name, bool)
    values["blocked_by"] = table.choice("blocked_by", BLOCKERS)
    values["toast"] = table.get("toast", str)
    values["no_toast"] = table.get("no_toast", str)
    table.done(tuple(f.name for f in fields(Outcome)))
    outcome = Outcome(**values)
    if not outcome.checks():
        table.fail(
            f"must check at least one of: {_allowed(f.name for f in fields(Outcome) if f.name != 'project')}"
        )
    return outcome


def _check_consistency(scenario: Scenario) -> None:
    path, actions = scenario.path, [step.action for step in scenario.steps]
    if "generate" not in actions:
        raise ScenarioError(
            f"{path}: [[steps]] must include a generate step (the report is about a generated video)"
        )
    if actions[0] != "open_project" and len(scenario.projects) > 1:
        raise ScenarioError(
            f"{path}: steps[1].action: with several [projects], the first step must be open_project"
        )
    if scenario.fal.hold != ("release" in actions):
        raise ScenarioError(
            f"{path}: [fal].hold: a held job needs a release step, and a release step needs hold = true"
        )
    if "release" in actions and not any(
        s.action == "generate" and s.until == "submitted" for s in scenario.steps
    ):
        raise ScenarioError(f'{path}: [[steps]]: release follows a generate step with until = "submitted"')
    storage = scenario.environment.storage
    if storage == "transient" and "restore_storage" not in actions:
        raise ScenarioError(
            f"{path}: [environment].storage: transient needs a restore_storage step (when it recovers)"
        )
    if "restore_storage" in actions and storage not in ("transient", "quota-full"):
        raise ScenarioError(
            f"{path}: [[steps]]: restore_storage applies only to storage = transient or quota-full"
        )
    for section, outcome in (("expect", scenario.expect), ("symptom", scenario.symptom)):
        if (outcome.plays is not None or outcome.blocked_by is not None) and not scenario.previews:
            raise ScenarioError(f"{path}: [{section}]: plays and blocked_by need a preview step in [[steps]]")


def load_scenario(path: str | Path, clips: Mapping[str, Any] | None = None) -> Scenario:
    """Read and validate one scenario file; a ScenarioError names the file, the key and what is allowed."""
    path = Path(path)
    if clips is None:
        from fixtures.media import CLIPS

        clips = CLIPS
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML: {error}") from None
    sections = ("scenario", "environment", "fal", "projects", "steps", "expect", "symptom")
    unknown = sorted(set(document) - set(sections))
    if unknown:
        raise ScenarioError(
            f"{path}: unknown section {', '.join(map(repr, unknown))}; allowed: {_allowed(sections)}"
        )

    about = _section(path, document, "scenario")
    name = about.get("name", str, required=True)
    title = about.get("title", str, required=True)
    report = about.get("report", str, required=True)
    about.done(("name", "title", "report"))
    problem = name_error(name, path)
    if problem:
        about.fail(problem, "name")

    projects = _projects(path, document)
    scenario = Scenario(
        path=path,
        name=name or "",
        title=title.strip(),
        report=report.strip(),
        environment=_environment(_section(path, document, "environment", required=False)),
        fal=_fal(_section(path, document, "fal"), clips),
        projects=projects,
        steps=_steps(path, document, projects),
        expect=_outcome(_section(path, document, "expect"), projects),
        symptom=_outcome(_section(path, document, "symptom"), projects),
    )
    _check_consistency(scenario)
    return scenario


def scenario_files(directory: Path = SCENARIO_DIR) -> list[Path]:
    """Every scenario file in `directory`, sorted by name."""
    return sorted(directory.glob("*.toml"))


def find_scenario(name_or_path: str, directory: Path = SCENARIO_DIR) -> Path:
    """A scenario file from a path or a bare name (`ltx_console_v2`); a ScenarioError lists the names."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    named = directory / f"{name_or_path}.toml"
    if named.exists():
        return named
    known = _allowed(path.stem for path in scenario_files(directory))
    raise ScenarioError(f"{name_or_path}: no such scenario; known: {known}")


def load_all(directory: Path = SCENARIO_DIR) -> list[Scenario]:
    """Every scenario in `directory`, loaded and validated."""
    return [load_scenario(path) for path in scenario_files(directory)]
