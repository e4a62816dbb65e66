"""The build gate's verdict on a build no expectations file describes: each failure by its evidence.
Plain unit tests over a JUnit file the test writes: no browser, no build."""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e.apps.expectations import classify
from e2e.apps.outcomes import filed_as
from e2e.gate import builds
from e2e.gate.builds import read_junit, report

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
