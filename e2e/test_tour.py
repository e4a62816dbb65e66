"""The planned tour (e2e.journeys.tour) on the model alone: which pairs can follow each other, a plan that
covers them, every planned step possible where it stands, and the shards' pairs merged into one report."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from e2e.apps.choice import AppChoice
from e2e.apps.expectations import usable_on
from e2e.journeys.machine import JourneyMachine
from e2e.journeys.pairs import JOURNEY_PAIRS, RULE_MARKER, PairCollector, pairs_property
from e2e.journeys.tour import (
    TARGET_SHARE,
    Planner,
    Subject,
    Tour,
    apply,
    journey_cost,
    plan_key,
    planned_tour,
    start_view,
)
from e2e.journeys.world import JOURNEY_REPORTS

# The pairs the journeys' reviewers found missing, each an action a user repeats or follows up.
PAIRS_A_USER_MAKES = [
    ("generate", "generate"),  # a second generation after a first, in the same page
    ("preview", "preview"),  # previewing again
    ("switch_project", "switch_project"),  # away and back
    ("delete", "reload"),
    ("reload", "delete"),
    ("retry", "retry"),  # retrying while the fault is still there
    ("fill_quota", "generate"),
    ("generate_and_switch_before_it_arrives", "switch_project"),
    ("generate", "generate_with_every_model"),  # one model, then several in one click
    ("generate_with_every_model", "switch_project"),
    ("generate_with_every_model", "delete"),  # one of the videos named alike
]


@cache
def reference_tour() -> Tour:
    return planned_tour(JourneyMachine, usable_on(AppChoice.parse("reference")), JOURNEY_REPORTS)


def test_pairs_that_cannot_follow_are_those_a_precondition_rules_out() -> None:
    tour = reference_tour()

    assert ("block_storage", "block_storage") not in tour.can_follow, (
        "blocked storage cannot be blocked again"
    )
    assert ("fill_quota", "create_project") not in tour.can_follow, "a new project needs storage"
    assert ("reload", "retry") not in tour.can_follow, "a reload drops the unsaved item that Retry needs"
    assert set(PAIRS_A_USER_MAKES) <= tour.can_follow


def test_the_plan_covers_the_pairs_that_can_follow_each_other() -> None:
    tour = reference_tour()
    planned = tour.planned_pairs() & tour.can_follow

    assert len(planned) >= TARGET_SHARE * len(tour.can_follow), (
        f"the plan covers {len(planned)} of {len(tour.can_follow)} pairs"
    )
    assert set(PAIRS_A_USER_MAKES) <= planned


def test_the_tour_switches_project_while_a_run_of_several_models_works() -> None:
    switches = [
        dict(move.arguments)["models"]
        for journey in reference_tour().journeys
        for move in journey.moves
        if move.rule == "generate_and_switch_before_it_arrives"
    ]
    assert any(len(models) > 1 for models in switches), switches


def test_every_planned_step_is_possible_where_it_stands() -> None:
    usable = usable_on(AppChoice.parse("reference"))
    for journey in reference_tour().journeys:
        view = start_view(journey.projects, journey.storage)
        for move in journey.moves:
            rule = getattr(getattr(JourneyMachine, move.rule), RULE_MARKER)
            assert all(condition(Subject(view, usable)) for condition in rule.preconditions), (
                f"{move.describe()} is not possible in {journey.describe()}"
            )
            apply(view, move)


def test_the_shards_share_the_work_evenly_and_together_hold_every_journey() -> None:
    tour = reference_tour()
    shares = [tour.share(shard, 4) for shard in range(4)]

    assert sorted(map(id, (journey for share in shares for journey in share))) == sorted(
        map(id, tour.journeys)
    )
    loads = [sum(map(journey_cost, share)) for share in shares]
    assert max(loads) - min(loads) <= max(map(journey_cost, tour.journeys)), loads


def test_the_collector_merges_the_shards_into_one_coverage(tmp_path: Path) -> None:
    tour = reference_tour()
    usable = usable_on(AppChoice.parse("reference"))
    collector = PairCollector(JourneyMachine, tmp_path)
    for shard in range(2):
        steps = [[move.rule for move in journey.moves] for journey in tour.share(shard, 2)]
        shard_pairs = pairs_property("journey_fixed", usable, tour.can_follow, steps)
        report = pytest.TestReport(
            f"t[{shard}]",
            ("t", 0, "t"),
            {},
            "passed",
            None,
            "call",
            user_properties=[(JOURNEY_PAIRS, shard_pairs)],
        )
        collector.pytest_runtest_logreport(report)

    coverage = collector.runs["journey_fixed"]
    ran = {(a.rule, b.rule) for journey in tour.journeys for a, b in pairwise(journey.moves)}
    assert coverage.covered == ran
    first = coverage.report().splitlines()[0]
    assert first.startswith(f"pair coverage: {len(ran & tour.can_follow)} of the {len(tour.can_follow)}"), (
        first
    )
    assert "cannot follow: block_storage -> block_storage" in coverage.report()
    assert json.loads(pairs_property("x", usable, set(), [["a"]]))["steps"] == [["a"]]


def test_a_plan_is_made_once_per_code_and_features(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A smaller machine plans in a second where the reference app's whole one takes 15 to 40 (the tour
    # test makes that one).
    usable = usable_on(AppChoice.parse("reference")) - {"url-only", "generation-states"}

    planned = Counter[int]()
    plan = Planner.plan

    def counted(planner: Planner) -> Tour:
        planned[threading.get_ident()] += 1
        return plan(planner)

    monkeypatch.setattr(Planner, "plan", counted)
    with ThreadPoolExecutor(2) as workers:  # two xdist workers asking at once
        made, also = workers.map(lambda _: planned_tour(JourneyMachine, usable, tmp_path), range(2))
    (kept,) = tmp_path.glob("tour-*.pickle")

    assert sum(planned.values()) == 1, f"one worker should plan, the other wait for its plan: {planned}"
    assert also == made, "the waiting worker reads the plan the first one made"
    assert planned_tour(JourneyMachine, usable, tmp_path) == made, "a later run reads the kept plan"
    assert plan_key(JourneyMachine, usable - {"retry"}) not in kept.name, "other features, another plan"
