"""Import: files a user brings in through "+ Import" sit beside the generated videos, are stored with them
and play; a file the app cannot take is refused with a message and the library stays as it was."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

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


def an_image(path: Path) -> Path:
    Image.new("RGB", (64, 48), (200, 40, 40)).save(path)
    return path


def a_sound(path: Path) -> Path:
    """A second of silence as a WAV file."""
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8_000)
        sound.writeframes(b"\0\0" * 8_000)
    return path


def m_ss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def test_an_imported_video_is_listed_with_its_length_stored_and_plays(qcut: QCutApp, tmp_path: Path) -> None:
    clip = tmp_path / "harbor at dusk.mp4"
    clip.write_bytes(resolve_clip("small-2.6s").read_bytes())  # 0:03 rounded, as a player shows it
    project = qcut.open_new_project()

    qcut.media.import_files(clip)

    qcut.toasts.expect_toast("success", UPLOADED.format(count=1), "the import should say it took the file")
    qcut.media.expect_item_listed(clip.name, "an imported video should be listed under its file name")
    qcut.media.expect_duration(clip.name, m_ss(clip_info(clip).duration))
    label = qcut.media.item(clip.name).get_by_title(clip.name, exact=True)
    expect(label, "a long name shows its start and its end").to_have_text("harbor at dusk.m...mp4")
    qcut.media.card(clip.name).expect_cannot_play(False)
    wait_until_stored(qcut.page, project, clip.name)
    qcut.media.select(clip.name)
    qcut.preview.expect_playing()

    qcut.reload()

    qcut.media.expect_duration(clip.name, m_ss(clip_info(clip).duration))  # stored with it, not probed again


def test_items_keep_the_order_they_came_in_after_a_reload(qcut: QCutApp, tmp_path: Path) -> None:
    names = ["first.png", "second.png", "third.png"]
    project = qcut.open_new_project()
    for name in names:  # one import each, so each comes after the one before
        qcut.media.import_files(an_image(tmp_path / name))
        qcut.media.expect_item_listed(name)
        wait_until_stored(qcut.page, project, name)
    qcut.media.expect_order(names, "the items should be listed in the order they came in")

    qcut.reload()

    qcut.media.expect_order(names, "after a reload the items should keep the order they came in")


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
    refused = qcut.toasts.with_title("error", NOTHING_TAKEN).first
    expect(refused, "the toast should say what the app takes").to_contain_text(
        "No image, video or audio file was chosen."
    )
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


def test_files_of_each_kind_chosen_at_once_are_counted_and_each_filter_shows_its_own(
    qcut: QCutApp, tmp_path: Path
) -> None:
    video = tmp_path / "harbor.mp4"
    video.write_bytes(resolve_clip("small").read_bytes())
    image, sound = an_image(tmp_path / "poster.png"), a_sound(tmp_path / "waves.wav")
    notes = tmp_path / "notes.txt"
    notes.write_text("not media", encoding="utf-8")
    qcut.open_new_project()

    qcut.media.import_files(video, image, sound, notes)

    qcut.toasts.expect_toast("success", UPLOADED.format(count=3), "three of the four files are media")
    qcut.media.expect_count(3, "the video, the image and the sound should be listed, not the text file")
    for label, kept in (("Video", video), ("Image", image), ("Audio", sound)):
        qcut.media.filter_by(label)
        qcut.media.expect_item_listed(kept.name, f"the {label} filter should show {kept.name!r}")
        qcut.media.expect_count(1, f"the {label} filter should show {kept.name!r} alone")
    # Each card shows what it holds: the picture itself, or the kind of a video or a sound.
    card = {path.name: qcut.media.item(path.name) for path in (video, image, sound)}
    qcut.media.filter_by("All")
    expect(card[image.name].get_by_role("img", name=image.name), "an image's card shows it").to_be_visible()
    expect(card[video.name], "a video's card says Video").to_contain_text("Video")
    expect(card[sound.name], "a sound's card says Audio").to_contain_text("Audio")
    qcut.media.filter_by("Image")
    qcut.media.select(image.name)
    shown = qcut.preview.panel.get_by_role("img", name=image.name, exact=True)
    expect(shown, "the preview should show the image").to_be_visible()
    expect(qcut.preview.title, "the preview should name the image").to_have_text(image.name)

    qcut.media.filter_by("Video")
    qcut.media.select(video.name)
    qcut.preview.expect_playing()
    expect(shown, "choosing the video should put the image away").to_be_hidden()
