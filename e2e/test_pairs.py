"""The journeys' pair coverage (e2e.journeys.pairs) on a small state machine of its own: which rules count,
what a journey covers, and how a pair never reached is named."""

from __future__ import annotations

from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from e2e.journeys.machine import JourneyMachine
from e2e.journeys.pairs import PairCoverage, rules_of
from e2e.journeys.world import app_offers


class Shop(RuleBasedStateMachine):
    basket = 0

    @rule()
    def add(self) -> None:
        self.basket += 1

    @precondition(lambda self: self.basket > 0)
    @rule()
    def pay(self) -> None:
        self.basket = 0

    @app_offers("coupons")
    @rule()
    def use_coupon(self) -> None:
        pass

    @invariant()
    def never_negative(self) -> None:
        assert self.basket >= 0


def test_only_the_rules_the_app_offers_count_with_what_each_needs() -> None:
    assert set(rules_of(Shop)) == {"add", "pay", "use_coupon"}
    assert PairCoverage.offered(Shop, usable=[]).possible == [
        ("add", "add"), ("add", "pay"), ("pay", "add"), ("pay", "pay"),
    ]  # fmt: skip
    assert rules_of(Shop)["use_coupon"].needs == ("coupons",)


def test_a_journey_covers_each_pair_of_rules_run_one_after_the_other() -> None:
    coverage = PairCoverage.offered(Shop, usable=["coupons"])
    # Checks run between the rules; they neither make nor break a pair.
    coverage.add_journey(["add", "never_negative", "add", "never_negative", "pay", "never_negative"])

    assert coverage.covered == {("add", "add"), ("add", "pay")}
    report = coverage.report()
    assert report.startswith("pair coverage: 2 of 9 ordered pairs of user actions (22%)"), report
    assert "never: add -> use_coupon (needs the app offers coupons)" in report
    assert "never: pay -> pay (needs self.basket > 0)" in report, (
        "the precondition that blocked it, as written"
    )


def test_the_journeys_rules_are_found_with_their_preconditions() -> None:
    rules = rules_of(JourneyMachine)
    assert {"generate", "switch_project", "fill_quota", "restore_quota", "reload"} <= set(rules)
    assert rules["restore_quota"].blocked_by() == "self.view.quota_full"
    assert rules["retry"].needs == ("retry",)
