"""Load a scenario file strictly: an unknown key, a wrong type, a value outside its set, a model the app
does not offer, or steps and outcomes that contradict each other raise ScenarioError naming the file, the
key and what is allowed. The format itself is `scenario.py`; `fixtures/scenarios/README.md` documents it.

    from e2e.repro.loader import load_scenario
    scenario = load_scenario("fixtures/scenarios/ltx_console_v2.toml")
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from e2e.apps.choice import REFERENCE, AppChoice, AppChoiceError
from e2e.repro.scenario import (
    BLOCKERS,
    COEP_MODES,
    CSP_MODES,
    FAL_MODES,
    SCENARIO_DIR,
    Environment,
    Fal,
    Outcome,
    Project,
    Scenario,
    name_error,
)
from e2e.repro.steps import ACTIONS, Generate, Step, read_step
from e2e.repro.table import ScenarioError, Table, allowed
from e2e.storage.faults import STORAGE_CONDITIONS
from fake_fal.models import MEDIA_HOSTS
from media_app.models import APP_MODELS, MODELS_JS, AppModel, model_by_id
from media_app.profiles import BUGS, PROFILES

__all__ = ["ScenarioError", "find_scenario", "load_all", "load_scenario", "scenario_files"]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ENDPOINT = re.compile(r"^[\w.-]+/[\w.-]+(/[\w.-]+)*$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _section(path: Path, document: dict[str, Any], name: str, *, required: bool = True) -> Table:
    if name not in document:
        if required:
            raise ScenarioError(f"{path}: [{name}] is required")
        return Table(path, f"[{name}]", {})
    return Table(path, f"[{name}]", document[name])


def _environment(table: Table) -> Environment:
    profile = table.choice("profile", PROFILES)
    bugs = table.get("bugs", list, [])
    for bug in bugs:
        if bug not in BUGS:
            table.fail(f"unknown bug switch {bug!r}; allowed: {allowed(BUGS)}", "bugs")
    storage = table.choice("storage", STORAGE_CONDITIONS, "ok")
    csp = table.choice("csp", CSP_MODES)
    coep = table.choice("coep", COEP_MODES)
    app = _app(table, switched=bool(profile or bugs or csp or coep))
    table.done(("profile", "bugs", "storage", "csp", "coep", "app"))
    environment = Environment(profile or "fixed", tuple(bugs), storage or "ok", csp, coep, app)
    if csp == "allows-fal-media" and "csp-media-src" in environment.effective_bugs:
        table.fail("allows-fal-media contradicts the csp-media-src switch of the profile or bugs", "csp")
    if coep == "none" and "coep-require-corp" in environment.effective_bugs:
        table.fail("none contradicts the coep-require-corp switch of the profile or bugs", "coep")
    return environment


def _app(table: Table, *, switched: bool) -> str:
    """`app`: the reference app, or a real build `qcut:<commit>[+desktop]` that takes none of its switches."""
    name: str = table.get("app", str, REFERENCE)
    if name == REFERENCE:
        return name
    try:
        choice = AppChoice.parse(name)
    except AppChoiceError as error:
        table.fail(str(error).removeprefix("--app "), "app")
    if switched:
        table.fail(f"{name} is a real build: profile, bugs, csp and coep configure the reference app", "app")
    return choice.name


def _fault(table: Table) -> dict[str, Any]:
    """One [[fal.faults]] table, checked by building fake_fal's Fault from it."""
    from fake_fal.faults import Fault

    keys = tuple(f.name for f in fields(Fault) if f.init)
    unknown = sorted(set(table.data) - set(keys))
    if unknown:
        table.fail(
            f"unknown key {', '.join(map(repr, unknown))}; allowed (fake_fal's Fault): {allowed(keys)}"
        )
    try:
        Fault(**table.data)
    except (TypeError, ValueError) as error:
        table.fail(f"not a fault fake_fal understands: {error}")
    return dict(table.data)


def _check_model(table: Table, model: str, endpoint: str | None) -> AppModel:
    """The model is one the app offers (media_app.models), and the endpoint is the one it calls."""
    if not APP_MODELS:
        table.fail(f"the app's model list cannot be read from {MODELS_JS}", "model")
    app_model = model_by_id(model)
    if app_model is None:
        offered = allowed(f"{m.id} ({m.endpoint})" for m in APP_MODELS)
        table.fail(f"{model!r} is not a model the app offers; allowed: {offered}", "model")
    assert app_model is not None
    if endpoint != app_model.endpoint:
        table.fail(
            f"{endpoint!r} is not what model {model!r} calls: the app calls {app_model.endpoint!r} for it "
            "(a model and its endpoint come from media_app's model list together)",
            "endpoint",
        )
    return app_model


def _clip(table: Table, clips: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """The fixture clip: named by `clip`, or the one of exactly `file_size` bytes."""
    clip = table.choice("clip", clips)
    file_size = table.get("file_size", int)
    if file_size is not None and file_size <= 0:
        table.fail(f"must be a positive byte count, got {file_size}", "file_size")
    if file_size is not None and clip is None:
        sized = [name for name, spec in clips.items() if getattr(spec, "pad_to_bytes", None) == file_size]
        if not sized:
            exact = [f"{name} ({spec.pad_to_bytes})" for name, spec in clips.items() if spec.pad_to_bytes]
            table.fail(
                f"no fixture clip is exactly {file_size} bytes; give `clip` (allowed: {allowed(clips)}); "
                f"clips of exact sizes: {allowed(exact)}",
                "file_size",
            )
        clip = sized[0]
    return clip, file_size


def _fal(table: Table, clips: Mapping[str, Any]) -> Fal:
    model = table.get("model", str, required=True)
    endpoint = table.matching(
        "endpoint", _ENDPOINT, "a FAL endpoint id such as fal-ai/ltxv-2/text-to-video/fast", required=True
    )
    app_model = _check_model(table, model, endpoint)
    media_host = table.choice("media_host", MEDIA_HOSTS, "v3b.fal.media")
    clip, file_size = _clip(table, clips)
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
        _fault(Table(table.path, f"{table.where}.faults[{i}]", raw)) for i, raw in enumerate(raw_faults)
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
        if not _KEY.match(key):
            table.fail(f"project key {key!r} must be lower-case letters, digits, _ or -", key)
        entry = Table(path, f"[projects.{key}]", table.get(key, dict))
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
        raise ScenarioError(f"{path}: [[steps]] is required: at least one step; actions: {allowed(ACTIONS)}")
    return tuple(
        read_step(Table(path, f"steps[{index}]", raw), projects) for index, raw in enumerate(raw_steps, 1)
    )


def _outcome(table: Table, projects: Mapping[str, Project]) -> Outcome:
    values: dict[str, Any] = {"project": table.choice("project", projects)}
    for name in ("listed", "appeared", "in_store", "saved", "unsaved", "url_only", "plays", "hint"):
        values[name] = table.get(name, bool)
    values["blocked_by"] = table.choice("blocked_by", BLOCKERS)
    values["toast"] = table.get("toast", str)
    values["no_toast"] = table.get("no_toast", str)
    values["ai_error"] = table.get("ai_error", str)
    table.done(tuple(f.name for f in fields(Outcome)))
    outcome = Outcome(**values)
    if not outcome.checks():
        table.fail(
            f"must check at least one of: {allowed(f.name for f in fields(Outcome) if f.name != 'project')}"
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
    held = scenario.fal.hold or any(isinstance(s, Generate) and s.hold for s in scenario.steps)
    if held != ("release" in actions):
        raise ScenarioError(
            f"{path}: [fal].hold: a held job needs a release step, and a release step needs hold = true "
            "(in [fal], or on its generate step)"
        )
    if "release" in actions and not any(
        isinstance(s, Generate) and s.until == "submitted" for s in scenario.steps
    ):
        raise ScenarioError(f'{path}: [[steps]]: release follows a generate step with until = "submitted"')
    storage = STORAGE_CONDITIONS[scenario.environment.storage]
    if storage.recovers and "restore_storage" not in actions:
        raise ScenarioError(
            f"{path}: [environment].storage: {storage.name} needs a restore_storage step (when it recovers)"
        )
    if "restore_storage" in actions and not storage.restorable and "fill_storage" not in actions:
        restorable = " or ".join(sorted(c.name for c in STORAGE_CONDITIONS.values() if c.restorable))
        raise ScenarioError(
            f"{path}: [[steps]]: restore_storage applies only to storage = {restorable}, "
            "or after a fill_storage step"
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
            f"{path}: unknown section {', '.join(map(repr, unknown))}; allowed: {allowed(sections)}"
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
    known = allowed(path.stem for path in scenario_files(directory))
    raise ScenarioError(f"{name_or_path}: no such scenario; known: {known}")


def load_all(directory: Path = SCENARIO_DIR) -> list[Scenario]:
    """Every scenario in `directory`, loaded and validated."""
    return [load_scenario(path) for path in scenario_files(directory)]
