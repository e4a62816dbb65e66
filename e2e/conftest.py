"""e2e fixtures: the reference app's server (one per xdist worker), mapped beside fake_fal; page objects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from e2e.pages import QCutApp
from fake_fal.server import FakeFal
from media_app.profiles import BUGS, PROFILES
from media_app.server import STATIC_DIR, AppServer


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("media_app", "the reference app under test")
    group.addoption(
        "--app-profile",
        default="fixed",
        choices=sorted(PROFILES),
        help="profile the app server starts with (default fixed); pages may still override it per URL",
    )
    group.addoption(
        "--app-bugs",
        default="",
        metavar="A,B",
        help=f"extra legacy switches for the app server, comma-separated: {', '.join(BUGS)}",
    )
    group.addoption(
        "--app-dir",
        default=str(STATIC_DIR),
        metavar="PATH",
        help="serve this copy of the app (a candidate build) instead of media_app/static",
    )


@pytest.fixture(scope="session")
def app_server(pytestconfig: pytest.Config) -> Iterator[AppServer]:
    """The reference app on https://app.qcut.test/ (session scope: one server per xdist worker)."""
    bugs = [name for name in pytestconfig.getoption("--app-bugs").split(",") if name]
    server = AppServer(
        app_dir=Path(pytestconfig.getoption("--app-dir")),
        profile=pytestconfig.getoption("--app-profile"),
        bugs=bugs,
    )
    with server:
        yield server


@pytest.fixture(scope="session")
def base_url(app_server: AppServer) -> str:
    """The app's URL, for relative `page.goto` (session scope); replaces pytest-playwright's fallback."""
    return app_server.url


@pytest.fixture(scope="session")
def mapped_servers(fake_fal_server: FakeFal, app_server: AppServer) -> list:
    """The servers Chromium reaches on their real hostnames (session scope): fake_fal and the app."""
    return [fake_fal_server, app_server]


@pytest.fixture
def app_reports(app_server: AppServer) -> Iterator[AppServer]:
    """The app server with its CSP/COEP report log emptied for this test (function scope)."""
    app_server.clear_reports()
    yield app_server
    app_server.clear_reports()


@pytest.fixture
def qcut(page: Page, app_server: AppServer, fake_fal: FakeFal) -> QCutApp:
    """The app's page objects on a fresh context, with fake_fal cleared for this test (function scope)."""
    return QCutApp(page, app_server.url)
