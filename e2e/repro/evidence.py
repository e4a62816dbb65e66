"""What a replay observed, as plain data: what the user saw (`Observation`) and everything the witnesses
gathered (`Evidence`), checked against a scenario's outcomes by `mismatches`.

`replay.py` fills it in; `causes.py` reads the causes from it; `diagnosis.py` writes it up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e.apps.choice import REFERENCE
from e2e.repro.scenario import Outcome, Scenario
from e2e.repro.signatures import Finding, scan
from e2e.witnesses.blocked_responses import BlockedResponse
from e2e.witnesses.csp import Violation


@dataclass(frozen=True)
class Toast:
    """One toast the user saw: sonner's type, title and description."""

    kind: str
    title: str
    description: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}" + (f" ({self.description})" if self.description else "")


@dataclass
class Observation:
    """What the user sees in one project once the steps are done (the fields of `Outcome`)."""

    project: str
    project_id: str
    listed: bool
    appeared: bool
    in_store: bool
    saved: bool
    unsaved: bool
    url_only: bool
    plays: bool | None
    blocked_by: str | None
    hint: bool
    filter: str = "all"
    search: str = ""
    toasts: list[Toast] = field(default_factory=list)
    ai_error: str = ""  # what the AI panel's error says ("" for none), read where the scenario checks it

    def seen(self, check: str) -> Any:
        """The observed value for one `Outcome` check, as the scenario file writes it."""
        if check in ("toast", "no_toast"):
            return [str(t) for t in self.toasts]
        if check == "blocked_by":
            return self.blocked_by or "none"
        return getattr(self, check)


def mismatches(outcome: Outcome, observation: Observation) -> list[tuple[str, Any, Any]]:
    """The checks of `outcome` this observation fails: (check, wanted, seen)."""
    texts = [f"{t.title} {t.description}" for t in observation.toasts]
    failed = []
    for check, wanted in outcome.checks().items():
        if check == "toast":
            ok = any(wanted in text for text in texts)
        elif check == "no_toast":
            ok = not any(wanted in text for text in texts)
        elif check == "blocked_by":
            ok = (observation.blocked_by or "none") == wanted
        elif check == "ai_error":
            ok = wanted in observation.ai_error if wanted else not observation.ai_error
        else:
            ok = getattr(observation, check) == wanted
        if not ok:
            failed.append((check, wanted, observation.seen(check)))
    return failed


@dataclass
class Evidence:
    """Everything one replay saw; `diagnose` turns it into prose."""

    scenario: Scenario
    fixed: bool
    bugs: frozenset[str]
    observation: Observation | None = None
    expect_observation: Observation | None = None
    console: list[str] = field(default_factory=list)
    csp: list[Violation] = field(default_factory=list)
    csp_reports: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[BlockedResponse] = field(default_factory=list)
    coep_reports: list[dict[str, Any]] = field(default_factory=list)
    fal: list[str] = field(default_factory=list)
    media_sizes: dict[str, int] = field(default_factory=dict)
    toasts: list[Toast] = field(default_factory=list)
    generation_project: tuple[str, str] | None = None  # (key, id) of the project that started it
    projects: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (id, name)
    item: dict[str, Any] | None = None
    error: str | None = None
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def conditions(self) -> str:
        if self.fixed:
            return "the fixed app (every bug switch off)"
        env = self.scenario.environment
        if env.app != REFERENCE:
            return f"the user's conditions on {env.app}, served as it ships; storage {env.storage}"
        bugs = ", ".join(sorted(self.bugs)) or "none"
        return f"the user's conditions: bug switches {bugs}; storage {env.storage}"

    @property
    def symptom_mismatches(self) -> list[tuple[str, Any, Any]]:
        if self.observation is None:
            return [("run", "completed", self.error or "did not finish")]
        return mismatches(self.scenario.symptom, self.observation)

    @property
    def expect_mismatches(self) -> list[tuple[str, Any, Any]]:
        observation = self.expect_observation or self.observation
        if observation is None:
            return [("run", "completed", self.error or "did not finish")]
        return mismatches(self.scenario.expect, observation)

    @property
    def reproduced(self) -> bool:
        """Whether the user's symptom was seen: every [symptom] check held and the run finished."""
        return self.error is None and not self.symptom_mismatches

    def findings(self) -> list[Finding]:
        return scan(self.console)

    def project_name(self, project_id: str) -> str:
        for key, (pid, name) in self.projects.items():
            if pid == project_id:
                return f'"{name}" ({key}, {pid})'
        return project_id
