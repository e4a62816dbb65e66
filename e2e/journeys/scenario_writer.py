"""A journey as the user did it, written as a scenario file that `python -m e2e.repro` replays.

The steps are the scenario format's own (`e2e/repro/steps.py`); projects are declared by the names the app
gave them; `[expect]` is what the model says the user should see of the last generated video, `[symptom]`
the step that failed, in the words of its check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e.journeys.model import UserView
from e2e.pages.ai_panel import generated_name
from media_app.models import APP_MODELS

MODEL_IDS = {model.name: model.id for model in APP_MODELS}
ENDPOINT_OF = {model.id: model.endpoint for model in APP_MODELS}


def _toml(value: Any) -> str:
    """A TOML value: JSON's strings, booleans and lists of strings are TOML's too."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class JourneyStep:
    action: str
    keys: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        shown = " ".join(f"{key}={value!r}" for key, value in self.keys.items())
        return f"{self.action} {shown}".strip()


@dataclass
class Journey:
    """The steps of one example, in the scenario format's terms."""

    bugs: tuple[str, ...] = ()
    app: str | None = None  # a real build, "qcut:<commit>[+desktop]"; None for the reference app
    clip: str = "small"  # the fixture clip fake_fal answers with
    steps: list[JourneyStep] = field(default_factory=list)

    def add(self, action: str, **keys: Any) -> None:
        if "model" in keys:
            keys["model"] = MODEL_IDS[keys["model"]]
        if "more_models" in keys:
            keys["more_models"] = [MODEL_IDS[model] for model in keys["more_models"]]
        self.steps.append(JourneyStep(action, keys))

    def describe(self) -> str:
        return "; ".join(step.describe() for step in self.steps) or "(no step: the app as it opens)"

    @property
    def name(self) -> str:
        if self.app is not None:
            return "journey_" + self.app.replace(":", "_").replace("+", "_")
        return "journey_" + ("_".join(sorted(self.bugs)).replace("-", "_") or "fixed")

    def name_for_cause(self, cause: str) -> str:
        """A real build's journeys are written one per cause found: `journey_qcut_<commit>_<cause>`."""
        return f"{self.name}_{cause.replace('-', '_')}"

    def write(
        self, folder: Path, view: UserView, failure: str, observed: dict[str, Any], name: str | None = None
    ) -> Path:
        """Write `<folder>/<name>.toml` (the journey's name by default) and return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name or self.name}.toml"
        path.write_text(self.render(view, failure, observed, name or self.name), encoding="utf-8")
        return path

    def render(self, view: UserView, failure: str, observed: dict[str, Any], name: str | None = None) -> str:
        generations = [step for step in self.steps if step.action == "generate"]
        model = generations[0].keys["model"] if generations else MODEL_IDS[next(iter(MODEL_IDS))]
        keys = {name: f"p{number}" for number, name in enumerate(view.projects, 1)}
        lines = [
            "[scenario]",
            f"name = {_toml(name or self.name)}",
            f"title = {_toml('A journey the stateful test found: ' + failure[:120])}",
            f"report = {_toml(f'{self.describe()} -> {failure}')}",
            "",
            "[environment]",
            *self._environment(),
            "",
            "[fal]",
            f"model = {_toml(model)}",
            f"endpoint = {_toml(ENDPOINT_OF[model])}",
            f"clip = {_toml(self.clip)}",
            "",
        ]
        for name, key in keys.items():
            lines += [f"[projects.{key}]", f"name = {_toml(name)}", ""]
        lines += self._steps(keys)
        lines += self._outcomes(view, observed)
        return "\n".join(lines) + "\n"

    def _environment(self) -> list[str]:
        if self.app is not None:
            return [f"app = {_toml(self.app)}"]
        return ['profile = "fixed"', f"bugs = {_toml(sorted(self.bugs))}"]

    def _steps(self, keys: dict[str, str]) -> list[str]:
        lines = ["[[steps]]", 'action = "open_project"', f"project = {_toml(keys[next(iter(keys))])}", ""]
        for step in self.steps:
            lines += ["[[steps]]", f"action = {_toml(step.action)}"]
            for key, value in step.keys.items():
                lines.append(f"{key} = {_toml(keys[value] if key == 'project' else value)}")
            lines.append("")
        return lines

    def expected(self, view: UserView) -> tuple[str | None, dict[str, bool | str]]:
        """The last generated video's name and what the model says the user sees of it now (and, after a
        FAL fault, of the AI panel's error: "" for none)."""
        prompts = [step.keys["prompt"] for step in self.steps if step.action == "generate"]
        if not prompts:
            return None, {}
        name = generated_name(prompts[-1])
        item = next((item for item in view.items if item.name == name), None)
        on_screen = item is not None and item.project == view.current
        expect: dict[str, bool | str] = {"listed": on_screen and item is not None and view.shows(item)}
        if any(step.action == "fal_fault" for step in self.steps):
            expect["ai_error"] = view.ai_error or ""
        if item is not None:
            expect["unsaved"] = item.state != "saved"
            expect["url_only"] = item.state == "url-only"
            if on_screen and not view.shows(item):
                expect["hint"] = item.name in view.recent
        if self.steps[-1].action == "preview":
            shown = self.steps[-1].keys["prompt"]
            expect["plays"] = all(other.playable for other in view.items if other.prompt == shown)
        return name, expect

    def _outcomes(self, view: UserView, observed: dict[str, Any]) -> list[str]:
        """[expect] from the model; [symptom] what the page showed instead: the checks it failed, and a
        toast nothing called for."""
        _name, expect = self.expected(view)
        if not expect:
            expect = {"listed": False}
        symptom: dict[str, Any] = {
            key: value for key, value in observed.items() if key in expect and value != expect[key]
        }
        if "toast" in observed:
            symptom["toast"] = observed["toast"]
        lines = ["[expect]", *(f"{key} = {_toml(value)}" for key, value in expect.items()), ""]
        if not symptom:
            # What failed (a card's action, a CSP or COEP report, the store) is no outcome key: the symptom
            # is the state the user saw, which the fixed app shows too; the report names the failure.
            lines.append("# the failure is not among the outcome keys: see [scenario].report")
            symptom = {key: observed.get(key, value) for key, value in expect.items()}
        lines += ["[symptom]", *(f"{key} = {_toml(value)}" for key, value in symptom.items()), ""]
        return lines
