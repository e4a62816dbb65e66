"""A planned journey (`tour.py`) walked on the app: the journeys' own machine, its checks after every step.

The steps are the machine's rules, called as Hypothesis would call them, with the plan's choices standing in
for what Hypothesis would draw. After each step the machine's model must be the plan's: a difference is the
plan and the rules disagreeing (a harness defect, named as such), never a finding about the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from e2e.journeys.machine import JourneyMachine
from e2e.journeys.pairs import RULE_MARKER
from e2e.journeys.tour import Move, PlannedJourney, apply, start_view, state_key

# Hypothesis keeps an invariant on its function under this attribute.
INVARIANT_MARKER = "hypothesis_stateful_invariant"


class PlannedDraws:
    """Stands in for Hypothesis' `data` in a planned step: each draw is the plan's choice among the
    strategy's elements (a project's name, or the item of that key)."""

    def __init__(self, choices: Iterable[Any]) -> None:
        self.choices = list(choices)

    def draw(self, strategy: Any, label: str | None = None) -> Any:
        wanted = self.choices.pop(0)
        elements = getattr(strategy, "elements", None)
        if elements is None:
            raise TypeError(f"a planned step can draw only from sampled_from, not {strategy!r} ({label})")
        for element in elements:
            if wanted in (element, getattr(element, "key", None)):
                return element
        raise AssertionError(f"harness: the plan chose {wanted!r} for {label!r}; the rule offers {elements}")


def _invariants(machine: type) -> list[str]:
    return sorted(name for name in dir(machine) if hasattr(getattr(machine, name), INVARIANT_MARKER))


def _check(machine: JourneyMachine, invariants: list[str]) -> None:
    for name in invariants:
        getattr(machine, name)()


def _take(machine: JourneyMachine, move: Move) -> None:
    """Run `move`'s rule if its preconditions hold on the machine's model, as Hypothesis would."""
    rule = getattr(getattr(type(machine), move.rule), RULE_MARKER)
    if not all(condition(machine) for condition in rule.preconditions):
        raise AssertionError(f"harness: the plan's step {move.describe()} is not possible on the model here")
    arguments: dict[str, Any] = dict(move.arguments)
    if "data" in rule.arguments:
        arguments["data"] = PlannedDraws(move.draws)
    getattr(machine, move.rule)(**arguments)


def walk(machine_class: type[JourneyMachine], journey: PlannedJourney) -> None:
    """Walk `journey` in a fresh browser context, checking what the user sees after every step."""
    invariants = _invariants(machine_class)
    machine = machine_class()
    try:
        machine.the_user_starts(journey.projects, journey.storage)
        _check(machine, invariants)
        planned = start_view(journey.projects, journey.storage)
        for move in journey.moves:
            _take(machine, move)
            apply(planned, move)
            assert state_key(machine.view) == state_key(planned), (
                f"harness: after {move.describe()} the journey's model and the plan's differ"
            )
            _check(machine, invariants)
    finally:
        machine.teardown()
