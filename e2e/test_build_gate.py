"""The build gate's verdict on a build no expectations file describes: each failure by its evidence.
Plain unit tests over a JUnit file the test writes: no browser, no build."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e.apps.expectations import classify, load_expectations
from e2e.apps.outcomes import filed_as
from e2e.gate import builds
from e2e.gate.builds import read_junit, report
from qcut_builds.build import UnknownBuild, find_build

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="e2e.test_smoke" name="test_generated_video_is_listed">
    <failure message="e2e.pages.real_qcut.wayfinding.HarnessGap: harness-gap: the suite could not find
      the AI tab on this build (looked for tab named 'AI'); the page offered: buttons ['Make', 'Retry']">
      trace</failure>
  </testcase>
  <testcase classname="e2e.test_preview" name="test_preview_plays_blob">
    <failure message="AssertionError: blocked">
      net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin (COEP)</failure>
  </testcase>
  <testcase classname="e2e.test_flow" name="test_odd">
    <failure message="AssertionError: something nobody has seen">trace</failure>
  </testcase>
  <testcase classname="e2e.test_flow" name="test_fine" />
</testsuite></testsuites>
"""


@pytest.mark.parametrize(
    ("failure", "verdict"),
    [
        ("harness-gap: no AI tab; the page offered: buttons ['Retry']", "harness-gap"),
        ("net::ERR_BLOCKED_BY_RESPONSE under COEP", "coep"),
        ("'Clip' should be badged Unsaved", "unsaved-badge"),
        ("TypeError: x is undefined", "unexplained"),
    ],
)
def test_a_failure_is_classified_by_its_evidence(failure: str, verdict: str) -> None:
    assert classify(failure)[1] == verdict


def test_a_build_without_expectations_gets_each_failure_by_cause(tmp_path: Path) -> None:
    junit = tmp_path / "lane.xml"
    junit.write_text(JUNIT, encoding="utf-8")

    result = read_junit("qcut:00000000", 1, junit)
    text = report(result)

    assert "no expectations file: each failure classified by its evidence" in text
    assert "FAILED (harness-gap) 1 test(s):" in text
    assert "looked for tab named 'AI'" in text
    assert "FAILED (a known bug: coep) 1 test(s):" in text
    assert "FAILED (unexplained) 1 test(s):" in text
    assert "1 passed" in text
    assert result.failed_ids[0] == "e2e/test_smoke.py::test_generated_video_is_listed", "run again by node id"


def test_lanes_run_longest_first_by_their_last_time_then_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builds, "REPORTS", tmp_path)
    for app, seconds in [("qcut:old", "40.0"), ("qcut:mid", "300.5")]:
        suite = f'<testsuites><testsuite name="pytest" time="{seconds}"/></testsuites>'
        (tmp_path / f"{app.replace(':', '-')}.xml").write_text(suite)

    order = builds.longest_first(["qcut:old", "qcut:mid", "qcut:new", "qcut:newer"])

    assert order == ["qcut:newer", "qcut:new", "qcut:mid", "qcut:old"], "no record first, then the longest"


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        ("harness-gap: no AI tab; the page offered: buttons ['Retry']", "harness-gap: the suite could not"),
        ("net::ERR_BLOCKED_BY_RESPONSE under COEP", "the known bug coep (COEP require-corp"),
        ("'Clip' should be badged Unsaved", "a plan gap: it lacks unsaved-badge"),
        ("TypeError: x is undefined", "unexplained: it shows no known cause's evidence"),
    ],
)
def test_a_failure_on_a_real_build_says_first_what_its_evidence_shows(failure: str, words: str) -> None:
    verdict = filed_as(failure)
    assert verdict.startswith(words), verdict
    assert classify(verdict) == classify(failure), "the words added must not change what the failure shows"


def _collect(*args: str) -> subprocess.CompletedProcess[str]:
    """`pytest --collect-only` of the browser tests, as a lane selects them, with `args`."""
    command = [sys.executable, "-m", "pytest", "e2e", "-m", builds.SELECTION, "--collect-only", "-q", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=builds.ROOT)


@pytest.mark.parametrize("option", ["--findings-only", "--each-finding-once"])
def test_narrowing_a_lane_on_the_reference_app_is_refused_at_start_up_saying_why(option: str) -> None:
    result = _collect("-p", "no:xdist", option)

    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout
    assert f"{option} selects by a real build's expectations file" in result.stderr


PASSED_ON_7E2231EF = "test_visibility.py::test_generated_item_is_listed_in_the_project_that_started_it"


@dataclass
class Narrowed:
    """7e2231ef's lane in full and narrowed by an option: each known bug's tests in each."""

    every: list[str]
    kept: list[str]
    in_lane: dict[str, list[str]]  # cause -> its tests in the full lane
    kept_per_bug: dict[str, int]  # cause -> how many of its tests the narrowed lane runs


def _narrowed(option: str) -> Narrowed:
    try:
        find_build("7e2231ef")
    except UnknownBuild as error:
        pytest.skip(str(error))
    every = _collect("-p", "no:xdist", "--app", "qcut:7e2231ef").stdout.splitlines()
    kept = _collect("-p", "no:xdist", "--app", "qcut:7e2231ef", option).stdout.splitlines()

    def runs(tests: list[str], lines: list[str]) -> list[str]:
        return [line for line in lines if any(line.startswith(f"e2e/{test}") for test in tests)]

    bugs = load_expectations("qcut:7e2231ef").bugs
    in_lane = {cause: runs(tests, every) for cause, tests in bugs.items() if runs(tests, every)}
    assert in_lane, f"the lane should run the build's known bugs: {sorted(bugs)}"
    assert any(PASSED_ON_7E2231EF in line for line in every), "the full lane runs a test the build passes"
    return Narrowed(every, kept, in_lane, {cause: len(runs(bugs[cause], kept)) for cause in in_lane})


def test_findings_only_keeps_one_test_of_each_known_bug_and_the_smoke_tests() -> None:
    lane = _narrowed("--findings-only")

    shown = lane.kept_per_bug
    assert min(shown.values()) >= 1, f"--findings-only should show each known bug: {shown}"
    fewer = [cause for cause in lane.in_lane if lane.kept_per_bug[cause] < len(lane.in_lane[cause])]
    assert fewer, f"--findings-only should leave out further tests of a shown bug: {lane.kept_per_bug}"
    assert any("test_smoke.py::test_generated_video_is_listed_plays" in line for line in lane.kept)
    assert not any(PASSED_ON_7E2231EF in line for line in lane.kept), (
        "--findings-only leaves out what the build passes"
    )


def test_each_finding_once_keeps_every_test_the_build_passes_and_one_test_of_each_known_bug() -> None:
    lane = _narrowed("--each-finding-once")

    shown = lane.kept_per_bug
    assert min(shown.values()) >= 1, f"--each-finding-once should show each known bug: {shown}"
    fewer = [cause for cause in lane.in_lane if shown[cause] < len(lane.in_lane[cause])]
    assert fewer, f"--each-finding-once should leave out further tests of a shown bug: {shown}"
    only_findings = _narrowed("--findings-only").kept
    dropped = [test for test in lane.every if test not in lane.kept]
    assert set(dropped) <= set(lane.every) - set(only_findings), "it drops no test that --findings-only keeps"
    assert any(PASSED_ON_7E2231EF in line for line in lane.kept), "it keeps what the build passes"
