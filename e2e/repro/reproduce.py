"""Reproduce a user's "my generated video is missing" report from a scenario file, and diagnose it.

    python -m e2e.repro ltx_console_v2                 # a name from fixtures/scenarios/, or a path
    python -m e2e.repro my_report.toml --headed        # watch it
    python -m e2e.repro ltx_console_v2 --fixed         # the same user on the fixed app
    python -m e2e.repro ltx_console_v2 --har run.har   # also record the run's network as a HAR
    python -m e2e.repro --list                         # the scenarios in fixtures/scenarios/, with titles

Starts its own fake_fal, app server and Chromium (outside pytest), replays the steps under the scenario's
conditions, and writes reports/repro/<name>/ (reports/repro/<name>-fixed/ with --fixed): diagnosis.md,
trace.zip, screenshot.png, console.log.

Exit status: 0 the user's symptom was reproduced (with --fixed: the user sees the video); 1 it was not
(diagnosis.md says what the user would have seen instead); 2 no scenario named, or its file cannot be used;
3 the replay could not run (no Chromium, a server that would not start).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from e2e.apps.choice import REFERENCE, AppChoice, AppChoiceError
from e2e.browser.chromium import ChromiumNotFound, find_chromium
from e2e.repro.causes import causes_observed
from e2e.repro.driver import ReplayError
from e2e.repro.evidence import Evidence
from e2e.repro.loader import ScenarioError, find_scenario, load_scenario, scenario_files
from e2e.repro.replay import launch_args, replay
from e2e.repro.scenario import SCENARIO_DIR, Scenario
from e2e.storage.faults import STORAGE_CONDITIONS, Armed
from fake_fal.server import FakeFal
from media_app.browser import NO_DISPLAY, has_display
from media_app.server import AppServer

ROOT = Path(__file__).resolve().parents[2]
REPRO_REPORTS = ROOT / "reports" / "repro"

REPRODUCED, NOT_REPRODUCED, BAD_SCENARIO, CANNOT_RUN = 0, 1, 2, 3


def summary(evidence: Evidence) -> str:
    """Three lines for the terminal: the verdict, the causes seen, where the diagnosis is."""
    name = evidence.scenario.name
    if evidence.fixed:
        failed = evidence.expect_mismatches
        verdict = (
            "fixed app: the user sees the video" if not failed else "fixed app: the user does NOT see it"
        )
    else:
        failed = evidence.symptom_mismatches
        verdict = "symptom reproduced" if not failed else "symptom NOT reproduced"
    lines = [f"{name}: {verdict}"]
    lines += [f"  {check}: wanted {wanted!r}, saw {seen!r}" for check, wanted, seen in failed]
    causes = [cause.name for cause in causes_observed(evidence)]
    lines.append(f"  causes observed: {', '.join(causes) or 'none'}")
    if evidence.error:
        lines.append(f"  the replay broke: {evidence.error}")
    lines.append(f"  {evidence.files.get('diagnosis.md')}")
    return "\n".join(lines)


def listing(directory: Path = SCENARIO_DIR) -> str:
    """The scenarios in `directory`, one a line: name and title (or why the file cannot be used)."""
    lines = []
    for path in scenario_files(directory):
        try:
            about = load_scenario(path).title
        except ScenarioError as error:
            about = f"(unusable: {str(error).removeprefix(f'{path}: ')})"
        lines.append(f"  {path.stem:<24} {about}")
    return "\n".join(lines or [f"  (no scenario in {directory})"])


EPILOG = """exit status:
  0  the symptom was reproduced (with --fixed: the user sees the video)
  1  it was not: diagnosis.md says what the page showed instead
  2  no scenario named (they are listed), or the file cannot be used (its file, key and what is allowed)
  3  it could not run (no Chromium, or --headed without a display)

examples:
  python -m e2e.repro ltx_console_v2                              # reports/repro/ltx_console_v2/
  python -m e2e.repro ltx_console_v2 --app qcut:7e2231ef+desktop  # on the user's real build
  python -m e2e.repro my_report.toml --fixed                      # the same steps on the fixed app
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m e2e.repro",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    parser.add_argument(
        "scenario", nargs="?", help="a scenario name (fixtures/scenarios/<name>.toml) or a path"
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios with their titles, and stop")
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument("--fixed", action="store_true", help="replay on the fixed app instead")
    parser.add_argument(
        "--app",
        metavar="APP",
        help="replay on a real QCut build, qcut:<commit>[+desktop] (python -m qcut_builds list), in place of "
        "the scenario's app and its reference switches",
    )
    parser.add_argument("--har", type=Path, help="record the run's network traffic to this HAR file")
    parser.add_argument("--out", type=Path, help="the report folder (default reports/repro/<name>/)")
    return parser


def _run(scenario: Scenario, executable: Path, args: argparse.Namespace, out_dir: Path) -> Evidence:
    """The replay with its own fake, app server and Chromium."""
    real = scenario.environment.app != REFERENCE and not args.fixed
    server = AppChoice.parse(scenario.environment.app).serve() if real else AppServer()
    with FakeFal.start() as fake, server as app, sync_playwright() as playwright:
        launch = launch_args(executable, fake, app, headed=args.headed)
        if STORAGE_CONDITIONS[scenario.environment.storage].armed is Armed.LAUNCH:
            return replay(
                scenario, fixed=args.fixed, fake=fake, app=app, out_dir=out_dir,
                browser_type=playwright.chromium, launch=launch, har=args.har,
            )  # fmt: skip
        browser = playwright.chromium.launch(**launch)
        try:
            return replay(
                scenario, fixed=args.fixed, fake=fake, app=app, out_dir=out_dir, browser=browser, har=args.har
            )
        finally:
            browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.list or args.scenario is None:
        print(f"Scenarios in {SCENARIO_DIR}:\n{listing()}")
        if args.scenario is None and not args.list:
            print("Pick one: python -m e2e.repro <name> (or a path to a .toml; --fixed for the fixed app)")
            return BAD_SCENARIO
        return 0
    # The servers' per-request access lines would bury the verdict.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    try:
        scenario = load_scenario(find_scenario(args.scenario))
        if args.app:
            scenario = scenario.on_app(AppChoice.parse(args.app).name)
    except (ScenarioError, AppChoiceError) as error:
        print(error, file=sys.stderr)
        return BAD_SCENARIO
    on = "-fixed" if args.fixed else f"-{scenario.environment.app.replace(':', '-')}" if args.app else ""
    out_dir = args.out or REPRO_REPORTS / (scenario.name + on)
    shutil.rmtree(out_dir, ignore_errors=True)
    if args.headed and not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return CANNOT_RUN
    try:
        evidence = _run(scenario, find_chromium(), args, out_dir)
    except ChromiumNotFound as error:
        print(error, file=sys.stderr)
        return CANNOT_RUN
    except ReplayError as error:
        print(f"{scenario.path}: {error}", file=sys.stderr)
        return BAD_SCENARIO
    except (PlaywrightError, OSError) as error:
        print(f"could not run the replay: {str(error).strip().splitlines()[0]}", file=sys.stderr)
        return CANNOT_RUN
    print(summary(evidence))
    ok = not evidence.expect_mismatches if args.fixed else evidence.reproduced
    return REPRODUCED if ok else NOT_REPRODUCED


if __name__ == "__main__":
    sys.exit(main())
