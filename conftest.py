"""Wiring only, for both test trees: the fake FAL plugin, pytest-playwright's options checked
(`e2e.browser.options`), the reports (`e2e.reports.plugin`), which Chromium to start and where (here or in a
Playwright server).

Each tree resolves its own launch arguments in its own conftest (e2e maps the app's host too; fake_fal's tests
map the fake alone), so neither fixes the other's browser flags for the session.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

import pytest
from playwright.sync_api import Browser, BrowserType

from e2e.browser import remote as remote_browser
from media_app.browser import ChromiumNotFound, find_chromium

# e2e.journeys.profiles registers the Hypothesis profiles before `--hypothesis-profile` is read.
pytest_plugins = [
    "fake_fal.plugin",
    "e2e.browser.options",
    "e2e.reports.plugin",
    "e2e.journeys.profiles",
    "pytester",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browser-server",
        metavar="WS_ENDPOINT",
        default=os.environ.get("E2E_BROWSER_SERVER"),
        help="run browsers in a Playwright server (`playwright run-server --unsafe`) instead of locally; "
        "our launch arguments (host mapping, SPKI trust) travel with the connection",
    )


@pytest.fixture(scope="session")
def chromium_launch_options(pytestconfig: pytest.Config) -> dict[str, Any]:
    """Which Chromium to start (session scope): --browser-channel's (checked at start by
    e2e.browser.options), else media_app.browser's find."""
    channel = pytestconfig.getoption("--browser-channel")
    if channel:
        return {"channel": channel}
    try:
        return {"executable_path": str(find_chromium())}
    except ChromiumNotFound as error:
        pytest.exit(str(error), returncode=3)


@pytest.fixture(scope="session")
def browser_server(pytestconfig: pytest.Config) -> str | None:
    """The Playwright server to run browsers in (session scope): --browser-server's, or None for here."""
    server: str | None = pytestconfig.getoption("--browser-server")
    return server


class LaunchChromium(Protocol):
    """Starts a Chromium with these launch options, here or in the Playwright server; the caller closes it."""

    def __call__(self, options: dict[str, Any]) -> Browser: ...


@pytest.fixture(scope="session")
def launch_chromium(browser_type: BrowserType, browser_server: str | None) -> LaunchChromium:
    """A factory (session scope) for a Chromium of a test tree's own, beside pytest-playwright's `browser`."""

    def launch(options: dict[str, Any]) -> Browser:
        if browser_server:
            return browser_type.connect(**remote_browser.connect_options(browser_server, options))
        return browser_type.launch(**options)

    return launch
