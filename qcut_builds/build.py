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
from pathlib import Path
from typing import TextIO

from .from_source import build_from_source
from .model import (
    ARCHIVE_PREFIX,
    ARCHIVE_SUFFIX,
    BUN_PACKAGE,
    DEFAULT_REPO,
    DEFAULT_SNAPSHOTS,
    DESKTOP_PACKAGERS,
    KNOWN_COMMITS,
    LOCAL_CHANGES,
    NOT_SOURCES,
    Build,
    BuildError,
    Report,
    Source,
    SourceKind,
    UnknownBuild,
    cache_dir,
    no_snapshot_message,
    snapshots_dir,
)

# The model's names are this module's too: callers import what a build is from where builds are made.
__all__ = [
    "ARCHIVE_PREFIX",
    "ARCHIVE_SUFFIX",
    "BUN_PACKAGE",
    "DEFAULT_REPO",
    "DEFAULT_SNAPSHOTS",
    "DESKTOP_PACKAGERS",
    "KNOWN_COMMITS",
    "LOCAL_CHANGES",
    "NOT_SOURCES",
    "Build",
    "BuildError",
    "Report",
    "Source",
    "SourceKind",
    "UnknownBuild",
    "cache_dir",
    "ensure_all_built",
    "ensure_built",
    "find_build",
    "known_builds",
    "no_snapshot_message",
    "repo_build",
    "snapshots_dir",
    "source_build",
]

HEX_COMMIT = re.compile(r"[0-9a-f]{7,40}")

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
    """The known build whose commit is `commit` (or starts with it, or it starts with: a full hash); with no
    `builds` given and none known, the commit from the QCut git repository (`QCUT_REPO`)."""
    searched = known_builds() if builds is None else builds
    prefix = len(commit) >= 7  # a shorter prefix is too likely to name two commits
    matches = [b for b in searched if b.commit == commit or (prefix and b.commit.startswith(commit))]
    matches = matches or [b for b in searched if len(commit) > len(b.commit) and commit.startswith(b.commit)]
    if len(matches) == 1:
        return matches[0]
    elsewhere = ""
    if builds is None and HEX_COMMIT.fullmatch(commit):
        try:
            return repo_build(commit)
        except UnknownBuild as error:
            elsewhere = f"; {error}"
    if not searched:
        raise UnknownBuild(f"no source for QCut {commit}: {no_snapshot_message()}{elsewhere}")
    known = ", ".join(build.commit for build in searched)
    raise UnknownBuild(f"no single source for QCut {commit!r}; known builds: {known}{elsewhere}")


def repo_build(commit: str, repo: str | None = None, cache: Path | None = None) -> Build:
    """`commit` of a QCut git repository (`QCUT_REPO`, a path or URL, else QCut's public one), through a
    mirror in the cache that is fetched again only when it lacks the commit."""
    repo = repo or os.environ.get("QCUT_REPO") or DEFAULT_REPO
    cache = cache or cache_dir()
    mirror = cache / "repos" / f"{hashlib.sha256(repo.encode()).hexdigest()[:12]}.git"
    if not mirror.is_dir():
        _mirror(repo, mirror)
    elif _revision(mirror, commit) is None:
        _git_step(repo, ["-C", str(mirror), "fetch", "--quiet", "--prune", "origin"])
    revision = _revision(mirror, commit)
    if revision is None:
        raise UnknownBuild(f"no commit {commit} in {repo}")
    short = _git(mirror, "rev-parse", "--short=8", revision) or revision[:8]
    date = _git(mirror, "log", "-1", "--format=%cs", revision) or None
    subject = _git(mirror, "log", "-1", "--format=%s", revision) or ""
    return Build(short, date, subject, Source("repo", mirror, revision), cache)


def _mirror(repo: str, mirror: Path) -> None:
    """A bare mirror of `repo`, renamed into place once complete (an interrupted clone is never used)."""
    mirror.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{mirror.name}-", dir=mirror.parent))
    try:
        _git_step(repo, ["clone", "--quiet", "--mirror", repo, str(partial)])
        partial.rename(mirror)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _git_step(repo: str, args: list[str]) -> None:
    quiet = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}  # a repository that asks for a password is unreachable
    try:
        subprocess.run(["git", *args], capture_output=True, text=True, check=True, timeout=900, env=quiet)
    except FileNotFoundError:
        raise UnknownBuild("git is not installed, so no commit can be fetched") from None
    except subprocess.CalledProcessError as error:
        last = (error.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise UnknownBuild(f"cannot fetch {repo} (QCUT_REPO): {last}") from None
    except subprocess.TimeoutExpired:
        raise UnknownBuild(f"cannot fetch {repo} (QCUT_REPO): no answer in 15 minutes") from None


def _revision(mirror: Path, commit: str) -> str | None:
    return _git(mirror, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}")


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
    return build_from_source


def ensure_all_built(builds: list[Build] | None = None, report: Report | None = None) -> list[Path]:
    """Every known build's dist, building the missing ones one after another."""
    return [ensure_built(build, report=report) for build in (known_builds() if builds is None else builds)]
