"""Which app the suite drives (`--app`): the reference app, or a real QCut build as it ships.

`reference` is media_app, served by the suite with its profiles. `qcut:<commit>` is a QCut web build from
`qcut_builds` (built on first use, cached by commit), served unchanged; `qcut:<commit>+desktop` adds the
desktop shell's headers (its CSP header, COOP and COEP) to every response, as the Electron app sends them.
`qcut:<path>` (or `qcut:src`, the path in QCUT_SRC) is a maintainer's own checkout, any folder in it: built
as its HEAD when clean, and by content with local changes, so an edit is rebuilt under the same `--app`.
Each app says what the suite can drive on it (`capabilities`); a test that needs more is skipped, naming it.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from e2e.pages import QCutApp
from e2e.pages.interface import AppPages
from e2e.pages.real_qcut import RealQCutApp
from e2e.pages.real_qcut.shell_save import lend_shell_save, needs_shell_save
from qcut_builds.build import Build, BuildError, UnknownBuild, ensure_built, find_build, source_build
from qcut_builds.server import BuiltAppServer

REFERENCE = "reference"
APP = pytest.StashKey["AppChoice"]()  # the run's choice, on the pytest config
DESKTOP_SUFFIX = "+desktop"
SRC = "src"  # `--app qcut:src`: the build of the path in QCUT_SRC
APP_FORMS = f"qcut:<commit>[{DESKTOP_SUFFIX}], qcut:<path to a checkout, dist/ or archive> or qcut:{SRC}"

# What a test may need beyond generate → list → preview, with what it is, for the skip message.
CAPABILITIES: dict[str, str] = {
    "editor": "the editor: its media panel and cards, AI view and preview (by test id or by what each shows)",
    "project-switcher": "a project switcher in the editor and projects told apart by name",
    "generation-states": "the AI panel's generation state and progress attributes",
    "driven-poll-errors": (
        "waiting out a queued run that FAL keeps refusing: QCut polls again every 5 s of real time (2025 "
        "builds retry a refused result for 5 minutes, silently), and the suite drives those polls only in "
        "generate"
    ),
    "media-filters": "the media panel's type filter (All, Video, Audio, Image) beside its search",
    "frame-seek": "pausing the preview on a chosen frame",
    "file-import": "importing a file through the media panel's file input",
    "media-delete": "deleting an item from its media card",
    "preview-title": "the preview's title naming the item it shows (QCut previews the timeline)",
    "storage-toasts": "the fix's toast for each storage outcome (added to a project, unsaved, URL-only)",
}
# What the suite drives on a real QCut build's DOM (e2e/pages/real_qcut).
REAL_QCUT_CAPABILITIES = frozenset({"editor", "media-filters"})


class AppChoiceError(ValueError):
    """--app names no app the suite knows."""


@dataclass(frozen=True)
class AppChoice:
    """The app under test, parsed from `--app`."""

    name: str  # "reference", "qcut:7e2231ef" or "qcut:7e2231ef+desktop"
    build: Build | None = None
    desktop: bool = False

    @classmethod
    def parse(cls, text: str) -> AppChoice:
        if text == REFERENCE:
            return cls(REFERENCE)
        kind, _, commit = text.partition(":")
        desktop = commit.endswith(DESKTOP_SUFFIX)
        commit = commit.removesuffix(DESKTOP_SUFFIX)
        if kind != "qcut" or not commit:
            raise AppChoiceError(f"--app {text!r}: use {REFERENCE}, {APP_FORMS}")
        try:
            build = source_build(_path_of(commit)) if _is_path(commit) else find_build(commit)
        except UnknownBuild as error:
            raise AppChoiceError(f"--app {text!r}: {error}") from None
        if desktop and build.desktop_headers() is None:
            raise AppChoiceError(f"--app {text!r}: the desktop shell's headers of {build.commit} are unknown")
        return cls(f"qcut:{build.commit}{DESKTOP_SUFFIX if desktop else ''}", build, desktop)

    @property
    def is_reference(self) -> bool:
        return self.build is None

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(CAPABILITIES) if self.is_reference else REAL_QCUT_CAPABILITIES

    @property
    def clip(self) -> str:
        """The clip fake_fal answers with: a real build settles on its preview `<video>` only seconds into
        playback (441dd2a5 makes new ones, with new blob: URLs, meanwhile), so it gets one as long as LTX's
        own, where 2 s would end before that."""
        return "small" if self.is_reference else "ltx-1080p-6s"

    def page_objects(self, page: Page, url: str, *, shell_save: bool = True) -> AppPages:
        """The app's page objects: the real build's fill the one interface (AppPages) with QCut's DOM.
        A build that lists AI videos only after the desktop shell saved them gets the shell's save
        (`shell_save.py`, a script patch) unless `shell_save` is False: the build as a browser runs it."""
        if self.is_reference:
            return QCutApp(page, url)
        assert self.build is not None
        if shell_save and needs_shell_save(self.build.dist):
            lend_shell_save(page)
        return RealQCutApp(page, url)

    def serve(self) -> AbstractContextManager[BuiltAppServer]:
        """A server for the real build (built first if it is not cached yet)."""
        assert self.build is not None, "the reference app is served by media_app.server.AppServer"
        try:
            dist = ensure_built(self.build)
        except BuildError as error:
            raise AppChoiceError(str(error)) from None
        return BuiltAppServer(
            dist,
            commit=self.build.commit,
            desktop_headers=self.desktop,
            shell_headers=self.build.desktop_headers(),
        )


def _is_path(name: str) -> bool:
    """`qcut:~/src/qcut`, `qcut:./qcut`, `qcut:/abs/path`, or `qcut:src` (the path in QCUT_SRC)."""
    return name == SRC or name.startswith(("/", "~", ".")) or "/" in name


def _path_of(name: str) -> str:
    if name != SRC:
        return name
    src = os.environ.get("QCUT_SRC")
    if not src:
        raise UnknownBuild("qcut:src names the path in QCUT_SRC, and QCUT_SRC is not set")
    return src
