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
    assert not Path(info["ca_cert"]).parent.exists(), "the CA file's folder goes with the server"


def test_serve_with_require_key_answers_fals_401_without_the_announced_key() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_fal", "serve", "--require-key"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        info = json.loads(server.stdout.readline())
        submit = f"https://{info['env']['FAL_QUEUE_RUN_HOST']}/fal-ai/veo3"
        with httpx.Client(verify=ssl.create_default_context(cafile=info["ca_cert"])) as client:
            without = client.post(submit, json={"prompt": "x"})
            wrong = client.post(submit, json={"prompt": "x"}, headers={"Authorization": "Key id:other"})
            keyed = client.post(
                submit, json={"prompt": "x"}, headers={"Authorization": f"Key {info['env']['FAL_KEY']}"}
            )
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)

    assert server.returncode == 0, stderr
    assert info["required_key"] == info["env"]["FAL_KEY"]
    assert (without.status_code, without.json()["detail"]) == (
        401,
        "Invalid Key Authorization header format. Expected '<key_id>:<key_secret>'.",
    )
    assert (wrong.status_code, wrong.json()) == (401, {"detail": "No user found for Key ID and Secret"})
    assert keyed.status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "argument --port: port must be in 0-65535 (0: any free port), not 70000"),
        (["--port", "-1"], "argument --port: port must be in 0-65535 (0: any free port), not -1"),
        (["--port", "http"], "argument --port: a port is a whole number in 0-65535, not 'http'"),
        (
            ["--require-key", "secret-only"],
            "argument --require-key: a FAL key looks like <key_id>:<key_secret>, not 'secret-only'",
        ),
        (
            ["--max-body", "lots"],
            "argument --max-body: a size is a whole number of bytes with an optional K, M or G, not 'lots'",
        ),
        (
            ["--log-body", "-5"],
            "argument --log-body: a size is a whole number of bytes with an optional K, M or G, not '-5'",
        ),
        (
            ["--read-timeout", "0"],
            "argument --read-timeout: a timeout is a positive number of seconds, not '0'",
        ),
    ],
    ids=[
        "port-too-high",
        "port-negative",
        "port-not-a-number",
        "key",
        "max-body",
        "log-body",
        "read-timeout",
    ],
)
def test_serve_refuses_an_option_it_cannot_honour_and_says_why(args: list[str], message: str) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "fake_fal", "serve", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.splitlines()[-1] == f"python -m fake_fal serve: error: {message}"
    assert "Traceback" not in refused.stderr
