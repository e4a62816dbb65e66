"""`python -m fake_fal serve [options]`: run the fake outside pytest (`--help` lists the options).

The first line on stdout is one JSON object (port, ca_cert, hosts, host_rules, spki, chromium_args, env,
host_ports, timing, required_key, limits); then it serves until SIGINT or SIGTERM and exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

from .auth import DEFAULT_KEY, valid_key
from .jobs import TIMINGS
from .limits import Limits, parse_size, port_number
from .server import HOSTS, FakeFal
from .tls import merge_chromium_args, parse_chromium_args

T = TypeVar("T")
DEFAULTS = Limits()


def _checked(convert: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse type whose ValueError message is shown as is (argparse otherwise hides it)."""

    def parse(text: str) -> T:
        try:
            return convert(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = convert.__name__
    return parse


def _seconds(text: str) -> float:
    seconds = float(text)
    if not seconds > 0:
        raise ValueError(f"a timeout is a positive number of seconds, not {text!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fake_fal", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the FAL hosts until SIGINT/SIGTERM")
    serve.add_argument(
        "--port",
        type=_checked(port_number),
        default=0,
        help="port of the main listener, 0-65535 (default 0: any free one)",
    )
    serve.add_argument(
        "--timing",
        # Clock timing needs a test to move the clock, which nothing does out here.
        choices=[mode for mode in TIMINGS if mode != "clock"],
        default="polls",
        help="how jobs progress: by poll count, or over tens of real seconds (default: polls)",
    )
    serve.add_argument(
        "--require-key",
        nargs="?",
        const=DEFAULT_KEY,
        type=_checked(valid_key),
        metavar="KEY",
        help="answer API calls without `Authorization: Key KEY` with FAL's 401, as the real hosts do "
        f"(KEY as <key_id>:<key_secret>; alone: the key env.FAL_KEY announces, {DEFAULT_KEY})",
    )
    serve.add_argument(
        "--max-body",
        type=_checked(parse_size),
        default=DEFAULTS.max_body,
        metavar="SIZE",
        help="refuse larger request bodies with FAL's 413 (bytes, or with K/M/G; default 100M)",
    )
    serve.add_argument(
        "--log-body",
        type=_checked(parse_size),
        default=DEFAULTS.log_body,
        metavar="SIZE",
        help="keep this much of each request body in the request log, with its length (default 64K)",
    )
    serve.add_argument(
        "--read-timeout",
        type=_checked(_seconds),
        default=DEFAULTS.read_timeout,
        metavar="SECONDS",
        help="drop a connection that sends nothing for this long mid-request "
        f"(default {DEFAULTS.read_timeout:g})",
    )
    merge = commands.add_parser(
        "merge-flags",
        help="one Chromium flag list from several servers' (Chromium honours one --host-resolver-rules)",
    )
    merge.add_argument(
        "announcements",
        nargs="+",
        metavar="JSON",
        help="a server's first stdout line (`fake_fal serve`, `media_app serve`, `qcut_builds serve`) or "
        "its chromium_args list",
    )
    return parser


def merge_flags(announcements: list[str]) -> int:
    """Print the servers' chromium_args merged into one JSON list; exit 2 naming an unusable argument."""
    arg_lists = []
    for number, text in enumerate(announcements, start=1):
        try:
            found = json.loads(text)
            args = found["chromium_args"] if isinstance(found, dict) else found
            parse_chromium_args(args)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            problem = f"argument {number} is neither a serve line nor a chromium_args list: {error}"
            print(f"merge-flags: {problem}", file=sys.stderr)
            return 2
        arg_lists.append(args)
    print(json.dumps(merge_chromium_args(*arg_lists)))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "merge-flags":
        return merge_flags(args.announcements)
    limits = Limits(max_body=args.max_body, log_body=args.log_body, read_timeout=args.read_timeout)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    with FakeFal.start(timing=args.timing, port=args.port, limits=limits) as fake:
        if args.require_key:
            fake.require_key(args.require_key)
        info = {
            "port": fake.port,
            "ca_cert": str(fake.ca_cert),
            "hosts": list(HOSTS),
            "host_rules": fake.host_rules,
            "spki": fake.spki,
            "chromium_args": fake.chromium_args,
            "env": fake.env,
            "host_ports": fake.host_ports,
            "timing": args.timing,
            "required_key": args.require_key,
            "limits": dataclasses.asdict(limits),
        }
        print(json.dumps(info), flush=True)
        # The server threads do the work; this one only waits for a signal.
        stop.wait()
        unexpected = fake.httpserver.take_unexpected()
        for line in unexpected:
            print(f"fake_fal: unexpected request {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
