"""`python -m fake_fal serve`: one JSON line that says how to reach it, then serving until a signal."""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_fal.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Standalone:
    """A `python -m fake_fal serve` run: its first stdout line, then how it ended."""

    info: dict[str, Any]
    returncode: int | None = None
    stderr: str = ""

    def client(self) -> httpx.Client:
        return httpx.Client(verify=ssl.create_default_context(cafile=self.info["ca_cert"]))


@contextmanager
def standalone(*args: str, stop_with: signal.Signals = signal.SIGTERM) -> Iterator[Standalone]:
    """`python -m fake_fal serve *args` until the block ends, then stopped with `stop_with`."""
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_fal", "serve", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = None
    try:
        assert server.stdout is not None
        running = Standalone(json.loads(server.stdout.readline()))
        yield running
    finally:
        server.send_signal(stop_with)
        _, stderr = server.communicate(timeout=30)
        if running is not None:
            running.returncode, running.stderr = server.returncode, stderr


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_prints_how_to_reach_it_and_stops_cleanly(stop_with: signal.Signals) -> None:
    with standalone("--timing", "realistic", stop_with=stop_with) as server, server.client() as client:
        info = server.info
        ticket = client.post(f"https://{info['env']['FAL_QUEUE_RUN_HOST']}/fal-ai/veo3", json={"prompt": "x"})
        status = client.get(ticket.json()["status_url"]).json()

    assert server.returncode == 0, server.stderr
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
    with standalone("--require-key") as server, server.client() as client:
        info = server.info
        submit = f"https://{info['env']['FAL_QUEUE_RUN_HOST']}/fal-ai/veo3"
        without = client.post(submit, json={"prompt": "x"})
        wrong = client.post(submit, json={"prompt": "x"}, headers={"Authorization": "Key id:other"})
        keyed = client.post(
            submit, json={"prompt": "x"}, headers={"Authorization": f"Key {info['env']['FAL_KEY']}"}
        )

    assert server.returncode == 0, server.stderr
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


def test_merge_flags_gives_one_host_rules_and_one_spki_list_for_several_servers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_line = json.dumps(
        {
            "port": 1,
            "chromium_args": [
                "--host-resolver-rules=MAP fal.run:443 127.0.0.1:1, MAP v3.fal.media:443 127.0.0.1:1",
                "--ignore-certificate-errors-spki-list=fake=",
            ],
        }
    )
    app_list = json.dumps(
        [
            "--host-resolver-rules=MAP app.qcut.test:443 127.0.0.1:2",
            "--ignore-certificate-errors-spki-list=app=",
        ]
    )

    assert main(["merge-flags", fake_line, app_list]) == 0

    assert json.loads(capsys.readouterr().out) == [
        "--host-resolver-rules=MAP fal.run:443 127.0.0.1:1, MAP v3.fal.media:443 127.0.0.1:1, "
        "MAP app.qcut.test:443 127.0.0.1:2",
        "--ignore-certificate-errors-spki-list=fake=,app=",
    ]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ('["--no-sandbox"]', "argument 1 is neither a serve line nor a chromium_args list: unexpected flag"),
        ("{}", "argument 1 is neither a serve line nor a chromium_args list: 'chromium_args'"),
        ("not json", "argument 1 is neither a serve line nor a chromium_args list: Expecting value"),
    ],
)
def test_merge_flags_refuses_what_is_not_a_servers_flags(
    argument: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["merge-flags", argument]) == 2

    assert message in capsys.readouterr().err
