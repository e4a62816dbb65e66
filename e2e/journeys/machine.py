"""A Hypothesis state machine over the app under test: rules are user actions, invariants the user's view.

Each journey runs in a fresh browser context, watched by its own witnesses (CSP, COEP, page errors). After
every step the page must show what the model (`model.py`) says (`invariants.py`); FAL's troubles are one
more rule (`fal_rules.py`). A step that fails writes the journey so far as a scenario (`scenario_writer.py`);
Hypothesis replays the shortest failing journey last, so the file left is that one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from e2e.apps.expectations import UNEXPLAINED, cause_of
from e2e.journeys.fal_rules import FalTroubleRules
from e2e.journeys.invariants import UserViewInvariants, step
from e2e.journeys.model import FILTERS, MODELS, Item, UserView, prompt_for
from e2e.journeys.world import JourneyWorld, app_offers
from e2e.pages.ai_panel import ENDPOINTS
from e2e.pages.media_card import MediaCard, cards_in_state
from e2e.repro.page_scripts import (
    GENERATION_ENDED,
    GENERATION_STATE,
    GENERATION_TIMEOUT_MS,
    READ_STORED,
    TOASTS_GREW,
    TOASTS_SO_FAR,
    Witness,
)
from e2e.storage.faults import QuotaOverride, ScriptPatch, opfs_blocked
from e2e.storage.media_store import wait_until_let_go
from e2e.witnesses import Witnesses

MAX_PROJECTS = 3
# How long storage may take to let a deleted video go (an IndexedDB delete and an OPFS removal).
STORAGE_LETS_GO_MS = 5_000
# Where a journey starts: storage as the user's browser has it when they open the app.
START_STORAGE = ("ok", "quota-full", "opfs-blocked")


class JourneyMachine(UserViewInvariants, FalTroubleRules, RuleBasedStateMachine):
    """One user's journey per example; `world` is set by the test that runs it."""

    world: ClassVar[JourneyWorld]

    def __init__(self) -> None:
        super().__init__()
        world = self.world
        world.fal.clear()
        for endpoint in ENDPOINTS.values():
            self._serve(endpoint)
        if world.app.server is not None:
            world.app.server.clear_reports()
        self.view = UserView()
        self.journey = world.journey()
        self.steps_run: list[str] = []  # every rule and check as it ran, for the pair coverage
        self.failure: str | None = None
        self.unexpected_toast: str | None = None
        self.toasts_checked = 0
        self.context: BrowserContext = world.browser.new_context(**world.context_args)
        self.witness = Witness()
        self.witness.install(self.context)
        self.page: Page = self.context.new_page()
        self.witnesses = Witnesses(reports=world.app.server)
        self.witnesses.watch(self.context, self.page)
        self.qcut = world.choice.page_objects(self.page, world.app.url)
        self.project_ids = {self.view.current: self.qcut.open_new_project()}
        self.quota = QuotaOverride(self.context.new_cdp_session(self.page), world.app.origin)
        self.opfs: ScriptPatch = opfs_blocked(self.context)

    def teardown(self) -> None:
        self.world.explored.append(self.journey.describe())
        self.world.steps_run.append(self.steps_run)
        folder = self.world.out_dir / self.journey.name
        if self.failure is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.witnesses.write(folder)
            try:
                self.page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
            except PlaywrightError as error:
                (folder / "screenshot-missing.txt").write_text(str(error), encoding="utf-8")
        self.context.close()

    def record_failure(self, error: BaseException) -> None:
        """Write the journey that failed as a scenario, and say in the error how to replay it."""
        self.failure = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        # What the witnesses saw says why (a CSP refusal, a COEP block, a page error), as for any e2e test.
        problems = self.witnesses.problems()
        name = self.journey.name
        if not self.world.choice.is_reference:
            # A real build may hold several bugs, each shrunk on its own: one scenario per cause.
            name = self.journey.name_for_cause(cause_of("\n".join([str(error), *problems])) or UNEXPLAINED)
        if len(self.journey.steps) <= self.world.shortest.get(name, len(self.journey.steps)):
            # Hypothesis shrinks each distinct failure; two checks may show one cause: keep the shortest.
            self.world.shortest[name] = len(self.journey.steps)
            self.journey.write(self.world.out_dir, self.view, self.failure, self._observe(), name)
        path = self.world.out_dir / f"{name}.toml"
        error.add_note(
            f"journey ({len(self.journey.steps)} steps): {self.journey.describe()}\n"
            f"replay it: python -m e2e.repro {path}"
        )
        for problem in problems:
            error.add_note(problem)

    # --- helpers -------------------------------------------------------------------------------------

    def _serve(self, endpoint: str, *, hold: bool = False) -> None:
        """FAL's answer for `endpoint`: the app's clip, a queued job already running at its first poll.
        The journeys check what a run leaves, not its queue (the flow tests do), so each of the tour's
        hundred or so queued runs saves a status poll and the app's 500 ms wait before it."""
        self.world.fal.model(endpoint, clip=self.world.choice.clip, polls_in_queue=0, hold=hold)

    def can(self, *features: str) -> bool:
        return set(features) <= self.world.usable

    def _generate(self, word: str, *models: str) -> None:
        """Generate with `models` ticked (in that order) and wait until the run ended, as the app shows it."""
        if not self.can("generation-states"):
            self.qcut.ai.generate(prompt_for(word), *models)  # QCut's polls on page.clock; ends on its result
            self.qcut.media.show()
            return
        self._choose_none()
        before = self.page.evaluate(GENERATION_STATE)[0]
        self.qcut.ai.start_generation(prompt_for(word), *models)
        self._wait_generation_ended(before, word, len(models))

    def _expect_open(self) -> None:
        """The editor shows the model's current project (QCut names every project alike: by its id)."""
        if self.can("project-switcher"):
            self.qcut.projects.expect_open(self.view.current)
        else:
            self.qcut.projects.expect_open_id(self.project_ids[self.view.current])

    def _open(self, project: str) -> None:
        """Open another project: the editor's switcher, or (QCut) back to the projects page and its link."""
        if self.can("project-switcher"):
            self.qcut.projects.switch_to(project)
        else:
            self.qcut.projects.switch_to_id(self.project_ids[project])

    def _choose_none(self) -> None:
        """Untick every model, so the next run ticks its own in its order (the order they run in)."""
        ai = self.qcut.ai
        ai.show()
        for model in MODELS:
            ai.model(model).uncheck()

    def _wait_generation_ended(self, before: Any, word: str, videos: int) -> None:
        self.page.wait_for_function(GENERATION_ENDED, arg=before, timeout=GENERATION_TIMEOUT_MS)
        self.qcut.ai.expect_done(videos)  # 100 %, this run's count, and no error left from an earlier run
        self._expect_ready_again(word, videos)
        self.qcut.media.show()

    def _expect_ready_again(self, word: str, models: int) -> None:
        """After a run, as the user reads the AI panel: the button offers the same run again, the counter
        counts the prompt still there, and 'Generated Videos' lists every video this page made."""
        ai = self.qcut.ai
        ai.expect_ready(models)
        ai.expect_counter(prompt_for(word))
        ai.expect_results(self.view.ai_results)

    def _card(self, item: Item) -> MediaCard:
        """`item`'s card; among videos named alike, one whose badges say `item`'s storage state (such
        videos are alike to the user, so any of them is `item`)."""
        cards = self.qcut.media.item(item.name)
        if len(self.view.namesakes(item)) > 1:
            cards = cards_in_state(cards, item.state).first
        return MediaCard(cards, item.name)

    def _select(self, item: Item) -> None:
        if len(self.view.namesakes(item)) > 1:
            self._card(item).select()
        else:
            self.qcut.media.select(item.name)  # QCut's own way: its media panel has no Preview button

    def _pick(self, data: st.DataObject, items: list[Item]) -> Item:
        return data.draw(st.sampled_from(items), label="item")

    # --- where the journey starts ---------------------------------------------------------------------

    @initialize(projects=st.integers(1, MAX_PROJECTS), storage=st.sampled_from(START_STORAGE))
    @step
    def the_user_starts(self, projects: int, storage: str) -> None:
        """The user has `projects` projects (the last one open), and storage as `storage` when they start."""
        for _ in range(projects - 1):
            self._create_project()
        if storage == "quota-full":
            self._fill_quota()
        elif storage == "opfs-blocked":
            self._block_storage()

    # --- rules: generating ---------------------------------------------------------------------------

    @precondition(lambda self: bool(self.view.unused_words()))
    @rule(model=st.sampled_from(MODELS))
    @step
    def generate(self, model: str) -> None:
        word = self.view.unused_words()[0]
        self.journey.add("generate", prompt=prompt_for(word), model=model)
        # The model first: a check failing inside the step then writes what the user should have seen.
        self.view.generated(word, model, self.view.current)
        self._generate(word, model)

    @app_offers("generation-states")
    @precondition(lambda self: bool(self.view.unused_words()))
    @rule()
    @step
    def generate_with_every_model(self) -> None:
        """One click with every model ticked: a video from each, named alike, each in this project."""
        word = self.view.unused_words()[0]
        self._record_generate(word, MODELS)
        self.view.generated_together(word, MODELS, self.view.current)  # the model first
        self._generate(word, *MODELS)

    def _record_generate(self, word: str, models: tuple[str, ...], **keys: Any) -> None:
        more = {"more_models": list(models[1:])} if len(models) > 1 else {}
        self.journey.add("generate", prompt=prompt_for(word), model=models[0], **more, **keys)

    @app_offers("generation-states", "project-switcher")
    @precondition(
        lambda self: (
            len(self.view.projects) > 1 and bool(self.view.unused_words()) and not self.view.storage_blocked
        )
    )
    @rule(models=st.sampled_from([(model,) for model in MODELS] + [MODELS]), data=st.data())
    @step
    def generate_and_switch_before_it_arrives(self, models: tuple[str, ...], data: st.DataObject) -> None:
        """Start a generation (one model, or several in one click), switch project while FAL still works on
        the first, then let FAL answer: every video goes to the project that started the run."""
        word, started_in = self.view.unused_words()[0], self.view.current
        target = data.draw(st.sampled_from([p for p in self.view.projects if p != started_in]), label="to")
        endpoint = ENDPOINTS[models[0]]
        self._record_generate(word, models, until="submitted", hold=True)
        self.journey.add("open_project", project=target)
        self.journey.add("release")
        self._serve(endpoint, hold=True)
        self._choose_none()
        before = self.page.evaluate(GENERATION_STATE)[0]
        self.qcut.ai.start_generation(prompt_for(word), *models)
        self.world.fal.wait_for_held(endpoint, timeout=30)
        self.qcut.projects.switch_to(target)
        self.view.open(target)
        self.world.fal.release(endpoint)
        self._serve(endpoint)
        self.view.generated_together(word, models, started_in)  # the model first, as in `generate`
        self._wait_generation_ended(before, word, len(models))

    # --- rules: projects -----------------------------------------------------------------------------

    @precondition(lambda self: len(self.view.projects) < MAX_PROJECTS and self.view.storage_ok)
    @rule()
    @step
    def create_project(self) -> None:
        self._create_project()

    def _create_project(self) -> None:
        name = self.view.create_project()
        self.journey.add("open_project", project=name)
        self.project_ids[name] = self.qcut.projects.create_another_project()
        self._expect_open()

    @precondition(lambda self: len(self.view.projects) > 1 and not self.view.storage_blocked)
    @rule(data=st.data())
    @step
    def switch_project(self, data: st.DataObject) -> None:
        target = data.draw(
            st.sampled_from([p for p in self.view.projects if p != self.view.current]), label="to"
        )
        self.journey.add("open_project", project=target)
        self._open(target)
        self.view.open(target)

    # --- rules: filter and search --------------------------------------------------------------------

    @app_offers("media-filters")
    @rule(label=st.sampled_from(FILTERS))
    @step
    def filter_by(self, label: str) -> None:
        self.journey.add("filter", type=label.lower())
        self.qcut.media.filter_by(label)
        self.view.type_filter = label

    @rule(data=st.data())
    @step
    def search(self, data: st.DataObject) -> None:
        term = data.draw(st.sampled_from(self.view.search_terms()), label="term")
        self.journey.add("search", query=term)
        self.qcut.media.search_for(term)
        self.view.search = term

    @precondition(lambda self: self.view.type_filter != "All" or bool(self.view.search))
    @rule()
    @step
    def clear_filters(self) -> None:
        self.journey.add("clear_filters")
        if not self.can("media-filters"):
            self.qcut.media.search_for("")  # QCut's type filter is an unlabelled select: the search only
        elif self.view.hidden_new():
            self.qcut.media.clear_filters()  # the hint's own button
        else:
            self.qcut.media.filter_by("All")
            self.qcut.media.search_for("")
        self.view.type_filter, self.view.search = "All", ""

    # --- rules: the items ----------------------------------------------------------------------------

    @precondition(lambda self: any(item.playable for item in self.view.listed()))
    @rule(data=st.data())
    @step
    def preview(self, data: st.DataObject) -> None:
        """Choose a listed video: it plays (and no error box is left from a clip chosen before)."""
        self._preview(self._pick(data, [item for item in self.view.listed() if item.playable]))

    @precondition(lambda self: any(not item.playable for item in self.view.listed()))
    @rule(data=st.data())
    @step
    def preview_an_unplayable_clip(self, data: st.DataObject) -> None:
        """Choose a listed video no browser decodes: the preview says it cannot be played."""
        self._preview(self._pick(data, [item for item in self.view.listed() if not item.playable]))

    def _preview(self, item: Item) -> None:
        self.journey.add("preview", prompt=item.prompt)
        self.view.previewed(item)
        self._select(item)
        source_kind = "remote" if item.state == "url-only" else "blob"
        if self.can("preview-title"):
            expect(self.qcut.preview.title, f"the preview should show {item.name!r}").to_have_text(item.name)
            if item.playable:
                self.qcut.preview.expect_playing(source_kind=source_kind)
            else:
                self.qcut.preview.expect_blocked()
            return
        # QCut previews its timeline from the playhead: whichever clip plays must, and then it is paused.
        self.qcut.preview.expect_playing(source_kind=source_kind)
        self.qcut.preview.pause()

    @app_offers("media-delete")
    @precondition(lambda self: self.view.storage_ok and bool(self.view.listed()))
    @rule(data=st.data())
    @step
    def delete(self, data: st.DataObject) -> None:
        item = self._pick(data, self.view.listed())
        self.journey.add("delete", prompt=item.prompt)
        self._card(item).delete()
        self.view.deleted(item)
        # The app drops the card at once and storage's copy just after: the next step (a reload, say) comes
        # once storage has let it go, at a user's pace, not within the milliseconds between the two.
        kept = [i for i in self.view.in_project() if i.name == item.name and i.state in ("saved", "url-only")]
        project_id = self.project_ids[self.view.current]
        wait_until_let_go(self.page, project_id, item.name, len(kept), STORAGE_LETS_GO_MS)

    @app_offers("retry")
    @precondition(lambda self: any(item.state == "unsaved" for item in self.view.listed()))
    @rule(data=st.data())
    @step
    def retry(self, data: st.DataObject) -> None:
        item = self._pick(data, [item for item in self.view.listed() if item.state == "unsaved"])
        self.journey.add("retry", prompt=item.prompt)
        toasts = self.page.evaluate(TOASTS_SO_FAR)
        self._card(item).retry_button.click()
        # Retry ends with a toast either way: "Saved to storage", or the storage error again.
        self.page.wait_for_function(TOASTS_GREW, arg=toasts, timeout=GENERATION_TIMEOUT_MS)
        self.view.retried(item)

    @app_offers("url-only")
    @precondition(
        lambda self: self.view.storage_ok and any(item.state == "url-only" for item in self.view.listed())
    )
    @rule(data=st.data())
    @step
    def save_locally(self, data: st.DataObject) -> None:
        item = self._pick(data, [item for item in self.view.listed() if item.state == "url-only"])
        self.journey.add("save_locally", prompt=item.prompt)
        self._card(item).save_locally()
        self.qcut.toasts.expect_toast(
            "success", "Saved locally", "Save locally should say the video is stored"
        )
        self.view.saved_locally(item)

    # --- rules: the page and storage -----------------------------------------------------------------

    @precondition(lambda self: not self.view.storage_blocked)
    @rule()
    @step
    def reload(self) -> None:
        self.journey.add("reload")
        self.qcut.reload()
        self.view.reloaded()
        project_id = self.project_ids[self.view.current]
        for item in self.view.in_project():
            stored = self.page.evaluate(READ_STORED, [project_id, item.name])
            held = bool(stored.get("metadata")) and (item.state == "url-only" or stored.get("size", 0) > 0)
            assert held, (
                f"{item.name!r} was shown as saved in {self.view.current!r}, but storage does not hold it "
                f"after a reload: {stored}"
            )

    @precondition(lambda self: self.view.storage_ok)
    @rule()
    @step
    def fill_quota(self) -> None:
        self._fill_quota()

    def _fill_quota(self) -> None:
        self.journey.add("fill_storage")
        self.quota.fill()
        self.view.quota_full = True

    @precondition(lambda self: self.view.quota_full)
    @rule()
    @step
    def restore_quota(self) -> None:
        self.journey.add("restore_storage")
        self.quota.restore()
        self.view.quota_full = False

    @precondition(lambda self: self.view.storage_ok)
    @rule()
    @step
    def block_storage(self) -> None:
        self._block_storage()

    def _block_storage(self) -> None:
        self.journey.add("block_storage")
        self.opfs.apply(self.page)
        self.view.storage_blocked = True

    @precondition(lambda self: self.view.storage_blocked)
    @rule()
    @step
    def unblock_storage(self) -> None:
        self.journey.add("unblock_storage")
        self.opfs.lift(self.page)
        self.view.storage_blocked = False
