"""`python -m fake_fal serve [--port N] [--timing polls|realistic]`: run the fake outside pytest.

The first line on stdout is one JSON object (port, ca_cert, hosts, host_rules, spki, chromium_args, env,
host_ports); then it serves until SIGINT or SIGTERM and exits 0.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType

from .jobs import TIMINGS
from .server import HOSTS, FakeFal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fake_fal", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the FAL hosts until SIGINT/SIGTERM")
    serve.add_argument(
        "--port", type=int, default=0, help="port of the main listener (default: any free one)"
    )
    serve.add_argument(
        "--timing",
        # Clock timing needs a test to move the clock, which nothing does out here.
        choices=[mode for mode in TIMINGS if mode != "clock"],
        default="polls",
        help="how jobs progress: by poll count, or over tens of real seconds (default: polls)",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    with FakeFal.start(timing=args.timing, port=args.port) as fake:
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
