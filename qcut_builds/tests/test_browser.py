"""A real QCut build in a real Chromium: the bug build's projects page renders, served as it ships."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from fake_fal.tls import browser_flags
from qcut_builds.build import Build, UnknownBuild, ensure_built, find_build, known_builds, no_snapshot_message
from qcut_builds.server import BuiltAppServer

pytestmark = pytest.mark.browser

BUG_BUILD = "7e2231ef"
# The app routes by hash; `/` is a landing page, the projects page is `#/projects`.
PROJECTS = "#/projects"


@pytest.fixture(scope="module")
def bug_build() -> Build:
    """The bug report's build, built if the cache lacks it (module scope); skipped without a snapshot."""
    builds = known_builds()
    if not builds:
        pytest.skip(no_snapshot_message())
    try:
        build = find_build(BUG_BUILD, builds)
    except UnknownBuild as error:
        pytest.skip(str(error))
    ensure_built(build)
    return build


@pytest.fixture(scope="module")
def served(bug_build: Build) -> Iterator[BuiltAppServer]:
    """The bug build on https://app.qcut.test/, no headers of ours, the shell's on request (module scope)."""
    shell = bug_build.desktop_headers()
    with BuiltAppServer(bug_build.dist, commit=bug_build.commit, shell_headers=shell) as server:
        yield server


@pytest.fixture(scope="module")
def chromium(
    served: BuiltAppServer, launch_chromium: Any, chromium_launch_options: dict[str, Any]
) -> Iterator[Browser]:
    """A Chromium that reaches and trusts the built app's server (module scope)."""
    browser = launch_chromium({**chromium_launch_options, "args": browser_flags([served])})
    yield browser
    browser.close()


@pytest.fixture
def qcut_page(chromium: Browser) -> Iterator[Page]:
    """A page in a fresh context (function scope)."""
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def test_the_projects_page_of_the_bug_build_renders(
    served: BuiltAppServer, qcut_page: Page, output_path: str
) -> None:
    qcut_page.goto(served.url + PROJECTS)

    expect(
        qcut_page.get_by_role("heading", name="Your Projects"), "the projects page should show"
    ).to_be_visible()
    expect(qcut_page.get_by_test_id("new-project-button")).to_be_visible()
    Path(output_path).mkdir(parents=True, exist_ok=True)
    qcut_page.screenshot(path=str(Path(output_path) / f"{BUG_BUILD}-projects.png"))


def test_the_page_switch_gives_that_page_the_shells_isolation(
    served: BuiltAppServer, qcut_page: Page
) -> None:
    qcut_page.goto(served.url + "?desktop-headers=1" + PROJECTS)
    expect(qcut_page.get_by_role("heading", name="Your Projects")).to_be_visible()
    isolated_with_switch = qcut_page.evaluate("() => crossOriginIsolated")

    qcut_page.goto(served.url + PROJECTS)
    expect(qcut_page.get_by_role("heading", name="Your Projects")).to_be_visible()
    isolated_without = qcut_page.evaluate("() => crossOriginIsolated")

    assert (isolated_with_switch, isolated_without) == (True, False), "COOP + COEP only where asked for"
