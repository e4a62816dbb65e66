"""Build real QCut commits from source, one at a time, cached by commit outside the clone.

Sources, in this order: the snapshot archives `qcut-<commit>.tar.gz` in `../shared/qcut` next to the repo
(or `$QCUT_SNAPSHOTS`), and `$QCUT_SRC`: a QCut checkout (has `apps/web`), an already built `dist/` (has
`index.html`) or one snapshot archive. The cache is `$QCUT_BUILD_CACHE`, else
`~/.cache/fal-media-e2e/qcut`: `<commit>/dist` (the app as it ships), `<commit>/desktop-headers.json` (the
desktop shell's headers from that commit's `electron/main.ts`), `<commit>/build.json`; `logs/<commit>.log`;
`tools/` (bun). A build is made in a hidden temporary directory and renamed into place at the end, so an
interrupted build never looks finished; a file lock keeps builds one at a time across processes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

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

# The snapshots in ../shared/qcut (see its README): commit date and subject, for reports.
KNOWN_COMMITS: dict[str, tuple[str, str]] = {
    "c844ed1f": ("2025-09-12", "feat: finalize multi-model integration with enhanced FLUX support"),
    "7e2231ef": ("2025-11-18", "debug: add console logging for AI generation media store integration"),
    "130d5c2a": ("2025-11-18", "feat: keep media items visible on storage failure"),
    "441dd2a5": ("2025-11-18", "feat: integrate blob URL playback in preview panel"),
    "3609de5f": ("2026-01-28", "Merge pull request #100 from donghaozhang/feature/gemini-terminal-ui"),
    "53c8b4a6": ("2026-03-01", "Merge pull request #186 from Quriosity-agent/chore/update-bun"),
}

SourceKind = Literal["archive", "checkout", "dist"]
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


# -- sources -----------------------------------------------------------------------------------------------


def _archive_build(archive: Path, cache: Path) -> Build:
    commit = archive.name[len(ARCHIVE_PREFIX) : -len(ARCHIVE_SUFFIX)]
    if commit in KNOWN_COMMITS:
        date, subject = KNOWN_COMMITS[commit]
    else:
        date, subject = None, _archive_package_subject(archive)
    return Build(commit, date, subject, Source("archive", archive), cache)


def _archive_package_subject(archive: Path) -> str:
    """`<name> <version>` from the archive's root package.json, for a snapshot not in KNOWN_COMMITS."""
    with tarfile.open(archive) as tar:
        for member in tar:
            parts = Path(member.name).parts
            if parts[-1:] == ("package.json",) and len(parts) <= 3 and "apps" not in parts:
                handle = tar.extractfile(member)
                if handle is not None:
                    package = json.load(handle)
                    return f"{package.get('name', '?')} {package.get('version', '?')}"
    return "(no package.json)"


def _git(path: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(path), *args], capture_output=True, text=True, check=True, timeout=30
        )
    except (FileNotFoundError, subprocess.CalledProcessError):
        return None
    return result.stdout.strip()


def _content_hash(root: Path, skip: tuple[str, ...] = ()) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in skip for part in relative.parts) or not path.is_file():
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:8]


def source_build(given: Path | str, cache: Path | None = None) -> Build:
    """The build for a path a user gives (`QCUT_SRC`, or `--app qcut:<path>`): a snapshot archive, a built
    `dist/`, or the QCut checkout the path is in (its root, or any folder inside it, `apps/web` included).
    Raises UnknownBuild saying why a path is none of them."""
    cache = cache or cache_dir()
    path = Path(given).expanduser().resolve()
    if not path.exists():
        raise UnknownBuild(f"{given}: no such file or directory")
    if path.is_file() and path.name.startswith(ARCHIVE_PREFIX) and path.name.endswith(ARCHIVE_SUFFIX):
        return _archive_build(path, cache)
    if (path / "index.html").is_file() and not _vite_source(path / "index.html"):
        return Build(f"dist-{_content_hash(path)}", None, f"built app {path}", Source("dist", path), cache)
    root = next((folder for folder in [path, *path.parents] if (folder / "apps" / "web").is_dir()), None)
    if root is not None:
        return _checkout_build(root, cache)
    vite = (
        " (its index.html is Vite's source, which loads /src/: not a built app)"
        if (path / "index.html").is_file()
        else ""
    )
    raise UnknownBuild(
        f"{given} is neither in a QCut checkout (no apps/web here or above), a built dist/ (with index.html)"
        f"{vite} nor a {ARCHIVE_PREFIX}<commit>{ARCHIVE_SUFFIX} archive"
    )


def _vite_source(index: Path) -> bool:
    """Whether an index.html is Vite's source page (it loads `/src/main.tsx`), which only a build serves."""
    return (
        re.search(r"""<script[^>]+src=["']/?src/""", index.read_text(encoding="utf-8", errors="replace"))
        is not None
    )


def _checkout_build(root: Path, cache: Path) -> Build:
    """A checkout is its HEAD when clean; with local changes (or without git) it is named by what it holds,
    so an edit is a new build, made on the next run under the same `--app`."""
    head = _git(root, "rev-parse", "--short=8", "HEAD")
    if head is None:
        return Build(
            f"tree-{_content_hash(root, NOT_SOURCES)}",
            None,
            f"checkout {root}",
            Source("checkout", root),
            cache,
        )
    date = _git(root, "log", "-1", "--format=%cs") or None
    subject = _git(root, "log", "-1", "--format=%s") or ""
    if _git(root, "status", "--porcelain") == "":
        return Build(head, date, subject, Source("checkout", root), cache)
    changed = f"{head}{LOCAL_CHANGES}{_content_hash(root, NOT_SOURCES)}"
    return Build(changed, date, f"{subject} (with local changes)", Source("checkout", root), cache)


def known_builds(
    snapshots: Path | None = None, src: Path | str | None = None, cache: Path | None = None
) -> list[Build]:
    """Every build there is a source for: the snapshot archives, then `$QCUT_SRC` (or `src`)."""
    snapshots = snapshots or snapshots_dir()
    cache = cache or cache_dir()
    src = src if src is not None else os.environ.get("QCUT_SRC")
    builds = []
    if snapshots.is_dir():
        archives = sorted(snapshots.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
        builds = sorted((_archive_build(archive, cache) for archive in archives), key=_order)
    if src:
        extra = source_build(src, cache)
        builds = [build for build in builds if build.commit != extra.commit] + [extra]
    return builds


def _order(build: Build) -> tuple[str, int, str]:
    """By commit date, the same day's snapshots in their history order, unknown ones last."""
    known = list(KNOWN_COMMITS)
    rank = known.index(build.commit) if build.commit in known else len(known)
    return (build.date or "9999", rank, build.commit)


def find_build(commit: str, builds: list[Build] | None = None) -> Build:
    """The known build whose commit is `commit` (or starts with it, or it starts with: a full hash)."""
    builds = known_builds() if builds is None else builds
    matches = [b for b in builds if b.commit == commit or (len(commit) >= 7 and b.commit.startswith(commit))]
    matches = matches or [b for b in builds if len(commit) > len(b.commit) and commit.startswith(b.commit)]
    if len(matches) == 1:
        return matches[0]
    if not builds:
        raise UnknownBuild(f"no source for QCut {commit}: {no_snapshot_message()}")
    known = ", ".join(build.commit for build in builds)
    raise UnknownBuild(f"no single source for QCut {commit!r}; known builds: {known}")


# -- building ----------------------------------------------------------------------------------------------

Builder = Callable[[Build, Path, TextIO], None]
"""Builds `build` into an empty directory: writes `dist/` (and `desktop-headers.json` when it can)."""


@contextmanager
def _exclusive(cache: Path) -> Iterator[None]:
    """One build at a time on this machine, across processes (a second waits, then finds it cached)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_leftovers(cache: Path) -> None:
    """Hidden directories are builds in progress; under the lock, any found belong to an interrupted one."""
    for entry in cache.iterdir():
        if entry.name.startswith(".") and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _cached(build: Build, report: Report) -> bool:
    if build.built:
        report(f"cached {build.commit}: {build.dist}")
    return build.built


def ensure_built(build: Build | str, *, builder: Builder | None = None, report: Report | None = None) -> Path:
    """The build's `dist/`, built first if the cache lacks it. Raises BuildError naming the failed step."""
    build = find_build(build) if isinstance(build, str) else build
    report = report or (lambda _line: None)
    if _cached(build, report):
        return build.dist
    if build.source.kind == "dist":
        raise BuildError(build.commit, "find the built app", f"no index.html in {build.dist}")
    with _exclusive(build.cache):
        if _cached(build, report):  # built by another process while this one waited
            return build.dist
        _remove_leftovers(build.cache)
        if build.directory.exists():  # not built, so not ours: a hand-made or damaged entry
            shutil.rmtree(build.directory)
        started = time.monotonic()
        report(f"building {build.commit} ({build.subject}) from {build.source.path}; log: {build.log}")
        work = Path(tempfile.mkdtemp(prefix=f".{build.commit}-", dir=build.cache))
        try:
            build.log.parent.mkdir(parents=True, exist_ok=True)
            with open(build.log, "w", encoding="utf-8") as log:
                (builder or _default_builder())(build, work, log)
            if not (work / "dist" / "index.html").is_file():
                raise BuildError(build.commit, "build", "no dist/index.html produced", build.log)
            seconds = round(time.monotonic() - started, 1)
            meta = {"commit": build.commit, "date": build.date, "subject": build.subject, "seconds": seconds}
            meta["source"] = str(build.source.path)
            (work / "build.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
            work.chmod(0o755)  # mkdtemp makes it private; a shared cache is read by other users' runs
            work.rename(build.directory)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    report(f"built {build.commit} in {seconds} s: {build.dist}")
    return build.dist


def _default_builder() -> Builder:
    # Here, not at the top: from_source imports this module for Build and BuildError.
    from .from_source import build_from_source

    return build_from_source


def ensure_all_built(builds: list[Build] | None = None, report: Report | None = None) -> list[Path]:
    """Every known build's dist, building the missing ones one after another."""
    return [ensure_built(build, report=report) for build in (known_builds() if builds is None else builds)]
