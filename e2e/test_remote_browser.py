"""Browsers elsewhere: a Chromium run by a Playwright server (`playwright run-server`) still reaches the app
on https://app.qcut.test/ and the FAL hosts through our host mapping, because our launch arguments travel with
the connection (`x-playwright-launch-options`, in the server's camelCase names; honoured with `--unsafe`).

The whole suite runs this way with `--browser-server ws://...`; this test shows it on a local server.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserType, Page, expect

from e2e.apps.choice import APP
from e2e.apps.target import AppTarget
from e2e.browser.chromium import H264_PROBE
from e2e.browser.remote import connect_options
from e2e.pages.ai_panel import ENDPOINTS, SYNC_MODEL
from e2e.witnesses import Witnesses
from e2e.witnesses.artifacts import ArtifactKeeper, has_failed
from fake_fal.models import FAMILY_HOST, family_of
from fake_fal.server import FakeFal

pytestmark = [pytest.mark.browser]

PROMPT = "A cable car climbs through low clouds"
ENDPOINT = ENDPOINTS[SYNC_MODEL]
LISTENING = re.compile(r"Listening on (ws://\S+)")


@pytest.fixture(scope="module")
def playwright_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local `playwright run-server --unsafe` on a free port; yields its ws endpoint (module scope)."""
    log = tmp_path_factory.mktemp("playwright-server") / "stderr.log"
    command = [
        sys.executable,
        "-m",
        "playwright",
        "run-server",
        "--unsafe",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
    ]
    with (
        log.open("w") as stderr,
        # Its own session: `python -m playwright` runs the Node server as a child, so stop the whole group.
        subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
        ) as server,
    ):
        assert server.stdout is not None
        # Its first line names the endpoint once it listens; EOF (an empty line) means it died.
        first = server.stdout.readline()
        found = LISTENING.search(first)
        try:
            if found is None:
                pytest.fail(f"playwright run-server did not start: {first!r}; stderr: {log.read_text()}")
            yield found.group(1)
        finally:
            stop(server)


def stop(server: subprocess.Popen[str]) -> None:
    """Stop the server and its Node child. While it has browsers to close, its SIGTERM handler only closes
    them and keeps serving; a second signal (or SIGKILL) ends it."""
    for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return  # the whole group is gone
        try:
            server.wait(timeout=10)
            os.killpg(server.pid, 0)  # the Python wrapper is gone; is its Node child?
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            return


@pytest.fixture
def remote_page(
    request: pytest.FixtureRequest,
    playwright_server: str,
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    browser_context_args: dict[str, Any],
    witnesses: Witnesses,
    artifact_keeper: ArtifactKeeper,
) -> Iterator[Page]:
    """A page in a browser of the Playwright server, watched, its context kept on failure (function scope).

    This context is not pytest-playwright's, so the artifact keeper records it as pytest-playwright would.
    """
    # The launch arguments (our Chromium, the host mapping, SPKI trust) travel with the connection.
    remote = browser_type.connect(**connect_options(playwright_server, browser_type_launch_args))
    try:
        context = remote.new_context(**browser_context_args)
        artifact_keeper.watch(context)
        page = context.new_page()
        witnesses.watch(context, page)
        yield page
        artifact_keeper.close(context, failed=has_failed(request.node), witnesses=witnesses)
    finally:
        remote.close()


@pytest.mark.needs("editor")
def test_browser_in_a_playwright_server_reaches_the_app_and_fal_through_the_host_mapping(
    pytestconfig: pytest.Config, remote_page: Page, app_target: AppTarget, fake_fal: FakeFal
) -> None:
    fake_fal.model(ENDPOINT, clip="small")
    page = remote_page
    qcut = pytestconfig.stash[APP].page_objects(page, app_target.url)
    qcut.open_new_project()
    expect(page, "the remote browser should show the app on its own hostname").to_have_url(
        re.compile("^" + re.escape(app_target.url))
    )
    assert page.evaluate(H264_PROBE) in ("probably", "maybe"), "the server's Chromium should play H.264"
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the video generated in the remote browser should be listed")
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")

    host = FAMILY_HOST[family_of(ENDPOINT)]
    assert fake_fal.log.find(host="fal.run", step="run"), "the remote browser should reach fal.run"
    assert fake_fal.log.find(host=host, step="media"), f"the remote browser should download from {host}"
