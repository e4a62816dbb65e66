"""On a real build: what the suite cannot drive is skipped, naming it; each known gap or bug must show.

Hooks of `e2e/conftest.py`. For `--app qcut:<commit>`, a test that needs what the suite cannot drive on
QCut's DOM (`e2e.apps.choice.CAPABILITIES`) is skipped with that reason; one that needs a plan feature the
build lacks, or catches one of its listed bugs (`e2e.apps.expectations`), must fail with that cause's
evidence in its failure, and fails the run if it passes; tests that never reach the app, and the detectors
(they prove the suite on the reference app's legacy switches), are deselected.
"""

from __future__ import annotations

import copy
import traceback
from collections.abc import Generator

import pytest

from e2e.apps.choice import APP, CAPABILITIES
from e2e.apps.expectations import (
    BUG_EVIDENCE,
    PLAN_FEATURES,
    UNEXPLAINED,
    Expected,
    classify,
    load_expectations,
    usable_on,
)
from e2e.pages.real_qcut.wayfinding import HARNESS_GAP

EXPECTED = pytest.StashKey[list[Expected]]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a real build: skip what the suite cannot drive there, naming it; attach each known gap or bug."""
    choice = config.stash[APP]
    if choice.is_reference:
        return
    expectations = load_expectations(choice.name)
    capabilities = usable_on(choice)
    # What never reaches the app (the fake's, the tools', the harness's own tests) ran with the reference app;
    # so did the detectors, which prove the suite's own witnesses on the reference app's legacy switches.
    off_app = [
        item
        for item in items
        if "app_target" not in getattr(item, "fixturenames", ()) or item.get_closest_marker("detector")
    ]
    if off_app:
        config.hook.pytest_deselected(items=off_app)
        items[:] = [item for item in items if item not in off_app]
    for item in items:
        needs = {need for marker in item.iter_markers("needs") for need in marker.args}
        if {"qcut", "qcut_as_served", "blocked_storage_qcut"} & set(getattr(item, "fixturenames", ())):
            needs.add("editor")
        missing = sorted(need for need in needs if need not in capabilities and not _is_plan_feature(need))
        if missing:
            item.add_marker(
                pytest.mark.skip(reason=f"{choice.name}: the suite cannot drive {_described(missing)} here")
            )
            continue
        expected = expectations.for_test(item.nodeid.removeprefix("e2e/"), needs)
        if expected:
            item.stash[EXPECTED] = expected


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A known gap or bug of the build under test: expected to fail with its evidence, and only then."""
    report: pytest.TestReport = yield
    candidates = item.stash.get(EXPECTED, [])
    if report.when != "call":
        return report
    if not candidates:
        if report.failed and not item.config.stash[APP].is_reference:
            # Every report of the failure (terminal, JUnit, HTML row) starts with what it is.
            verdict = filed_as(_failure_text(call) or str(report.longrepr))
            report.longrepr = f"filed by its evidence as {verdict}\n\n{report.longreprtext}"
        return report
    known = " or ".join(expected.reason for expected in candidates)
    if report.passed:
        report.outcome = "failed"
        where = load_expectations(item.config.stash[APP].name).path
        report.longrepr = f"{known} no longer shows: this test now passes on this build; update {where}"
        return report
    failure = _failure_text(call) or str(report.longrepr)
    shown = next((expected for expected in candidates if expected.evidence.search(failure)), None)
    if report.failed and shown:
        _keep_artifacts_of(item, report)
        report.outcome = "skipped"
        report.wasxfail = f"{shown.reason}; evidence: {shown.excerpt(failure)}"
        # The HTML report shows an xfail's log, not its reason: the log starts with the cause it proved.
        report.longrepr = f"{report.wasxfail}\n\n{report.longreprtext}"
    elif report.failed:
        evidence = " or ".join(f"/{expected.evidence.pattern}/" for expected in candidates)
        report.longrepr = f"{failure}\n\nexpected {known} (evidence {evidence}); it failed otherwise"
    return report


def filed_as(failure: str) -> str:
    """A failure on a real build by what its evidence shows (e2e.apps.expectations.classify), in words."""
    kind, cause = classify(failure)
    if kind == "bug":
        return f"the known bug {cause} ({BUG_EVIDENCE[cause][0]})"
    if kind == "gap":
        return f"a plan gap: it lacks {cause} ({PLAN_FEATURES[cause][0]})"
    if kind == HARNESS_GAP:
        return f"{HARNESS_GAP}: the suite could not find its way on this build (not a bug of the app)"
    return f"{UNEXPLAINED}: it shows no known cause's evidence"


def _keep_artifacts_of(item: pytest.Item, report: pytest.TestReport) -> None:
    """An expected failure keeps its screenshot and logs, the evidence the build's reports link.

    pytest-playwright and the witnesses keep a test's artifacts when the call report they recorded on the
    item (`rep_call`, the report this hook is about to turn into an xfail) failed: they get a failed copy.
    """
    setattr(item, "rep_call", copy.copy(report))  # noqa: B010  pytest.Item declares no rep_call


def _failure_text(call: pytest.CallInfo[None]) -> str:
    """What the failure says (its message and notes), not its traceback: the test's own source, which the
    traceback quotes (`@pytest.mark.needs("hidden-hint")`), must never count as evidence."""
    if call.excinfo is None:
        return ""
    return "".join(traceback.format_exception_only(call.excinfo.type, call.excinfo.value))


def _is_plan_feature(need: str) -> bool:
    # A plan feature a build lacks is a known gap of that build (e2e.apps.expectations), never a skip.
    return need in PLAN_FEATURES


def _described(capabilities: list[str]) -> str:
    return "; ".join(f"{name} ({CAPABILITIES[name]})" for name in capabilities)
