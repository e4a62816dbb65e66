"""`python -m qcut_builds`: list, --port validation, and serve's first line."""

from __future__ import annotations

import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from qcut_builds.__main__ import build_parser, main
from qcut_builds.build import known_builds

from .conftest import write_archive

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("port", "message"),
    [("70000", "from 0 (any free port) to 65535, not 70000"), ("-1", "not -1"), ("http", "not 'http'")],
)
def test_serve_refuses_a_port_out_of_range(
    port: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["serve", "7e2231ef", "--port", port])

    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "argument --port: port must be" in error, error
    assert message in error, error


@pytest.mark.parametrize("port", ["0", "65535"])
def test_serve_accepts_the_ends_of_the_range(port: str) -> None:
    assert build_parser().parse_args(["serve", "7e2231ef", "--port", port]).port == int(port)


@pytest.mark.usefixtures("isolated_env")
def test_list_shows_each_commit_built_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "snapshots"
    folder.mkdir()
    write_archive(folder, "7e2231ef")
    monkeypatch.setenv("QCUT_SNAPSHOTS", str(folder))

    assert main(["list"]) == 0

    header, line = capsys.readouterr().out.splitlines()
    assert header.split() == ["--app", "date", "state", "dist", "subject"]
    assert line.split()[:4] == ["qcut:7e2231ef", "2025-11-18", "not", "built"]
    assert line.index("2025-11-18") == header.index("date"), "columns line up under the header"
    assert str(tmp_path / "env-cache" / "7e2231ef" / "dist") in line


@pytest.mark.usefixtures("isolated_env")
def test_serve_an_unknown_commit_exits_2_naming_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "7e2231ef"])

    assert exited.value.code == 2
    assert "no QCut source" in capsys.readouterr().err


@pytest.mark.usefixtures("isolated_env")
def test_serve_prints_json_first_then_serves_until_sigterm(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<title>built</title>")
    # Beside a dist, the headers `build` read from the commit's main.ts.
    shell = {"Cross-Origin-Embedder-Policy": "require-corp"}
    (tmp_path / "desktop-headers.json").write_text(json.dumps({"headers": shell}))
    env = {**os.environ, "QCUT_SRC": str(dist)}
    (build,) = known_builds(src=dist)
    serving = subprocess.Popen(
        [sys.executable, "-m", "qcut_builds", "serve", build.commit, "--desktop-headers"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        announcement = json.loads(serving.stdout.readline() if serving.stdout else "")
        # The CA lives in the child; Chromium trusts the key by SPKI, this reader needs no trust at all.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", announcement["port"], context=context, timeout=10
        )
        connection.request("GET", "/", headers={"Host": "app.qcut.test"})
        response = connection.getresponse()
        status, coep = response.status, response.headers["Cross-Origin-Embedder-Policy"]
        connection.close()
    finally:
        serving.send_signal(signal.SIGTERM)
        _, errors = serving.communicate(timeout=30)

    assert serving.returncode == 0, errors
    assert set(announcement) == {"url", "origin", "port", "commit", "desktop_headers", "chromium_args"}
    assert announcement["url"] == "https://app.qcut.test/"
    assert (announcement["commit"], announcement["desktop_headers"]) == (build.commit, True)
    rule = f"MAP app.qcut.test:443 127.0.0.1:{announcement['port']}"
    assert announcement["chromium_args"][0] == f"--host-resolver-rules={rule}"
    assert (status, coep) == (200, "require-corp")
