"""Keep a browser context's trace, screenshots and videos as pytest-playwright keeps those of its contexts.

pytest-playwright records the contexts its `new_context` fixture opens (its `ArtifactsRecorder`): tracing from
creation, a screenshot of every open page and the trace into a scratch folder when the context closes, videos
once it is closed, and when the test has finished, the ones `--tracing`, `--screenshot` and `--video` keep
moved into the test's output folder, the rest deleted. Contexts it does not open (a persistent profile, a
browser in a Playwright server, the report tool's replay) get the same through `ArtifactKeeper`, plus the
witnesses' logs (`Witnesses.write`), written while the pages are still open. Every trace is recorded as
`start_trace` says, pytest-playwright's too (`trace_without_screencast`).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

if TYPE_CHECKING:
    from e2e.witnesses import Witnesses

# pytest-playwright's own timeout for the screenshot of a closing context's page.
SCREENSHOT_TIMEOUT_MS = 5_000


def start_trace(context: BrowserContext, title: str | None = None) -> None:
    """Trace `context`: each action's DOM snapshot (the trace viewer draws the page from it) and the test's
    sources, not the screencast. The screencast cost a browser test about 40 % more CPU
    (docs/performance.md); a failing test keeps its screenshot beside the trace."""
    context.tracing.start(title=title, screenshots=False, snapshots=True, sources=True)


def trace_without_screencast(context: BrowserContext, title: str) -> None:
    """Start `context`'s trace again as `start_trace` does: pytest-playwright starts its contexts' traces with
    the screencast, and what they held so far is only the context's creation."""
    context.tracing.stop()
    start_trace(context, title)


@dataclass(frozen=True)
class ArtifactOptions:
    """What to keep, in pytest-playwright's option values, and the witnesses' logs in the same terms."""

    tracing: str = "retain-on-failure"  # on, off, retain-on-failure
    screenshot: str = "only-on-failure"  # on, off, only-on-failure
    video: str = "off"  # on, off, retain-on-failure
    full_page_screenshot: bool = False
    logs: str = "only-on-failure"  # on, only-on-failure: console.log, csp.log, blocked-responses.log, ...
    # One page's screenshot under this name instead of pytest-playwright's test-failed-1.png.
    screenshot_file: str | None = None

    @classmethod
    def from_config(cls, config: pytest.Config) -> ArtifactOptions:
        """What a pytest run keeps: its --tracing, --screenshot, --video and --full-page-screenshot."""
        return cls(
            tracing=config.getoption("--tracing"),
            screenshot=config.getoption("--screenshot"),
            video=config.getoption("--video"),
            full_page_screenshot=bool(config.getoption("--full-page-screenshot")),
        )

    @property
    def traces(self) -> bool:
        return self.tracing in ("on", "retain-on-failure")

    @property
    def screenshots(self) -> bool:
        return self.screenshot in ("on", "only-on-failure")

    @property
    def videos(self) -> bool:
        return self.video in ("on", "retain-on-failure")

    def keeps(self, kind: str, failed: bool) -> bool:
        """Whether `kind` (tracing, screenshot, video, logs) stays after a test that `failed`."""
        value = getattr(self, kind)
        return value == "on" or (failed and value in ("retain-on-failure", "only-on-failure"))


class ArtifactKeeper:
    """The artifacts of the contexts `watch`ed, gathered when each closes (`close`), sorted by `finish`."""

    def __init__(self, folder: Path, options: ArtifactOptions | None = None) -> None:
        self.folder = folder
        self.options = options or ArtifactOptions()
        self.notes: list[str] = []  # what could not be recorded (a page that would not take a screenshot)
        self.kept: list[Path] = []
        self._scratch = Path(tempfile.mkdtemp(prefix="e2e-artifacts-"))
        self._pages: list[Page] = []
        self._traces: list[Path] = []
        self._screenshots: list[Path] = []
        self._videos: list[Path] = []

    def watch(self, context: BrowserContext) -> None:
        """Record `context` from now on: its trace (as the options say) and every page it opens."""
        self._pages.extend(page for page in context.pages if page not in self._pages)
        context.on("page", self._add_page)
        if self.options.traces:
            start_trace(context)

    def _add_page(self, page: Page) -> None:
        self._pages.append(page)

    def close(self, context: BrowserContext, *, failed: bool, witnesses: Witnesses | None = None) -> None:
        """Close `context`, gathering its trace, screenshots and videos; the witnesses' logs first, if kept.

        `failed` decides the logs, which read the open pages; the rest is decided by `finish`.
        """
        if witnesses is not None and self.options.keeps("logs", failed):
            self.kept += witnesses.write(self.folder)
        if self.options.traces:
            trace = self._scratch_file()
            context.tracing.stop(path=trace)
            self._traces.append(trace)
        if self.options.screenshots:
            for page in context.pages:
                self._screenshot(page)
        pages = [page for page in self._pages if page.context == context]
        context.close()
        if self.options.videos:
            for page in pages:
                self._save_video(page)

    def finish(self, failed: bool) -> list[Path]:
        """Move what the options keep for a test that `failed` into the folder; delete the rest."""
        status = "failed" if failed else "finished"
        self._move(
            "tracing",
            failed,
            self._traces,
            lambda i: "trace.zip" if len(self._traces) == 1 else f"trace-{i}.zip",
        )
        self._move(
            "screenshot",
            failed,
            self._screenshots,
            lambda i: (
                self.options.screenshot_file
                if self.options.screenshot_file and len(self._screenshots) == 1
                else f"test-{status}-{i}.png"
            ),
        )
        self._move(
            "video",
            failed,
            self._videos,
            lambda i: "video.webm" if len(self._videos) == 1 else f"video-{i}.webm",
        )
        shutil.rmtree(self._scratch, ignore_errors=True)
        return self.kept

    def _scratch_file(self) -> Path:
        return self._scratch / uuid.uuid4().hex

    def _screenshot(self, page: Page) -> None:
        path = self._scratch_file()
        try:
            page.screenshot(
                path=path,
                type="png",
                timeout=SCREENSHOT_TIMEOUT_MS,
                full_page=self.options.full_page_screenshot,
            )
        except PlaywrightError as error:
            # A crashed or closing page: the trace still has its last frames.
            self.notes.append(f"no screenshot of {page.url}: {str(error).splitlines()[0]}")
            return
        self._screenshots.append(path)

    def _save_video(self, page: Page) -> None:
        video = page.video
        if video is None:
            return
        path = self._scratch_file()
        try:
            video.save_as(path)
            video.delete()
        except PlaywrightError as error:
            # A persistent context takes its browser with it when it closes; its video is then a finished
            # file on this machine (a video in a Playwright server has no local path).
            try:
                shutil.move(video.path(), path)
            except (PlaywrightError, OSError):
                self.notes.append(f"no video of {page.url}: {str(error).splitlines()[0]}")
                return
        self._videos.append(path)

    def _move(self, kind: str, failed: bool, files: list[Path], name: Callable[[int], str]) -> None:
        keep = self.options.keeps(kind, failed)
        for index, path in enumerate(files, start=1):
            if not keep:
                path.unlink(missing_ok=True)
                continue
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / name(index)
            shutil.move(path, target)
            self.kept.append(target)


def has_failed(item: pytest.Item) -> bool:
    """Whether the test failed so far (pytest-playwright records each phase's report on the item)."""
    return any(getattr(getattr(item, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))
