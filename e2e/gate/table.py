"""The gate's evidence: the last full table of `switch -> tests that caught it`, and the candidates it names.

`make gate-table` (`python -m e2e.gate --table`) runs the whole suite under every switch and writes
`e2e/gate/table.json`, which is committed. The fast proof (`python -m e2e.gate`) reads it to choose, for each
switch, the tests that caught it last time, fastest first; a test the suite no longer has is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TABLE_FILE = Path(__file__).with_name("table.json")
FORMAT = 1


class GateTableError(ValueError):
    """The table file is not one `python -m e2e.gate --table` wrote."""


@dataclass(frozen=True)
class Catch:
    """One test that failed under a switch: its node id, how long it took and its first line."""

    test: str
    seconds: float
    message: str = ""


@dataclass
class SwitchRow:
    """What a full run under one switch showed: who caught it, out of how many tests, in how long."""

    switch: str
    caught_by: list[Catch] = field(default_factory=list)
    tests: int = 0
    seconds: float = 0.0

    def candidates(self, collected: Iterable[str] | None = None) -> list[str]:
        """The catchers, fastest first; with `collected`, only those the suite still has."""
        still = None if collected is None else set(collected)
        ranked = sorted(self.caught_by, key=lambda catch: (catch.seconds, catch.test))
        return [catch.test for catch in ranked if still is None or catch.test in still]


@dataclass
class GateTable:
    """Every switch's row, and the app build the table was made from."""

    rows: dict[str, SwitchRow] = field(default_factory=dict)
    app_build: str = ""

    def row(self, switch: str) -> SwitchRow:
        """The switch's row; an empty one (no known catcher) for a switch the table has never seen."""
        return self.rows.get(switch, SwitchRow(switch))

    def updated(self, rows: Iterable[SwitchRow], app_build: str) -> GateTable:
        """This table with these rows replaced (a `--table` run of some switches keeps the others)."""
        return GateTable({**self.rows, **{row.switch: row for row in rows}}, app_build or self.app_build)

    def to_json(self) -> str:
        switches = {
            name: {
                "tests": row.tests,
                "seconds": round(row.seconds, 1),
                "caught_by": [asdict(catch) for catch in row.caught_by],
            }
            for name, row in sorted(self.rows.items())
        }
        body = {"format": FORMAT, "app_build": self.app_build, "switches": switches}
        return json.dumps(body, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> GateTable:
        try:
            body = json.loads(text)
            if body.get("format") != FORMAT:
                raise GateTableError(f"format {body.get('format')!r}, expected {FORMAT}")
            rows = {name: _row(name, fields) for name, fields in body["switches"].items()}
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
            raise GateTableError(f"not a gate table ({error})") from None
        return cls(rows, str(body.get("app_build", "")))


def _row(switch: str, fields: Mapping[str, Any]) -> SwitchRow:
    catches = [
        Catch(str(c["test"]), float(c["seconds"]), str(c.get("message", ""))) for c in fields["caught_by"]
    ]
    return SwitchRow(switch, catches, int(fields["tests"]), float(fields["seconds"]))


def load_table(path: Path = TABLE_FILE) -> GateTable:
    """The committed table; an empty one when there is none yet (every switch then runs the whole suite)."""
    if not path.exists():
        return GateTable()
    try:
        return GateTable.from_json(path.read_text())
    except GateTableError as error:
        raise GateTableError(f"{path}: {error}; rewrite it with `make gate-table`") from None


def row_from_summary(
    switch: str, summary: Mapping[str, Any], fails_when_fixed: Container[str] = ()
) -> SwitchRow:
    """A switch's row from the summary.json of a full run under it (e2e.reports.plugin writes it).

    A test that fails on the fixed app too (`fails_when_fixed`) caught nothing and is left out.
    """
    seconds = {test["test"]: float(test["duration_seconds"]) for test in summary.get("tests", [])}
    catches = [
        Catch(failure["test"], seconds.get(failure["test"], 0.0), first_line(failure.get("message")))
        for failure in summary.get("failures", [])
        if failure["test"] not in fails_when_fixed
    ]
    return SwitchRow(switch, catches, len(seconds), float(summary.get("duration_seconds", 0.0)))


def first_line(message: str | None) -> str:
    """A failure message's first line, short enough for a table."""
    lines = (message or "").strip().splitlines()
    return lines[0][:160] if lines else ""
