"""What the user sees after every step of a journey, as invariants; and the step wrapper that records it.

A mixin of `JourneyMachine` (Hypothesis collects invariants from its bases): the project on screen, exactly
its items through the filters, each card's badges and actions, the hint, the store, no toast that nothing the
user did calls for, and no CSP, COEP or page-error problem the witnesses did not expect.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis.stateful import invariant
from playwright.sync_api import Error as PlaywrightError

from e2e.media_store import stored_items

F = TypeVar("F", bound=Callable[..., Any])


def step(function: F) -> F:
    """A rule or invariant whose failure writes the journey so far (as a scenario) and keeps the evidence."""

    @functools.wraps(function)
    def checked(machine: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(machine, *args, **kwargs)
        except (AssertionError, PlaywrightError) as error:
            machine.record_failure(error)
            raise

    return checked  # type: ignore[return-value]


class UserViewInvariants:
    """The user's view checked against the journey's model (`self.view`) after every step."""

    view: Any
    qcut: Any
    page: Any
    witness: Any
    witnesses: Any
    world: Any
    unexpected_toast: str | None

    def _card(self, item: Any) -> Any: ...

    @invariant()
    @step
    def the_user_sees_what_the_model_says(self) -> None:
        view, media = self.view, self.qcut.media
        self.qcut.projects.expect_open(view.current)
        media.expect_filters(view.type_filter, view.search)
        listed = view.listed()
        for item in listed:
            media.expect_item_listed(
                item.name,
                f"{item.name!r} was made in {item.project!r} and passes the filters: it should be listed",
            )
            card = self._card(item)
            card.expect_badges(unsaved=item.state != "saved", url_only=item.state == "url-only")
            card.expect_actions(retry=item.state == "unsaved", save_locally=item.state == "url-only")
        media.expect_count(
            len(listed),
            f"{view.current!r} should list exactly {[item.name for item in listed] or 'nothing'} "
            f"(filter {view.type_filter!r}, search {view.search!r})",
        )
        hidden = view.hidden_new()
        if hidden:
            media.expect_hidden_hint(
                len(hidden),
                f"{[item.name for item in hidden]} arrived hidden by the filters: a hint should say so",
            )
        else:
            media.expect_no_hidden_hint()
        in_store = sorted(item.name for item in stored_items(self.page))
        wanted = sorted(item.name for item in view.in_project())
        assert in_store == wanted, (
            f"the media store of {view.current!r} should hold {wanted}, made there by the user; it holds "
            f"{in_store}"
        )

    @invariant()
    @step
    def only_the_toasts_the_journey_calls_for(self) -> None:
        for toast in list(self.witness.toasts):
            if not self.view.toast_allowed(toast.kind, toast.title, toast.description):
                self.unexpected_toast = toast.title
            assert self.view.toast_allowed(toast.kind, toast.title, toast.description), (
                f"the user saw a {toast.kind} toast {toast.title!r} ({toast.description!r}) that nothing in "
                "this journey calls for"
            )

    @invariant()
    @step
    def no_undeclared_browser_problem(self) -> None:
        problems = self.witnesses.problems()
        assert not problems, "\n\n".join(problems)
        self.world.fal.check()
