"""Command line: `python -m media_app serve` (the app server) and `demo` (app, fake FAL and a browser)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from fake_fal.limits import port_number

from .profiles import BUGS, PROFILES, ProfileError
from .server import STATIC_DIR, AppServer


def port(text: str) -> int:
    """`--port`: 0-65535 (0: any free port), refused when parsed, not a bind error or a wrapped port."""
    try:
        return port_number(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def serve(options: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; the first stdout line is JSON with the URL and the Chromium flags."""
    server = AppServer(
        app_dir=Path(options.app_dir),
        profile=options.profile,
        bugs=options.bugs.split(",") if options.bugs else (),
        host=options.host,
        port=options.port,
        fal_key=options.fal_key,
    )
    server.serve_until_stopped(profile=server.profile.name, bugs=sorted(server.profile.bugs))
    return 0


def demo(options: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(
        profile=options.profile,
        bugs=options.bugs.split(",") if options.bugs else (),
        fal_key=options.fal_key,
        app_dir=Path(options.app_dir),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m media_app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", default="fixed", help=f"one of {', '.join(PROFILES)} (default fixed)")
    common.add_argument("--bugs", default="", help=f"extra bug switches, comma-separated: {', '.join(BUGS)}")
    common.add_argument(
        "--app-dir", default=str(STATIC_DIR), help="serve this copy of the app (default: ours)"
    )
    common.add_argument("--fal-key", default="test-fal-key", help="the FAL key the page starts with")
    run = commands.add_parser("serve", parents=[common], help="serve the app until SIGINT/SIGTERM")
    run.add_argument("--port", type=port, default=0, help="port to bind, 0-65535 (default 0: a free one)")
    run.add_argument(
        "--host",
        default="app.qcut.test",
        help="hostname; app.qcut.test (default) is HTTPS through host mapping, localhost is plain http",
    )
    run.set_defaults(handler=serve)
    show = commands.add_parser(
        "demo", parents=[common], help="fake FAL + the app + a headed Chromium to click through"
    )
    show.set_defaults(handler=demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = options.handler  # each subcommand's set_defaults
    try:
        return handler(options)
    except (ProfileError, FileNotFoundError) as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")


if __name__ == "__main__":
    sys.exit(main())
