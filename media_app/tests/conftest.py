"""Fixtures for the app server's own tests: one server over HTTPS, reached without a browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from media_app.server import AppServer


@pytest.fixture(scope="session")
def app_server() -> Iterator[AppServer]:
    """The reference app on https://app.qcut.test/, fixed profile, on a free port (session scope)."""
    with AppServer() as server:
        yield server


@pytest.fixture
def app_reports(app_server: AppServer) -> Iterator[AppServer]:
    """The app server with its CSP/COEP report log emptied for this test (function scope)."""
    app_server.clear_reports()
    yield app_server
    app_server.clear_reports()
