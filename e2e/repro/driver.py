"""Play a scenario's steps as the user did, with the page objects, and observe what the user sees
(`replay.py` sets up the browser, the fake and the witnesses around it; the driver only acts and looks)."""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e.pages import QCutApp
from e2e.pages.ai_panel import generated_name
from e2e.pages.real_qcut import RealQCutApp
from e2e.repro.evidence import Observation
from e2e.repro.page_scripts import (
    ACTIVE_PROJECT,
    BLOCK_REPORT_TIMEOUT_MS,
    GENERATION_ENDED,
    GENERATION_STATE,
    GENERATION_TIMEOUT_MS,
    PREVIEW_SETTLED,
    READ_STORED,
    RENDERED,
    SEED_PROJECTS,
    TOASTS_GREW,
    TOASTS_SO_FAR,
    Witness,
)
from e2e.repro.scenario import Scenario
from e2e.repro.steps import (
    BlockStorage,
    ClearFilters,
    Delete,
    FalFault,
    FillStorage,
    Filter,
    Generate,
    OpenProject,
    Preview,
    Release,
    Reload,
    RestoreStorage,
    Retry,
    SaveLocally,
    Search,
    Step,
    UnblockStorage,
)
from e2e.storage.faults import STORAGE_CONDITIONS, Armed, QuotaOverride, ScriptPatch, opfs_blocked
from e2e.storage.media_store import stored_items
from e2e.witnesses import Witnesses
from fake_fal.models import DEFAULT_CLIP
from fake_fal.server import FakeFal
from media_app.models import model_by_id
from media_app.server import MappedServer


class ReplayError(RuntimeError):
    """The scenario could not be played as written (a step the app does not allow, a missing model)."""


@dataclass
class PreviewResult:
    plays: bool
    blocked_by: str | None


class Driver:
    """Plays the steps as the user did, with the page objects, and observes what they see."""

    def __init__(
        self,
        scenario: Scenario,
        page: Page,
        context: BrowserContext,
        servers: tuple[MappedServer, FakeFal],
        witnesses: tuple[Witness, Witnesses],
    ) -> None:
        self.scenario, self.page, self.context = scenario, page, context
        self.app, self.fake = servers
        self.witness, self.witnesses = witnesses
        # The reference app's page objects; a real build's driver (real_build.py) puts QCut's in their place.
        self.qcut: QCutApp | RealQCutApp = QCutApp(page, self.app.url)
        self.ids = {key: project.id or str(uuid.uuid4()) for key, project in scenario.projects.items()}
        self.current: str | None = None
        self.generation_project: str | None = None
        self.item_name: str | None = None
        self.preview: PreviewResult | None = None
        self.quota: QuotaOverride | None = None
        self._storage_applied = False
        self.opfs: ScriptPatch | None = None
        self.held_endpoint: str | None = None

    @property
    def editor(self) -> Locator:
        return self.page.get_by_test_id("editor-container")

    @property
    def _reference(self) -> QCutApp:
        """The reference app's page objects, for what only its DOM offers: a real build's driver overrides
        those steps, or refuses them before it starts (real_build.STEPS)."""
        if not isinstance(self.qcut, QCutApp):
            raise ReplayError("only the reference app's DOM offers this step")
        return self.qcut

    # --- steps ---------------------------------------------------------------------------------------

    def start(self, query: str) -> None:
        """Open the app with the scenario's switches and store its projects."""
        self.qcut.open(query)
        # The projects page lists the newest first: keep the scenario's order.
        start = datetime(2025, 11, 18, 3, tzinfo=UTC)
        projects = [
            {
                "id": self.ids[key],
                "name": project.display_name,
                "createdAt": start.isoformat(),
                "updatedAt": (start - timedelta(minutes=index)).isoformat(),
            }
            for index, (key, project) in enumerate(self.scenario.projects.items())
        ]
        self.page.evaluate(SEED_PROJECTS, projects)
        if not isinstance(self.scenario.steps[0], OpenProject):
            self.open_project(next(iter(self.scenario.projects)))

    def run(self, step: Step) -> None:
        """Do what the user did in this step."""
        match step:
            case OpenProject(project=key):
                self.open_project(key)
            case Generate():
                self._generate(step)
            case Release():
                self._release()
            case Filter(type=kind):
                self._filter(kind)
            case Search(query=query):
                self._search(query)
            case Reload():
                self.qcut.reload()
            case Preview(prompt=prompt):
                self._preview(prompt)
            case RestoreStorage():
                self._restore_storage()
            case Retry(prompt=prompt):
                self._retry(prompt)
            case _:
                self._journey_step(step)

    def _journey_step(self, step: Step) -> None:
        """The steps a journey of the stateful test may hold besides a user report's."""
        media = self.qcut.media
        match step:
            case Delete(prompt=prompt):
                media.show()
                self._reference.media.delete(generated_name(prompt))
            case SaveLocally(prompt=prompt):
                media.show()
                toasts = self.page.evaluate(TOASTS_SO_FAR)
                media.save_locally(generated_name(prompt))
                self._wait_toast(toasts)
            case ClearFilters():
                media.show()
                media.filter_by("All")
                media.search_for("")
            case FillStorage():
                if self.quota is None:
                    self.quota = QuotaOverride(self.context.new_cdp_session(self.page), self.app.origin)
                self.quota.fill()
            case BlockStorage():
                self.opfs = self.opfs or opfs_blocked(self.context)
                self.opfs.apply(self.page)
            case FalFault():
                self.fake.fault(step.arm())
            case UnblockStorage():
                if self.opfs is None:
                    raise ReplayError("unblock_storage: storage was not blocked by a block_storage step")
                self.opfs.lift(self.page)

    def open_project(self, key: str) -> None:
        name, project_id = self.scenario.projects[key].display_name, self.ids[key]
        if self.current is None:
            self._reference.projects.open_project(name)
        else:
            # The editor's own project switcher, as the user switches while a generation runs.
            self.page.get_by_label("Switch project").select_option(label=name)
        loaded = self.editor.and_(self.page.locator(f'[data-project-id="{project_id}"]'))
        expect(loaded, f"project {name!r} should open").to_have_attribute("data-loaded", "true")
        self.current = key

    def _generate(self, step: Generate) -> None:
        self._apply_storage()
        model_id = step.model or self.scenario.fal.model
        chosen = model_by_id(model_id)
        if chosen is None:
            raise ReplayError(f"generate: the app offers no model {model_id!r}")
        endpoint = self.scenario.fal.endpoint if step.model is None else chosen.endpoint
        model_names = self._model_names([model_id, *step.more_models])
        if step.hold:
            self.fake.model(endpoint, clip=self.scenario.fal.clip or DEFAULT_CLIP, hold=True)
            self.held_endpoint = endpoint
        before = self.page.evaluate(GENERATION_STATE)[0]
        self.generation_project = self.current
        self.item_name = self.qcut.ai.start_generation(step.prompt, *model_names)
        if step.until == "submitted":
            if self.scenario.fal.hold or step.hold:
                self.fake.wait_for_held(endpoint, timeout=30)
            else:
                self.fake.wait_for_request(endpoint=endpoint, timeout=30)
            return
        self.page.wait_for_function(GENERATION_ENDED, arg=before, timeout=GENERATION_TIMEOUT_MS)
        self._check_mode()
        self.qcut.media.show()

    def _release(self) -> None:
        endpoint = self.held_endpoint or self.scenario.fal.endpoint
        if self.fake.release(endpoint) == 0:
            raise ReplayError("release: no held FAL job to release (did the generate step reach FAL?)")
        if self.held_endpoint is not None:
            # That job only: later generations of the model answer at once.
            self.fake.model(endpoint, clip=self.scenario.fal.clip or DEFAULT_CLIP)
            self.held_endpoint = None
        self.page.wait_for_function(GENERATION_ENDED, arg=None, timeout=GENERATION_TIMEOUT_MS)
        self._check_mode()

    def _filter(self, kind: str) -> None:
        self.qcut.media.show()
        self.qcut.media.filter_by(kind.capitalize())

    def _search(self, query: str) -> None:
        self.qcut.media.show()
        self.qcut.media.search_for(query)

    def _restore_storage(self) -> None:
        if self.quota is None:
            raise ReplayError(
                "restore_storage: storage was not filled yet (it fills at the first generate step)"
            )
        self.quota.restore()

    def _retry(self, prompt: str | None = None) -> None:
        name = generated_name(prompt) if prompt else self._name()
        self.qcut.media.show()
        retry = self.qcut.media.item(name).first.get_by_role("button", name="Retry", exact=True)
        if not retry.is_visible():
            return  # the app offers no Retry (the original never did): the user cannot retry
        toasts = self.page.evaluate(TOASTS_SO_FAR)
        self.qcut.media.retry(name)
        # Retry ends with a toast either way: "Saved to storage", or the storage error again.
        self._wait_toast(toasts)

    def _wait_toast(self, before: int) -> None:
        self.page.wait_for_function(TOASTS_GREW, arg=before, timeout=GENERATION_TIMEOUT_MS)

    def _preview(self, prompt: str | None = None) -> None:
        name = generated_name(prompt) if prompt else self._name()
        media = self.qcut.media
        media.show()
        if not media.item(name).first.is_visible():
            # Nothing to choose: the user could not preview it at all.
            self.preview = PreviewResult(plays=False, blocked_by=None)
            return
        media.select(name)
        preview = self._reference.preview
        expect(preview.panel, "the preview should load or fail").to_have_attribute(
            "data-preview-state", PREVIEW_SETTLED, timeout=GENERATION_TIMEOUT_MS
        )
        plays = False
        if preview.panel.get_attribute("data-preview-state") != "error":
            try:
                self.page.wait_for_function(RENDERED, arg=preview.video.element_handle(), timeout=15_000)
                plays = True
            except PlaywrightTimeoutError:
                plays = False
        self.preview = PreviewResult(plays, None if plays else self._blocker())

    # --- observing -----------------------------------------------------------------------------------

    def observe(self, project_key: str | None = None) -> Observation:
        """What the user sees now, in `project_key` (opened as a user would) or the project on screen."""
        if project_key is not None and project_key != self.current:
            self.open_project(project_key)
        name = self._name()
        ai_error = self._ai_error()
        media = self.qcut.media
        media.show()
        media.expect_loaded()
        item = self.store_item(name)
        active = self.page.evaluate(ACTIVE_PROJECT) or ["", ""]
        metadata = (item or {}).get("metadata") or {}
        return Observation(
            project=self.current or "",
            project_id=active[0],
            listed=media.item(name).first.is_visible(),
            appeared=name in self.witness.names_seen,
            in_store=item is not None,
            saved=self._saved(name),
            unsaved=bool(metadata.get("unsaved")),
            url_only=bool(metadata.get("urlOnly")),
            plays=self.preview.plays if self.preview else None,
            blocked_by=self.preview.blocked_by if self.preview else None,
            toasts=list(self.witness.toasts),
            ai_error=ai_error,
            **self._filters(),
        )

    def _ai_error(self) -> str:
        """The AI panel's error where the scenario checks it ("" otherwise), read before the media view."""
        if {self.scenario.expect.ai_error, self.scenario.symptom.ai_error} == {None}:
            return ""
        self.qcut.ai.show()
        return self.qcut.ai.error_shown()

    def _filters(self) -> dict[str, Any]:
        """The media panel's hidden-items hint, type filter and search, as the user sees them."""
        media = self.qcut.media
        return {
            "hint": media.hidden_hint.is_visible(),
            "filter": media.type_filter.input_value(),
            "search": media.search.input_value(),
        }

    def store_item(self, name: str | None = None) -> dict[str, Any] | None:
        """The media store's record of `name` (by default the scenario's video), or None."""
        name = name or self.item_name
        found = [asdict(item) for item in stored_items(self.page) if name and item.name == name]
        return found[0] if found else None

    # --- helpers -------------------------------------------------------------------------------------

    def _name(self) -> str:
        if self.item_name is None:
            prompts = self.scenario.prompts
            self.item_name = generated_name(prompts[-1]) if prompts else ""
        return self.item_name

    def _model_names(self, models: list[str]) -> list[str]:
        """The models' display names, read from their checkboxes' labels (`Select <name>`), with every box
        unticked, so the step ticks them in its order (the order they run in)."""
        self.qcut.ai.show()
        for ticked in self.qcut.ai.panel.get_by_role("checkbox", checked=True).all():
            ticked.uncheck()
        return [self._model_name(model) for model in models]

    def _model_name(self, model: str) -> str:
        box = self.qcut.ai.panel.locator(f"#ai-model-{model}")
        if box.count() == 0:
            offered = self.qcut.ai.panel.get_by_role("checkbox").evaluate_all("(all) => all.map((b) => b.id)")
            raise ReplayError(f"[fal].model {model!r}: the app offers no such model; it offers {offered}")
        label = box.get_attribute("aria-label") or ""
        return label.removeprefix("Select ")

    def _apply_storage(self) -> None:
        if self._storage_applied:
            return
        self._storage_applied = True
        condition = STORAGE_CONDITIONS[self.scenario.environment.storage]
        if condition.armed is Armed.GENERATION and condition.make is not None:
            control = condition.make(self.page, self.app.origin)
            control.arm(self.page)
            if isinstance(control, QuotaOverride):
                self.quota = control

    def _check_mode(self) -> None:
        mode = self.scenario.fal.mode
        if mode is None:
            return
        steps = {entry.step for entry in self.fake.log.find(endpoint=self.scenario.fal.endpoint)}
        seen = "queue" if steps & {"submit", "legacy_status"} else "sync" if "run" in steps else None
        if seen is not None and seen != mode:
            model = self.scenario.fal.model
            raise ReplayError(f"[fal].mode is {mode!r} but the app called FAL the {seen} way for {model!r}")

    def _saved(self, name: str) -> bool:
        if self.generation_project is None:
            return False
        stored = self.page.evaluate(READ_STORED, [self.ids[self.generation_project], name])
        return bool(stored.get("metadata")) and (stored.get("size", 0) > 0 or bool(stored.get("urlOnly")))

    def _blocker(self) -> str | None:
        """Why the browser refused the preview: a CSP violation, a COEP block, or nothing it reported."""
        host = self.scenario.fal.media_host

        def seen() -> str | None:
            csp = self.witnesses.csp.seen()
            if any(v.directive.startswith("media-src") and v.blocked_host == host for v in csp):
                return "csp"
            if any(b.is_coep for b in self.witnesses.blocked.seen(host)):
                return "coep"
            return None

        if (found := seen()) is not None:
            return found
        # No CSP violation yet: wait for one a little. Waiting also lets Playwright deliver the network and
        # DevTools events of a COEP block, which `seen()` then finds.
        with suppress(AssertionError):
            self.witnesses.csp.wait_for(self.page, "media-src", host, timeout=BLOCK_REPORT_TIMEOUT_MS)
        return seen()
