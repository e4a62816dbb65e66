"""The gate's own logic: candidates from the table, the first catch, widening, failing on an uncaught switch.

The runs themselves are stubbed here (a whole-suite run takes minutes); `make gate` and `make gate-table` run
them for real.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from e2e.gate import mutants
from e2e.gate import proof as gate
from e2e.gate.runs import ROOT, GateRun
from e2e.gate.table import Catch, GateTable, GateTableError, SwitchRow, load_table, row_from_summary
from media_app import csp
from media_app.profiles import Profile

ROLLBACK_ROW = SwitchRow(
    "rollback",
    [
        Catch("e2e/test_storage.py::test_slow", 12.0, "item removed"),
        Catch("e2e/test_storage.py::test_fast", 3.5, "item removed"),
        Catch("e2e/test_storage.py::test_gone", 1.0, "renamed since"),
    ],
    tests=190,
    seconds=140.0,
)


def test_candidates_are_the_tables_catchers_fastest_first_that_the_suite_still_has() -> None:
    collected = ["e2e/test_storage.py::test_slow", "e2e/test_storage.py::test_fast"]
    assert ROLLBACK_ROW.candidates(collected) == collected[::-1]


def test_a_switch_the_table_never_saw_has_no_candidates() -> None:
    assert GateTable().row("no-retry").candidates() == []


def test_the_table_reads_back_what_it_wrote_and_keeps_other_switches_on_update() -> None:
    table = GateTable({"rollback": ROLLBACK_ROW}, "sha256:abc")
    again = GateTable.from_json(table.to_json())
    assert again == table
    updated = again.updated([SwitchRow("no-retry", [], 190, 130.0)], "sha256:def")
    assert set(updated.rows) == {"rollback", "no-retry"}
    assert updated.app_build == "sha256:def"


@pytest.mark.parametrize("text", ["{", '{"format": 99, "switches": {}}', '{"format": 1}', "[]"])
def test_a_file_that_is_not_a_gate_table_is_refused_naming_the_fix(text: str, tmp_path: Path) -> None:
    path = tmp_path / "gate_table.json"
    path.write_text(text)
    with pytest.raises(GateTableError, match="make gate-table"):
        load_table(path)


def test_a_row_comes_from_a_runs_summary_with_each_catchers_duration() -> None:
    summary = {
        "duration_seconds": 131.2,
        "tests": [
            {"test": "e2e/a.py::t1", "outcome": "failed", "duration_seconds": 4.25},
            {"test": "e2e/a.py::t2", "outcome": "passed", "duration_seconds": 2.0},
        ],
        "failures": [{"test": "e2e/a.py::t1", "phase": "call", "message": "AssertionError: gone\nmore"}],
    }
    row = row_from_summary("rollback", summary)
    assert row == SwitchRow("rollback", [Catch("e2e/a.py::t1", 4.25, "AssertionError: gone")], 2, 131.2)


def _stub_runs(
    monkeypatch: pytest.MonkeyPatch, catches: Callable[[str, list[str] | None], dict[str, str]]
) -> list[dict[str, Any]]:
    """Replaces the gate's pytest runs: `catches(switch, tests)` says what fails; returns the calls made.

    The fixed app's check is a run like the others, under the switch `fixed`.
    """
    calls: list[dict[str, Any]] = []

    def run_suite(switch: str, *, tests: list[str] | None = None, **options: Any) -> GateRun:
        calls.append({"switch": switch, "tests": tests, **options})
        caught = catches(switch, tests)
        total = len(tests) if tests else 190
        if tests and caught and options.get("stop_at_first", True):
            order = [test for test in tests if test in caught] or list(caught)
            caught, total = (
                {order[0]: caught[order[0]]},
                tests.index(order[0]) + 1 if order[0] in tests else 1,
            )
        return GateRun(switch, 1 if caught else 0, caught, total=total)

    monkeypatch.setattr(gate, "run_suite", run_suite)
    monkeypatch.setattr(gate, "collect", lambda extra: [c.test for c in ROLLBACK_ROW.caught_by])
    return calls


def test_a_candidate_that_catches_the_switch_is_enough(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fastest = ROLLBACK_ROW.candidates()[0]
    calls = _stub_runs(monkeypatch, lambda switch, tests: {fastest: "gone"} if switch == "rollback" else {})
    proofs = gate.prove(["rollback"], GateTable({"rollback": ROLLBACK_ROW}), "2", [])
    assert [(call["switch"], call["tests"]) for call in calls] == [
        ("rollback", ROLLBACK_ROW.candidates()),
        ("fixed", [fastest]),
    ], "the candidates, fastest first, then the catch checked on the fixed app"
    assert gate.report_proofs(proofs)
    assert "caught by candidate 1 of 3 from the table" in capsys.readouterr().out


def test_a_candidate_that_fails_on_the_fixed_app_too_is_no_catch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_test = ROLLBACK_ROW.candidates()[0]

    def catches(switch: str, tests: list[str] | None) -> dict[str, str]:
        if tests is None:
            return {}
        return {broken_test: "fails for another reason"} if broken_test in tests else {}

    _stub_runs(monkeypatch, catches)
    proofs = gate.prove(["rollback"], GateTable({"rollback": ROLLBACK_ROW}), "2", [])
    assert proofs[0].widened is not None, "with no real catch the whole suite runs"
    assert not gate.report_proofs(proofs)
    out = capsys.readouterr().out
    assert "rollback             UNCAUGHT" in out
    assert "fails on the fixed app too, not counted" in out


def test_no_catching_candidate_widens_to_the_whole_suite_before_deciding(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def catches(switch: str, tests: list[str] | None) -> dict[str, str]:
        return {"e2e/b.py::t": "no Retry"} if switch == "rollback" and tests is None else {}

    calls = _stub_runs(monkeypatch, catches)
    proofs = gate.prove(["rollback"], GateTable({"rollback": ROLLBACK_ROW}), "2", [])
    widened = calls[1]
    assert widened["tests"] is None
    assert widened["deselect"] == [], "the stubbed candidates' run reports no test, so none is left out"
    assert gate.report_proofs(proofs)
    assert "after widening" in capsys.readouterr().out


def test_a_switch_no_test_catches_fails_the_gate_and_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stub_runs(
        monkeypatch, lambda switch, tests: {} if switch in ("no-retry", "fixed") else {"e2e/a.py::t": "x"}
    )
    table = GateTable({"rollback": ROLLBACK_ROW, "no-retry": ROLLBACK_ROW})
    proofs = gate.prove(["rollback", "no-retry"], table, "2", [])
    assert not gate.report_proofs(proofs)
    out = capsys.readouterr().out
    assert "no-retry             UNCAUGHT" in out
    assert "Gate FAILED" in out


def test_a_switch_without_candidates_runs_the_whole_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _stub_runs(monkeypatch, lambda switch, tests: {} if switch == "fixed" else {"e2e/a.py::t": "x"})
    proofs = gate.prove(["no-hidden-hint"], GateTable(), "2", [])
    assert [(call["switch"], call["tests"]) for call in calls] == [
        ("no-hidden-hint", None),
        ("fixed", ["e2e/a.py::t"]),
    ]
    assert gate.report_proofs(proofs)


def test_a_broken_run_fails_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "collect", lambda extra: [])
    monkeypatch.setattr(gate, "run_suite", lambda switch, **options: GateRun(switch, 4))
    assert not gate.report_proofs(gate.prove(["rollback"], GateTable(), "2", []))


def test_the_table_leaves_out_tests_that_fail_on_the_fixed_app(capsys: pytest.CaptureFixture[str]) -> None:
    baseline = GateRun("fixed", 1, {"e2e/a.py::broken": "fails anyway"}, total=3)
    runs = [GateRun("rollback", 1, {"e2e/a.py::broken": "fails anyway", "e2e/a.py::t": "gone"}, total=3)]
    assert not gate.report_table(baseline, runs), "a suite failing on the fixed app is no gate"
    out = capsys.readouterr().out
    assert "rollback             caught by 1 of 3" in out
    summary = {"failures": [{"test": "e2e/a.py::broken"}, {"test": "e2e/a.py::t"}], "tests": []}
    assert [c.test for c in row_from_summary("rollback", summary, baseline.caught).caught_by] == [
        "e2e/a.py::t"
    ]


# --- mutants -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("mutant", mutants.MUTANTS, ids=lambda mutant: mutant.name)
def test_every_mutant_still_applies_to_the_app_as_it_is(mutant: mutants.Mutant, tmp_path: Path) -> None:
    copy = mutant.apply(tmp_path)

    changed = (copy / mutant.file).read_text(encoding="utf-8")
    assert mutant.new in changed
    assert changed != (mutants.PACKAGE_DIR / mutant.file).read_text(encoding="utf-8")


def test_a_server_slip_runs_the_suite_on_a_changed_copy_of_the_servers_code(tmp_path: Path) -> None:
    slip = next(mutant for mutant in mutants.MUTANTS if mutant.name == "csp-scripts-inline")
    options, env = slip.suite_options(slip.apply(tmp_path))
    # What the suite's first imports see, in a process started as the gate starts pytest.
    script = (
        "import e2e.gate.changed_app\n"
        "from media_app import csp, server\n"
        "from media_app.profiles import Profile\n"
        "print(server.STATIC_DIR)\n"
        "print(csp.header_policy(Profile.parse()))\n"
    )
    seen = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()

    assert options == ["-p", "e2e.gate.changed_app"]
    assert seen[0] == str(tmp_path / "csp-scripts-inline" / "media_app" / "static")
    assert "script-src 'self' 'unsafe-inline';" in seen[1]
    assert "'unsafe-inline'" not in csp.header_policy(Profile.parse())


def test_a_mutant_whose_text_the_app_lost_is_refused_naming_it(tmp_path: Path) -> None:
    stale = mutants.Mutant("stale", "static/js/views/media-view.js", "no such code", "", "nothing")

    with pytest.raises(
        ValueError, match=r"mutant 'stale': static/js/views/media-view\.js holds its text 0 times"
    ):
        stale.apply(tmp_path)


def test_a_missed_mutant_fails_unless_it_is_a_known_miss() -> None:
    missed = GateRun("fixed", 0, {}, 320, 60.0)
    unknown, known = mutants.MUTANTS[0], next(m for m in mutants.MUTANTS if m.missed_because)

    assert not mutants.verdict(unknown, missed)[0]
    assert f"a user would see {unknown.shows}" in mutants.verdict(unknown, missed)[1]
    assert mutants.verdict(known, missed)[0]
    assert mutants.verdict(unknown, GateRun("fixed", 1, {"e2e/test_x.py::t": "boom"}, 3, 9.0))[0]
    # xdist ends a run stopped at its first failure as interrupted: a catch; with no failure, broken.
    assert mutants.verdict(unknown, GateRun("fixed", 2, {"e2e/test_x.py::t": "boom"}, 3, 9.0))[0]
    assert "BROKEN RUN" in mutants.verdict(unknown, GateRun("fixed", 2, {}, 0, 1.0))[1]
