"""Wiring only: the fake FAL plugin, the Chromium to launch and its flags, artifact folders under reports/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

import pytest

from e2e.chromium import ChromiumNotFound, find_chromium
from fake_fal.tls import QUIET_CHROMIUM_FLAGS, chromium_args

pytest_plugins = ["fake_fal.plugin"]

ROOT = Path(__file__).resolve().parent
REPORTS = ROOT / "reports"


class MappedServer(Protocol):
    """A local HTTPS server that Chromium reaches through host-resolver rules and trusts by SPKI."""

    host_rules: list[str]
    spki: str


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browser-server",
        metavar="WS_ENDPOINT",
        default=os.environ.get("E2E_BROWSER_SERVER"),
        help="run browsers in a Playwright server (`playwright run-server --unsafe`) instead of locally; "
        "our launch arguments (host mapping, SPKI trust) travel with the connection",
    )


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright wipes its --output folder at start in every xdist worker; give each worker its own
    # folder so one worker never deletes another's artifacts.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and hasattr(config.option, "output"):
        config.option.output = str(Path(config.option.output) / worker)


@pytest.fixture(scope="session")
def mapped_servers(fake_fal_server: MappedServer) -> list[MappedServer]:
    """The servers Chromium must reach on their real hostnames (session scope); e2e adds the app."""
    return [fake_fal_server]


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """The Chromium executable (session scope): $CHROMIUM, a system Chromium, or Playwright's build."""
    try:
        return find_chromium()
    except ChromiumNotFound as error:
        pytest.exit(str(error), returncode=3)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    chromium_executable: Path,
    mapped_servers: list[MappedServer],
) -> dict[str, Any]:
    """Launch arguments (session scope): our Chromium, quiet-network flags, host mapping and SPKI trust."""
    rules = [rule for server in mapped_servers for rule in server.host_rules]
    spkis = sorted({server.spki for server in mapped_servers})
    args = [*QUIET_CHROMIUM_FLAGS, *chromium_args(rules, spkis)]
    if os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (CI containers run as root).
        args.append("--no-sandbox")
    return {**browser_type_launch_args, "executable_path": str(chromium_executable), "args": args}


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config) -> dict[str, Any] | None:
    """Where browsers run (session scope): a Playwright server given by --browser-server, else locally."""
    endpoint = pytestconfig.getoption("--browser-server")
    # pytest-playwright sends browser_type_launch_args along in the x-playwright-launch-options header;
    # the server must run with --unsafe to honour `args` and `executable_path`.
    return {"ws_endpoint": endpoint} if endpoint else None
