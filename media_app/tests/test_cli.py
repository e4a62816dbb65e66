"""`python -m media_app serve` refuses a port it cannot serve on: a usage error, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("70000", "argument --port: port must be in 0-65535 (0: any free port), not 70000"),
        ("-1", "argument --port: port must be in 0-65535 (0: any free port), not -1"),
        ("http", "argument --port: a port is a whole number in 0-65535, not 'http'"),
    ],
)
def test_serve_refuses_a_port_outside_0_to_65535(port: str, message: str) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "media_app", "serve", "--port", port],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert refused.returncode == 2, f"--port {port} should be a usage error: {refused.stderr}"
    assert refused.stdout == "", "nothing should be announced: no server started"
    assert refused.stderr.splitlines()[-1] == f"python -m media_app serve: error: {message}"
    assert "Traceback" not in refused.stderr
