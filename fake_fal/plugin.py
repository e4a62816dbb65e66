"""pytest plugin: one FakeFal per xdist worker, cleared before each test and checked after it.

The root conftest loads it with `pytest_plugins = ["fake_fal.plugin"]`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FakeFal


@pytest.fixture(scope="session")
def fake_fal_server() -> Iterator[FakeFal]:
    """The worker's running FakeFal (session scope: started once per xdist worker); prefer `fake_fal`."""
    with FakeFal.start() as fake:
        yield fake


@pytest.fixture
def fake_fal(fake_fal_server: FakeFal) -> Iterator[FakeFal]:
    """The worker's FakeFal, cleared before a test, checked for stray requests after it (function scope)."""
    fake_fal_server.clear()
    yield fake_fal_server
    fake_fal_server.check()
