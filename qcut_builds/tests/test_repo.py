"""`--app qcut:<commit>` from a git repository (`QCUT_REPO`), as QCut's CI would name a commit: a bare
repository made here, found by commit, mirrored into the cache, and built from the commit's tree."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from fake_fal.server import DEFAULT_KEY
from qcut_builds.build import (
    ARCHIVE_PREFIX,
    ARCHIVE_SUFFIX,
    DEFAULT_SNAPSHOTS,
    UnknownBuild,
    cache_dir,
    ensure_built,
    find_build,
)
from qcut_builds.from_source import source_tree

pytestmark = pytest.mark.usefixtures("isolated_env")
SNAPSHOT = "441dd2a5"  # a 2025 build
VITE = "7.1.3"  # a vite the QCut builds leave in bun's cache
# The machine's cache, read before isolated_env points QCUT_BUILD_CACHE at the test's own: its tools/ (bun and
# its package cache, about 1.6 GB) are lent to the test's cache rather than fetched again.
MACHINE_CACHE = cache_dir()


def git(*args: str, cwd: Path | None = None) -> str:
    command = ["git", "-c", "user.name=qcut", "-c", "user.email=qcut@example.com", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def bare_repository(tree: Path, bare: Path, subject: str) -> str:
    """`tree` committed as one commit of a new bare repository; its full hash."""
    git("init", "-q", cwd=tree)
    git("add", "-A", "--force", cwd=tree)  # a snapshot's own .gitignore must not leave files out
    git("commit", "-q", "-m", subject, cwd=tree)
    git("clone", "-q", "--bare", str(tree), str(bare))
    return git("rev-parse", "HEAD", cwd=tree)


def small_tree(root: Path) -> Path:
    (root / "apps" / "web").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "qcut"}')
    (root / "apps" / "web" / "index.html").write_text("<!doctype html>")
    return root


def test_a_commit_is_found_in_qcut_repo_with_its_date_and_subject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit = bare_repository(small_tree(tmp_path / "tree"), tmp_path / "qcut.git", "feat: from the repo")
    monkeypatch.setenv("QCUT_REPO", str(tmp_path / "qcut.git"))

    build = find_build(commit[:10])

    assert (build.commit, build.subject, build.source.kind) == (commit[:8], "feat: from the repo", "repo")
    assert build.source.revision == commit
    assert not build.built


def test_a_commit_the_repository_lacks_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare_repository(small_tree(tmp_path / "tree"), tmp_path / "qcut.git", "feat: one commit")
    monkeypatch.setenv("QCUT_REPO", str(tmp_path / "qcut.git"))

    with pytest.raises(UnknownBuild, match="no commit 0badc0de in"):
        find_build("0badc0de")


def test_an_unreachable_repository_is_refused_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QCUT_REPO", str(tmp_path / "nowhere.git"))

    with pytest.raises(UnknownBuild, match=r"cannot fetch .*nowhere\.git \(QCUT_REPO\)"):
        find_build("0badc0de")


def test_a_commit_is_built_from_a_bare_repository_by_the_real_builder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole way, with the builder that builds QCut (bun install, the FAL key baked in, vite build), on
    the smallest tree it builds: seconds, where a real QCut commit takes a minute or more of both cores (the
    next test shows a real commit's tree comes out of the repository as its snapshot, built every run, holds
    it)."""
    commit = bare_repository(vite_tree(tmp_path / "tree"), tmp_path / "qcut.git", "feat: the smallest app")
    monkeypatch.setenv("QCUT_REPO", str(tmp_path / "qcut.git"))
    lend_machine_tools()

    dist = ensure_built(find_build(commit[:8]))

    assert (dist / "index.html").is_file()
    code = "".join(path.read_text(encoding="utf-8") for path in (dist / "assets").glob("*.js"))
    assert DEFAULT_KEY in code, "vite should have built the app's code with the fake's key from .env.local"
    assert find_build(commit[:8]).built, "a second lookup finds it in the cache, by commit"


def test_a_real_qcut_commit_comes_out_of_a_bare_repository_as_its_snapshot_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = snapshot_archive(SNAPSHOT)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "snapshot", filter="data")
    (tree,) = (web.parent.parent for web in (tmp_path / "snapshot").glob("*/*/apps/web"))
    commit = bare_repository(tree, tmp_path / "qcut.git", f"QCut at {SNAPSHOT}, pushed")
    monkeypatch.setenv("QCUT_REPO", str(tmp_path / "qcut.git"))

    exported = source_tree(find_build(commit[:8]), tmp_path / "scratch")

    assert files_of(exported) == files_of(tree, leave_out=".git")


def vite_tree(root: Path) -> Path:
    """A root package.json with vite, and apps/web: an index.html and a module reading the FAL key."""
    (root / "apps" / "web").mkdir(parents=True)
    package = {"name": "qcut", "private": True, "devDependencies": {"vite": VITE}}
    (root / "package.json").write_text(json.dumps(package))
    (root / "apps" / "web" / "index.html").write_text(
        '<!doctype html><title>QCut</title><script type="module" src="./main.js"></script>'
    )
    (root / "apps" / "web" / "main.js").write_text("document.title = import.meta.env.VITE_FAL_API_KEY;\n")
    return root


def lend_machine_tools() -> None:
    """The machine's bun and its package cache, lent to the test's cache (installed with the QCut builds)."""
    if not (MACHINE_CACHE / "tools" / "node_modules" / ".bin" / "bun").is_file():
        pytest.skip(
            f"no bun in {MACHINE_CACHE / 'tools'}: `make qcut-builds` installs it with the QCut builds"
        )
    cache_dir().mkdir(parents=True)
    (cache_dir() / "tools").symlink_to(MACHINE_CACHE / "tools")


def files_of(root: Path, leave_out: str = "") -> dict[str, bytes]:
    """Every file under `root` by its relative path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink() and leave_out not in path.relative_to(root).parts
    }


def snapshot_archive(commit: str) -> Path:
    """The shared snapshot of `commit` (the real-build tests skip without it, saying where they looked)."""
    archive = DEFAULT_SNAPSHOTS / f"{ARCHIVE_PREFIX}{commit}{ARCHIVE_SUFFIX}"
    if not archive.is_file():
        pytest.skip(f"no {archive.name} in {archive.parent}: building a real commit needs its snapshot")
    return archive
