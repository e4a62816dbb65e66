"""Command line: `python -m qcut_builds build|list|serve` for real QCut builds."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from .build import (
    BuildError,
    UnknownBuild,
    cache_dir,
    ensure_built,
    find_build,
    known_builds,
    no_snapshot_message,
)


def _stdout(line: str) -> None:
    print(line, flush=True)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def build(options: argparse.Namespace) -> int:
    """Build the commits asked for (all known ones by default), one at a time."""
    builds = known_builds()
    if not builds and not options.commits:
        _stdout(no_snapshot_message())
        return 0
    chosen = [find_build(commit, builds) for commit in options.commits] if options.commits else builds
    started = time.monotonic()
    for each in chosen:
        ensure_built(each, report=_stdout)
    _stdout(f"{len(chosen)} QCut build(s) ready in {time.monotonic() - started:.1f} s (cache: {cache_dir()})")
    return 0


def list_builds(options: argparse.Namespace) -> int:
    """One row per known build under a header: its `--app` name, date, built or not, dist path, subject."""
    builds = known_builds()
    if not builds:
        _stdout(no_snapshot_message())
        return 0
    rows = [("--app", "date", "state", "dist", "subject")]
    rows += [
        (
            f"qcut:{each.commit}",
            each.date or "(no date)",  # a built dist/ carries no commit date
            "built" if each.built else "not built",
            str(each.dist),
            each.subject,
        )
        for each in builds
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        _stdout("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[4]]))
    return 0


def serve(options: argparse.Namespace) -> int:
    """Serve one build until SIGINT/SIGTERM; the first stdout line is JSON with the URL and Chromium flags."""
    from .server import BuiltAppServer

    chosen = find_build(options.commit)
    dist = ensure_built(chosen, report=_stderr)
    server = BuiltAppServer(
        dist,
        commit=chosen.commit,
        desktop_headers=options.desktop_headers,
        shell_headers=chosen.desktop_headers(),
        host=options.host,
        port=options.port,
    )
    server.serve_until_stopped(commit=chosen.commit, desktop_headers=server.desktop_headers)
    return 0


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number from 0 to 65535, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 0 (any free port) to 65535, not {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m qcut_builds", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="build QCut commits into the cache (default: every known one)")
    make.add_argument("commits", nargs="*", metavar="COMMIT", help="commit(s) to build, e.g. 7e2231ef")
    make.set_defaults(handler=build)
    show = commands.add_parser("list", help="each known commit, whether it is built, its dist path")
    show.set_defaults(handler=list_builds)
    run = commands.add_parser("serve", help="serve one build as it ships until SIGINT/SIGTERM")
    run.add_argument("commit", metavar="COMMIT", help="the build to serve (built first if needed)")
    run.add_argument(
        "--desktop-headers",
        action="store_true",
        help="send the desktop shell's CSP, COOP and COEP headers (from the commit's electron/main.ts) "
        "on every response; without it, `?desktop-headers=1` on the page turns them on for that page",
    )
    run.add_argument("--port", type=port_number, default=0, help="port to bind (default 0: a free one)")
    run.add_argument(
        "--host",
        default="app.qcut.test",
        help="hostname; app.qcut.test (default) is HTTPS through host mapping, localhost is plain http",
    )
    run.set_defaults(handler=serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = options.handler  # each subcommand's set_defaults
    try:
        return handler(options)
    except (UnknownBuild, FileNotFoundError, ValueError) as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    except BuildError as error:
        parser.exit(1, f"{parser.prog}: {error}\n")


if __name__ == "__main__":
    sys.exit(main())
