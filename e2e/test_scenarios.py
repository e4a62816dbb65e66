"""Every user-report scenario in fixtures/scenarios/, replayed twice: on the fixed app the user sees
the video; under the scenario's own conditions the user's symptom comes back and the diagnosis names its
cause (COEP told from CSP). Also the scenario format's own checks, and a HAR recorded here turned back into
a scenario."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from playwright.sync_api import Browser, BrowserType

from conftest import LaunchChromium
from e2e.apps.choice import AppChoice, AppChoiceError
from e2e.repro import har2scenario
from e2e.repro.causes import causes_observed
from e2e.repro.evidence import Evidence
from e2e.repro.loader import load_all, load_scenario, scenario_files
from e2e.repro.replay import replay
from e2e.repro.scenario import CAUSES, Scenario
from e2e.repro.triage import match_scenarios, triage
from fake_fal.server import FakeFal
from fake_fal.tls import browser_flags
from media_app.server import AppServer, MappedServer
from qcut_builds.build import known_builds, no_snapshot_message

SCENARIOS = scenario_files()
IDS = [path.stem for path in SCENARIOS]
# Causes a console log shows by itself; the others (project, filter, search) leave no console trace.
LOGGED_CAUSES = frozenset({"csp-media-src", "coep", "storage-rollback", "storage-unsaved"})


class Replayer(Protocol):
    """Replays a scenario on the fixed app or under its own conditions, and returns what it saw."""

    def __call__(self, scenario: Scenario, *, fixed: bool, har: Path | None = None) -> Evidence: ...


@pytest.fixture
def replayer(
    browser: Browser,
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    fake_fal: FakeFal,
    app_server: AppServer,
    pytestconfig: pytest.Config,
) -> Replayer:
    """Replays scenarios in fresh contexts of the worker's browser (function scope); artifacts in --output."""

    def run(scenario: Scenario, *, fixed: bool, har: Path | None = None) -> Evidence:
        out = (
            Path(pytestconfig.getoption("--output"))
            / f"scenario-{scenario.name}-{'fixed' if fixed else 'user'}"
        )
        shutil.rmtree(out, ignore_errors=True)
        return replay(
            scenario,
            fixed=fixed,
            fake=fake_fal,
            app=app_server,
            out_dir=out,
            browser=browser,
            browser_type=browser_type,
            launch=browser_type_launch_args,
            har=har,
        )

    return run


def _passed(evidence: Evidence) -> None:
    """The test passed: its artifacts are not needed (they stay for a failing test)."""
    shutil.rmtree(evidence.files["diagnosis.md"].parent, ignore_errors=True)


def _explain(evidence: Evidence, failed: list[tuple[str, Any, Any]]) -> str:
    seen = "; ".join(f"{check}: wanted {wanted!r}, the user saw {got!r}" for check, wanted, got in failed)
    broke = f" The replay broke: {evidence.error}." if evidence.error else ""
    return f"{seen}.{broke} Diagnosis: {evidence.files.get('diagnosis.md')}"


# --- the scenarios, replayed -------------------------------------------------------------------------


@pytest.mark.scenario
@pytest.mark.browser
@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_fixed_app_shows_the_user_the_video(path: Path, replayer: Replayer) -> None:
    scenario = load_scenario(path)

    evidence = replayer(scenario, fixed=True)

    assert not evidence.expect_mismatches, (
        f"{scenario.name} on the fixed app: the user should see the video ([expect]), but "
        + _explain(evidence, evidence.expect_mismatches)
    )
    assert not evidence.reproduced, (
        f"{scenario.name}: the fixed app shows the user's symptom too, so the scenario cannot tell the bug "
        f"from the fix. Diagnosis: {evidence.files.get('diagnosis.md')}"
    )
    _passed(evidence)


@pytest.mark.scenario
@pytest.mark.browser
@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_user_conditions_reproduce_the_symptom_and_name_its_cause(path: Path, replayer: Replayer) -> None:
    scenario = load_scenario(path)

    evidence = replayer(scenario, fixed=False)

    assert evidence.reproduced, (
        f"{scenario.name} under the user's conditions: the symptom ([symptom]) did not come back: "
        + _explain(evidence, evidence.symptom_mismatches)
    )
    diagnosed = {cause.name for cause in causes_observed(evidence)}
    assert diagnosed == set(scenario.causes), (
        f"{scenario.name}: the diagnosis names {sorted(diagnosed)}, the scenario stands for "
        f"{sorted(scenario.causes)}. Diagnosis: {evidence.files.get('diagnosis.md')}"
    )
    if scenario.causes & LOGGED_CAUSES:
        matches = match_scenarios(triage(evidence.console), load_all())
        assert matches, f"triage of this run's console names no scenario: {evidence.files.get('console.log')}"
        assert matches[0].scenario.name == scenario.name, (
            f"triage of this run's console names {matches[0].scenario.name}, not {scenario.name}"
        )
    _passed(evidence)


@pytest.mark.scenario
@pytest.mark.browser
def test_a_har_recorded_here_becomes_a_scenario_that_reproduces_the_block(
    replayer: Replayer, tmp_path: Path
) -> None:
    user = load_scenario(SCENARIOS[IDS.index("ltx_console_v2")])
    har = tmp_path / "user.har"
    recorded = replayer(user, fixed=False, har=har)
    assert recorded.reproduced, _explain(recorded, recorded.symptom_mismatches)

    drafted = tmp_path / "from_har.toml"
    assert har2scenario.main([str(har), "-o", str(drafted)]) == 0  # the model comes from the endpoint
    scenario = load_scenario(drafted)
    fal = scenario.fal
    assert (fal.model, fal.endpoint, fal.mode, fal.media_host, fal.clip) == (
        user.fal.model,
        user.fal.endpoint,
        "sync",
        user.fal.media_host,
        "ltx-console-v2",
    )
    assert scenario.causes == {"coep"}

    replayed = replayer(scenario, fixed=False)
    assert replayed.reproduced, _explain(replayed, replayed.symptom_mismatches)
    _passed(recorded)
    _passed(replayed)


# --- the format --------------------------------------------------------------------------------------


@pytest.mark.scenario
def test_every_cause_the_report_names_has_a_scenario() -> None:
    covered = set().union(*(scenario.causes for scenario in load_all()))

    assert {"csp-media-src", "coep", "storage-rollback", "project-mismatch"} <= covered
    assert covered & {"filter", "search"}
    assert covered <= set(CAUSES)


@pytest.mark.scenario
def test_user_log_scenario_is_coep_with_the_users_facts() -> None:
    scenario = load_scenario(SCENARIOS[IDS.index("ltx_console_v2")])

    assert scenario.environment.effective_bugs == {"coep-require-corp"}, "media-src had the hosts: not CSP"
    assert scenario.fal.clip == "ltx-console-v2"
    assert scenario.fal.endpoint == "fal-ai/ltxv-2/text-to-video/fast"
    assert scenario.projects["user"].id == "91792c80-b639-4b2a-bf54-6b7da08e2ff1"
    assert scenario.causes == {"coep"}


# --- the user's own log, on the real build it came from ------------------------------------------------

BUG_COMMIT = "7e2231ef"  # the bug report's commit
BUG_BUILD = f"qcut:{BUG_COMMIT}+desktop"  # with the desktop shell's COOP/COEP headers


@pytest.fixture
def bug_build(
    launch_chromium: LaunchChromium, chromium_launch_options: dict[str, Any], fake_fal: FakeFal
) -> Iterator[tuple[AppChoice, MappedServer, Browser]]:
    """The bug report's QCut build served as the desktop shell serves it, and a Chromium mapped to it."""
    # A snapshot here, never QCut's repository: a test run fetches nothing.
    if not any(build.commit == BUG_COMMIT for build in known_builds()):
        pytest.skip(f"needs the QCut snapshot {BUG_COMMIT}: {no_snapshot_message()}")
    try:
        choice = AppChoice.parse(BUG_BUILD)
    except AppChoiceError as error:
        pytest.skip(f"{error}: {no_snapshot_message()}")
    with choice.serve() as server:
        browser = launch_chromium({**chromium_launch_options, "args": browser_flags([fake_fal, server])})
        try:
            yield choice, server, browser
        finally:
            browser.close()


@pytest.mark.scenario
@pytest.mark.browser
def test_users_log_on_the_real_bug_build_is_coep_not_csp(
    bug_build: tuple[AppChoice, MappedServer, Browser], fake_fal: FakeFal, tmp_path: Path
) -> None:
    choice, server, browser = bug_build
    scenario = load_scenario(SCENARIOS[IDS.index("ltx_console_v2")]).on_app(choice.name)

    evidence = replay(scenario, fixed=False, fake=fake_fal, app=server, out_dir=tmp_path, browser=browser)

    assert evidence.reproduced, _explain(evidence, evidence.symptom_mismatches)
    diagnosed = {cause.name for cause in causes_observed(evidence)}
    assert diagnosed == {"coep"}, f"the real build's refusal is COEP, not CSP: {diagnosed}, {evidence.csp}"
    assert any("CSP FIX NEEDED" in line for line in evidence.console), "QCut's own log guesses CSP"
