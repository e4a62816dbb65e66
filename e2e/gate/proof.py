"""Prove the gate: every legacy switch, and `legacy`, is caught by at least one test of the e2e suite.

A test that cannot fail is a defect. For every switch that brings back one of the original bugs, at least one
test must fail. The fast proof (the default, `make test`) runs each switch's likeliest catchers first, as the
last full table names them (`e2e/gate/table.json`), fastest first, and stops at the first catch; a switch
none of them catches widens to the whole suite before it fails the gate. `--table` (`make gate-table`) runs
the whole suite on the fixed app and under every switch, prints `switch -> tests that caught it` and
rewrites the table. A test that fails on the fixed app too catches nothing, in either mode.

    python -m e2e.gate                       # the fast proof: every switch, then `legacy`
    python -m e2e.gate rollback csp-media-src
    python -m e2e.gate --table               # the whole table (writes e2e/gate/table.json)
    python -m e2e.gate --app-dir PATH        # gate a candidate build of the app
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from e2e.gate.runs import GateRun, collect, run_suite
from e2e.gate.table import TABLE_FILE, GateTable, GateTableError, load_table, row_from_summary
from media_app.profiles import BUGS


@dataclass
class Proof:
    """How the fast proof went for one switch: its candidates' run and, if needed, the whole suite's."""

    switch: str
    candidates: list[str]
    first: GateRun | None = None
    widened: GateRun | None = None
    # Tests that failed under the switch and on the fixed app too: a failure, not a catch.
    fails_when_fixed: dict[str, str] = field(default_factory=dict)
    checks: list[GateRun] = field(default_factory=list)

    @property
    def decisive(self) -> GateRun | None:
        return self.widened or self.first

    def catches(self, run: GateRun | None) -> dict[str, str]:
        """The run's failures that pass on the fixed app: the switch, not something else, made them fail."""
        if run is None or run.broken:
            return {}
        return {test: line for test, line in run.caught.items() if test not in self.fails_when_fixed}

    @property
    def caught(self) -> bool:
        return bool(self.catches(self.decisive))

    @property
    def broken(self) -> GateRun | None:
        runs = [self.first, self.widened, *self.checks]
        return next((run for run in runs if run is not None and run.broken), None)


def prove(switches: list[str], table: GateTable, workers: str, extra: list[str]) -> list[Proof]:
    """The fast proof: candidates side by side, one process per switch; then the whole suite where needed.

    Every catch is checked on the fixed app in one more run: a test that fails there too proves nothing.
    """
    collected = collect(extra)
    proofs = [Proof(switch, table.row(switch).candidates(collected)) for switch in switches]
    with_candidates = [proof for proof in proofs if proof.candidates]
    print(f"gate: {len(collected)} tests; each switch's candidates from e2e/{TABLE_FILE.name}:")
    for proof in proofs:
        print(f"    {proof.switch:<20} {len(proof.candidates)} candidate(s)")
    with ThreadPoolExecutor(max_workers=_side_by_side(workers)) as pool:
        runs = pool.map(lambda proof: _first_catch(proof, extra), with_candidates)
        for proof, run in zip(with_candidates, runs, strict=True):
            proof.first = run
    _check_on_fixed_app(proofs, [proof.first for proof in proofs], extra)
    for proof in proofs:
        if proof.broken is None and not proof.caught:
            why = "no candidate in the table" if proof.first is None else "no candidate caught it"
            print(f"\ngate: {proof.switch}: {why}; widening to the whole suite", flush=True)
            ran = proof.first.ran if proof.first else []
            proof.widened = run_suite(proof.switch, deselect=ran, workers=workers, extra=extra)
            _check_on_fixed_app([proof], [proof.widened], extra)
    return proofs


def _first_catch(proof: Proof, extra: list[str]) -> GateRun:
    run = run_suite(
        proof.switch, tests=proof.candidates, extra=extra, label=f"{proof.switch}.first", quiet=True
    )
    outcome = "broken" if run.broken else f"{len(run.caught)} failed" if run.caught else "none failed"
    print(f"gate: {proof.switch}: {outcome} in {run.seconds:.1f} s (log {run.log})", flush=True)
    return run


def _check_on_fixed_app(proofs: list[Proof], runs: list[GateRun | None], extra: list[str]) -> None:
    """Run the tests that failed under a switch on the fixed app, once; note those that fail there too."""
    failed = sorted({test for run in runs if run is not None and not run.broken for test in run.caught})
    if not failed:
        return
    check = run_suite(
        "fixed", tests=failed, extra=extra, label="fixed.check", quiet=True, stop_at_first=False
    )
    for proof in proofs:
        proof.checks.append(check)
        proof.fails_when_fixed.update(check.caught)
    outcome = f"broke (log {check.log})" if check.broken else f"{len(check.caught)} fail there too"
    print(f"gate: {len(failed)} test(s) that failed under a switch, on the fixed app: {outcome}", flush=True)


def _side_by_side(workers: str) -> int:
    """How many candidate runs at once: one per xdist worker the whole-suite runs would use."""
    if workers == "auto":
        return os.cpu_count() or 1
    return max(1, int(workers)) if workers.isdigit() else 1


def report_proofs(proofs: list[Proof]) -> bool:
    """Print how each switch was caught; True when every switch was caught and no run broke."""
    print("\n\nGate (fast proof): legacy switch -> the test that caught it\n")
    ok = True
    for proof in proofs:
        status, shown = _proof_status(proof)
        ok = ok and proof.caught and proof.broken is None
        print(f"{proof.switch:<20} {status}")
        for name, message in shown:
            print(f"    {name}\n        {message}")
    print("\nGate " + ("PASSED: every legacy switch is caught." if ok else "FAILED: see above."))
    if any(proof.widened and proof.widened.caught for proof in proofs):
        print("The table named no catcher for some switch: rewrite it with `make gate-table`.")
    return ok


def _proof_status(proof: Proof) -> tuple[str, list[tuple[str, str]]]:
    broken = proof.broken
    if broken is not None:
        where = f"; log {broken.log}" if broken.log else ""
        return f"BROKEN RUN (pytest exit {broken.exit_code}{where})", []
    tried = f"{len(proof.candidates)} candidate(s) from the table"
    run = proof.decisive
    assert run is not None  # prove() runs every switch once at least
    shown = sorted(proof.catches(run).items())
    shown += [(test, f"fails on the fixed app too, not counted: {line}") for test, line in _discounted(proof)]
    if proof.widened is None:
        where = f"candidate {run.total} of {len(proof.candidates)} from the table"
        return f"caught by {where} ({run.seconds:.0f} s)", shown
    if proof.caught:
        return f"caught by {len(proof.catches(run))} of {run.total} after widening ({tried} missed)", shown
    return f"UNCAUGHT: no test fails under it ({tried} and the other {run.total} tests tried)", shown


def _discounted(proof: Proof) -> list[tuple[str, str]]:
    runs = [run for run in (proof.first, proof.widened) if run is not None]
    return sorted({test: proof.fails_when_fixed[test] for run in runs for test in run.caught
                   if test in proof.fails_when_fixed}.items())  # fmt: skip


def report_table(baseline: GateRun, runs: list[GateRun]) -> bool:
    """Print the whole table; True when every switch was caught, the suite passed unswitched, no run broke."""
    print("\n\nGate: legacy switch -> tests that caught it\n")
    ok = not baseline.broken and not baseline.caught
    status = f"BROKEN RUN (pytest exit {baseline.exit_code})" if baseline.broken else "passes"
    if baseline.caught:
        status = f"{len(baseline.caught)} of {baseline.total} tests FAIL: they prove nothing under a switch"
    print(f"{'(fixed app)':<20} {status}")
    for name, message in sorted(baseline.caught.items()):
        print(f"    {name}\n        {message}")
    for run in runs:
        catches = {test: line for test, line in run.caught.items() if test not in baseline.caught}
        if run.broken:
            status = f"BROKEN RUN (pytest exit {run.exit_code})"
        elif not catches:
            status = "UNCAUGHT: no test fails under it"
        else:
            status = f"caught by {len(catches)} of {run.total}"
        ok = ok and not run.broken and bool(catches)
        print(f"{run.switch:<20} {status}")
        for name, message in sorted(catches.items()):
            print(f"    {name}\n        {message}")
    print("\nGate " + ("PASSED: every legacy switch is caught." if ok else "FAILED: see above."))
    return ok


def write_table(baseline: GateRun, runs: list[GateRun], table: GateTable) -> None:
    """Rewrite the committed table from complete runs of the app in this tree."""
    rows = [row_from_summary(run.switch, run.summary, baseline.caught) for run in runs]
    build = str(baseline.summary.get("run", {}).get("app_build", ""))
    TABLE_FILE.write_text(table.updated(rows, build.split(" ")[-1]).to_json())
    print(f"table written: {TABLE_FILE}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m e2e.gate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit status:\n  0  every switch was caught, the fixed app passing the tests that caught it\n"
        "  1  a switch went uncaught (named), or a run broke\n"
        "  2  bad arguments, or an unreadable gate table",
    )
    parser.add_argument("switches", nargs="*", help=f"default: every switch and legacy ({', '.join(BUGS)})")
    parser.add_argument("--table", action="store_true", help="run the whole suite under every switch")
    parser.add_argument("-n", "--workers", default="auto", help="pytest-xdist workers per whole-suite run")
    parser.add_argument("--app-dir", help="serve this copy of the app instead of media_app/static")
    options = parser.parse_args(argv)
    unknown = [name for name in options.switches if name not in BUGS and name != "legacy"]
    if unknown:
        parser.error(f"unknown switch {', '.join(unknown)}; known: {', '.join(BUGS)}, legacy")
    switches = options.switches or [*BUGS, "legacy"]
    extra = ["--app-dir", options.app_dir] if options.app_dir else []
    try:
        table = load_table()
    except GateTableError as error:
        parser.error(str(error))
    if not options.table:
        return 0 if report_proofs(prove(switches, table, options.workers, extra)) else 1
    # The fixed app first: a test that fails there would seem to catch every switch.
    baseline = run_suite("fixed", workers=options.workers, extra=extra)
    runs = [run_suite(switch, workers=options.workers, extra=extra) for switch in switches]
    ok = report_table(baseline, runs)
    if options.app_dir or not ok:
        print(f"table not written ({'another app' if options.app_dir else 'see above'}): {TABLE_FILE}")
    else:
        write_table(baseline, runs, table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
