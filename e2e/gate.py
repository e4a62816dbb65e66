"""Prove the gate: run the e2e suite once per legacy switch and once for `legacy`, and show what caught each.

A test that cannot fail is a defect. For every switch that brings back one of the original bugs, at least
one test must fail; this prints the table `switch -> tests that caught it` and exits non-zero when a
switch goes uncaught (or when a run breaks for another reason, such as a collection error).

    python -m e2e.gate                       # every switch, then `legacy`
    python -m e2e.gate rollback csp-media-src
    python -m e2e.gate --app-dir PATH        # gate a candidate build of the app
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from media_app.profiles import BUGS

ROOT = Path(__file__).resolve().parent.parent
GATE_REPORTS = ROOT / "reports" / "gate"

# pytest exit codes: 0 all passed, 1 some tests failed; anything else means the run itself broke.
PYTEST_OK, PYTEST_TESTS_FAILED = 0, 1


@dataclass
class GateRun:
    """One suite run under one switch: which tests failed and with what first line."""

    switch: str
    exit_code: int
    caught: dict[str, str] = field(default_factory=dict)
    total: int = 0

    @property
    def broken(self) -> bool:
        return self.exit_code not in (PYTEST_OK, PYTEST_TESTS_FAILED)


def _failures(junit: Path) -> tuple[int, dict[str, str]]:
    tree = ET.parse(junit)
    caught: dict[str, str] = {}
    total = 0
    for case in tree.iter("testcase"):
        total += 1
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            name = f"{case.get('classname', '')}::{case.get('name', '')}"
            message = (problem.get("message") or "").strip().splitlines()
            caught[name] = message[0][:160] if message else ""
    return total, caught


def run_switch(switch: str, workers: str, extra: list[str]) -> GateRun:
    GATE_REPORTS.mkdir(parents=True, exist_ok=True)
    junit = GATE_REPORTS / f"{switch}.xml"
    selector = ["--app-profile", "legacy"] if switch == "legacy" else ["--app-bugs", switch]
    command = [
        # Failures are what the gate expects: one line each here; tracebacks in the HTML report and JUnit XML.
        sys.executable, "-m", "pytest", "e2e", "-q", "--tb=no", "-p", "no:randomly", "-n", workers,
        # Scenario and detector tests pin their own profile in the page URL, so they cannot catch a switch.
        "-m", "not scenario and not detector",
        *selector, *extra,
        f"--junitxml={junit}",
        f"--html={GATE_REPORTS / switch}.html",
        f"--output={GATE_REPORTS / switch}",
    ]  # fmt: skip
    print(f"\n=== gate: {switch} ===\n$ {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=ROOT, check=False, env={**os.environ, "E2E_GATE_SWITCH": switch})
    total, caught = _failures(junit) if junit.exists() else (0, {})
    print(f"tracebacks, traces and screenshots: {GATE_REPORTS / switch}.html, {GATE_REPORTS / switch}/")
    return GateRun(switch, result.returncode, caught, total)


def report(runs: list[GateRun]) -> bool:
    """Print the table; True when every switch was caught and no run broke."""
    ok = True
    print("\n\nGate: legacy switch -> tests that caught it\n")
    for run in runs:
        if run.broken:
            status = f"BROKEN RUN (pytest exit {run.exit_code})"
            ok = False
        elif not run.caught:
            status = "UNCAUGHT"
            ok = False
        else:
            status = f"caught by {len(run.caught)} of {run.total}"
        print(f"{run.switch:<20} {status}")
        for name, message in sorted(run.caught.items()):
            print(f"    {name}\n        {message}")
    print("\nGate " + ("PASSED: every legacy switch is caught." if ok else "FAILED: see above."))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("switches", nargs="*", help=f"default: every switch and legacy ({', '.join(BUGS)})")
    parser.add_argument("-n", "--workers", default="auto", help="pytest-xdist workers per run")
    parser.add_argument("--app-dir", help="serve this copy of the app instead of media_app/static")
    options = parser.parse_args(argv)
    unknown = [name for name in options.switches if name not in BUGS and name != "legacy"]
    if unknown:
        parser.error(f"unknown switch {', '.join(unknown)}; known: {', '.join(BUGS)}, legacy")
    switches = options.switches or [*BUGS, "legacy"]
    extra = ["--app-dir", options.app_dir] if options.app_dir else []
    runs = [run_switch(switch, options.workers, extra) for switch in switches]
    return 0 if report(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
