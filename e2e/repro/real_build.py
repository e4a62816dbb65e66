"""A user's report replayed on a real QCut build: the same steps through QCut's own DOM.

A real build has no per-page switches and no seeded projects: the user's project is created as they would
create it (QCut picks its id), and the build itself brings the conditions (its CSP, and with `+desktop` the
desktop shell's COOP/COEP). What the user sees is read from the screen, the bridged stores and storage.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page

from e2e.app_choice import AppChoice
from e2e.pages.ai_panel import generated_name
from e2e.repro.driver import Driver, PreviewResult, ReplayError
from e2e.repro.page_scripts import Witness
from e2e.repro.scenario import Scenario
from e2e.repro.steps import Generate, OpenProject, Preview, Reload
from e2e.witnesses import Witnesses
from fake_fal.server import FakeFal
from media_app.models import model_by_id
from media_app.server import MappedServer

PREVIEW_TIMEOUT_MS = 15_000
# The steps a real build's DOM lets the replay take (no project switcher, filter or plan features).
STEPS = (OpenProject, Generate, Preview, Reload)


class RealBuildDriver(Driver):
    """Plays a scenario's steps on a real build with the real-QCut page objects."""

    def __init__(
        self,
        scenario: Scenario,
        page: Page,
        context: BrowserContext,
        servers: tuple[MappedServer, FakeFal],
        witnesses: tuple[Witness, Witnesses],
        choice: AppChoice,
    ) -> None:
        super().__init__(scenario, page, context, servers, witnesses)  # type: ignore[arg-type]
        self.qcut = choice.page_objects(page, servers[0].url)
        self.choice = choice

    def start(self, query: str) -> None:
        """Create the user's project as they would; QCut names it "New Project" and picks its id."""
        for step in self.scenario.steps:
            if not isinstance(step, STEPS):
                raise ReplayError(f"{step.action}: a real build's DOM offers the replay no way to do it")
        if len(self.scenario.projects) > 1:
            raise ReplayError(f"{self.choice.name}: a replay on a real build holds one project")
        self.ids = {key: self.qcut.open_new_project() for key in self.scenario.projects}
        self.current = next(iter(self.scenario.projects))

    def open_project(self, key: str) -> None:
        """The one project is open from the start."""

    def _generate(self, step: Generate) -> None:
        self._apply_storage()
        model = model_by_id(step.model or self.scenario.fal.model)
        if model is None:
            raise ReplayError(f"generate: the app offers no model {step.model or self.scenario.fal.model!r}")
        self.generation_project = self.current
        self.item_name = self.qcut.ai.generate(step.prompt, model.name)
        self.qcut.media.show()

    def _preview(self, prompt: str | None = None) -> None:
        name = generated_name(prompt) if prompt else self._name()
        media = self.qcut.media
        media.show()
        if not media.item(name).is_visible():
            self.preview = PreviewResult(plays=False, blocked_by=None)
            return
        media.select(name)
        self.qcut.preview.play()
        try:
            video = self.qcut.preview.settled(PREVIEW_TIMEOUT_MS)
            plays = video["error"] is None
        except TimeoutError:  # nothing presented and nothing failed: the load was refused or stalled
            plays = False
        self.preview = PreviewResult(plays, None if plays else self._blocker())

    def _filters(self) -> dict[str, Any]:
        """QCut has no hidden-items hint, and its type filter is an unlabelled select: the search only."""
        return {"hint": False, "search": self.qcut.media.search.input_value()}
