"""Wiring only: the fake FAL plugin, the Chromium to launch and its flags, artifact folders under reports/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

import pytest
from playwright.sync_api import Browser, BrowserType

from e2e import remote_browser
from e2e.chromium import ChromiumNotFound, find_chromium
from fake_fal.tls import Mapped, browser_flags

pytest_plugins = ["fake_fal.plugin"]

ROOT = Path(__file__).resolve().parent
REPORTS = ROOT / "reports"


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
def mapped_servers(fake_fal_server: Mapped) -> list[Mapped]:
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
    mapped_servers: list[Mapped],
) -> dict[str, Any]:
    """Launch arguments (session scope): our Chromium, quiet-network flags, host mapping and SPKI trust."""
    args = browser_flags(mapped_servers)
    return {**browser_type_launch_args, "executable_path": str(chromium_executable), "args": args}


@pytest.fixture(scope="session")
def browser_server(pytestconfig: pytest.Config) -> str | None:
    """The Playwright server to run browsers in (session scope): --browser-server's, or None for here."""
    return pytestconfig.getoption("--browser-server")


@pytest.fixture(scope="session")
def connect_options(
    browser_server: str | None, browser_type_launch_args: dict[str, Any]
) -> dict[str, Any] | None:
    """pytest-playwright's connection (session scope): to --browser-server, with our launch arguments."""
    if not browser_server:
        return None
    return remote_browser.connect_options(browser_server, browser_type_launch_args)


class LaunchChromium(Protocol):
    """Starts a Chromium with these flags, here or in the Playwright server; the caller closes it."""

    def __call__(self, args: list[str]) -> Browser: ...


@pytest.fixture(scope="session")
def launch_chromium(
    browser_type: BrowserType, chromium_executable: Path, browser_server: str | None
) -> LaunchChromium:
    """A factory (session scope) for a Chromium of a test tree's own, beside pytest-playwright's `browser`."""

    def launch(args: list[str]) -> Browser:
        options = {"executable_path": str(chromium_executable), "args": args}
        if browser_server:
            return browser_type.connect(**remote_browser.connect_options(browser_server, options))
        return browser_type.launch(**options)

    return launch
