"""`python -m fake_fal serve`: one JSON line that says how to reach it, then serving until a signal."""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_prints_how_to_reach_it_and_stops_cleanly(stop_with: signal.Signals) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_fal", "serve", "--timing", "realistic"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        info = json.loads(server.stdout.readline())
        with httpx.Client(verify=ssl.create_default_context(cafile=info["ca_cert"])) as client:
            ticket = client.post(
                f"https://{info['env']['FAL_QUEUE_RUN_HOST']}/fal-ai/veo3", json={"prompt": "x"}
            ).json()
            status = client.get(ticket["status_url"]).json()
    finally:
        server.send_signal(stop_with)
        _, stderr = server.communicate(timeout=30)

    assert server.returncode == 0, stderr
    assert {"port", "ca_cert", "hosts", "chromium_args", "env"} <= info.keys()
    assert "v3b.fal.media" in info["hosts"]
    assert any(
        arg.startswith("--host-resolver-rules=MAP queue.fal.run:443 ") for arg in info["chromium_args"]
    )
    assert {"FAL_KEY", "FAL_RUN_HOST", "FAL_QUEUE_RUN_HOST", "SSL_CERT_FILE"} <= info["env"].keys()
    assert status["status"] == "IN_QUEUE"
    assert status["queue_position"] >= 1, "realistic timing queues a job for a while"
