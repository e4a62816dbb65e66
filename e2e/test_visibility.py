"""Visibility: a generated video shows in the project that started it and in no other, also when the user
switches project while it is being made and after a reload; the type filter and the search hide and show it,
and a hint with "Clear filters" says so when a new video is hidden."""

from __future__ import annotations

from typing import Literal

import pytest
from playwright.sync_api import Page

from e2e.pages import QCutApp
from e2e.pages.ai_panel import QUEUED_MODEL, SYNC_MODEL
from e2e.pages.interface import AppPages
from e2e.pages.media_panel import EMPTY_STATE
from e2e.storage.media_store import projects_holding, wait_until_stored
from fake_fal.server import FakeFal

pytestmark = [pytest.mark.visibility, pytest.mark.browser]

PROMPT = "A red fox runs through fresh snow at dawn, slow motion"
# The ways of ProjectsView to open another project: the editor's switcher, or back through the projects page.
Switch = Literal["switch_to", "reopen_through_projects_page"]


def test_generated_item_is_listed_in_the_project_that_started_it_and_in_no_other(
    qcut: AppPages, fal: FakeFal
) -> None:
    other, started_in = qcut.open_new_projects(2)
    qcut.media.expect_empty_state(f"a new project should show {EMPTY_STATE!r}")
    qcut.media.expect_no_hidden_hint("a new project has nothing hidden, so no hint should show")

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, f"the generated video should be listed in {started_in!r}")
    qcut.media.expect_no_empty_state()

    qcut.projects.switch_to(other)
    qcut.media.expect_item_absent(name, f"the video generated in {started_in!r} should not show in {other!r}")
    qcut.media.expect_empty_state(f"{other!r} has no media, so it should show its empty state")


@pytest.mark.needs("media-delete")
def test_a_deleted_video_stays_gone_after_a_switch_away_and_back(qcut: QCutApp, fal: FakeFal) -> None:
    other, started_in = qcut.open_new_projects(2)
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.delete(name)
    qcut.media.expect_item_absent(name, "a deleted video should go at once")

    qcut.projects.switch_to(other)
    qcut.projects.switch_to(started_in)

    qcut.media.show()
    qcut.media.expect_item_absent(name, f"a deleted video should not come back when {started_in!r} reopens")


def test_a_project_started_after_a_generation_opens_without_its_video(qcut: QCutApp, fal: FakeFal) -> None:
    """Back to the projects page from the editor, New project: the new project shows nothing of the last."""
    qcut.open_new_project()
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the generated video should be listed in the project that made it")

    qcut.projects.create_another_project()
    qcut.media.show()
    qcut.media.expect_item_absent(
        name, f"{name!r} was made in the project before: the new one should not list it"
    )
    qcut.media.expect_empty_state(f"a new project should show {EMPTY_STATE!r}")


def generate_across_a_switch(
    qcut: AppPages, fal: FakeFal, switch: Switch, query: str = ""
) -> tuple[str, str, str]:
    """Start a generation in one project, switch to another (`switch`) while FAL holds it, then let it
    finish and wait until the app has stored it where it started.

    Returns (item name, project that started it, project on screen when it arrived).
    """
    switched_to, started_in = qcut.open_new_projects(2, query)
    endpoint = qcut.ai.endpoint(SYNC_MODEL)  # a build without the model calls another in its place
    fal.model(endpoint, clip="small", hold=True)
    name = qcut.ai.start_generation(PROMPT, SYNC_MODEL)
    fal.wait_for_held(endpoint)
    getattr(qcut.projects, switch)(switched_to)
    fal.release()
    # The run's view may be gone with the switch: its state where the app keeps it elsewhere, and storage.
    qcut.ai.expect_run_ended()
    wait_until_stored(qcut.page, started_in, name)
    return name, started_in, switched_to


@pytest.mark.parametrize(
    "switch",
    [
        # QCut has no switcher in its editor: its way is the projects page, the other case.
        pytest.param("switch_to", id="project-switcher", marks=pytest.mark.needs("project-switcher")),
        pytest.param("reopen_through_projects_page", id="projects-page"),
    ],
)
def test_generated_item_goes_to_the_project_that_started_it_after_a_switch(
    qcut: AppPages, fal: FakeFal, switch: Switch
) -> None:
    name, started_in, switched_to = generate_across_a_switch(qcut, fal, switch)

    qcut.media.show()
    qcut.media.expect_item_absent(
        name,
        f"the video started in {started_in!r} should not show up in {switched_to!r}, "
        "the project on screen when it arrived",
    )

    qcut.projects.switch_to(started_in)
    qcut.media.expect_item_listed(name, "the generated video should be listed in the project that started it")

    qcut.reload()
    qcut.media.expect_item_listed(name, "after a reload the video should still be listed where it started")
    qcut.projects.switch_to(switched_to)
    qcut.media.expect_item_absent(name, f"after a reload the video should still not show in {switched_to!r}")


@pytest.mark.needs("project-switcher")
def test_both_videos_of_a_two_model_run_go_to_the_project_that_started_it_after_a_switch(
    qcut: QCutApp, fal: FakeFal, page: Page
) -> None:
    """The user switches while the first model is being made: the second model's video, made after the
    switch, belongs where the click was made too."""
    switched_to, started_in = qcut.open_new_projects(2)
    first = qcut.ai.endpoint(SYNC_MODEL)
    fal.model(first, clip="small", hold=True)
    name = qcut.ai.start_generation(PROMPT, SYNC_MODEL, QUEUED_MODEL)
    fal.wait_for_held(first)
    qcut.projects.switch_to(switched_to)
    fal.release()
    qcut.ai.expect_run_ended()

    wait_until_stored(page, started_in, name)
    holding = projects_holding(page, name)
    assert len(holding) == 1, f"both videos should be stored in {started_in!r} alone, not in {holding}"
    qcut.media.show()
    qcut.media.expect_item_absent(name, f"neither video should show up in {switched_to!r}, on screen")
    qcut.projects.switch_to(started_in)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "both videos should be listed where the run started", times=2)


@pytest.mark.reference_only("check the reference app's toasts naming where a video went (beyond the plan)")
def test_a_toast_says_where_a_video_went_when_another_project_is_on_screen(
    qcut: QCutApp, fal: FakeFal
) -> None:
    _, started_in, switched_to = generate_across_a_switch(qcut, fal, "switch_to")

    qcut.toasts.expect_toast(
        "success", f'Video added to "{started_in}"', "a toast should name the project the video went to"
    )
    qcut.toasts.expect_toast(
        "success",
        f'You are viewing "{switched_to}". Open "{started_in}" to see it.',
        "the toast should tell the user where to find the video",
    )


@pytest.mark.detector
def test_detector_project_race_lists_the_item_in_the_project_on_screen(qcut: QCutApp, fal: FakeFal) -> None:
    """The original's hazard, on a `?bugs=project-race` page: the video joins the list on screen."""
    name, started_in, switched_to = generate_across_a_switch(qcut, fal, "switch_to", "?bugs=project-race")

    qcut.media.show()
    qcut.media.expect_item_listed(name, f"project-race: the video should wrongly show in {switched_to!r}")
    qcut.projects.switch_to(started_in)
    qcut.media.expect_item_listed(name, f"project-race: the video should still be stored in {started_in!r}")


def a_new_project_with_a_video(qcut: QCutApp) -> str:
    """Open a new project, generate one video and show the media view; return the video's name."""
    qcut.open_new_project()
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    return name


@pytest.mark.needs("media-filters")
def test_type_filter_and_search_hide_and_show_the_generated_item(qcut: QCutApp, fal: FakeFal) -> None:
    name = a_new_project_with_a_video(qcut)

    qcut.media.filter_by("Audio")
    qcut.media.expect_item_absent(name, "the Audio filter should hide the generated video")
    qcut.media.expect_empty_state("with its only item filtered out, the panel should show its empty state")
    qcut.media.filter_by("Video")
    qcut.media.expect_item_listed(name, "the Video filter should show the generated video")

    qcut.media.search_for("zebra")
    qcut.media.expect_item_absent(name, "a search that does not match its name should hide the video")
    # Its capitals typed small and its small letters typed as capitals: case counts on neither side.
    qcut.media.search_for(name.swapcase())
    qcut.media.expect_item_listed(name, "its name typed in the other case should still show the video")


@pytest.mark.reference_only("the reference app's search looks past spaces; QCut's matches the text as typed")
def test_a_search_with_spaces_around_its_words_still_finds_the_video(qcut: QCutApp, fal: FakeFal) -> None:
    name = a_new_project_with_a_video(qcut)

    qcut.media.search_for("  red fox ")
    qcut.media.expect_item_listed(name, "the spaces a user leaves around a search should not hide the video")


@pytest.mark.parametrize(
    ("hide", "value"),
    [
        # By name: each app's media view has its own way to filter and search.
        pytest.param("filter_by", "Image", id="type-filter"),
        pytest.param("search_for", "zebra", id="search"),
    ],
)
@pytest.mark.needs("media-filters", "hidden-hint")
def test_hint_offers_clear_filters_when_the_new_item_is_hidden(
    qcut: QCutApp, fal: FakeFal, hide: str, value: str
) -> None:
    qcut.open_new_project()
    getattr(qcut.media, hide)(value)

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_absent(name, f"{value!r} in the filters should hide the new video")
    qcut.media.expect_hidden_hint(
        1,
        f"a hint should say the new video is hidden by {value!r} and offer Clear filters "
        "(without it the user sees only the empty state)",
    )

    qcut.media.clear_filters()
    qcut.media.expect_filters("All", "")
    qcut.media.expect_item_listed(name, "Clear filters should bring the generated video into view")
    qcut.media.expect_no_hidden_hint("the hint should go once the new video is in view")
