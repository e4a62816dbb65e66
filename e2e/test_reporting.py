"""What a run leaves for people and CI (e2e.reports.plugin): a small test file run by pytest in a folder of
its own, with the plugin's report folder pointed there, so nothing here touches the suite's reports/."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("reports_here")

TESTS = """
import pytest
from pathlib import Path


def test_passes():
    pass


def test_fails_with_a_witness_note(output_path):
    folder = Path(output_path)
    folder.mkdir(parents=True)
    (folder / "console.log").write_text("[error] refused\\n")
    (folder / "csp.log").write_text("media-src https://v3.fal.media/x.mp4\\n")
    call_log = "Call log:\\n" + "  - waiting for the preview\\n" * 60
    error = AssertionError("the video should play\\nActual value: visible\\n" + call_log)
    error.add_note("The browser refused a response because of its embedder policy (COEP/CORP), not CSP")
    raise error


@pytest.mark.skip(reason="not here")
def test_skipped():
    pass
"""

# Loads the plugin as the root conftest does and points its default folders at the test's own (the xdist
# workers load it too).
CONFTEST = """
from pathlib import Path

pytest_plugins = ["e2e.reports.plugin"]

import e2e.reports.plugin as reporting
from e2e.reports.plugin import record_run_property

HERE = Path(__file__).parent / "reports"
reporting.REPORTS = HERE
reporting.RUNS = HERE / "runs"
reporting.LATEST = HERE / "latest"


def pytest_configure(config):
    record_run_property(config, "app_url", "https://app.example/")
"""


@pytest.fixture
def reports_here(pytester: pytest.Pytester) -> Path:
    """A folder with the test file and a conftest pointing the reports at `<folder>/reports` (function)."""
    pytester.makepyfile(test_sample=TESTS)
    pytester.makeconftest(CONFTEST)
    return pytester.path / "reports"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """pytest in the test's folder (its conftest loads the reporting plugin)."""
    plugins = ("-p", "no:randomly", "-p", "no:cacheprovider")
    return pytester.runpytest_subprocess(*plugins, *args)


def test_collect_only_writes_no_report_and_empties_no_folder(
    pytester: pytest.Pytester, reports_here: Path
) -> None:
    earlier = pytester.path / "earlier" / "a-test" / "trace.zip"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"")
    result = run(pytester, "--collect-only", f"--output={earlier.parent.parent}")
    assert result.ret == 0
    assert not reports_here.exists()
    assert earlier.exists()


def test_runs_without_pytest_html_and_still_writes_junit_and_summary(
    pytester: pytest.Pytester, reports_here: Path
) -> None:
    result = run(pytester, "-p", "no:html", "-n", "0")
    assert result.ret == 1
    assert (reports_here / "latest" / "junit.xml").is_file()
    assert (reports_here / "latest" / "summary.json").is_file()
    assert not (reports_here / "latest" / "report.html").exists()


@pytest.mark.parametrize("workers", ["0", "2"])
def test_summary_counts_and_failures_with_their_artifacts(
    pytester: pytest.Pytester, reports_here: Path, workers: str
) -> None:
    run(pytester, "-n", workers)
    summary = json.loads((reports_here / "latest" / "summary.json").read_text())
    assert summary["counts"] == {
        "passed": 1, "failed": 1, "error": 0, "skipped": 1, "xfailed": 0, "xpassed": 0, "total": 3,
    }  # fmt: skip
    assert summary["run"] == {"app_url": "https://app.example/"}
    [failure] = summary["failures"]
    assert failure["test"] == "test_sample.py::test_fails_with_a_witness_note"
    assert "embedder policy (COEP/CORP)" in failure["message"]
    folder = pytester.path / failure["artifacts"]
    assert folder.parent.parent == reports_here / "runs", "reports/runs/<run>/<test>/, any -n"
    assert folder.parent.resolve() == (reports_here / "latest").resolve(), "latest is this run's folder"
    assert (folder / "console.log").is_file()
    assert {test["test"].split("::")[1] for test in summary["tests"]} == {
        "test_passes", "test_fails_with_a_witness_note", "test_skipped",
    }  # fmt: skip


def test_a_second_run_keeps_the_first_runs_reports(pytester: pytest.Pytester, reports_here: Path) -> None:
    run(pytester, "-n", "0")
    run(pytester, "-n", "2", "-k", "passes")
    first, second = sorted((reports_here / "runs").iterdir())
    assert (first / "test-sample-py-test-fails-with-a-witness-note").is_dir()
    assert json.loads((first / "summary.json").read_text())["counts"]["total"] == 3, "the first run's summary"
    assert json.loads((second / "summary.json").read_text())["counts"]["total"] == 1
    assert (reports_here / "latest").resolve() == second.resolve(), "latest points at the newest run"
    assert (first / "junit.xml").is_file()
    assert (first / "report.html").is_file()


def test_junit_message_keeps_the_witness_explanation_and_the_app_under_test(
    pytester: pytest.Pytester, reports_here: Path
) -> None:
    run(pytester, "-n", "0")
    tree = ET.parse(reports_here / "latest" / "junit.xml")
    properties = {prop.get("name"): prop.get("value") for prop in tree.iter("property")}
    assert properties["app_url"] == "https://app.example/"
    artifacts = properties["artifacts"]
    assert artifacts is not None
    assert artifacts.endswith("test-sample-py-test-fails-with-a-witness-note")
    [failure] = tree.iter("failure")
    message = failure.get("message") or ""
    assert message.startswith("AssertionError: the video should play")
    assert "embedder policy (COEP/CORP)" in message
    assert "embedder policy (COEP/CORP)" in (failure.text or "")


def test_html_report_links_the_witness_logs(pytester: pytest.Pytester, reports_here: Path) -> None:
    run(pytester, "-n", "0")
    html = (reports_here / "latest" / "report.html").read_text()
    assert "test-sample-py-test-fails-with-a-witness-note/console.log" in html
    assert "test-sample-py-test-fails-with-a-witness-note/csp.log" in html
    assert "app.example" in html
