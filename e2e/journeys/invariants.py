"""What the user sees after every step of a journey, as invariants; and the step wrapper that records it.

A mixin of `JourneyMachine` (Hypothesis collects invariants from its bases): the project on screen, exactly
its items through the filters, each card's badges and actions, the hint, the store, no toast that nothing the
user did calls for, and no CSP, COEP or page-error problem the witnesses did not expect.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from hypothesis.stateful import invariant
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e.journeys.model import Item, Toast, UserView
from e2e.pages.media_card import MediaCard, cards_in_state
from e2e.pages.preview_panel import NOTHING_PREVIEWED
from e2e.repro.page_scripts import TOASTS_GREW, TOASTS_SO_FAR, Witness
from e2e.storage.media_store import stored_items
from e2e.witnesses import Witnesses

if TYPE_CHECKING:
    from e2e.journeys.scenario_writer import Journey
    from e2e.journeys.world import JourneyWorld

F = TypeVar("F", bound=Callable[..., Any])
PLAYED = ("ready", "playing", "paused", "ended")  # the preview's states once it has rendered a frame
# How long after its step a toast it calls for may take to show (the step waited on what came with it).
TOAST_WAIT_MS = 5_000


def step(function: F) -> F:
    """A rule or invariant whose failure writes the journey so far (as a scenario) and keeps the evidence."""

    @functools.wraps(function)
    def checked(machine: Any, *args: Any, **kwargs: Any) -> Any:
        machine.steps_run.append(function.__name__)
        try:
            return function(machine, *args, **kwargs)
        except (AssertionError, PlaywrightError) as error:
            machine.record_failure(error)
            raise

    return checked  # type: ignore[return-value]


def _by_name(items: list[Item]) -> dict[str, list[Item]]:
    """`items` by name: one click with several models makes videos named alike."""
    named: dict[str, list[Item]] = {}
    for item in items:
        named.setdefault(item.name, []).append(item)
    return named


def _should_be_listed(alike: list[Item]) -> str:
    item = alike[0]
    where = f"{item.name!r} was made in {item.project!r} and passes the filters"
    if len(alike) > 1:
        return f"{where}: it should be listed {len(alike)} times, once per model of its run"
    if item.state == "saved":
        return f"{where}: it should be listed"
    return f"{where}; its save failed ({item.state}), and it should be listed whatever storage did"


class UserViewInvariants:
    """The user's view checked against the journey's model (`self.view`) after every step."""

    view: UserView
    journey: Journey
    qcut: Any  # either app's page objects, driven by what each offers (`can`), not by one interface
    page: Page
    witness: Witness
    witnesses: Witnesses
    world: ClassVar[JourneyWorld]
    unexpected_toast: str | None
    toasts_checked: int  # the witness's toasts already held to the journey

    if TYPE_CHECKING:  # JourneyMachine's: declared for the checks above, never called on this mixin

        def _card(self, item: Item) -> MediaCard: ...

        def can(self, *features: str) -> bool: ...

        def _expect_open(self) -> None: ...

    @invariant()
    @step
    def the_user_sees_what_the_model_says(self) -> None:
        view, media = self.view, self.qcut.media
        self._expect_open()
        # The user looks at the media view: a 2026 QCut editor may have moved to another on its own.
        media.show()
        if self.can("media-filters"):
            media.expect_filters(view.type_filter, view.search)
        for item in view.items:
            if item.project != view.current:
                media.expect_item_absent(
                    item.name,
                    f"{item.name!r} was made in {item.project!r}: {view.current!r} should not list it",
                )
        listed = view.listed()
        for name, alike in _by_name(listed).items():
            media.expect_item_listed(name, _should_be_listed(alike), times=len(alike))
            if not self.can("unsaved-badge", "retry", "url-only"):
                continue
            if len(alike) > 1:
                self._expect_namesakes(name, alike)
                continue
            card = self._card(alike[0])
            state = alike[0].state
            card.expect_badges(unsaved=state != "saved", url_only=state == "url-only")
            card.expect_actions(retry=state == "unsaved", save_locally=state == "url-only")
            card.expect_cannot_play(not alike[0].playable)
        media.expect_count(
            len(listed),
            f"{view.current!r} should list exactly {[item.name for item in listed] or 'nothing'} "
            f"(filter {view.type_filter!r}, search {view.search!r})",
        )
        if self.can("hidden-hint"):
            self._expect_hint()
        if self.can("preview-title"):
            self._expect_preview_title()
        in_store = sorted(item.name for item in stored_items(self.page))
        wanted = sorted(item.name for item in view.in_project())
        failed_saves = [item.name for item in view.in_project() if item.state != "saved"]
        kept = f" ({failed_saves}: their saves failed, kept whatever storage did)" if failed_saves else ""
        assert in_store == wanted, (
            f"the media store of {view.current!r} should hold {wanted}, made there by the user{kept}; it "
            f"holds {in_store}"
        )

    def _expect_namesakes(self, name: str, alike: list[Item]) -> None:
        """Videos named alike (one click, several models): as many cards in each storage state as the
        model holds, each with that state's actions."""
        cards = self.qcut.media.item(name)
        for state, count in Counter(item.state for item in alike).items():
            shown = cards_in_state(cards, state)
            expect(
                shown, f"{count} of the {len(alike)} videos named {name!r} should be {state}"
            ).to_have_count(count)
            for label, offered in (("Retry", state == "unsaved"), ("Save locally", state == "url-only")):
                with_action = shown.filter(has=self.page.get_by_role("button", name=label, exact=True))
                expect(
                    with_action,
                    f"each {state} video named {name!r} should {'' if offered else 'not '}offer {label}",
                ).to_have_count(count if offered else 0)

    def _expect_preview_title(self) -> None:
        """The preview names the item chosen, and its card alone is marked chosen; once it is deleted,
        another project opened or the page reloaded, the preview asks for one and no card is marked."""
        shown = self.view.previewed_here()
        title, chosen = self.qcut.preview.title, self.qcut.media.chosen
        if shown is None:
            expect(title, "the preview should show nothing and ask for an item").to_have_text(
                NOTHING_PREVIEWED
            )
            expect(chosen, "with nothing in the preview, no card should be marked chosen").to_have_count(0)
            return
        expect(title, f"the preview should still show {shown.name!r}, the item chosen").to_have_text(
            shown.name
        )
        marked = f"Preview {shown.name}" if self.view.shows(shown) else None
        expect(
            chosen,
            f"the card of {shown.name!r} alone should be marked chosen"
            if marked
            else f"{shown.name!r} is hidden by the filters: no card shown should be marked chosen",
        ).to_have_count(1 if marked else 0)
        if marked:
            expect(chosen, f"the card marked chosen should be {shown.name!r}'s").to_have_accessible_name(
                marked
            )

    def _expect_hint(self) -> None:
        media, hidden = self.qcut.media, self.view.hidden_new()
        if hidden:
            media.expect_hidden_hint(
                len(hidden),
                f"{[item.name for item in hidden]} arrived hidden by the filters: a hint should say so",
            )
        else:
            media.expect_no_hidden_hint()

    @invariant()
    @step
    def only_the_toasts_the_journey_calls_for(self) -> None:
        if not self.can("storage-toasts"):
            return  # the model's toasts are the fix's: a build without them shows its own
        due, self.view.due = self.view.due, []
        for wanted, times in Counter(due).items():
            told = [str(seen) for seen in self.witness.toasts[self.toasts_checked :]]
            assert self._shown(wanted, times), (
                f"the user should have been told {wanted.kind} {wanted.title!r} "
                f"({wanted.description or 'any'}){f' {times} times' if times > 1 else ''} by the last step: "
                f"the toasts said {told or 'nothing'}"
            )
        for toast in list(self.witness.toasts):
            if not self.view.toast_allowed(toast.kind, toast.title, toast.description):
                self.unexpected_toast = toast.title
            assert self.view.toast_allowed(toast.kind, toast.title, toast.description), (
                f"the user saw a {toast.kind} toast {toast.title!r} ({toast.description!r}) that nothing in "
                "this journey calls for"
            )
        self.toasts_checked = len(self.witness.toasts)

    def _shown(self, toast: Toast, times: int = 1) -> bool:
        """Whether `toast` showed `times` times since the last check, waiting up to TOAST_WAIT_MS for the
        page to add them.

        The count is read before the witness's list: reading it delivers every toast the page reported
        before, and a toast added after it makes the wait return at once.
        """
        deadline = time.monotonic() + TOAST_WAIT_MS / 1000
        while True:
            count = self.page.evaluate(TOASTS_SO_FAR)
            seen = self.witness.toasts[self.toasts_checked :]
            if sum(toast.allows(shown.kind, shown.title, shown.description) for shown in seen) >= times:
                return True
            left = deadline - time.monotonic()
            try:
                self.page.wait_for_function(TOASTS_GREW, arg=count, timeout=max(left, 0.001) * 1000)
            except PlaywrightTimeoutError:
                return False

    @invariant()
    @step
    def no_undeclared_browser_problem(self) -> None:
        problems = self.witnesses.problems()
        assert not problems, "\n\n".join(problems)
        self.world.fal.check()

    def _observe(self) -> dict[str, Any]:
        """What the page shows of the last generated video now, for the scenario's [symptom]."""
        name, expected = self.journey.expected(self.view)
        observed: dict[str, Any] = {}
        if self.unexpected_toast is not None:
            observed["toast"] = self.unexpected_toast
        if name is None:
            return observed
        try:
            if "ai_error" in expected:  # the AI view first, then the media view, as the user looks
                self.qcut.ai.show()
                observed["ai_error"] = self.qcut.ai.error_shown()
            media = self.qcut.media
            media.show()
            observed["listed"] = media.item(name).first.is_visible()
            if self.can("hidden-hint"):
                observed["hint"] = media.hidden_hint.is_visible()
            found = [item for item in stored_items(self.page) if item.name == name]
            flags = found[0].flags if found else {}
            observed["unsaved"] = bool(flags.get("unsaved"))
            observed["url_only"] = bool(flags.get("urlOnly"))
            if "plays" in expected and self.can("preview-title"):
                observed["plays"] = self.qcut.preview.panel.get_attribute("data-preview-state") in PLAYED
        except PlaywrightError:
            return observed  # the page is gone: the failure says what the user saw
        return observed
