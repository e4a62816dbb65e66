"""Fixtures for qcut_builds' own tests: a folder of small snapshot archives and an empty build cache."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

# The shape of a snapshot archive (`qcut-<commit>/qcut/...`), with made-up content: no QCut source here.
MAIN_TS = """
session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
  const responseHeaders = { ...details.responseHeaders };
  responseHeaders["Content-Security-Policy"] = [
    "default-src 'self'; " +
      "media-src 'self' https://fal.media;",
  ];
  responseHeaders["Cross-Origin-Opener-Policy"] = ["same-origin"];
  callback({ responseHeaders });
});
"""


def write_archive(folder: Path, commit: str, package: dict[str, str] | None = None) -> Path:
    """A `qcut-<commit>.tar.gz` holding a root package.json, apps/web/index.html and electron/main.ts."""
    files = {
        "package.json": json.dumps(package or {"name": "qcut", "version": "0.0.1"}),
        "apps/web/index.html": "<!doctype html><title>QCut</title>",
        "electron/main.ts": MAIN_TS,
    }
    archive = folder / f"qcut-{commit}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"qcut-{commit}/qcut/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive


@pytest.fixture
def snapshots(tmp_path: Path) -> Path:
    """A folder with archives of two known commits and one unknown (function scope)."""
    folder = tmp_path / "snapshots"
    folder.mkdir()
    write_archive(folder, "7e2231ef")
    write_archive(folder, "c844ed1f")
    write_archive(folder, "0badc0de", {"name": "qcut", "version": "9.9.9"})
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """An empty build cache (function scope)."""
    return tmp_path / "cache"


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No QCUT_SRC, no snapshots, a cache in tmp_path: the user's settings stay out (function scope)."""
    monkeypatch.delenv("QCUT_SRC", raising=False)
    monkeypatch.setenv("QCUT_SNAPSHOTS", str(tmp_path / "no-snapshots"))
    monkeypatch.setenv("QCUT_BUILD_CACHE", str(tmp_path / "env-cache"))
    monkeypatch.setenv("QCUT_REPO", str(tmp_path / "no-repo"))  # never QCut's public repository
