"""The gate over real QCut builds: the suite against every build, and what it caught there, by cause.

For each build `qcut_builds` knows (the snapshots in ../shared/qcut, or $QCUT_SRC), and for the desktop
shell's headers where an expectations file asks for that lane
(`e2e/apps/expectations/qcut-<commit>+desktop.toml`), it runs the browser tests with `--app`, where each
build's known gaps and bugs are checked against its expectations file (e2e.apps.expectations), and prints
per build: the bugs caught, each with its cause as the suite names it, the plan features it lacks, what it
could not drive, and whether the run matched the file.

    python -m e2e.gate.builds                 # every build (make real-builds; make test runs it)
    python -m e2e.gate.builds 7e2231ef        # one build, and its +desktop lane if it has one
    python -m e2e.gate.builds --journeys      # the stateful test's journeys instead (make real-journeys)

With `--journeys` each lane runs the stateful test (e2e/test_stateful.py) alone, with the rules and checks the
build's DOM supports, and the report lists each finding's shrunk journey as the scenario file it was written
to (reports/journeys/journey_qcut_<commit>_<cause>.toml), which `python -m e2e.repro` replays.

Exit status: 0 every build behaved as its expectations file says (or there is no build to test: the
message says where the suite looked); 1 a build did not (its report says which test, and how).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e.apps.choice import DESKTOP_SUFFIX
from e2e.apps.expectations import (
    BUG_EVIDENCE,
    PLAN_FEATURES,
    UNEXPLAINED,
    classify,
    lanes_of,
    load_expectations,
)
from e2e.gate.matrix import write_index
from e2e.journeys.scenario_writer import Journey
from e2e.pages.real_qcut.wayfinding import HARNESS_GAP
from qcut_builds.build import Build, BuildError, ensure_built, known_builds, no_snapshot_message

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports" / "real-builds"
# The tests that drive an app in a browser; scenario replays bring their own reference app, and the journeys
# (minutes per build, most of it shrinking) run on request.
SELECTION = "browser and not scenario and not stateful"
# The desktop shell's headers (its CSP header, COOP and COEP) decide what a page may load, not what the app
# does with it: a `+desktop` lane runs the tests of loading (every FAL host with both models, the download and
# the preview: smoke, csp, preview) and its build's plain lane everything.
DESKTOP_SELECTION = f"{SELECTION} and (smoke or csp or preview)"
JOURNEYS = "stateful"
JOURNEY_FILES = ROOT / "reports" / "journeys"
# A trace's DOM snapshots double a real build's test time (its editor's DOM is large: 4 min against 2 min
# 20 s for 53c8b4a6's lane), and the traces of passes and expected failures are thrown away. So lanes run
# untraced, and only an unexpected failure is run again with a trace to keep (a --tracing given here wins).
UNTRACED = "--tracing=off"
FINDINGS_ONLY = "--findings-only"
# The newest build's lane in make test: every test it must pass, and each known finding once.
EACH_FINDING_ONCE = "--each-finding-once"
# What a lane narrowed by each option runs, as its report says.
NARROWED = {
    FINDINGS_ONLY: "the smoke tests, one test per finding",
    EACH_FINDING_ONCE: "every test it must pass, one test per finding",
}
TRACED = "--tracing=retain-on-failure"
ARTIFACTS_LINE = re.compile(r"artifacts of failing tests: (\S+?)/<test>/")


@dataclass
class LaneResult:
    """One build under the suite: what each test did, from the run's JUnit XML."""

    app: str
    exit_status: int
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    failed_ids: list[str] = field(default_factory=list)  # pytest node ids of `failed`, to run them again
    traced: str = ""  # what running the unexpected failures again with a trace showed
    # each failure, by what its evidence shows (e2e.apps.expectations.classify): (kind, cause) -> tests, and
    # the line that shows it
    failures: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    failure_lines: dict[tuple[str, str], str] = field(default_factory=dict)
    caught: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # cause -> tests
    evidence: dict[str, str] = field(default_factory=dict)  # cause -> the failure line that proves it
    gaps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # feature -> tests
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # reason -> count
    journeys: list[str] = field(default_factory=list)  # each finding's shrunk journey, and its file
    narrowed_by: str = ""  # the option of NARROWED the lane ran with, if any

    @property
    def as_expected(self) -> bool:
        return self.exit_status == 0 and not self.failed


def lanes(builds: list[Build]) -> list[str]:
    """The `--app` value of every lane: each build, and `+desktop` where its expectations ask for it."""
    return [app for build in builds for app in lanes_of(build.commit)]


def junit_of(app: str, journeys: bool = False) -> Path:
    return REPORTS / f"{'journeys-' if journeys else ''}{app.replace(':', '-')}.xml"


def run_lane(
    app: str, workers: str, extra: list[str], journeys: bool = False, quiet: bool = False
) -> LaneResult:
    """Run the browser tests (or the journeys) against one lane and read what they did.

    `quiet`: the lane runs beside others, so its output goes to its log, and one line says when it ended.
    """
    junit = junit_of(app, journeys)
    if journeys:
        for stale in journey_files(app):
            stale.unlink()
    marks = JOURNEYS if journeys else DESKTOP_SELECTION if app.endswith(DESKTOP_SUFFIX) else SELECTION
    selection = ["-m", marks, "-n", "0" if journeys else workers]
    status = _pytest(app, ["e2e", *selection, UNTRACED, *extra], junit, quiet)
    result = read_junit(app, status, junit)
    result.narrowed_by = next((option for option in NARROWED if option in extra), "")
    if journeys:
        result.journeys = [_journey_line(path) for path in journey_files(app)]
    elif result.failed_ids and not any(arg.startswith("--tracing") for arg in extra):
        result.traced = trace_again(app, result.failed_ids, workers, junit.with_suffix(".traced.xml"))
    return result


def _pytest(app: str, arguments: list[str], junit: Path, quiet: bool) -> int:
    """pytest `arguments` against `app`, its JUnit XML and HTML report side by side (and its log, when
    `quiet`)."""
    command = [
        sys.executable, "-m", "pytest", *arguments, "--app", app, "-p", "no:randomly", "-q",
        "--tb=no", "--no-header", f"--junitxml={junit}", f"--html={junit.with_suffix('.html')}",
    ]  # fmt: skip
    print(f"\n=== {app}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    if not quiet:
        return subprocess.run(command, cwd=ROOT, check=False).returncode
    with junit.with_suffix(".log").open("w", encoding="utf-8") as out:
        status = subprocess.run(command, cwd=ROOT, check=False, stdout=out, stderr=subprocess.STDOUT)
    print(f"=== {app}: pytest exit {status.returncode} in {time.monotonic() - started:.0f} s ({out.name})")
    return status.returncode


def trace_again(app: str, tests: list[str], workers: str, junit: Path) -> str:
    """Run a lane's unexpected failures once more, traced, and say where their traces are kept."""
    _pytest(app, [*tests, "-n", workers, TRACED], junit, quiet=True)
    again = read_junit(app, 0, junit)
    log = junit.with_suffix(".log")
    kept = ARTIFACTS_LINE.search(log.read_text(encoding="utf-8")) if log.is_file() else None
    where = f"traces in {kept.group(1)}" if kept else f"log {log}"
    return f"run again with a trace: {len(again.failed)} of {len(tests)} failed again ({where})"


def run_lanes(
    apps: list[str], at_once: int, narrowing: dict[str, str], extra: list[str], **lane: Any
) -> list[LaneResult]:
    """Every lane, `at_once` of them side by side (a lane's browser tests wait on the app more than they
    compute, so two-core machines have room for more than one), the longest first so that no long lane
    starts last; a lane in `narrowing` with its option of NARROWED. The results in the order of `apps`."""

    def run(app: str, quiet: bool) -> LaneResult:
        narrowed = [narrowing[app]] if app in narrowing else []
        return run_lane(app, quiet=quiet, extra=[*extra, *narrowed], **lane)

    if at_once <= 1:
        return [run(app, quiet=False) for app in apps]
    with ThreadPoolExecutor(at_once) as pool:
        order = longest_first(apps)
        results = dict(zip(order, pool.map(lambda app: run(app, quiet=True), order), strict=True))
    return [results[app] for app in apps]


def fast_narrowing(apps: list[str], newest: list[str]) -> dict[str, str]:
    """`--fast`: the newest build's lanes run each known finding once, the older ones only their findings."""
    return {app: EACH_FINDING_ONCE if app in newest else FINDINGS_ONLY for app in apps}


def longest_first(apps: list[str]) -> list[str]:
    """The lanes by how long each took last time (its JUnit XML's time), longest first; a lane with no
    record yet goes first, newest build first (later builds are the larger editors)."""

    def last_time(app: str) -> float:
        try:
            suite = ET.parse(junit_of(app)).getroot().find("testsuite")
            return float(suite.get("time", "inf")) if suite is not None else float("inf")
        except (OSError, ET.ParseError, ValueError):
            return float("inf")

    newest_first = list(reversed(apps))
    return sorted(newest_first, key=last_time, reverse=True)


def check_page(page: Path) -> bool:
    """Open the page just written in Chromium and hold each cell to the lanes' JUnit (test_build_matrix)."""
    command = [
        sys.executable, "-m", "pytest", f"{ROOT}/e2e/test_build_matrix.py", "-k", "agrees_with_the_junit",
        "-p", "no:randomly", "-q", "-n", "0", "--no-header", f"--junitxml={REPORTS}/index-check.xml",
    ]  # fmt: skip
    checked = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "E2E_BUILD_GATE_PAGE": str(page)},
        capture_output=True,
        text=True,
    )
    verdict = "agrees with the lanes' JUnit" if checked.returncode == 0 else "DISAGREES with the lanes' JUnit"
    print(f"builds by cause: {page} ({verdict}, read in Chromium)")
    if checked.returncode != 0:
        print(checked.stdout[-3000:])
    return checked.returncode == 0


def journey_files(app: str) -> list[Path]:
    """The scenario files the journeys wrote for this lane, one per cause found."""
    journey = Journey(app=app)
    paths = [
        JOURNEY_FILES / f"{journey.name_for_cause(cause)}.toml" for cause in [*BUG_EVIDENCE, UNEXPLAINED]
    ]
    return [path for path in paths if path.is_file()]


def _journey_line(path: Path) -> str:
    report = tomllib.loads(path.read_text(encoding="utf-8"))["scenario"]["report"]
    return f"{report}\n            replay: python -m e2e.repro {path.relative_to(ROOT)}"


def read_junit(app: str, status: int, junit: Path) -> LaneResult:
    result = LaneResult(app, status)
    if not junit.is_file():
        return result
    for case in ET.parse(junit).iter("testcase"):
        test = f"{case.get('classname', '').rsplit('.', 1)[-1]}.py::{case.get('name')}"
        failure = case.find("failure")
        failure = failure if failure is not None else case.find("error")
        if failure is not None:
            result.failed.append(test)
            result.failed_ids.append(f"{case.get('classname', '').replace('.', '/')}.py::{case.get('name')}")
            _record_failure(result, test, f"{failure.get('message', '')}\n{failure.text or ''}")
        elif (skip := case.find("skipped")) is not None:
            _record_skip(result, test, skip)
        else:
            result.passed += 1
    return result


def _record_skip(result: LaneResult, test: str, skip: ET.Element) -> None:
    message = skip.get("message", "")
    if skip.get("type") != "pytest.xfail":
        result.skipped[message.split(": ", 1)[-1]] += 1
        return
    # "known bug of this build: storage-rollback (...); evidence: <line>", or "known gap ..." likewise.
    kind, _, rest = message.partition(" of this build: ")
    cause = rest.split(" ", 1)[0]
    (result.caught if kind.endswith("bug") else result.gaps)[cause].append(test)
    result.evidence.setdefault(cause, rest.partition("; evidence: ")[2])


def _record_failure(result: LaneResult, test: str, text: str) -> None:
    """File a failure under what its evidence shows, keeping the first line that shows it."""
    kind, cause = classify(text)
    result.failures[(kind, cause)].append(test)
    if (kind, cause) not in result.failure_lines:
        pattern = HARNESS_GAP if kind == HARNESS_GAP else _evidence_pattern(kind, cause)
        lines = [line for line in text.splitlines() if pattern and re.search(pattern, line)]
        result.failure_lines[(kind, cause)] = " ".join((lines or text.splitlines() or [""])[0].split())[:300]


def _evidence_pattern(kind: str, cause: str) -> str:
    if kind == "bug":
        return BUG_EVIDENCE[cause][1]
    if kind == "gap":
        return PLAN_FEATURES[cause][1]
    return r"Error|assert|should"


def report(result: LaneResult) -> str:
    verdict = "as expected" if result.as_expected else f"NOT as expected (pytest exit {result.exit_status})"
    lines = [f"{result.app}: {verdict}; {result.passed} passed"]
    if result.narrowed_by:
        lines.append(f"    {NARROWED[result.narrowed_by]} ({result.narrowed_by}; make real-builds: all)")
    if result.app.endswith(DESKTOP_SUFFIX):
        plain = result.app.removesuffix(DESKTOP_SUFFIX)
        lines.append(f"    the tests of loading (-m '{DESKTOP_SELECTION}'); {plain} runs them all")
    for cause, tests in sorted(result.caught.items()):
        lines.append(f"    caught {cause}: {len(tests)} test(s), e.g. {tests[0]}")
        lines.append(f"        evidence: {result.evidence[cause]}")
    for feature, tests in sorted(result.gaps.items()):
        lines.append(f"    lacks {feature}: {len(tests)} test(s) fail as this known gap")
    for reason, count in sorted(result.skipped.items()):
        lines.append(f"    not driven ({count}): {reason}")
    lines += [f"    journey: {journey}" for journey in result.journeys]
    if result.traced:
        lines.append(f"    {result.traced}")
    if result.failures and load_expectations(result.app).path is None:
        lines.append("    no expectations file: each failure classified by its evidence")
    for (kind, cause), tests in sorted(result.failures.items()):
        label = {"bug": "a known bug", "gap": "lacks the plan feature"}.get(kind, kind)
        lines.append(f"    FAILED ({label if cause == kind else f'{label}: {cause}'}) {len(tests)} test(s):")
        lines += [f"        {test}" for test in tests]
        lines.append(f"        evidence: {result.failure_lines[(kind, cause)]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m e2e.gate.builds",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Other options go to each lane's pytest (a --tracing given here applies to the lanes).",
    )
    parser.add_argument("commits", nargs="*", help="only these builds (default: every build there is)")
    parser.add_argument("-n", dest="workers", default="auto", help="pytest-xdist workers per lane")
    parser.add_argument(
        "--journeys", action="store_true", help="run the stateful test's journeys per lane instead"
    )
    parser.add_argument(
        "--lanes", type=int, default=1, metavar="K", help="run K lanes side by side (default 1: in turn)"
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="on the newest build every test it must pass and one test of each known finding (pytest "
        "--each-finding-once); on the older ones the smoke tests and one test of each known finding "
        "(--findings-only), as make test runs them",
    )
    args, extra = parser.parse_known_args(argv)
    builds = [
        b for b in known_builds() if not args.commits or any(b.commit.startswith(c) for c in args.commits)
    ]
    if not builds:
        print(f"real builds: none to test, so the real-build lane is skipped: {no_snapshot_message()}")
        return 0
    try:
        for build in builds:
            ensure_built(build, report=print)
    except BuildError as error:
        print(f"real builds: {error}", file=sys.stderr)
        return 1
    REPORTS.mkdir(parents=True, exist_ok=True)
    apps = lanes(builds)
    narrowing = fast_narrowing(apps, lanes([builds[-1]])) if args.fast else {}
    results = run_lanes(
        apps, args.lanes, narrowing, workers=args.workers, extra=extra, journeys=args.journeys
    )
    print("\nreal builds: what the suite caught, per build (expectations: e2e/apps/expectations/)")
    for result in results:
        print(report(result))
    print(f"reports: {REPORTS}/")
    page_agrees = True
    if not args.journeys:
        page = write_index([junit_of(app) for app in apps], REPORTS / "index.html")
        page_agrees = check_page(page)
    return 0 if page_agrees and all(result.as_expected for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
