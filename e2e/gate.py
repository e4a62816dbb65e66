"""Prove the gate: every legacy switch, and `legacy`, is caught by at least one test of the e2e suite.

A test that cannot fail is a defect. For every switch that brings back one of the original bugs, at least one
test must fail. The fast proof (the default, `make test`) runs each switch's likeliest catchers first, as the
last full table names them (`e2e/gate_table.json`), fastest first, and stops at the first catch; a switch
none of them catches widens to the whole suite before it fails the gate. `--table` (`make gate-table`) runs
the whole suite under every switch, prints `switch -> tests that caught it` and rewrites the table.

    python -m e2e.gate                       # the fast proof: every switch, then `legacy`
    python -m e2e.gate rollback csp-media-src
    python -m e2e.gate --table               # the whole table (writes e2e/gate_table.json)
    python -m e2e.gate --app-dir PATH        # gate a candidate build of the app
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from e2e.gate_runs import GateRun, collect, run_suite
from e2e.gate_table import TABLE_FILE, GateTable, GateTableError, load_table, row_from_summary
from media_app.profiles import BUGS


@dataclass
class Proof:
    """How the fast proof went for one switch: its candidates' run and, if needed, the whole suite's."""

    switch: str
    candidates: list[str]
    first: GateRun | None = None
    widened: GateRun | None = None

    @property
    def decisive(self) -> GateRun | None:
        return self.widened or self.first

    @property
    def caught(self) -> bool:
        run = self.decisive
        return run is not None and not run.broken and bool(run.caught)

    @property
    def broken(self) -> GateRun | None:
        return next((run for run in (self.first, self.widened) if run is not None and run.broken), None)


def prove(switches: list[str], table: GateTable, workers: str, extra: list[str]) -> list[Proof]:
    """The fast proof: candidates side by side, one process per switch; then the whole suite where needed."""
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
    for proof in proofs:
        if proof.first is None or (not proof.first.broken and not proof.first.caught):
            why = "no candidate in the table" if proof.first is None else "no candidate caught it"
            print(f"\ngate: {proof.switch}: {why}; widening to the whole suite", flush=True)
            proof.widened = run_suite(proof.switch, deselect=proof.candidates, workers=workers, extra=extra)
    return proofs


def _first_catch(proof: Proof, extra: list[str]) -> GateRun:
    run = run_suite(
        proof.switch, tests=proof.candidates, extra=extra, label=f"{proof.switch}.first", quiet=True
    )
    outcome = "broken" if run.broken else f"{len(run.caught)} caught" if run.caught else "none caught"
    print(f"gate: {proof.switch}: {outcome} in {run.seconds:.1f} s (log {run.log})", flush=True)
    return run


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
    shown = sorted(run.caught.items())
    if proof.widened is None:
        return f"caught by a candidate ({run.total} of {tried} run, {run.seconds:.0f} s)", shown
    if run.caught:
        return f"caught by {len(run.caught)} of {run.total} after widening ({tried} passed)", shown
    return f"UNCAUGHT: no test fails under it ({tried} and the other {run.total} tests passed)", []


def report_table(runs: list[GateRun]) -> bool:
    """Print the whole table; True when every switch was caught and no run broke."""
    ok = True
    print("\n\nGate: legacy switch -> tests that caught it\n")
    for run in runs:
        if run.broken:
            status = f"BROKEN RUN (pytest exit {run.exit_code})"
            ok = False
        elif not run.caught:
            status = "UNCAUGHT: no test fails under it"
            ok = False
        else:
            status = f"caught by {len(run.caught)} of {run.total}"
        print(f"{run.switch:<20} {status}")
        for name, message in sorted(run.caught.items()):
            print(f"    {name}\n        {message}")
    print("\nGate " + ("PASSED: every legacy switch is caught." if ok else "FAILED: see above."))
    return ok


def write_table(runs: list[GateRun], table: GateTable) -> None:
    """Rewrite the committed table from complete runs of the app in this tree."""
    rows = [row_from_summary(run.switch, run.summary) for run in runs]
    build = next((str(run.summary.get("run", {}).get("app_build", "")) for run in runs), "")
    TABLE_FILE.write_text(table.updated(rows, build.split(" ")[-1]).to_json())
    print(f"table written: {TABLE_FILE}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
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
    runs = [run_suite(switch, workers=options.workers, extra=extra) for switch in switches]
    ok = report_table(runs)
    if options.app_dir or any(run.broken for run in runs):
        print(f"table not written ({'another app' if options.app_dir else 'a run broke'}): {TABLE_FILE}")
    else:
        write_table(runs, table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
