"""On a real build: what the suite cannot drive is skipped, naming it; each known gap or bug must show.

Hooks of `e2e/conftest.py`. For `--app qcut:<commit>`, a test that needs what the suite cannot drive on
QCut's DOM (`e2e.apps.choice.CAPABILITIES`) is skipped with that reason; one that needs a plan feature the
build lacks, or catches one of its listed bugs (`e2e.apps.expectations`), must fail with that cause's
evidence in its failure, and fails the run if it passes. Tests about the suite or the reference app rather
than a build (they never reach the app, prove the witnesses on its legacy switches, replay on its server, or
say why with `reference_only`) are not run there, and the run's last lines say how many and why.
"""

from __future__ import annotations

import copy
import traceback
from collections import Counter
from collections.abc import Generator
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

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
from e2e.pages.real_qcut import RealQCutApp
from e2e.pages.real_qcut.wayfinding import HARNESS_GAP
from e2e.reports.plugin import add_run_note

EXPECTED = pytest.StashKey[list[Expected]]()
# What --findings-only leaves out (make real-builds runs them): a test the build must pass, and a further test
# of a finding an earlier test already shows; --each-finding-once leaves out only the latter.
PASSING = "must pass here (--findings-only: each known finding once, and the smoke tests)"
SHOWN = "show a known finding an earlier test shows too (each known finding once)"
LEFT_OUT = "not run on a build"  # the run note (and xdist worker output) saying what a build's run left out
# The fixtures that hand a test a real build's pages (each needs the editor).
APP_FIXTURES = ("qcut", "qcut_as_served", "blocked_storage_qcut")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a real build: skip what the suite cannot drive there, naming it; attach each known gap or bug."""
    choice = config.stash[APP]
    if choice.is_reference:
        return
    expectations = load_expectations(choice.name)
    capabilities = usable_on(choice)
    off_app = {item: reason for item in items if (reason := _not_for_a_build(item))}
    _leave_out(config, items, off_app)
    for item in items:
        needs = {need for marker in item.iter_markers("needs") for need in marker.args}
        if set(APP_FIXTURES) & set(getattr(item, "fixturenames", ())):
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
    if config.getoption("--findings-only"):
        _leave_out(config, items, _beyond_findings(items), off_app)
    elif config.getoption("--each-finding-once"):
        shown_before = {item: why for item, why in _beyond_findings(items).items() if why == SHOWN}
        _leave_out(config, items, shown_before, off_app)


def _beyond_findings(items: list[pytest.Item]) -> dict[pytest.Item, str]:
    """What --findings-only leaves out, and why: it keeps the smoke tests, and the first test (in collection
    order) to show each known bug or gap of the build, as the reference gate's fast proof keeps the first
    test to catch each legacy switch."""
    shown: set[str] = set()
    left_out = {}
    for item in items:
        causes = {expected.cause for expected in item.stash.get(EXPECTED, [])}
        smoke = item.get_closest_marker("smoke") is not None and not item.get_closest_marker("skip")
        if smoke or causes - shown:
            shown |= causes
        else:
            left_out[item] = SHOWN if causes else PASSING
    return left_out


def _leave_out(
    config: pytest.Config,
    items: list[pytest.Item],
    left_out: dict[pytest.Item, str],
    before: dict[pytest.Item, str] | None = None,
) -> None:
    """Deselect `left_out` (test -> why) and say at the run's end how many and why, with those left out
    `before` in the same run."""
    if not left_out:
        return
    config.hook.pytest_deselected(items=list(left_out))
    items[:] = [item for item in items if item not in left_out]
    _note_left_out(config, Counter({**(before or {}), **left_out}.values()))


def _not_for_a_build(item: pytest.Item) -> str | None:
    """Why a test is about the suite or the reference app rather than a build (None if it is about a build).

    What never reaches the app (the fake's, the tools', the harness's own tests) ran with the reference app;
    so did the detectors, which prove the suite's own witnesses on the reference app's legacy switches.
    """
    fixtures = getattr(item, "fixturenames", ())
    if "app_target" not in fixtures:
        return "never reach the app (they ran with the reference app)"
    if item.get_closest_marker("detector"):
        return "prove the suite's witnesses on the reference app's legacy switches"
    if "app_server" in fixtures:
        return "replay on the reference app's own server (its profiles and report log)"
    if marker := item.get_closest_marker("reference_only"):
        return str(marker.args[0])
    return None


def _note_left_out(config: pytest.Config, counts: Counter[str]) -> None:
    """Say at the end of the run what a real build's run left out and why (pytest only counts it as
    `deselected`); an xdist worker hands it to the controller, which says it once."""
    if hasattr(config, "workeroutput"):
        config.workeroutput[LEFT_OUT] = dict(counts)
        return
    left_out = "; ".join(f"{count} test(s) that {reason}" for reason, count in sorted(counts.items()))
    add_run_note(config, LEFT_OUT, f"not run on {config.stash[APP].name}: {left_out}")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist's controller: each worker collected the same tests, so any one worker's account will do."""
    counts = getattr(node, "workeroutput", {}).get(LEFT_OUT)
    if counts:
        _note_left_out(node.config, Counter(counts))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A known gap or bug of the build under test: expected to fail with its evidence, and only then."""
    report: pytest.TestReport = yield
    candidates = item.stash.get(EXPECTED, [])
    if report.when != "call":
        return report
    if report.failed:
        _note_unstored(item, call, report)
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


def _note_unstored(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
    """Add to a failure on a real build whether the app's media store holds the videos the test's runs
    started: a video the app never stored is the app's doing, whatever step the test failed at (a toast
    that never came, a download never asked for), and the failure then carries that evidence."""
    funcargs: dict[str, object] = getattr(item, "funcargs", {})  # a test function's fixtures by name
    app = next((funcargs[name] for name in APP_FIXTURES if name in funcargs), None)
    if not isinstance(app, RealQCutApp) or call.excinfo is None:
        return
    try:
        note = app.unstored_note()
    except PlaywrightError:  # the page is gone (closed or crashed): nothing more to read
        return
    if note:
        call.excinfo.value.add_note(note)
        report.longrepr = f"{report.longreprtext}\n{note}"


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
