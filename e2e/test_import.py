"""Import: files a user brings in through "+ Import" sit beside the generated videos, are stored with them
and play; a file the app cannot take is refused with a message and the library stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e.pages import QCutApp
from e2e.storage.media_store import wait_until_stored
from fake_fal.cdn import corrupt
from fake_fal.models import clip_info, resolve_clip

pytestmark = [
    pytest.mark.storage,
    pytest.mark.browser,
    pytest.mark.reference_only(
        "imports through the reference app's media view (QCut's import is not driven)"
    ),
]

UPLOADED = "Successfully uploaded {count} file(s)"
NOTHING_TAKEN = "Failed to process files"


def m_ss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def test_an_imported_video_is_listed_with_its_length_stored_and_plays(qcut: QCutApp, tmp_path: Path) -> None:
    clip = tmp_path / "harbor at dusk.mp4"
    clip.write_bytes(resolve_clip("small").read_bytes())
    project = qcut.open_new_project()

    qcut.media.import_files(clip)

    qcut.toasts.expect_toast("success", UPLOADED.format(count=1), "the import should say it took the file")
    qcut.media.expect_item_listed(clip.name, "an imported video should be listed under its file name")
    qcut.media.expect_duration(clip.name, m_ss(clip_info(clip).duration))
    qcut.media.card(clip.name).expect_cannot_play(False)
    wait_until_stored(qcut.page, project, clip.name)
    qcut.media.select(clip.name)
    qcut.preview.expect_playing()


def test_a_file_that_is_no_media_is_refused_and_the_library_stays(qcut: QCutApp, tmp_path: Path) -> None:
    clip = tmp_path / "first.mp4"
    clip.write_bytes(resolve_clip("small").read_bytes())
    notes = tmp_path / "notes.txt"
    notes.write_text("not a video", encoding="utf-8")
    qcut.open_new_project()
    qcut.media.import_files(clip)
    qcut.media.expect_item_listed(clip.name)

    qcut.media.import_files(notes)

    qcut.toasts.expect_toast("error", NOTHING_TAKEN, "a file that is no media should be refused, saying so")
    qcut.media.expect_item_absent(notes.name, "a text file should not be listed")
    qcut.media.expect_count(1, "the library should hold just the video imported before")


def test_an_imported_video_no_browser_decodes_is_listed_and_marked(qcut: QCutApp, tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(corrupt(resolve_clip("small").read_bytes()))  # as FAL's CDN serves a corrupt MP4
    qcut.open_new_project()

    qcut.media.import_files(broken)

    qcut.toasts.expect_toast("success", UPLOADED.format(count=1), "the file is taken, though it cannot play")
    qcut.media.expect_cannot_play(broken.name)
    qcut.media.select(broken.name)
    qcut.preview.expect_blocked()
