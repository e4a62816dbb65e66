"""What every journey runs against: the browser, the fake FAL, the app, and where its reports go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from hypothesis.stateful import precondition
from playwright.sync_api import Browser

from e2e.apps.choice import AppChoice
from e2e.apps.target import AppTarget
from e2e.journeys.pairs import NEEDS
from e2e.journeys.scenario_writer import Journey
from fake_fal.server import FakeFal


@dataclass
class JourneyWorld:
    """What every journey runs against: the browser, the fake FAL, the app and where reports go.

    `usable` is what the app lets a journey do and check (`e2e.apps.expectations.usable_on`): the reference
    app all of it; a real QCut build what its DOM offers, so a rule or check that needs more is left out.
    """

    browser: Browser
    context_args: dict[str, Any]
    fal: FakeFal
    app: AppTarget
    choice: AppChoice
    usable: frozenset[str]
    bugs: tuple[str, ...]
    out_dir: Path
    explored: list[str] = field(default_factory=list)
    steps_run: list[list[str]] = field(default_factory=list)  # each journey's rules and checks, as run
    shortest: dict[str, int] = field(default_factory=dict)  # scenario name -> steps of the one written

    @property
    def name(self) -> str:
        """The journeys' name for this app and these switches, as their scenario files are named."""
        return self.journey().name

    def journey(self) -> Journey:
        app = None if self.choice.is_reference else self.choice.name
        return Journey(bugs=self.bugs, app=app, clip=self.choice.clip)


# Where the journeys' scenarios, explored journeys and pair coverage go.
JOURNEY_REPORTS = Path(__file__).resolve().parents[2] / "reports" / "journeys"

Rule = TypeVar("Rule", bound=Callable[..., Any])


def app_offers(*features: str) -> Callable[[Rule], Rule]:
    """A rule's precondition: the app under test offers these features (`JourneyWorld.usable`), recorded
    on the rule too, so the pair coverage counts only the rules the app offers (`pairs.rules_of`)."""

    def offered(rule: Rule) -> Rule:
        setattr(rule, NEEDS, features)
        return precondition(lambda self: self.can(*features))(rule)

    return offered
