"""`python -m media_app demo`: fake FAL, the app and a headed Chromium on them, for a person to try."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict

from fake_fal.tls import browser_flags

from .browser import ChromiumNotFound, find_chromium, has_display
from .server import STATIC_DIR, AppServer


class DemoTiming(TypedDict):
    """One endpoint's timing, as FakeFal.model takes it."""

    queue_seconds: float
    inference_time: float


# Seconds a demo job spends queued and generating: long enough to watch the progress, short enough to wait.
DEMO_TIMING: dict[str, DemoTiming] = {
    "fal-ai/ltxv-2/text-to-video/fast": {"queue_seconds": 0.0, "inference_time": 4.0},
    "fal-ai/kling-video/v2.5-turbo/pro/text-to-video": {"queue_seconds": 2.0, "inference_time": 6.0},
}


class DemoError(RuntimeError):
    """The demo cannot start here (no display, no browser)."""


def require_display() -> None:
    if not has_display():
        raise DemoError(
            "no display: the demo opens a visible browser window. Run it in a desktop session, "
            "or under a virtual display: `xvfb-run python -m media_app demo`."
        )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM closes the browser and servers like Ctrl-C


def run_demo(
    *,
    profile: str = "fixed",
    bugs: Iterable[str] = (),
    fal_key: str = "test-fal-key",
    app_dir: Path = STATIC_DIR,
) -> int:
    """Serve fake FAL and the app, open a headed Chromium on the app, and wait until its window is closed."""
    try:
        require_display()
        browser_path = str(find_chromium())
    except (DemoError, ChromiumNotFound) as error:
        print(f"python -m media_app demo: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    # Imported here: `serve` must work without the emulator's extra dependencies loaded.
    from playwright.sync_api import sync_playwright

    from fake_fal.server import FakeFal

    with (
        FakeFal.start(timing="realistic") as fake,
        AppServer(app_dir=app_dir, profile=profile, bugs=bugs, fal_key=fal_key) as app,
    ):
        for endpoint, timing in DEMO_TIMING.items():
            fake.model(endpoint, **timing)
        args = browser_flags([fake, app])
        print(f"QCut demo: {app.url} (profile {app.profile.name}) on fake FAL; close the window to stop.")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, headless=False, args=args)
            try:
                page = browser.new_context(no_viewport=True).new_page()
                page.goto(app.url)
                print(f"opened {page.url}", flush=True)
                page.wait_for_event("close", timeout=0)
            except KeyboardInterrupt:
                pass
            finally:
                browser.close()
    return 0
