"""The journeys' rule where FAL gets in the way of a generation, and what the user must read after it.

FAL refuses at the synchronous call, at the queue's submit, at a status poll or at the result; or answers a
few status polls with 5xx, which the app rides out up to its limit and gives up on one past it; or its CDN
serves a clip no browser decodes. Each is
one step, so the tour puts it beside every other action: a success right after a refusal (the error box
gone, one video counted), a refusal right after a success (the library as it was), a refusal in a project
the user then leaves. Only the reference app shows the run's state and error box the rule reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from e2e.journeys.invariants import step
from e2e.journeys.model import UserView, prompt_for
from e2e.journeys.world import app_offers
from e2e.pages.ai_panel import FAL_MESSAGES, QUEUED_MODEL, SYNC_MODEL
from e2e.repro.page_scripts import GENERATION_ENDED, GENERATION_STATE, GENERATION_TIMEOUT_MS
from fake_fal.faults import Fault

if TYPE_CHECKING:
    from e2e.journeys.scenario_writer import Journey
    from e2e.journeys.world import JourneyWorld

# 5xx at the status polls of one run that the app rides out (QUEUE_TRANSIENT_FAILURES, media_app's config.js).
TOLERATED_STATUS_5XX = 3
# Status checks of one queued run before the app gives up on it (QUEUE_MAX_ATTEMPTS, media_app's config.js).
STATUS_CHECKS_BEFORE_GIVING_UP = 240


@dataclass(frozen=True)
class FalTrouble:
    """One way FAL gets in the way, the model that meets it, and what the user reads (None: the video
    arrives as usual)."""

    name: str
    model: str
    fault: tuple[tuple[str, Any], ...]  # fake_fal's Fault, as keys: a new one each time (it counts its hits)
    message: str | None

    def arm(self) -> Fault:
        return Fault(**dict(self.fault))


FAL_TROUBLES = (
    FalTrouble(
        "run-401",
        SYNC_MODEL,
        (("status", 401), ("step", "run"), ("times", 1)),
        FAL_MESSAGES[401],
    ),
    FalTrouble(
        "submit-429",
        QUEUED_MODEL,
        (("status", 429), ("step", "submit"), ("times", 1)),
        FAL_MESSAGES[429],
    ),
    FalTrouble(
        "status-5xx-at-the-limit",
        QUEUED_MODEL,
        (("status", 500), ("step", "status"), ("times", TOLERATED_STATUS_5XX)),
        None,
    ),
    FalTrouble(
        "status-5xx-one-past-the-limit",
        QUEUED_MODEL,
        (("status", 500), ("step", "status"), ("times", TOLERATED_STATUS_5XX + 1)),
        FAL_MESSAGES[500],
    ),
    FalTrouble(
        "result-422",
        QUEUED_MODEL,
        (("status", 422), ("step", "result"), ("times", 1)),
        FAL_MESSAGES[422],
    ),
)

# The one download of a run comes as an MP4 no browser decodes (fake_fal's `corrupt_mp4`): it arrives.
UNPLAYABLE_CLIP = FalTrouble(
    "media-corrupt", SYNC_MODEL, (("kind", "corrupt_mp4"), ("step", "media"), ("times", 1)), None
)


def trouble_for(view: UserView) -> FalTrouble:
    """The trouble the tour meets next in `view`: not the one the AI panel still shows, each in turn."""
    messages = [trouble.message for trouble in FAL_TROUBLES]
    shown = messages.index(view.ai_error) if view.ai_error in messages else -1
    return FAL_TROUBLES[(shown + 1 + len(view.items)) % len(FAL_TROUBLES)]


def after_trouble(view: UserView, trouble: FalTrouble, word: str) -> None:
    """The model after a run that met `trouble`: the video as usual, or the refusal told."""
    if trouble.message is None:
        view.generated(word, trouble.model, view.current)
    else:
        view.refused(trouble.message)


class FalTroubleRules:
    """A mixin of JourneyMachine: the rule where FAL gets in the way."""

    view: UserView
    journey: Journey
    qcut: Any
    page: Any
    world: ClassVar[JourneyWorld]

    if TYPE_CHECKING:  # JourneyMachine's

        def _choose_none(self) -> None: ...

        def _generate(self, word: str, *models: str) -> None: ...

        def _expect_ready_again(self, word: str, models: int) -> None: ...

    @app_offers("generation-states")
    @precondition(lambda self: bool(self.view.unused_words()))
    @rule(trouble=st.sampled_from(FAL_TROUBLES))
    @step
    def generate_while_fal_has_trouble(self, trouble: FalTrouble) -> None:
        """FAL refuses the run, or answers a few status polls with 5xx (`trouble`)."""
        word = self.view.unused_words()[0]
        self.journey.add("fal_fault", **dict(trouble.fault))
        self.journey.add("generate", prompt=prompt_for(word), model=trouble.model)
        self.world.fal.fault(trouble.arm())
        after_trouble(self.view, trouble, word)  # the model first, as in JourneyMachine.generate
        self._choose_none()
        before = self.page.evaluate(GENERATION_STATE)[0]
        self.qcut.ai.start_generation(prompt_for(word), trouble.model)
        self.page.wait_for_function(GENERATION_ENDED, arg=before, timeout=GENERATION_TIMEOUT_MS)
        if trouble.message is None:
            self.qcut.ai.expect_done()  # 100 %, one video, and no error left from an earlier run
        else:
            self.qcut.ai.expect_error(trouble.message)
        self._expect_ready_again(word, 1)  # after a refusal too: nothing added to 'Generated Videos'
        self.qcut.media.show()

    @app_offers("generation-states", "preview-title")
    @precondition(lambda self: bool(self.view.unused_words()) and not self.view.storage_blocked)
    @rule()
    @step
    def generate_an_unplayable_clip(self) -> None:
        """FAL's CDN serves a clip no browser decodes: it is listed as any other, the user is warned, and its
        preview says it cannot play. Not with storage blocked: a URL-only item previews FAL's good copy."""
        word = self.view.unused_words()[0]
        clip = UNPLAYABLE_CLIP
        self.journey.add("fal_fault", **dict(clip.fault))
        self.journey.add("generate", prompt=prompt_for(word), model=clip.model)
        self.world.fal.fault(clip.arm())
        self.view.generated_unplayable(word, clip.model, self.view.current)  # the model first
        self._generate(word, clip.model)
        self.qcut.media.show()
