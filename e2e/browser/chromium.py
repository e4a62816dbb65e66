"""Install and vet the Chromium the suite drives.

The suite needs a Chromium that plays H.264 MP4 (the codec of FAL's videos). Debian's and Ubuntu's
`chromium` and Google Chrome do; Playwright's own Chromium build does not. Which one is found, and in what
order, is `media_app.browser`'s one definition.

    python -m e2e.browser.chromium ensure  # find one, or install one (Playwright's download, else apt)

Playwright records `--video` with an ffmpeg of its own, downloaded beside its browsers. Where that download
is not possible, `ensure` (and a run with `--video`) links a real ffmpeg in its place: imageio-ffmpeg's
static build (a project dependency), else one on PATH (Debian's `ffmpeg`). Both encode VP8/VP9 WebM as
Playwright asks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from media_app.browser import ChromiumNotFound, find_chromium

__all__ = [
    "H264_PROBE",
    "NO_H264_MESSAGE",
    "ChromiumNotFound",
    "FfmpegNotFound",
    "ensure",
    "ensure_ffmpeg",
    "find_chromium",
]

H264_PROBE = "document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.42E01E\"')"

NO_H264_MESSAGE = """\
This Chromium cannot play H.264 MP4 ({path}): canPlayType(avc1) returned {answer!r}.
FAL's videos are H.264, so every preview test would fail for the wrong reason.
Playwright's own Chromium build lacks proprietary codecs. Use a Chromium that has them:
  - Debian/Ubuntu:  sudo apt-get install chromium   (then rerun; it is found on PATH)
  - or Google Chrome, and point the suite at it:  export CHROMIUM=/usr/bin/google-chrome
"""


def _install() -> None:
    print("No Chromium found; trying Playwright's download.", flush=True)
    result = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    if result.returncode == 0:
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        print("Playwright's download failed; installing Debian's chromium package.", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], check=True, env=env)
        subprocess.run([apt, "install", "-y", "-qq", "chromium"], check=True, env=env)
        return
    raise ChromiumNotFound(
        "Could not install a Chromium: Playwright's download failed and apt-get is not available as root.\n"
        "Install one yourself (e.g. `sudo apt-get install chromium`, or Google Chrome) and set "
        "CHROMIUM=/path/to/it if it is not on PATH."
    )


def ensure() -> Path:
    """Find a Chromium, installing one if there is none."""
    try:
        return find_chromium()
    except ChromiumNotFound:
        _install()
        return find_chromium()


class FfmpegNotFound(RuntimeError):
    """Playwright's ffmpeg is missing and no real ffmpeg can stand in for it."""


# The file Playwright runs for video recording, inside its ffmpeg folder (its registry's names).
PLAYWRIGHT_FFMPEG_NAMES = {"linux": "ffmpeg-linux", "darwin": "ffmpeg-mac", "win32": "ffmpeg-win64.exe"}


def playwright_ffmpeg() -> Path:
    """Where the installed Playwright looks for its ffmpeg, as `playwright install --dry-run ffmpeg` says."""
    name = PLAYWRIGHT_FFMPEG_NAMES.get(sys.platform)
    if name is None:
        raise FfmpegNotFound(f"Playwright's ffmpeg has no known file name on {sys.platform}")
    listing = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "--dry-run", "ffmpeg"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = re.search(r"Install location:\s+(\S+)", listing)
    if found is None:
        raise FfmpegNotFound(f"`playwright install --dry-run ffmpeg` named no install location: {listing!r}")
    return Path(found.group(1)) / name


def real_ffmpeg() -> Path | None:
    """An ffmpeg that encodes WebM: imageio-ffmpeg's static build, else one on PATH; None if neither."""
    try:
        import imageio_ffmpeg  # type: ignore[import-untyped]  # ships no py.typed
    except ImportError:
        bundled = None
    else:
        try:
            bundled = Path(imageio_ffmpeg.get_ffmpeg_exe())
        except RuntimeError:  # imageio-ffmpeg's "no ffmpeg" (no binary for this platform)
            bundled = None
    if bundled is not None and bundled.is_file():
        return bundled
    on_path = shutil.which("ffmpeg")
    return Path(on_path) if on_path else None


def ensure_ffmpeg() -> Path:
    """Playwright's ffmpeg, linked to a real one if it is missing; raises FfmpegNotFound saying what to do."""
    target = playwright_ffmpeg()
    if target.is_file():
        return target
    source = real_ffmpeg()
    if source is None:
        raise FfmpegNotFound(
            f"Playwright records videos with its own ffmpeg ({target}), which is missing, and no ffmpeg was "
            "found to stand in for it. Install one: `.venv/bin/pip install imageio-ffmpeg` (a dependency in "
            "pyproject.toml: `make setup`), or `apt-get install ffmpeg`."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Linked under a name of its own, then renamed: two workers starting at once both end with a good link.
    staging = target.with_name(f".{target.name}.{os.getpid()}")
    staging.unlink(missing_ok=True)
    staging.symlink_to(source)
    os.replace(staging, target)
    return target


def main(argv: list[str]) -> int:
    if argv[1:] != ["ensure"]:
        print("usage: python -m e2e.browser.chromium ensure", file=sys.stderr)
        return 2
    try:
        print(f"Chromium: {ensure()}")
    except ChromiumNotFound as error:
        print(error, file=sys.stderr)
        return 1
    # Only `--video` needs it: say so, but a missing ffmpeg does not fail the setup.
    try:
        ffmpeg = ensure_ffmpeg()
    except FfmpegNotFound as error:
        print(f"ffmpeg for --video: not available. {error}", file=sys.stderr)
    else:
        print(f"ffmpeg for --video: {ffmpeg} -> {ffmpeg.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
