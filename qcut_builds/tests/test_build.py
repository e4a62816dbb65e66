"""The build cache with a stand-in builder: hits and misses, atomic results, failures, sources."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import TextIO

import pytest

from qcut_builds.__main__ import main
from qcut_builds.build import (
    DESKTOP_PACKAGERS,
    LOCAL_CHANGES,
    Build,
    BuildError,
    Source,
    UnknownBuild,
    ensure_built,
    find_build,
    known_builds,
    no_snapshot_message,
    source_build,
)
from qcut_builds.desktop_shell import parse_headers
from qcut_builds.from_source import _drop_desktop_packagers, _run

from .conftest import MAIN_TS, write_archive

pytestmark = pytest.mark.usefixtures("isolated_env")


class CountingBuilder:
    """Writes a one-file dist and counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, build: Build, out: Path, log: TextIO) -> None:
        self.calls.append(build.commit)
        log.write(f"building {build.commit}\n")
        (out / "dist").mkdir()
        (out / "dist" / "index.html").write_text(f"<title>{build.commit}</title>", encoding="utf-8")


class Interrupted(Exception):
    """Stands for a build killed half way (Ctrl-C, the CI's timeout)."""


def half_a_build(build: Build, out: Path, log: TextIO) -> None:
    """Leaves a dist that looks complete, then dies before the build ends."""
    (out / "dist").mkdir()
    (out / "dist" / "index.html").write_text("half", encoding="utf-8")
    raise Interrupted(build.commit)


def test_known_builds_are_the_archives_with_date_and_subject(snapshots: Path, cache: Path) -> None:
    builds = known_builds(snapshots, cache=cache)

    assert [b.commit for b in builds] == ["c844ed1f", "7e2231ef", "0badc0de"], "by date, unknown ones last"
    assert (builds[1].date, builds[1].subject) == (
        "2025-11-18",
        "debug: add console logging for AI generation media store integration",
    )
    assert (builds[2].date, builds[2].subject) == (None, "qcut 9.9.9"), "from the archive's package.json"
    assert builds[1].dist == cache / "7e2231ef" / "dist"
    assert not any(b.built for b in builds)


def test_first_call_builds_and_the_second_is_a_cache_hit(snapshots: Path, cache: Path) -> None:
    build = find_build("7e2231ef", known_builds(snapshots, cache=cache))
    builder = CountingBuilder()
    lines: list[str] = []

    first = ensure_built(build, builder=builder, report=lines.append)
    second = ensure_built(build, builder=builder, report=lines.append)

    assert first == second == cache / "7e2231ef" / "dist"
    assert builder.calls == ["7e2231ef"], "the second call must reuse the cache"
    assert lines[-1] == f"cached 7e2231ef: {first}"
    assert json.loads((cache / "7e2231ef" / "build.json").read_text())["commit"] == "7e2231ef"
    assert build.log.read_text() == "building 7e2231ef\n"


def test_another_clone_reuses_the_cache(snapshots: Path, cache: Path, tmp_path: Path) -> None:
    builder = CountingBuilder()
    ensure_built(find_build("7e2231ef", known_builds(snapshots, cache=cache)), builder=builder)
    elsewhere = tmp_path / "other-clone-snapshots"
    elsewhere.mkdir()
    write_archive(elsewhere, "7e2231ef")

    again = find_build("7e2231ef", known_builds(elsewhere, cache=cache))

    assert again.built
    assert ensure_built(again, builder=builder) == cache / "7e2231ef" / "dist"
    assert builder.calls == ["7e2231ef"]


def test_an_interrupted_build_never_looks_finished(snapshots: Path, cache: Path) -> None:
    build = find_build("7e2231ef", known_builds(snapshots, cache=cache))

    with pytest.raises(Interrupted):
        ensure_built(build, builder=half_a_build)

    assert not build.built
    assert not build.directory.exists()
    assert sorted(p.name for p in cache.iterdir()) == [".lock", "logs"], "no half build left behind"
    builder = CountingBuilder()
    assert (
        ensure_built(build, builder=builder).joinpath("index.html").read_text() == "<title>7e2231ef</title>"
    )
    assert builder.calls == ["7e2231ef"]


def test_leftovers_of_a_killed_build_are_removed_by_the_next(snapshots: Path, cache: Path) -> None:
    build = find_build("7e2231ef", known_builds(snapshots, cache=cache))
    leftover = cache / ".7e2231ef-killed" / "dist"
    leftover.mkdir(parents=True)
    (leftover / "index.html").write_text("half", encoding="utf-8")
    assert not build.built

    ensure_built(build, builder=CountingBuilder())

    assert not leftover.parent.exists()
    assert build.built


def test_a_builder_that_makes_no_index_fails_naming_the_commit(snapshots: Path, cache: Path) -> None:
    build = find_build("c844ed1f", known_builds(snapshots, cache=cache))

    def says_nothing(_build: Build, _out: Path, log: TextIO) -> None:
        log.write("vite said nothing\n")

    with pytest.raises(BuildError, match=r"QCut c844ed1f: build failed: no dist/index\.html"):
        ensure_built(build, builder=says_nothing)

    assert not build.built


def test_a_failed_step_names_commit_step_and_the_log_tail(snapshots: Path, cache: Path) -> None:
    build = find_build("7e2231ef", known_builds(snapshots, cache=cache))
    build.log.parent.mkdir(parents=True)
    with open(build.log, "w", encoding="utf-8") as log, pytest.raises(BuildError) as failed:
        _run(
            build, "vite build", ["sh", "-c", "echo first; echo 'RollupError: boom'; exit 3"], cache, log, {}
        )

    message = str(failed.value)
    assert message.startswith("QCut 7e2231ef: vite build failed:"), message
    assert "exited with 3" in message
    assert "RollupError: boom" in message, "the log's last lines belong in the message"
    assert (failed.value.commit, failed.value.step, failed.value.log) == ("7e2231ef", "vite build", build.log)


def test_a_missing_tool_is_named(snapshots: Path, cache: Path) -> None:
    build = find_build("7e2231ef", known_builds(snapshots, cache=cache))
    with (
        open(cache.parent / "log", "w") as log,
        pytest.raises(BuildError, match="no-such-tool-here not found"),
    ):
        _run(build, "bun install", ["no-such-tool-here"], cache.parent, log, {})


def test_desktop_packagers_are_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    package = {"name": "qcut", "devDependencies": {name: "1" for name in (*DESKTOP_PACKAGERS, "vite")}}
    (tmp_path / "package.json").write_text(json.dumps(package))

    _drop_desktop_packagers(tmp_path)

    assert json.loads((tmp_path / "package.json").read_text())["devDependencies"] == {"vite": "1"}


def test_no_snapshot_message_says_where_it_looked_and_how_to_give_one(tmp_path: Path) -> None:
    message = no_snapshot_message(tmp_path / "nowhere")

    assert str(tmp_path / "nowhere") in message
    assert "QCUT_SRC" in message
    assert "python -m qcut_builds build" in message


def test_build_without_sources_prints_the_message_and_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert known_builds() == []

    assert main(["build"]) == 0
    assert capsys.readouterr().out.strip() == no_snapshot_message()


def test_an_unknown_commit_is_refused_naming_the_known_ones(snapshots: Path, cache: Path) -> None:
    with pytest.raises(UnknownBuild, match="known builds: c844ed1f, 7e2231ef, 0badc0de"):
        find_build("deadbeef", known_builds(snapshots, cache=cache))


def test_a_full_hash_finds_its_snapshot(snapshots: Path, cache: Path) -> None:
    builds = known_builds(snapshots, cache=cache)

    assert find_build("7e2231ef0123456789", builds).commit == "7e2231ef"


def test_qcut_src_dist_is_served_where_it_is(tmp_path: Path, cache: Path) -> None:
    dist = tmp_path / "my-build" / "dist"
    dist.mkdir(parents=True)
    (dist / "index.html").write_text("<title>mine</title>")

    (build,) = known_builds(tmp_path / "none", src=dist, cache=cache)

    assert re.fullmatch(r"dist-[0-9a-f]{8}", build.commit), build.commit
    assert build.built
    assert ensure_built(build, builder=CountingBuilder()) == dist.resolve()


def test_qcut_src_checkout_is_named_by_its_git_head(tmp_path: Path, cache: Path) -> None:
    checkout = tmp_path / "qcut"
    (checkout / "apps" / "web").mkdir(parents=True)
    (checkout / "package.json").write_text("{}")
    git = ["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "feat: a local change"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "--short=8", "HEAD"], check=True, capture_output=True, text=True
    )

    (build,) = known_builds(tmp_path / "none", src=checkout, cache=cache)

    assert (build.commit, build.subject, build.source.kind) == (
        head.stdout.strip(),
        "feat: a local change",
        "checkout",
    )


VITE_INDEX = '<!doctype html><div id="root"></div><script type="module" src="/src/main.tsx"></script>'


def git_checkout(root: Path) -> tuple[Path, str]:
    """A committed checkout with Vite's source page in apps/web, and its HEAD."""
    (root / "apps" / "web" / "src").mkdir(parents=True)
    (root / "apps" / "web" / "index.html").write_text(VITE_INDEX)
    (root / "apps" / "web" / "src" / "main.tsx").write_text("console.log('one line');\n")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "feat: the maintainer's branch"], check=True)
    head = subprocess.run([*git, "rev-parse", "--short=8", "HEAD"], capture_output=True, text=True)
    return root, head.stdout.strip()


def test_a_folder_inside_a_checkout_is_the_checkout_never_a_dist(tmp_path: Path, cache: Path) -> None:
    checkout, head = git_checkout(tmp_path / "qcut")

    for given in (checkout / "apps" / "web", checkout / "apps" / "web" / "src", checkout):
        build = source_build(given, cache)
        assert (build.commit, build.source) == (head, Source("checkout", checkout)), given


def test_vite_source_outside_a_checkout_is_refused_saying_so(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "index.html").write_text(VITE_INDEX)

    with pytest.raises(UnknownBuild, match="Vite's source, which loads /src/: not a built app"):
        source_build(tmp_path / "web", cache)


def test_a_path_that_does_not_exist_is_refused_saying_so(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(UnknownBuild, match="nope: no such file or directory"):
        source_build(tmp_path / "nope", cache)


def test_one_changed_line_is_a_new_build_of_the_same_checkout(tmp_path: Path, cache: Path) -> None:
    checkout, head = git_checkout(tmp_path / "qcut")
    main_tsx = checkout / "apps" / "web" / "src" / "main.tsx"

    main_tsx.write_text("console.log('one changed line');\n")
    edited = source_build(checkout, cache)
    main_tsx.write_text("console.log('changed again');\n")
    again = source_build(checkout, cache)

    assert edited.commit.startswith(f"{head}{LOCAL_CHANGES}")
    assert edited.subject == "feat: the maintainer's branch (with local changes)"
    assert again.commit.startswith(f"{head}{LOCAL_CHANGES}")
    assert again.commit != edited.commit, "each edit is built anew"
    assert not again.built


def test_qcut_src_checkout_without_git_is_named_by_content(tmp_path: Path, cache: Path) -> None:
    checkout = tmp_path / "qcut"
    (checkout / "apps" / "web").mkdir(parents=True)
    (checkout / "package.json").write_text("{}")
    first = known_builds(tmp_path / "none", src=checkout, cache=cache)[0].commit
    (checkout / "apps" / "web" / "node_modules").mkdir()
    (checkout / "apps" / "web" / "node_modules" / "x.js").write_text("installed, not source")
    assert known_builds(tmp_path / "none", src=checkout, cache=cache)[0].commit == first

    (checkout / "package.json").write_text('{"name": "changed"}')

    assert known_builds(tmp_path / "none", src=checkout, cache=cache)[0].commit != first


def test_a_dist_in_a_checkout_takes_the_shell_headers_from_its_main_ts(tmp_path: Path, cache: Path) -> None:
    dist = tmp_path / "qcut" / "apps" / "web" / "dist"
    dist.mkdir(parents=True)
    (dist / "index.html").write_text("<title>mine</title>")
    (tmp_path / "qcut" / "electron").mkdir()
    (tmp_path / "qcut" / "electron" / "main.ts").write_text(MAIN_TS)

    (build,) = known_builds(tmp_path / "none", src=dist, cache=cache)

    assert build.desktop_headers() == parse_headers(MAIN_TS)


def test_a_dist_alone_has_no_shell_headers(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "index.html").write_text("<title>mine</title>")

    assert known_builds(tmp_path / "none", src=tmp_path / "dist", cache=cache)[0].desktop_headers() is None


def test_a_given_dist_that_lost_its_index_is_an_error_not_a_build(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "index.html").write_text("<title>mine</title>")
    (build,) = known_builds(tmp_path / "none", src=tmp_path / "dist", cache=cache)
    (tmp_path / "dist" / "index.html").unlink()

    with pytest.raises(BuildError, match=r"find the built app failed: no index\.html"):
        ensure_built(build, builder=CountingBuilder())
