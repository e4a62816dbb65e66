"""@fal-ai/client (npm), unmodified, in Node against the fake: polling, streaming, upload and errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fake_fal import FakeFal, Fault

JS_DIR = Path(__file__).resolve().parent / "js"
LTX2 = "fal-ai/ltx-2/text-to-video/fast"

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
    pytest.mark.skipif(
        not (JS_DIR / "node_modules" / "@fal-ai" / "client").is_dir(),
        reason=f"@fal-ai/client is not installed: run `npm ci --prefix {JS_DIR}` (make setup does)",
    ),
]


def run_node(fake_fal: FakeFal, scenario: str, endpoint: str = LTX2) -> dict[str, Any]:
    """Run one scenario of conformance.mjs; return its JSON line."""
    done = subprocess.run(
        ["node", "conformance.mjs", scenario, endpoint],
        cwd=JS_DIR,
        env={**os.environ, **fake_fal.env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"node failed ({done.returncode}):\n{done.stderr}"
    outcome: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return outcome


def test_subscribe_polling(fake_fal: FakeFal) -> None:
    fake_fal.model(LTX2, clip="small")

    outcome = run_node(fake_fal, "polling")["ok"]

    job = fake_fal.jobs(LTX2)[0]
    assert outcome["data"] == job.output
    assert outcome["requestId"] == job.request_id
    assert outcome["updates"][-1] == "COMPLETED"
    assert "IN_PROGRESS" in outcome["updates"]
    submit = fake_fal.log.last(step="submit")
    assert submit is not None, "the client should have submitted"
    assert submit.header("x-fal-queue-priority") == "normal"
    assert submit.json == {"prompt": "a cat surfing", "duration": "6"}
    assert {entry.query["logs"] for entry in fake_fal.log.find(step="status")} == {"1"}


def test_subscribe_streaming(fake_fal: FakeFal) -> None:
    fake_fal.model("fal-ai/ltxv-2/text-to-video/fast", clip="small")

    outcome = run_node(fake_fal, "streaming", "fal-ai/ltxv-2/text-to-video/fast")["ok"]

    assert outcome["data"]["video"]["url"].startswith("https://v3b.fal.media/")
    # The sub-path is dropped after submit, and one stream replaces the polls.
    stream = re.compile(r"^/fal-ai/ltxv-2/requests/[^/]+/status/stream$")
    assert fake_fal.log.count(step="stream", path=stream) == 1
    assert fake_fal.log.count(step="status") == 0


def test_storage_upload_round_trip(fake_fal: FakeFal) -> None:
    outcome = run_node(fake_fal, "upload")["ok"]

    assert outcome["url"].startswith("https://v3b.fal.media/files/b/")
    assert outcome["sameBytes"]
    assert [entry.step for entry in fake_fal.log] == ["initiate", "upload", "media"]
    initiate = fake_fal.log.last(step="initiate")
    assert initiate is not None, "the client should have started an upload"
    assert initiate.query == {"storage_type": "fal-cdn-v3"}


@pytest.mark.parametrize(
    ("fault", "name", "status"),
    [
        (Fault(status=401, step="submit"), "ApiError", 401),
        (Fault(status=422, step="result"), "ValidationError", 422),
        (Fault(status=500, step="result"), "ApiError", 500),
    ],
    ids=["401-at-submit", "422-at-result", "500-at-result"],
)
def test_faults_raise_the_clients_error_types(
    fake_fal: FakeFal, fault: Fault, name: str, status: int
) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.fault(fault)

    error = run_node(fake_fal, "polling")["error"]

    assert (error["name"], error["status"]) == (name, status)
    assert error["isValidationError"] == (status == 422)
    assert "detail" in error["body"]
