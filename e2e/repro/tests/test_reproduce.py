"""`python -m e2e.repro` and `make repro` without a scenario list the scenarios and say how to pick one;
the Makefile passes --fixed and --headed through. Plain unit tests: no browser, no server (`make -n`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from e2e.repro import reproduce
from e2e.repro.loader import load_all

ROOT = Path(__file__).resolve().parents[3]


def test_without_a_scenario_it_lists_them_and_says_how_to_pick_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert reproduce.main([]) == reproduce.BAD_SCENARIO

    out = capsys.readouterr().out
    for scenario in load_all():
        assert f"  {scenario.name:<24} {scenario.title}" in out
    assert "Pick one: python -m e2e.repro <name>" in out


def test_list_lists_and_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert reproduce.main(["--list"]) == 0
    assert "ltx_console_v2" in capsys.readouterr().out


def test_an_unusable_file_is_listed_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[scenario]\nname = 'broken'\n")

    assert "broken                   (unusable: [scenario].title: is required)" in reproduce.listing(tmp_path)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("variables", "command"),
    [
        (["S=ltx_console_v2"], "-m e2e.repro ltx_console_v2"),
        (["S=ltx_console_v2", "FIXED=1"], "-m e2e.repro ltx_console_v2 --fixed"),
        (["S=ltx_console_v2", "HEADED=1"], "-m e2e.repro ltx_console_v2  --headed"),
        ([], "-m e2e.repro --list"),
    ],
    ids=["scenario", "fixed", "headed", "list"],
)
def test_make_repro_passes_the_options_through(variables: list[str], command: str) -> None:
    printed = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "repro", *variables], capture_output=True, text=True, check=True
    ).stdout

    assert command in printed
