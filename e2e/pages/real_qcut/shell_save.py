"""The desktop shell's disk save for AI videos, lent to a web build that lists no video without it.

From 2026 QCut's AI view adds a generated video to the media store only after the Electron shell saved it
to disk (`window.electronAPI.video.saveToDisk`, the preload's `ai-video:save-to-disk` channel: "MANDATORY -
no fallback"). In a browser there is no shell: the video is downloaded and never listed. The build gate
shows that as the build's `desktop-only-save` bug (test_smoke's browser-only test). To drive the rest of
generate → list → preview on such a build, the suite answers that one channel as the shell's main process
does: it writes the bytes the app hands over to a file and answers with its path.

This is a script patch, not the shell: the Electron binary is not in any package registry this machine
reaches. It defines only `electronAPI.video.saveToDisk`, so the app's other shell checks
(`electronAPI.storage`, `.ffmpeg`, ...) still find a browser, and it says so in the console on every save.
"""

from __future__ import annotations

import functools
from pathlib import Path

from playwright.sync_api import Page

# What the build says in a browser without the shell (media-integration.ts); found in its bundle.
SHELL_ONLY_MARKER = b"Electron API not available - cannot save video to disk"
# The preload's channel as the shell's main process answers it (SaveAIVideoResult); an empty file fails
# there too. The path is where the shell would put it; nothing is written.
CHANNEL = """(() => {
  window.electronAPI = {
    video: {
      saveToDisk: async ({ fileName, projectId, fileData }) => {
        const fileSize = fileData ? fileData.byteLength : 0;
        console.info(`[e2e script patch] desktop shell's video.saveToDisk: ${fileName}, ${fileSize} bytes`);
        if (!fileSize) return { success: false, error: "no video data" };
        const localPath = `/qcut-projects/${projectId}/ai-videos/${fileName}`;
        return { success: true, localPath, fileName, fileSize };
      },
    },
  };
})()"""


@functools.cache
def needs_shell_save(dist: Path) -> bool:
    """Whether the built app adds AI videos only through the desktop shell's disk save."""
    return any(SHELL_ONLY_MARKER in chunk.read_bytes() for chunk in (dist / "assets").glob("*.js"))


def lend_shell_save(page: Page) -> None:
    """Give the page the shell's `video.saveToDisk` from its next navigation on."""
    page.add_init_script(CHANNEL)
