"""pytest plugin: pytest-playwright's own options, each honoured by the suite or refused at start-up.

| option | here |
|---|---|
| `--browser chromium` | the default; `firefox` and `webkit` are refused: the witnesses need Chrome DevTools |
| `--browser-channel C` | honoured: Playwright's channel `C`, not the discovered Chromium (checked at start) |
| `--base-url URL` | the same as `--app-url URL` (the app under test); both at once must agree |
| `--headed`, `--slowmo` | honoured; `--headed` without a display is refused |
| `--device NAME` | honoured; an unknown name is refused with the known ones |
| `--video on/retain-on-failure` | honoured; a real ffmpeg stands in for Playwright's (e2e.browser.chromium) |
| `--tracing`, `--screenshot`, `--full-page-screenshot`, `--output` | honoured by pytest-playwright |

Loaded by the root conftest, so fake_fal's browser tests get the same checks.
"""

from __future__ import annotations

import difflib

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from e2e.browser.chromium import FfmpegNotFound, ensure_ffmpeg
from media_app.browser import NO_DISPLAY, has_display

OTHER_ENGINES = """\
--browser {engine}: this suite drives Chromium only. Its witnesses read CSP and COEP blocks from Chrome \
DevTools (Audits.issueAdded, Network) and its storage faults use DevTools' Storage domain; {engine} has \
neither. Leave --browser out (or pass --browser chromium); for another Chromium build, set \
CHROMIUM=/path/to/chrome or pass --browser-channel (chrome, msedge, ...)."""


def _controller(config: pytest.Config) -> bool:
    """Whether this process is the run's controller (not an xdist worker): start-up checks run once."""
    return not hasattr(config, "workerinput")


def check_browser(config: pytest.Config) -> None:
    for engine in config.getoption("browser", default=None) or []:
        if engine != "chromium":
            raise pytest.UsageError(OTHER_ENGINES.format(engine=engine))


def check_headed(config: pytest.Config) -> None:
    if config.getoption("headed", default=False) and not has_display():
        raise pytest.UsageError(NO_DISPLAY)


def alias_base_url(config: pytest.Config) -> None:
    """`--base-url` names the app under test, as `--app-url` does: make it `--app-url`."""
    base_url = config.getoption("base_url", default=None)
    if not base_url:
        return
    if not hasattr(config.option, "app_url"):
        raise pytest.UsageError(
            f"--base-url {base_url}: the app under test is e2e's (it is e2e's --app-url); the tests selected "
            "here open FAL's own URLs. Run e2e with it: `pytest e2e --base-url URL`."
        )
    app_url = config.option.app_url
    if app_url and app_url != base_url:
        raise pytest.UsageError(
            f"--base-url {base_url} and --app-url {app_url} name two apps under test; --base-url is "
            "--app-url's other name: pass one of them."
        )
    config.option.app_url = base_url


def check_device(config: pytest.Config) -> None:
    name = config.getoption("device", default=None)
    if not name:
        return
    with sync_playwright() as playwright:
        known = list(playwright.devices)
    if name not in known:
        near = difflib.get_close_matches(name, known, n=5, cutoff=0.5)
        hint = f"did you mean {', '.join(map(repr, near))}?" if near else f"{len(known)} are known"
        raise pytest.UsageError(
            f"--device {name!r}: not one of Playwright's device descriptors ({hint}; "
            'the list: `python -c "from playwright.sync_api import sync_playwright as p; '
            'print(*p().start().devices, sep=chr(10))"`)'
        )


def check_channel(config: pytest.Config) -> None:
    """Start --browser-channel's browser once: one that is not installed is refused before any test runs."""
    channel = config.getoption("browser_channel", default=None)
    if not channel or config.getoption("browser_server", default=None) or config.getoption("collectonly"):
        # With --browser-server, the channel is the server machine's to have.
        return
    with sync_playwright() as playwright:
        try:
            playwright.chromium.launch(channel=channel).close()
        except PlaywrightError as error:
            raise pytest.UsageError(
                f"--browser-channel {channel}: {error.message.strip()}\n"
                "Or leave --browser-channel out: the suite then finds a Chromium itself ($CHROMIUM, PATH)."
            ) from None


def check_video(config: pytest.Config) -> None:
    if config.getoption("video", default="off") == "off" or config.getoption("browser_server", default=None):
        # With --browser-server, the server records the video with its own ffmpeg.
        return
    try:
        ensure_ffmpeg()
    except FfmpegNotFound as error:
        video = config.getoption("video")
        raise pytest.UsageError(
            f"--video {video}: {error} Or leave --video out: a trace (--tracing on) shows the page at each "
            "action."
        ) from None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Before e2e/conftest.py's pytest_configure, which checks --app-url against the other --app-* options.
    alias_base_url(config)
    if not _controller(config):
        return
    check_browser(config)
    check_headed(config)
    check_device(config)
    check_channel(config)
    check_video(config)
