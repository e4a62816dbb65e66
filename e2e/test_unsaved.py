"""Unsaved: the store's `metadata.unsaved`, `storageError` and `urlOnly` are exactly what the fix specifies
for each storage outcome, read as DevTools would (`useMediaStore.getState().mediaItems`), and the card
agrees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page

from e2e.pages import QCutApp
from e2e.pages.ai_panel import SYNC_MODEL
from e2e.pages.media_card import MediaCard
from e2e.storage.faults import STORAGE_CONDITIONS
from e2e.storage.media_store import stored_item
from fake_fal.server import FakeFal

pytestmark = [pytest.mark.unsaved, pytest.mark.browser]

PROMPT = "A paper boat drifts down a rainy street gutter"


@dataclass(frozen=True)
class Outcome:
    """A storage condition and the flags the fix specifies for it."""

    condition: str  # how storage fails: a name in e2e.storage.faults.STORAGE_CONDITIONS
    unsaved: bool
    url_only: bool
    storage_error: re.Pattern[str] | None  # what `storageError` says (the error's message); None: absent

    @property
    def flags(self) -> set[str]:
        present = {"unsaved", "storageError"} if self.unsaved else set()
        return present | ({"urlOnly"} if self.url_only else set())


OUTCOMES = [
    Outcome("ok", unsaved=False, url_only=False, storage_error=None),
    Outcome("quota-full", unsaved=True, url_only=False, storage_error=re.compile(r"quota", re.IGNORECASE)),
    Outcome(
        "opfs-blocked",
        unsaved=True,
        url_only=True,
        storage_error=re.compile(r"^Storage directory access is denied\.$"),
    ),
    Outcome(
        "indexeddb-blocked",
        unsaved=True,
        url_only=True,
        storage_error=re.compile(r"^The user denied permission to access the database\.$"),
    ),
]


def fail_storage(condition: str, request: pytest.FixtureRequest, page: Page) -> None:
    """Make storage fail as `condition` says, from now on (each fault fixture says whether it is real)."""
    fixture = STORAGE_CONDITIONS[condition].fixture
    if fixture is not None:
        request.getfixturevalue(fixture).arm(page)


def _case(outcome: Outcome) -> Any:
    """One outcome as a test case, needing the plan feature that shows it (none when storage is ok)."""
    feature = "url-only" if outcome.url_only else "unsaved-badge" if outcome.unsaved else None
    return pytest.param(outcome, id=outcome.condition, marks=[pytest.mark.needs(feature)] if feature else [])


@pytest.mark.parametrize("outcome", [_case(outcome) for outcome in OUTCOMES])
def test_storage_flags_are_exactly_as_specified_and_the_card_agrees(
    qcut: QCutApp, fal: FakeFal, page: Page, request: pytest.FixtureRequest, outcome: Outcome
) -> None:
    qcut.open_new_project()
    fail_storage(outcome.condition, request, page)

    # Done means addMediaItem has finished saving or failing: the flags are final.
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the generated video should be listed whatever storage did")

    item = stored_item(page, name)
    flags = item.flags
    assert set(flags) == outcome.flags, (
        f"with storage {outcome.condition!r} the store's metadata should carry exactly "
        f"{sorted(outcome.flags)}; it carries {flags}"
    )
    if outcome.unsaved:
        assert flags["unsaved"] is True, f"metadata.unsaved should be true, not {flags['unsaved']!r}"
        error = flags["storageError"]
        assert isinstance(error, str), f"metadata.storageError should be the error's message: {error!r}"
        assert outcome.storage_error is not None
        assert outcome.storage_error.search(error), (
            f"metadata.storageError should match {outcome.storage_error.pattern!r}: {error!r}"
        )
    if outcome.url_only:
        assert flags["urlOnly"] is True, f"metadata.urlOnly should be true, not {flags['urlOnly']!r}"
        assert item.url == item.original_url, f"a URL-only item should keep the FAL URL: {item}"
        assert item.url.startswith("https://"), f"a URL-only item should point at the FAL URL: {item.url}"

    shown = MediaCard(qcut.media.item(name), name)
    shown.expect_badges(unsaved=outcome.unsaved, url_only=outcome.url_only)
    shown.expect_actions(retry=outcome.unsaved and not outcome.url_only, save_locally=outcome.url_only)
    if outcome.unsaved:
        shown.expect_unsaved_reason(flags["storageError"])
