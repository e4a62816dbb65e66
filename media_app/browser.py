"""Which Chromium opens the app, and whether a visible window can be shown here.

One definition for everyone who starts a Chromium on the app: the demo (`python -m media_app demo`), the
test suite (`e2e.browser.chromium`, the root conftest) and the report tool (`python -m e2e.repro`).
Discovery order: `$CHROMIUM`, a system Chromium or Chrome on PATH (Debian's and Google's play H.264, FAL's
codec), then Playwright's downloaded build (which does not).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

NO_DISPLAY = "--headed needs a display: run it in a desktop session, or under `xvfb-run`."


class ChromiumNotFound(RuntimeError):
    """No usable Chromium on this machine."""


def _playwright_chromium() -> Path | None:
    # Imported here: `python -m media_app serve` runs without starting Playwright's driver.
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            path = Path(playwright.chromium.executable_path)
        except PlaywrightError:
            return None
    return path if path.exists() else None


def find_chromium() -> Path:
    """The Chromium executable to launch; raises ChromiumNotFound with what to do."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        path = Path(configured)
        if not path.exists():
            raise ChromiumNotFound(f"CHROMIUM={configured} does not exist")
        return path
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    bundled = _playwright_chromium()
    if bundled:
        return bundled
    raise ChromiumNotFound(
        "No Chromium found. Run `make e2e` (it installs one), or install Debian's `chromium` package, "
        "or set CHROMIUM=/path/to/chrome."
    )


def has_display() -> bool:
    """Whether a headed browser can open a window (macOS and Windows always can; elsewhere X or Wayland)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
