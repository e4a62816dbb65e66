"""A user's report replayed on a real QCut build: the same steps through QCut's own DOM.

A real build has no per-page switches and no seeded projects: the user's project is created as they would
create it (QCut picks its id), and the build itself brings the conditions (its CSP, and with `+desktop` the
desktop shell's COOP/COEP). What the user sees is read from the screen, the bridged stores and storage.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page

from e2e.apps.choice import AppChoice
from e2e.pages.ai_panel import generated_name
from e2e.pages.real_qcut import RealQCutApp
from e2e.repro.driver import Driver, PreviewResult, ReplayError
from e2e.repro.page_scripts import Witness
from e2e.repro.scenario import Scenario
from e2e.repro.steps import (
    BlockStorage,
    ClearFilters,
    FalFault,
    FillStorage,
    Generate,
    OpenProject,
    Preview,
    Reload,
    RestoreStorage,
    Search,
    Step,
    UnblockStorage,
)
from e2e.witnesses import Witnesses
from fake_fal.server import FakeFal
from media_app.models import model_by_id
from media_app.server import MappedServer

PREVIEW_TIMEOUT_MS = 15_000
# The steps a real build lets the replay take: its DOM has no project switcher, type filter or plan features;
# projects open the long way (the projects page), and storage conditions are the browser's.
STEPS = (
    OpenProject, Generate, Preview, Reload, Search, ClearFilters, FalFault,
    FillStorage, RestoreStorage, BlockStorage, UnblockStorage,
)  # fmt: skip


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
        super().__init__(scenario, page, context, servers, witnesses)
        pages = choice.page_objects(page, servers[0].url)
        # AppPages is what both apps share; this driver also uses what only QCut's page objects offer.
        assert isinstance(pages, RealQCutApp), f"{choice.name}: a real build's page objects are QCut's"
        self.qcut: RealQCutApp = pages
        self.choice = choice

    def start(self, query: str) -> None:
        """Create the user's projects in order, as they would; QCut names each "New Project", picks its id."""
        for step in self.scenario.steps:
            if not isinstance(step, STEPS):
                raise ReplayError(f"{step.action}: a real build's DOM offers the replay no way to do it")
        keys = list(self.scenario.projects)
        self.ids = {keys[0]: self.qcut.open_new_project()}
        for key in keys[1:]:
            self.ids[key] = self.qcut.projects.create_another_project()
        self.current = keys[-1]

    def open_project(self, key: str) -> None:
        """Open a project the only way QCut offers: back to the projects page, then its link."""
        if key != self.current:
            self.qcut.projects.switch_to_id(self.ids[key])
            self.current = key

    def _generate(self, step: Generate) -> None:
        self._apply_storage()
        names = []
        for model_id in [step.model or self.scenario.fal.model, *step.more_models]:
            model = model_by_id(model_id)
            if model is None:
                raise ReplayError(f"generate: the app offers no model {model_id!r}")
            names.append(model.name)
        self.generation_project = self.current
        self.item_name = self.qcut.ai.generate(step.prompt, *names)
        self.qcut.media.show()

    def _preview(self, prompt: str | None = None) -> None:
        name = generated_name(prompt) if prompt else self._name()
        media = self.qcut.media
        media.show()
        if not media.item(name).first.is_visible():
            self.preview = PreviewResult(plays=False, blocked_by=None)
            return
        media.select(name)
        self.qcut.preview.play()
        video = self.qcut.preview.settled(PREVIEW_TIMEOUT_MS)
        # Timed out: nothing presented enough and nothing failed, so the load was refused or stalled.
        plays = video["error"] is None and not video["timed_out"]
        self.preview = PreviewResult(plays, None if plays else self._blocker())
        self.qcut.preview.pause()  # QCut plays its timeline on: the next Play must start it, not stop it

    def _journey_step(self, step: Step) -> None:
        if isinstance(step, ClearFilters):  # QCut's type filter is an unlabelled select: the search only
            self.qcut.media.show()
            self.qcut.media.search_for("")
            return
        super()._journey_step(step)

    def _filters(self) -> dict[str, Any]:
        """QCut has no hidden-items hint, and its type filter is an unlabelled select: the search only."""
        return {"hint": False, "search": self.qcut.media.search.input_value()}
