"""What a real QCut build is: where its source is, where it goes in the cache, and how it fails.

Shared by the finding and building of builds (`build.py`) and the builder itself (`from_source.py`), so that
neither imports the other's module to know what a build is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .desktop_shell import read_headers

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SNAPSHOTS = REPO_ROOT.parent / "shared" / "qcut"
ARCHIVE_PREFIX, ARCHIVE_SUFFIX = "qcut-", ".tar.gz"
BUN_PACKAGE = "bun@1.2.18"  # the snapshots' `packageManager`
# Root devDependencies that only package the desktop app and pull a tarball from GitHub, unreachable here.
DESKTOP_PACKAGERS = ("electron-builder", "electron-packager", "@types/electron-builder")
# Left out of a checkout's copy: installed or built output, never sources.
NOT_SOURCES = ("node_modules", ".git", "dist", ".turbo", ".env.local")
# `7e2231ef-local-1a2b3c4d`: a checkout at 7e2231ef with local changes, named by what it holds.
LOCAL_CHANGES = "-local-"
LOG_TAIL_LINES = 25
# Where `--app qcut:<commit>` finds a commit no snapshot holds: `$QCUT_REPO` (a path or URL), else QCut's.
DEFAULT_REPO = "https://github.com/Quriosity-agent/qcut.git"

# The snapshots in ../shared/qcut (see its README): commit date and subject, for reports.
KNOWN_COMMITS: dict[str, tuple[str, str]] = {
    "c844ed1f": ("2025-09-12", "feat: finalize multi-model integration with enhanced FLUX support"),
    "7e2231ef": ("2025-11-18", "debug: add console logging for AI generation media store integration"),
    "130d5c2a": ("2025-11-18", "feat: keep media items visible on storage failure"),
    "441dd2a5": ("2025-11-18", "feat: integrate blob URL playback in preview panel"),
    "3609de5f": ("2026-01-28", "Merge pull request #100 from donghaozhang/feature/gemini-terminal-ui"),
    "53c8b4a6": ("2026-03-01", "Merge pull request #186 from Quriosity-agent/chore/update-bun"),
}

SourceKind = Literal["archive", "checkout", "dist", "repo"]
Report = Callable[[str], None]


class BuildError(RuntimeError):
    """A build step failed; the message names the commit, the step and the log's last lines."""

    def __init__(self, commit: str, step: str, detail: str, log: Path | None = None) -> None:
        self.commit, self.step, self.log = commit, step, log
        message = f"QCut {commit}: {step} failed: {detail}"
        if log is not None and log.is_file():
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_TAIL_LINES:]
            message += f"\nlast lines of {log}:\n" + "\n".join("    " + line for line in tail)
        super().__init__(message)


class UnknownBuild(LookupError):
    """No source for the commit asked for."""


def snapshots_dir() -> Path:
    """Where snapshot archives are looked for: `$QCUT_SNAPSHOTS`, else `../shared/qcut` next to the repo."""
    return Path(os.environ.get("QCUT_SNAPSHOTS") or DEFAULT_SNAPSHOTS)


def cache_dir() -> Path:
    """The build cache, outside the clone: `$QCUT_BUILD_CACHE`, else `~/.cache/fal-media-e2e/qcut`."""
    if os.environ.get("QCUT_BUILD_CACHE"):
        return Path(os.environ["QCUT_BUILD_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "fal-media-e2e" / "qcut"


def no_snapshot_message(snapshots: Path | None = None) -> str:
    """Why there is no real QCut build to test, and how to give one (the real lane skips with this)."""
    snapshots = snapshots or snapshots_dir()
    where = f"no {ARCHIVE_PREFIX}<commit>{ARCHIVE_SUFFIX} in {snapshots} and QCUT_SRC is not set"
    how = (
        "point QCUT_SRC at a QCut checkout (with apps/web), a built dist/ (with index.html) or a snapshot "
        "archive, or QCUT_SNAPSHOTS at a folder of snapshot archives; then run `python -m qcut_builds build`"
    )
    return f"no QCut source: {where}. To test a real QCut build, {how}."


@dataclass(frozen=True)
class Source:
    """Where a build comes from."""

    kind: SourceKind
    path: Path
    revision: str = ""  # for a git repository (`path`, a mirror in the cache): the commit's full hash


@dataclass(frozen=True)
class Build:
    """One QCut commit: where its source is and where its build goes in the cache."""

    commit: str
    date: str | None
    subject: str
    source: Source
    cache: Path

    @property
    def directory(self) -> Path:
        """The finished build's directory in the cache (exists only once built)."""
        return self.cache / self.commit

    @property
    def dist(self) -> Path:
        """The built app as it ships (a `dist/` given as QCUT_SRC is used where it is)."""
        return self.source.path if self.source.kind == "dist" else self.directory / "dist"

    @property
    def log(self) -> Path:
        """The last build's output."""
        return self.cache / "logs" / f"{self.commit}.log"

    @property
    def desktop_headers_file(self) -> Path:
        """The desktop shell's headers read from this commit's `electron/main.ts` at build time."""
        if self.source.kind == "dist":
            return self.source.path / ".." / "desktop-headers.json"
        return self.directory / "desktop-headers.json"

    @property
    def built(self) -> bool:
        """True once the build is in place (the rename at the end of a build makes it so at once)."""
        if self.source.kind == "dist":
            return (self.dist / "index.html").is_file()
        return (self.directory / "build.json").is_file() and (self.dist / "index.html").is_file()

    def desktop_headers(self) -> dict[str, str] | None:
        """The shell's headers (name → value), or None when this build's main.ts was not available."""
        if self.desktop_headers_file.is_file():
            headers: dict[str, str] = json.loads(self.desktop_headers_file.read_text(encoding="utf-8"))[
                "headers"
            ]
            return headers
        parents = self.source.path.resolve().parents
        if self.source.kind == "dist" and len(parents) >= 3:
            # A dist inside a checkout: apps/web/dist → electron/main.ts.
            main_ts = parents[2] / "electron" / "main.ts"
            if main_ts.is_file():
                return read_headers(main_ts)
        return None
