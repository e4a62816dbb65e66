"""Which ordered pairs of user actions the journeys put together, and which they never did.

A regression often needs two actions in a row (a second generation after a failed one, a switch back while
an item is unsaved). The journeys' rules are the user's actions; this counts, over every journey of a run,
each ordered pair of rules that ran one right after the other, against every ordered pair of the rules the
app under test offers. A pair never reached is named with what its second action needs, so the reader can
tell "never tried" from "cannot follow" (its precondition never held right after the first).
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest

from e2e.reports.plugin import add_run_note

# Hypothesis keeps a rule (with its preconditions) on the rule's function under this attribute.
RULE_MARKER = "hypothesis_stateful_rule"
# What `e2e.journeys.world.app_offers` records of a rule: the app features it needs.
NEEDS = "journey_needs"

Pair = tuple[str, str]
# The stateful test's property that carries the coverage line to the end of the run (e2e.reports.plugin).
PAIR_COVERAGE = "run_note_pair_coverage"
# A tour shard's property: the pairs its journeys ran, merged over the shards by `PairCollector`.
JOURNEY_PAIRS = "journey_pairs"


@dataclass(frozen=True)
class Action:
    """A rule of the journeys: what it needs of the app, and its preconditions as written."""

    needs: tuple[str, ...]
    preconditions: tuple[str, ...]

    def blocked_by(self) -> str:
        """What must hold for the action to follow another: the app's features and its preconditions."""
        parts = [f"the app offers {', '.join(self.needs)}"] if self.needs else []
        parts += [text for text in self.preconditions if not text.startswith("self.can(")]
        return " and ".join(parts) or "nothing: never drawn right after it"


def rules_of(machine: type) -> dict[str, Action]:
    """Each rule of the state machine, by name, with what it needs and its preconditions."""
    rules = {
        name: Action(tuple(getattr(function, NEEDS, ())), _preconditions(function))
        for name, function in inspect.getmembers(machine, inspect.isfunction)
        if getattr(function, RULE_MARKER, None) is not None
    }
    if not rules:
        raise LookupError(f"{machine.__name__} has no rule that Hypothesis marked {RULE_MARKER!r}")
    return rules


def _preconditions(function: object) -> tuple[str, ...]:
    """Each precondition's lambda body as written (`self.view.quota_full`), found in the rule's source."""
    return tuple(_lambda_body(condition) for condition in getattr(function, RULE_MARKER).preconditions)


def _lambda_body(condition: Callable[..., object]) -> str:
    lines, start = inspect.getsourcelines(condition)
    tree = ast.parse(textwrap.dedent("".join(lines)))
    line = condition.__code__.co_firstlineno - start + 1
    bodies = [node.body for node in ast.walk(tree) if isinstance(node, ast.Lambda) and node.lineno == line]
    return ast.unparse(bodies[0]) if bodies else condition.__qualname__


@dataclass
class PairCoverage:
    """The pairs of actions a run's journeys covered, against those the app offers and (when known) those
    that can follow each other at all (`tour.Planner.can_follow`)."""

    rules: dict[str, Action]  # the rules the app offers
    covered: set[Pair] = field(default_factory=set)
    can_follow: set[Pair] | None = None

    @classmethod
    def offered(cls, machine: type, usable: Iterable[str]) -> PairCoverage:
        usable = set(usable)
        return cls({name: rule for name, rule in rules_of(machine).items() if set(rule.needs) <= usable})

    def add_journey(self, steps: Iterable[str]) -> None:
        """A journey's steps as run (rules and invariants alike); only consecutive rules make a pair."""
        actions = [name for name in steps if name in self.rules]
        self.covered.update(pairwise(actions))

    @property
    def possible(self) -> list[Pair]:
        return [(first, second) for first in self.rules for second in self.rules]

    @property
    def missing(self) -> list[Pair]:
        return [pair for pair in self.possible if pair not in self.covered]

    def report(self) -> str:
        if self.can_follow is None:
            return self._report_of_possible()
        followed = [pair for pair in self.possible if pair in self.can_follow]
        covered = sum(pair in self.covered for pair in followed)
        cannot = len(self.possible) - len(followed)
        lines = [
            f"pair coverage: {covered} of the {len(followed)} ordered pairs of user actions that can follow "
            f"each other ({covered / max(len(followed), 1):.0%}); {cannot} of the {len(self.possible)} cannot"
        ]
        lines += [
            f"  never: {a} -> {b} (needs {self.rules[b].blocked_by()})"
            for a, b in self.missing
            if (a, b) in self.can_follow
        ]
        lines += [
            f"  cannot follow: {a} -> {b} ({b} needs {self.rules[b].blocked_by()}: never so right after {a})"
            for a, b in self.missing
            if (a, b) not in self.can_follow
        ]
        return "\n".join(lines)

    def _report_of_possible(self) -> str:
        possible = len(self.possible)
        covered = possible - len(self.missing)
        share = f"{covered / possible:.0%}"
        lines = [f"pair coverage: {covered} of {possible} ordered pairs of user actions ({share})"]
        lines += [
            f"  never: {first} -> {second} (needs {self.rules[second].blocked_by()})"
            for first, second in self.missing
        ]
        return "\n".join(lines)


def pairs_property(
    journeys: str, usable: Iterable[str], can_follow: set[Pair], steps: Iterable[list[str]]
) -> str:
    """A tour shard's JUnit property (JOURNEY_PAIRS): what the collector needs to merge the shards."""
    ran = [[name for name in journey] for journey in steps]
    payload = {"journeys": journeys, "usable": sorted(usable), "can_follow": sorted(can_follow), "steps": ran}
    return json.dumps(payload)


@dataclass
class PairCollector:
    """In the run's controller: merges the pairs every tour shard ran into one coverage per app, written to
    `<out_dir>/<journeys>.pairs.txt` and printed at the end of the run (one line, the file for the rest)."""

    machine: type
    out_dir: Path
    runs: dict[str, PairCoverage] = field(default_factory=dict)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name != JOURNEY_PAIRS:
                continue
            payload = json.loads(str(value))
            coverage = self.runs.get(payload["journeys"])
            if coverage is None:
                coverage = PairCoverage.offered(self.machine, payload["usable"])
                coverage.can_follow = {(a, b) for a, b in payload["can_follow"]}
                self.runs[payload["journeys"]] = coverage
            for steps in payload["steps"]:
                coverage.add_journey(steps)

    @pytest.hookimpl(tryfirst=True)  # before the run's summary is written
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        for journeys, coverage in self.runs.items():
            self.out_dir.mkdir(parents=True, exist_ok=True)
            path = self.out_dir / f"{journeys}.pairs.txt"
            report = coverage.report()
            path.write_text(report + "\n", encoding="utf-8")
            line = f"{report.splitlines()[0]} (the rest, named: {path})"
            add_run_note(session.config, f"pair coverage of {journeys}", line)
