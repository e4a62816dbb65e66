"""Random user journeys through the app (`--app`), each step checked against what the user should see.

Hypothesis drives `e2e.journeys.machine.JourneyMachine`: one fresh browser context per journey, the profile
`ci` by default (fixed seed, bounded), `--hypothesis-profile explore` for long runs. A failing journey is
shrunk and written to reports/journeys/<name>.toml, which `python -m e2e.repro` replays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis.stateful import run_state_machine_as_test
from playwright.sync_api import Browser

from e2e.apps.choice import APP
from e2e.apps.expectations import usable_on
from e2e.apps.target import AppTarget
from e2e.journeys.machine import JourneyMachine
from e2e.journeys.pairs import PAIR_COVERAGE, PairCoverage
from e2e.journeys.profiles import journey_settings
from e2e.journeys.world import JourneyWorld
from fake_fal.server import FakeFal

JOURNEYS = Path(__file__).resolve().parent.parent / "reports" / "journeys"


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
        browser, browser_context_args, fake_fal, app_target, choice, usable_on(choice), bugs, JOURNEYS
    )


@pytest.mark.stateful
@pytest.mark.needs("editor")
def test_every_journey_keeps_generated_videos_where_the_user_expects_them(
    journey_world: JourneyWorld, request: pytest.FixtureRequest
) -> None:
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
