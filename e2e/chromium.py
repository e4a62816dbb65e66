"""Install and vet the Chromium the suite drives.

The suite needs a Chromium that plays H.264 MP4 (the codec of FAL's videos). Debian's and Ubuntu's
`chromium` and Google Chrome do; Playwright's own Chromium build does not. Which one is found, and in what
order, is `media_app.browser`'s one definition.

    python -m e2e.chromium ensure     # find one, or install one (Playwright's download, else apt as root)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from media_app.browser import ChromiumNotFound, find_chromium

__all__ = ["H264_PROBE", "NO_H264_MESSAGE", "ChromiumNotFound", "ensure", "find_chromium"]

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


def main(argv: list[str]) -> int:
    if argv[1:] != ["ensure"]:
        print("usage: python -m e2e.chromium ensure", file=sys.stderr)
        return 2
    try:
        print(f"Chromium: {ensure()}")
    except ChromiumNotFound as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
