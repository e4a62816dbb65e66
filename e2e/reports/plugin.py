"""pytest plugin: what a run leaves in reports/ for people and for CI.

- One folder per run, `reports/runs/<run>/` (`<run>` is its start, UTC, and the controller's pid), the same
  with or without xdist, and `reports/latest` pointing at the newest; earlier runs stay. In it:
  - `junit.xml` (JUnit) and, when pytest-html is loaded, `report.html` (self-contained); a
    `--junitxml`/`--html` of your own replaces them (and then `latest` stays where it was);
    `--collect-only` writes neither;
  - `summary.json`, written by the controller (also under xdist): counts, each test's outcome and
    duration, each failure with its message and artifact folder, the app under test, the run's duration
    (beside a JUnit XML of your own, `<its name>.summary.json`);
  - the artifacts of each failing test, `<test>/` (trace, screenshot, console.log, csp.log,
    blocked-responses.log, media-store.json).
  With `--output DIR`, DIR is this run's folder, emptied at start once, by the controller.
- The run's properties (the app under test: profile, switches, URL, build; see `record_run_property`) in
  the JUnit XML's `<properties>`, the HTML report's environment table and the summary.
- A JUnit failure message keeps the witnesses' explanation (a CSP or COEP block): pytest shortens the
  `message` attribute, so Playwright's call log gives way to it there (the element text has everything).

Loaded by the root conftest, so both test trees report alike.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.parse
from collections.abc import Generator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from e2e.witnesses.artifacts import ArtifactOptions, trace_without_screencast

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"
RUNS = REPORTS / "runs"
LATEST = REPORTS / "latest"  # a symbolic link to the newest run's folder
# pytest-playwright's default for --output: the option was not given.
PLAYWRIGHT_DEFAULT_OUTPUT = "test-results"
RUN_FOLDER = "e2e_run_folder"  # the key in xdist's workerinput
# What the witnesses write beside the trace and screenshot (e2e.witnesses), in the order a reader wants them.
WITNESS_FILES = ("console.log", "csp.log", "blocked-responses.log", "media-store.json")

RUN_PROPERTIES = pytest.StashKey[dict[str, str]]()
# A test's property named `run_note...` is a line for the end of the run and the summary's `notes` (xdist
# workers cannot print): the journeys' pair coverage, for one.
RUN_NOTE = "run_note"
TEST_FOLDER = pytest.StashKey[Path]()
RESULTS = pytest.StashKey["RunResults"]()


def record_run_property(config: pytest.Config, name: str, value: str) -> None:
    """A fact about the whole run (e.g. the app under test) for the JUnit XML, HTML report and summary."""
    config.stash.setdefault(RUN_PROPERTIES, {})[name] = value


def add_run_note(config: pytest.Config, key: str, line: str) -> None:
    """A line for the end of the run and the summary's `notes`, from a plugin of the controller (a test's
    own line is its `run_note...` property)."""
    results = config.stash.get(RESULTS, None)
    if results is not None:
        results.notes[key] = line


def _controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def _given(config: pytest.Config, option: str) -> bool:
    """Whether `--option` was on the command line (or in PYTEST_ADDOPTS), not left to its default."""
    args = [*config.invocation_params.args, *os.environ.get("PYTEST_ADDOPTS", "").split()]
    return any(arg == option or arg.startswith(option + "=") for arg in args)


# --- where the reports and artifacts go --------------------------------------------------------------


def _run_folder(config: pytest.Config) -> Path:
    """This run's folder: --output's, else a new reports/runs/<run>/ (the controller's)."""
    if not _controller(config):
        # xdist sets workerinput on a worker's config; pytest's Config does not declare it.
        return Path(config.workerinput[RUN_FOLDER])  # type: ignore[attr-defined]
    given = config.getoption("output")
    if given != PLAYWRIGHT_DEFAULT_OUTPUT or _given(config, "--output"):
        folder = Path(config.invocation_params.dir, given).resolve()
        # pytest-playwright's meaning of --output: this run's folder, emptied at start (here, once).
        if not config.getoption("collectonly"):
            shutil.rmtree(folder, ignore_errors=True)
        return folder
    return RUNS / f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{os.getpid()}"


def _point_latest(folder: Path) -> None:
    """reports/latest -> this run's folder, replaced in one step (another run may be reading it)."""
    LATEST.parent.mkdir(parents=True, exist_ok=True)
    link = LATEST.with_name(f".latest-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(folder, LATEST.parent), target_is_directory=True)
    os.replace(link, LATEST)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Before junitxml's and pytest-html's own pytest_configure, which open the files named here.
    collect_only = config.getoption("collectonly")
    folder = _run_folder(config)
    in_run_folder = False  # the run's reports go to its folder, not to a --junitxml of the caller's
    if hasattr(config.option, "xmlpath") and not config.option.xmlpath and not collect_only:
        config.option.xmlpath = str(folder / "junit.xml")
        in_run_folder = True
    if hasattr(config.option, "htmlpath") and not config.option.htmlpath and not collect_only:
        config.option.htmlpath = str(folder / "report.html")
        config.option.self_contained_html = True
    if hasattr(config.option, "output"):
        config.option.output = str(folder)
    if _controller(config) and not collect_only:
        if in_run_folder:
            folder.mkdir(parents=True, exist_ok=True)
            _point_latest(folder)
        config.stash[RESULTS] = RunResults(config)
        config.pluginmanager.register(config.stash[RESULTS], "e2e-run-results")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: every worker writes into the controller's run folder."""
    node.workerinput[RUN_FOLDER] = node.config.option.output


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's: each xdist worker would empty --output, other workers' failures too."""


@pytest.fixture(autouse=True)
def _trace_as_the_suite_records(request: pytest.FixtureRequest) -> None:
    """pytest-playwright's `context`, when traced, records as the suite's own contexts do (function scope)."""
    if "context" in request.fixturenames and ArtifactOptions.from_config(request.config).traces:
        trace_without_screencast(request.getfixturevalue("context"), request.node.nodeid)


@pytest.fixture
def output_path(output_path: str, request: pytest.FixtureRequest) -> str:
    """pytest-playwright's folder for this test's artifacts, remembered for the reports (function scope)."""
    request.node.stash[TEST_FOLDER] = Path(output_path)
    return output_path


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    properties = config.stash.get(RUN_PROPERTIES, {})
    if not _controller(config) or not properties:
        return
    from _pytest.junitxml import xml_key  # the LogXML that --junitxml writes (record_testsuite_property's)

    xml = config.stash.get(xml_key, None)
    metadata = _html_metadata(config)
    for name, value in properties.items():
        if xml is not None:
            xml.add_global_property(name, value)
        if metadata is not None:
            metadata[name] = value


def _html_metadata(config: pytest.Config) -> dict[str, Any] | None:
    """pytest-metadata's table, which pytest-html shows as the report's environment; None without it."""
    if not config.pluginmanager.hasplugin("metadata"):
        return None
    from pytest_metadata.plugin import metadata_key  # type: ignore[import-untyped]  # ships no py.typed

    return config.stash.get(metadata_key, None)


# --- each test's report ------------------------------------------------------------------------------


def _for_report(config: pytest.Config, path: Path) -> str:
    """A path relative to where pytest was started when inside it (as pytest-playwright writes them)."""
    try:
        return str(path.relative_to(config.invocation_params.dir))
    except ValueError:
        return str(path)


def _html_links(config: pytest.Config, folder: Path) -> list[Any]:
    """pytest-html extras linking the witnesses' files in `folder`, relative to the HTML report."""
    pytest_html = config.pluginmanager.getplugin("html")
    html_path = getattr(config.option, "htmlpath", None)
    if pytest_html is None or not html_path:
        return []
    html_dir = Path(config.invocation_params.dir, os.path.expandvars(html_path)).expanduser().parent
    return [
        pytest_html.extras.url(
            urllib.parse.quote(Path(os.path.relpath(path, html_dir)).as_posix()), name=name
        )
        for name in WITNESS_FILES
        if (path := folder / name).is_file()
    ]


def _message_with_notes(message: str, notes: list[str]) -> str:
    """The failure's first lines, without Playwright's call log, then its notes (the witnesses' findings)."""
    text = "\n".join(notes)
    body = message[: -len(text)].rstrip("\n") if text and message.endswith(text) else message
    head = body.split("\nCall log:", 1)[0].rstrip()
    return f"{head}\n{text}" if text else head


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    notes = getattr(call.excinfo.value, "__notes__", None) if call.excinfo else None
    reprcrash = getattr(report.longrepr, "reprcrash", None)
    if report.failed and notes and reprcrash is not None:
        reprcrash.message = _message_with_notes(reprcrash.message, [str(note) for note in notes])
    folder = item.stash.get(TEST_FOLDER, None)
    if report.when == "teardown" and folder is not None and folder.is_dir():
        report.user_properties.append(("artifacts", _for_report(item.config, folder)))
        links = _html_links(item.config, folder)
        # pytest-html's attribute: a TestReport takes any, pytest's annotations declare none.
        report.extras = [*getattr(report, "extras", []), *links]  # type: ignore[attr-defined]
    return report


# --- the summary for CI dashboards -------------------------------------------------------------------


@dataclass
class TestOutcome:
    """One test's outcome over its phases, as the summary lists it."""

    test: str
    outcome: str = "passed"
    duration_seconds: float = 0.0
    phase: str | None = None
    message: str | None = None
    artifacts: str | None = None


@dataclass(eq=False)
class RunResults:
    """Collects every test's reports in the controller and writes summary.json at the end (a plugin)."""

    config: pytest.Config
    started: float = field(default_factory=time.time)
    tests: dict[str, TestOutcome] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # a test's line for the end of the run, by test

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = self.tests.setdefault(report.nodeid, TestOutcome(report.nodeid))
        result.duration_seconds += report.duration
        for name, value in report.user_properties:
            if name == "artifacts":
                result.artifacts = str(value)
            if name.startswith(RUN_NOTE):
                self.notes[report.nodeid] = str(value)
        outcome = _outcome(report)
        if outcome is None or result.outcome in ("failed", "error"):
            return
        result.outcome = outcome
        if outcome in ("failed", "error"):
            result.phase = report.when
            crash = getattr(report.longrepr, "reprcrash", None)
            result.message = crash.message if crash is not None else str(report.longrepr)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        path = summary_path(self.config)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.summary(exitstatus), indent=2) + "\n")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        folder = Path(self.config.option.output) if hasattr(self.config.option, "output") else None
        for note in self.notes.values():
            terminalreporter.write_line(note)
        terminalreporter.write_sep("-", f"summary for CI: {summary_path(self.config)}")
        if folder is not None and summary_path(self.config).parent == folder:
            terminalreporter.write_sep("-", f"this run's reports: {folder}/ (also {LATEST}/)")
        if folder is not None and folder.is_dir() and any(path.is_dir() for path in folder.iterdir()):
            terminalreporter.write_sep("-", f"artifacts of failing tests: {folder}/<test>/")

    def summary(self, exitstatus: int) -> dict[str, Any]:
        tests = sorted(self.tests.values(), key=lambda result: result.test)
        counts = {name: 0 for name in ("passed", "failed", "error", "skipped", "xfailed", "xpassed")}
        for result in tests:
            counts[result.outcome] += 1
        output = getattr(self.config.option, "output", None)
        return {
            "exit_status": int(exitstatus),
            "started": datetime.fromtimestamp(self.started, UTC).isoformat(timespec="seconds"),
            "duration_seconds": round(time.time() - self.started, 3),
            "run": self.config.stash.get(RUN_PROPERTIES, {}),
            "notes": self.notes,
            "counts": {**counts, "total": len(tests)},
            "artifacts": _for_report(self.config, Path(output)) if output else None,
            "failures": [
                {key: value for key, value in asdict(result).items() if key != "duration_seconds"}
                for result in tests
                if result.outcome in ("failed", "error")
            ],
            "tests": [
                {
                    "test": result.test,
                    "outcome": result.outcome,
                    "duration_seconds": round(result.duration_seconds, 3),
                }
                for result in tests
            ],
        }


def _outcome(report: pytest.TestReport) -> str | None:
    """What this phase says of the test; None when it says nothing new (a passing setup or teardown)."""
    xfail = hasattr(report, "wasxfail")
    if report.failed:
        return "failed" if report.when == "call" else "error"
    if report.skipped:
        return "xfailed" if xfail else "skipped"
    if report.when == "call":
        return "xpassed" if xfail else "passed"
    return None


def summary_path(config: pytest.Config) -> Path:
    """summary.json beside the run's junit.xml; beside a JUnit XML of your own, `<its name>.summary.json`."""
    xmlpath = getattr(config.option, "xmlpath", None)
    if not xmlpath:
        return Path(getattr(config.option, "output", None) or RUNS) / "summary.json"
    junit = Path(config.invocation_params.dir, xmlpath)
    if junit.name == "junit.xml":
        return junit.with_name("summary.json")
    return junit.with_suffix(".summary.json")
