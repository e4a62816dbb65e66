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
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

# Hypothesis keeps a rule (with its preconditions) on the rule's function under this attribute.
RULE_MARKER = "hypothesis_stateful_rule"
# What `e2e.journeys.world.app_offers` records of a rule: the app features it needs.
NEEDS = "journey_needs"

Pair = tuple[str, str]
# The stateful test's property that carries the coverage line to the end of the run (e2e.reports.plugin).
PAIR_COVERAGE = "run_note_pair_coverage"


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
    """The pairs of actions a run's journeys covered, against those the app offers."""

    rules: dict[str, Action]  # the rules the app offers
    covered: set[Pair] = field(default_factory=set)

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
        possible = len(self.possible)
        covered = possible - len(self.missing)
        share = f"{covered / possible:.0%}"
        lines = [f"pair coverage: {covered} of {possible} ordered pairs of user actions ({share})"]
        lines += [
            f"  never: {first} -> {second} (needs {self.rules[second].blocked_by()})"
            for first, second in self.missing
        ]
        return "\n".join(lines)
