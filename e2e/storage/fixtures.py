"""Storage faults as fixtures, each saying whether it is a real browser condition or a script patch.

Fixtures of `e2e/conftest.py`, built from the one table of conditions
(`e2e.storage.faults.STORAGE_CONDITIONS`); each records its condition in the test's report properties.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, BrowserType, Page

from e2e.apps.choice import APP
from e2e.apps.target import AppTarget
from e2e.pages.interface import AppPages
from e2e.storage.faults import (
    STORAGE_CONDITIONS,
    QuotaOverride,
    ScriptPatch,
    StorageCondition,
    launch_blocked_storage_context,
)
from e2e.witnesses import Witnesses
from e2e.witnesses.artifacts import ArtifactKeeper, has_failed
from fake_fal.server import FakeFal


def _record_fault(request: pytest.FixtureRequest, condition: StorageCondition) -> None:
    # In the JUnit XML and the HTML report, so a reader knows how real the condition was.
    request.node.user_properties.append(("storage_fault", condition.label))


def _storage_control(request: pytest.FixtureRequest, name: str, page: Page, origin: str) -> Any:
    condition = STORAGE_CONDITIONS[name]
    assert condition.make is not None, f"{name} is not armed mid-test"
    _record_fault(request, condition)
    return condition.make(page, origin)


@pytest.fixture
def quota(request: pytest.FixtureRequest, page: Page, app_origin: str) -> Iterator[QuotaOverride]:
    """Real browser condition: the app origin's quota, `fill()` to 1 byte and `restore()` (function scope).

    Fill it after the project exists (creating one writes too); fill then restore is a transient failure
    that recovers.
    """
    override: QuotaOverride = _storage_control(request, "quota-full", page, app_origin)
    yield override
    if not page.is_closed():
        override.restore()


@pytest.fixture
def opfs_patch(request: pytest.FixtureRequest, page: Page, app_origin: str) -> ScriptPatch:
    """Script patch, not a browser condition: OPFS alone refuses from `apply(page)` on (function scope)."""
    patch: ScriptPatch = _storage_control(request, "opfs-blocked", page, app_origin)
    return patch


@pytest.fixture
def indexeddb_patch(request: pytest.FixtureRequest, page: Page, app_origin: str) -> ScriptPatch:
    """Script patch, not a browser condition: IndexedDB refuses the media databases (function scope)."""
    patch: ScriptPatch = _storage_control(request, "indexeddb-blocked", page, app_origin)
    return patch


@pytest.fixture
def blocked_storage_context(
    request: pytest.FixtureRequest,
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    browser_context_args: dict[str, Any],
    connect_options: dict[str, Any] | None,
    witnesses: Witnesses,
    artifact_keeper: ArtifactKeeper,
    tmp_path: Path,
) -> Iterator[BrowserContext]:
    """Real browser condition: a persistent profile with site data blocked, watched and kept (function scope).

    OPFS, IndexedDB and localStorage all refuse the app, as in a browser set to block site data.
    """
    if connect_options:
        pytest.skip("a persistent profile cannot be launched through a Playwright server (--browser-server)")
    _record_fault(request, STORAGE_CONDITIONS["blocked"])
    context = launch_blocked_storage_context(
        browser_type, tmp_path / "profile", browser_type_launch_args, **browser_context_args
    )
    artifact_keeper.watch(context)
    page = context.pages[0] if context.pages else context.new_page()
    witnesses.watch(context, page)
    yield context
    artifact_keeper.close(context, failed=has_failed(request.node), witnesses=witnesses)


@pytest.fixture
def blocked_storage_qcut(
    pytestconfig: pytest.Config,
    blocked_storage_context: BrowserContext,
    app_target: AppTarget,
    fake_fal: FakeFal,
) -> AppPages:
    """The app's page objects in the blocked-site-data profile, fake_fal cleared (function scope)."""
    return pytestconfig.stash[APP].page_objects(blocked_storage_context.pages[0], app_target.url)
