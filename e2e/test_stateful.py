"""User journeys through the app (`--app`), each step checked against what the user should see.

Both drive `e2e.journeys.machine.JourneyMachine`, one fresh browser context per journey. The CI run walks the
planned tour (`e2e.journeys.tour`): journeys laid out so that every ordered pair of actions that can follow
each other does, split into shards that xdist spreads over its workers; the pairs they covered are printed
at the end of the run. Hypothesis' random journeys run with `--hypothesis-profile explore` (and on real
builds, where a tour of hundreds of steps would take an hour). A failing journey is written to
reports/journeys/<name>.toml, which `python -m e2e.repro` replays.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis.stateful import run_state_machine_as_test
from playwright.sync_api import Browser

from e2e.apps.choice import APP
from e2e.apps.expectations import usable_on
from e2e.apps.target import AppTarget
from e2e.journeys.machine import JourneyMachine
from e2e.journeys.pairs import JOURNEY_PAIRS, PAIR_COVERAGE, PairCoverage, pairs_property
from e2e.journeys.profiles import journey_settings
from e2e.journeys.tour import planned_tour
from e2e.journeys.walk import walk
from e2e.journeys.world import JOURNEY_REPORTS, JourneyWorld
from fake_fal.server import FakeFal

TOUR_SHARDS = 4  # tests the tour is split into: xdist hands them to its workers as they free up
EXPLORE = "explore"


@pytest.fixture
def journey_world(
    pytestconfig: pytest.Config,
    browser: Browser,
    browser_context_args: dict[str, Any],
    browser_plays_h264: None,
    fake_fal: FakeFal,
    app_target: AppTarget,
) -> JourneyWorld:
    """The browser, fake FAL and app the journeys run against; reports/journeys/ (function scope)."""
    choice = pytestconfig.stash[APP]
    bugs = tuple(name for name in pytestconfig.getoption("--app-bugs").split(",") if name)
    return JourneyWorld(
        browser, browser_context_args, fake_fal, app_target, choice, usable_on(choice), bugs, JOURNEY_REPORTS
    )


@pytest.mark.stateful
@pytest.mark.needs("editor")
@pytest.mark.reference_only(
    "walk the tour, whose hundreds of steps would take an hour on a build (its random journeys run there)"
)
@pytest.mark.parametrize("shard", range(TOUR_SHARDS), ids=lambda shard: f"tour-{shard + 1}-of-{TOUR_SHARDS}")
def test_every_pair_of_actions_keeps_generated_videos_where_the_user_expects_them(
    journey_world: JourneyWorld, shard: int, request: pytest.FixtureRequest
) -> None:
    tour = planned_tour(JourneyMachine, journey_world.usable, JOURNEY_REPORTS)
    machine = type("Journey", (JourneyMachine,), {"world": journey_world})
    try:
        for journey in tour.share(shard, TOUR_SHARDS):
            walk(machine, journey)
    finally:
        property_ = pairs_property(
            journey_world.name, journey_world.usable, tour.can_follow, journey_world.steps_run
        )
        # A property of the test's own (pytest's record_property warns under the xunit2 JUnit family).
        request.node.user_properties.append((JOURNEY_PAIRS, property_))


@pytest.mark.stateful
@pytest.mark.needs("editor")
def test_every_journey_keeps_generated_videos_where_the_user_expects_them(
    journey_world: JourneyWorld, request: pytest.FixtureRequest
) -> None:
    if journey_world.choice.is_reference and request.config.getoption("--hypothesis-profile") != EXPLORE:
        pytest.skip(
            f"random journeys on the reference app: --hypothesis-profile {EXPLORE} (CI walks the tour)"
        )
    machine = type("Journey", (JourneyMachine,), {"world": journey_world})
    try:
        run_state_machine_as_test(machine, settings=journey_settings(not journey_world.choice.is_reference))
    finally:
        # Every journey tried, one a line: what this run covered (the last one is the shrunk failure), and
        # which pairs of actions the journeys put together (printed at the end of the run).
        journey_world.out_dir.mkdir(parents=True, exist_ok=True)
        explored = journey_world.out_dir / f"{journey_world.name}.explored.txt"
        explored.write_text("\n".join(journey_world.explored) + "\n", encoding="utf-8")
        pairs = PairCoverage.offered(JourneyMachine, journey_world.usable)
        for steps in journey_world.steps_run:
            pairs.add_journey(steps)
        report = journey_world.out_dir / f"{journey_world.name}.pairs.txt"
        report.write_text(pairs.report() + "\n", encoding="utf-8")
        # A property of the test's own (pytest's record_property warns under the xunit2 JUnit family).
        request.node.user_properties.append(
            (PAIR_COVERAGE, f"{pairs.report().splitlines()[0]} (every pair never reached: {report})")
        )
