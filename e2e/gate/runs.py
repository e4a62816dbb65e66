"""One pytest run of the e2e suite under one legacy switch, and what it caught.

The gate's runs share this: which tests run (the whole suite, or named candidates in the given order), the
switch as the app server's option, one JUnit, HTML and summary.json per run under `reports/gate/`, and the
failures read back from the summary (node ids, so a table row can name the tests to run next time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e.gate.table import first_line

ROOT = Path(__file__).resolve().parents[2]
GATE_REPORTS = ROOT / "reports" / "gate"
# Scenario and detector tests pin their own profile in the page URL, so they cannot catch a switch.
GATE_MARKERS = "not scenario and not detector"
# A mutant changes the app whatever profile a page asks for: every test can catch it, as in `pytest e2e`.
EVERY_TEST = ""

# pytest exit codes: 0 all passed, 1 some tests failed; anything else means the run itself broke.
PYTEST_OK, PYTEST_TESTS_FAILED = 0, 1


@dataclass
class GateRun:
    """One suite run under one switch: which tests failed and with what first line."""

    switch: str
    exit_code: int
    caught: dict[str, str] = field(default_factory=dict)
    total: int = 0
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)
    log: Path | None = None

    @property
    def broken(self) -> bool:
        return self.exit_code not in (PYTEST_OK, PYTEST_TESTS_FAILED)

    @property
    def ran(self) -> list[str]:
        """The tests this run got to (a run stopped at its first failure leaves the rest out)."""
        return [test["test"] for test in self.summary.get("tests", [])]


def switch_options(switch: str) -> list[str]:
    """The app server's options for a switch (`legacy`: every switch; `fixed`: none, the baseline)."""
    return ["--app-profile", switch] if switch in ("legacy", "fixed") else ["--app-bugs", switch]


def collect(extra: list[str]) -> list[str]:
    """The node ids the gate may run, in the suite's order; raises RuntimeError when collection fails."""
    command = [sys.executable, "-m", "pytest", "e2e", "--collect-only", "-q", "-p", "no:randomly"]
    command += ["-m", GATE_MARKERS, *extra]
    result = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
    if result.returncode != PYTEST_OK:
        raise RuntimeError(f"collecting the suite failed (pytest exit {result.returncode}):\n{result.stdout}")
    return [line for line in result.stdout.splitlines() if "::" in line and not line.startswith(" ")]


def run_suite(
    switch: str,
    *,
    tests: list[str] | None = None,
    deselect: list[str] | None = None,
    workers: str = "auto",
    extra: list[str] | None = None,
    label: str = "",
    quiet: bool = False,
    stop_at_first: bool = True,
    env: dict[str, str] | None = None,
    markers: str = GATE_MARKERS,
) -> GateRun:
    """Run the suite (or `tests`, in that order, by default stopping at the first failure) under `switch`.

    `quiet` sends pytest's output to `reports/gate/<label>.log` instead of the terminal, for runs made side by
    side. `env` adds to the environment pytest runs in; `markers` picks the tests (`-m`).
    """
    GATE_REPORTS.mkdir(parents=True, exist_ok=True)
    name = label or switch
    junit = GATE_REPORTS / f"{name}.xml"
    summary_file = junit.with_suffix(".summary.json")
    summary_file.unlink(missing_ok=True)
    # Named candidates run in the order given, one process, and the first catch is enough.
    selection = [*tests, "-n", "0"] if tests else ["e2e", "-n", workers]
    if tests and stop_at_first:
        selection.append("--maxfail=1")
    command = [
        sys.executable, "-m", "pytest", *selection,
        # Failures are what the gate expects: one line each here; tracebacks in the HTML report and JUnit XML.
        "-q", "--tb=no", "-p", "no:randomly", "-m", markers,
        *switch_options(switch), *(extra or []),
        *(f"--deselect={test}" for test in deselect or []),
        f"--junitxml={junit}", f"--html={GATE_REPORTS / name}.html", f"--output={GATE_REPORTS / name}",
    ]  # fmt: skip
    environment = {**os.environ, **(env or {}), "E2E_GATE_SWITCH": switch}
    started = time.monotonic()
    log = GATE_REPORTS / f"{name}.log" if quiet else None
    if log is not None:
        with log.open("w") as out:
            out.write(f"$ {' '.join(command)}\n")
            out.flush()
            result = subprocess.run(
                command, cwd=ROOT, check=False, env=environment, stdout=out, stderr=subprocess.STDOUT
            )
    else:
        print(f"\n=== gate: {name} ===\n$ {' '.join(command)}", flush=True)
        result = subprocess.run(command, cwd=ROOT, check=False, env=environment)
        print(f"tracebacks, traces and screenshots: {GATE_REPORTS / name}.html, {GATE_REPORTS / name}/")
    seconds = time.monotonic() - started
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    caught = {failure["test"]: first_line(failure.get("message")) for failure in summary.get("failures", [])}
    total = summary.get("counts", {}).get("total", 0)
    return GateRun(switch, result.returncode, caught, total, seconds, summary, log)
