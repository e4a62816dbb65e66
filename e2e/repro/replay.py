"""Replay a scenario in a real Chromium: arrange fake_fal, act as the user, observe what they see, keep proof.

One driver for `python -m e2e.repro` and `e2e/test_scenarios.py`. `replay()` opens its own browser context
(a persistent one when storage is blocked, as a browser setting must be in place at launch), serves the
scenario's bug switches through the page URL (`?profile=fixed&bugs=...`), runs the steps with the page
objects, observes the outcome, and writes diagnosis.md, trace.zip, screenshot.png and the witnesses' logs
(console.log, csp.log, blocked-responses.log, media-store.json).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, BrowserType, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e.media_store import stored_items
from e2e.pages import QCutApp
from e2e.pages.ai_panel import generated_name
from e2e.repro.diagnosis import Evidence, Observation, Toast, diagnose
from e2e.repro.scenario import Scenario
from e2e.repro.steps import (
    Filter,
    Generate,
    OpenProject,
    Preview,
    Release,
    Reload,
    RestoreStorage,
    Retry,
    Search,
    Step,
)
from e2e.storage_faults import (
    QuotaOverride,
    indexeddb_blocked,
    launch_blocked_storage_context,
    opfs_blocked,
)
from e2e.witnesses import Witnesses
from fake_fal.faults import Fault
from fake_fal.models import DEFAULT_CLIP, resolve_clip
from fake_fal.server import FakeFal
from fake_fal.tls import browser_flags
from media_app.server import AppServer

BINDING = "__scenarioSaw"
TOAST_COUNT = "__scenarioToasts"

# Reports to Python what the user could have seen: the names in the on-screen media list whenever the store
# changes (a rolled-back item is there for a moment), and every toast as it is added (toasts expire).
WATCH_SCRIPT = f"""
(() => {{
  const report = (kind, data) => {{ try {{ window.{BINDING}(kind, data); }} catch (error) {{}} }};
  let mediaStore;
  let last = "";
  Object.defineProperty(window, "useMediaStore", {{
    configurable: true,
    enumerable: true,
    get: () => mediaStore,
    set: (store) => {{
      mediaStore = store;
      const seen = () => {{
        const names = JSON.stringify(store.getState().mediaItems.map((item) => item.name));
        if (names !== last) {{ last = names; report("items", JSON.parse(names)); }}
      }};
      store.subscribe(seen);
      seen();
    }},
  }});
  new MutationObserver((records) => {{
    for (const record of records) for (const node of record.addedNodes) {{
      if (node.nodeType !== 1 || !node.matches("[data-sonner-toast]")) continue;
      window.{TOAST_COUNT} = (window.{TOAST_COUNT} || 0) + 1;
      report("toast", {{
        kind: node.dataset.type || "",
        title: node.querySelector("[data-title]")?.textContent || "",
        description: node.querySelector("[data-description]")?.textContent || "",
      }});
    }}
  }}).observe(document, {{ childList: true, subtree: true }});
}})();
"""

# Projects are stored as the app stores them, so a scenario can pin the id from the user's log; where the
# projects database is refused (blocked storage) they live in memory, as the app's own fallback does.
SEED_PROJECTS = """async (projects) => {
  const store = window.useProjectStore;
  for (const project of projects) {
    try {
      await window.storageService.saveProject(project);
    } catch (error) {
      const others = (state) => state.projects.filter((p) => p.id !== project.id);
      store.setState((state) => ({ projects: [project, ...others(state)] }));
    }
  }
  await store.getState().loadAllProjects();
}"""

# Is the item really stored? Its metadata in IndexedDB and its bytes in OPFS, read without creating either.
READ_STORED = """async ([projectId, name]) => {
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result);
                                                            r.onerror = () => reject(r.error); });
  try {
    const dbName = `video-editor-media-${projectId}`;
    if (!(await indexedDB.databases()).some((db) => db.name === dbName)) return { metadata: false };
    const db = await request(indexedDB.open(dbName));
    try {
      if (!db.objectStoreNames.contains("media-metadata")) return { metadata: false };
      const records = await request(db.transaction("media-metadata").objectStore("media-metadata").getAll());
      const record = records.find((r) => r.name === name);
      if (!record) return { metadata: false };
      let size = 0;
      try {
        const root = await navigator.storage.getDirectory();
        const dir = await root.getDirectoryHandle(`media-files-${projectId}`);
        size = (await (await dir.getFileHandle(record.id)).getFile()).size;
      } catch (error) { size = 0; }
      return { metadata: true, size, urlOnly: Boolean(record.metadata && record.metadata.urlOnly) };
    } finally { db.close(); }
  } catch (error) { return { metadata: false, error: String(error) }; }
}"""

GENERATION_STATE = (
    "() => { const s = window.useAIGenerationStore.getState(); return [s.startedAt, s.generationState]; }"
)
GENERATION_ENDED = """(before) => { const s = window.useAIGenerationStore.getState();
  return s.startedAt !== before && ["done", "error"].includes(s.generationState); }"""
ACTIVE_PROJECT = (
    "() => { const p = window.useProjectStore.getState().activeProject; return p && [p.id, p.name]; }"
)
RENDERED = "(video) => video.readyState >= 2 && video.videoWidth > 0 && !video.error"
PREVIEW_SETTLED = re.compile(r"^(ready|playing|paused|ended|error)$")

# How long a generation may take end to end; the fake answers at once, so this only bounds a broken run.
GENERATION_TIMEOUT_MS = 60_000
# After the preview fails, how long the browser has to report why (a CSP event or a network failure).
BLOCK_REPORT_TIMEOUT_MS = 3_000


class ReplayError(RuntimeError):
    """The scenario could not be played as written (a step the app does not allow, a missing model)."""


@dataclass
class Witness:
    """What the page reported through the binding: names ever in the on-screen list, and every toast."""

    names_seen: set[str] = field(default_factory=set)
    toasts: list[Toast] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, context: BrowserContext) -> None:
        context.expose_binding(BINDING, self._saw)
        context.add_init_script(WATCH_SCRIPT)

    def _saw(self, _source: object, kind: str, data: Any) -> None:
        with self._lock:
            if kind == "items":
                self.names_seen.update(data)
            elif kind == "toast":
                self.toasts.append(
                    Toast(data.get("kind", ""), data.get("title", ""), data.get("description", ""))
                )


@dataclass
class PreviewResult:
    plays: bool
    blocked_by: str | None


def arrange_fake(fake: FakeFal, scenario: Scenario) -> None:
    """Configure the scenario's model, media and faults on a cleared fake."""
    fal = scenario.fal
    clip = fal.clip or DEFAULT_CLIP
    if fal.file_size is not None:
        size = resolve_clip(clip).stat().st_size
        if size != fal.file_size:
            raise ReplayError(
                f"{scenario.path}: [fal].clip {clip!r} is {size} bytes, not file_size {fal.file_size}"
            )
    timing: dict[str, int] = {}
    if fal.polls_in_queue is not None:
        timing["polls_in_queue"] = fal.polls_in_queue
    if fal.polls_in_progress is not None:
        timing["polls_in_progress"] = fal.polls_in_progress
    fake.model(fal.endpoint, clip=clip, media_host=fal.media_host, output=fal.output, hold=fal.hold, **timing)
    for fault in fal.faults:
        fake.fault(Fault(**fault))


class Driver:
    """Plays the steps as the user did, with the page objects, and observes what they see."""

    def __init__(
        self,
        scenario: Scenario,
        page: Page,
        context: BrowserContext,
        servers: tuple[AppServer, FakeFal],
        witnesses: tuple[Witness, Witnesses],
    ) -> None:
        self.scenario, self.page, self.context = scenario, page, context
        self.app, self.fake = servers
        self._witness, self.witnesses = witnesses
        self.qcut = QCutApp(page, self.app.url)
        self.ids = {key: project.id or str(uuid.uuid4()) for key, project in scenario.projects.items()}
        self.current: str | None = None
        self.generation_project: str | None = None
        self.item_name: str | None = None
        self.preview: PreviewResult | None = None
        self.quota: QuotaOverride | None = None
        self._storage_applied = False

    @property
    def editor(self) -> Locator:
        return self.page.get_by_test_id("editor-container")

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
            case Preview():
                self._preview()
            case RestoreStorage():
                self._restore_storage()
            case Retry():
                self._retry()

    def open_project(self, key: str) -> None:
        name, project_id = self.scenario.projects[key].display_name, self.ids[key]
        if self.current is None:
            self.qcut.projects.open_project(name)
        else:
            # The editor's own project switcher, as the user switches while a generation runs.
            self.page.get_by_label("Switch project").select_option(label=name)
        loaded = self.editor.and_(self.page.locator(f'[data-project-id="{project_id}"]'))
        expect(loaded, f"project {name!r} should open").to_have_attribute("data-loaded", "true")
        self.current = key

    def _generate(self, step: Generate) -> None:
        self._apply_storage()
        model_name = self._model_name()
        before = self.page.evaluate(GENERATION_STATE)[0]
        self.generation_project = self.current
        self.item_name = self.qcut.ai.start_generation(step.prompt, model_name)
        if step.until == "submitted":
            if self.scenario.fal.hold:
                self.fake.wait_for_held(self.scenario.fal.endpoint, timeout=30)
            else:
                self.fake.wait_for_request(endpoint=self.scenario.fal.endpoint, timeout=30)
            return
        self.page.wait_for_function(GENERATION_ENDED, arg=before, timeout=GENERATION_TIMEOUT_MS)
        self._check_mode()
        self.qcut.media.show()

    def _release(self) -> None:
        if self.fake.release(self.scenario.fal.endpoint) == 0:
            raise ReplayError("release: no held FAL job to release (did the generate step reach FAL?)")
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

    def _retry(self) -> None:
        name = self._name()
        self.qcut.media.show()
        retry = self.qcut.media.item(name).get_by_role("button", name="Retry", exact=True)
        if not retry.is_visible():
            return  # the app offers no Retry (the original never did): the user cannot retry
        toasts = self.page.evaluate(f"() => window.{TOAST_COUNT} || 0")
        self.qcut.media.retry(name)
        # Retry ends with a toast either way: "Saved to storage", or the storage error again.
        self.page.wait_for_function(
            f"(before) => (window.{TOAST_COUNT} || 0) > before", arg=toasts, timeout=GENERATION_TIMEOUT_MS
        )

    def _preview(self) -> None:
        name = self._name()
        media = self.qcut.media
        media.show()
        if not media.item(name).is_visible():
            # Nothing to choose: the user could not preview it at all.
            self.preview = PreviewResult(plays=False, blocked_by=None)
            return
        media.select(name)
        preview = self.qcut.preview
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
        media = self.qcut.media
        media.show()
        media.expect_loaded()
        item = self._store_item(name)
        active = self.page.evaluate(ACTIVE_PROJECT) or ["", ""]
        metadata = (item or {}).get("metadata") or {}
        return Observation(
            project=self.current or "",
            project_id=active[0],
            listed=media.item(name).is_visible(),
            appeared=name in self._witness.names_seen,
            in_store=item is not None,
            saved=self._saved(name),
            unsaved=bool(metadata.get("unsaved")),
            url_only=bool(metadata.get("urlOnly")),
            plays=self.preview.plays if self.preview else None,
            blocked_by=self.preview.blocked_by if self.preview else None,
            hint=media.hidden_hint.is_visible(),
            filter=media.type_filter.input_value(),
            search=media.search.input_value(),
            toasts=list(self._witness.toasts),
        )

    def store_item(self) -> dict[str, Any] | None:
        if self.item_name is None:
            return None
        return self._store_item(self.item_name)

    def _store_item(self, name: str) -> dict[str, Any] | None:
        found = [asdict(item) for item in stored_items(self.page) if item.name == name]
        return found[0] if found else None

    # --- helpers -------------------------------------------------------------------------------------

    def _name(self) -> str:
        if self.item_name is None:
            prompts = self.scenario.prompts
            self.item_name = generated_name(prompts[-1]) if prompts else ""
        return self.item_name

    def _model_name(self) -> str:
        """The model's display name, read from its checkbox's label (`Select <name>`)."""
        self.qcut.ai.show()
        model = self.scenario.fal.model
        box = self.qcut.ai.panel.locator(f"#ai-model-{model}")
        if box.count() == 0:
            offered = self.qcut.ai.panel.get_by_role("checkbox").evaluate_all(
                "(boxes) => boxes.map((b) => b.id)"
            )
            raise ReplayError(f"[fal].model {model!r}: the app offers no such model; it offers {offered}")
        label = box.get_attribute("aria-label") or ""
        return label.removeprefix("Select ")

    def _apply_storage(self) -> None:
        if self._storage_applied:
            return
        self._storage_applied = True
        if self.scenario.environment.storage in ("quota-full", "transient"):
            self.quota = QuotaOverride(self.context.new_cdp_session(self.page), self.app.origin)
            self.quota.fill()

    def _check_mode(self) -> None:
        mode = self.scenario.fal.mode
        if mode is None:
            return
        steps = {entry.step for entry in self.fake.log.find(endpoint=self.scenario.fal.endpoint)}
        seen = "queue" if steps & {"submit", "legacy_status"} else "sync" if "run" in steps else None
        if seen is not None and seen != mode:
            raise ReplayError(
                f"[fal].mode is {mode!r} but the app called FAL the {seen} way "
                f"for {self.scenario.fal.model!r}"
            )

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


def launch_args(executable: Path, fake: FakeFal, app: AppServer, *, headed: bool = False) -> dict[str, Any]:
    """Chromium launch options reaching fake_fal and the app on their real hostnames, as the root conftest."""
    return {"executable_path": str(executable), "args": browser_flags([fake, app]), "headless": not headed}


@contextmanager
def _context(
    scenario: Scenario,
    browser: Browser | None,
    browser_type: BrowserType | None,
    launch: dict[str, Any],
    context_args: dict[str, Any],
) -> Iterator[BrowserContext]:
    if scenario.environment.storage == "blocked":
        if browser_type is None:
            raise ReplayError(
                "storage = blocked needs a browser type to launch a profile with site data blocked"
            )
        profile = Path(tempfile.mkdtemp(prefix="scenario-profile-"))
        context = launch_blocked_storage_context(browser_type, profile, launch, **context_args)
        try:
            yield context
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        return
    if browser is None:
        raise ReplayError("no browser to open a context in")
    yield browser.new_context(**context_args)


def replay(
    scenario: Scenario,
    *,
    fixed: bool,
    fake: FakeFal,
    app: AppServer,
    out_dir: Path,
    browser: Browser | None = None,
    browser_type: BrowserType | None = None,
    launch: dict[str, Any] | None = None,
    har: Path | None = None,
) -> Evidence:
    """Play `scenario` on the fixed app (`fixed`) or under its own conditions; artifacts go to `out_dir`."""
    run = scenario.under_fixed_app() if fixed else scenario
    bugs = run.environment.effective_bugs
    evidence = Evidence(scenario=scenario, fixed=fixed, bugs=bugs)
    out_dir.mkdir(parents=True, exist_ok=True)
    arrange_fake(fake, scenario)
    app.clear_reports()
    context_args: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
    if har is not None:
        context_args["record_har_path"] = str(har)
    with ExitStack() as stack:
        context = stack.enter_context(_context(run, browser, browser_type, launch or {}, context_args))
        stack.callback(context.close)
        witness = Witness()
        witness.install(context)
        if run.environment.storage == "opfs-blocked":
            opfs_blocked(context)
        elif run.environment.storage == "indexeddb-blocked":
            indexeddb_blocked(context)
        context.tracing.start(screenshots=True, snapshots=True)
        page = context.pages[0] if context.pages else context.new_page()
        witnesses = Witnesses(reports=app)
        witnesses.watch(context, page)

        driver = Driver(run, page, context, (app, fake), (witness, witnesses))
        evidence.projects = {
            key: (driver.ids[key], project.display_name) for key, project in scenario.projects.items()
        }
        try:
            driver.start(run.environment.query)
            for step in run.steps:
                driver.run(step)
            evidence.observation = driver.observe()
            evidence.item = driver.store_item()
            if fixed:
                evidence.expect_observation = driver.observe(scenario.expect.project)
        except (PlaywrightError, AssertionError, ReplayError) as error:
            evidence.error = f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"
        finally:
            if driver.generation_project is not None:
                key = driver.generation_project
                evidence.generation_project = (key, driver.ids[key])
            evidence.console = [str(line) for line in witnesses.console.lines]
            evidence.csp = witnesses.csp.seen()
            evidence.blocked = witnesses.blocked.seen()
            evidence.toasts = list(witness.toasts)
            # console.log, csp.log, blocked-responses.log and media-store.json, as a failing e2e test leaves.
            logs = witnesses.write(out_dir)
            try:
                page.screenshot(path=str(out_dir / "screenshot.png"), full_page=True)
            except PlaywrightError as error:
                evidence.console.append(f"[replay] no screenshot: {error}")
            context.tracing.stop(path=str(out_dir / "trace.zip"))
    # After the context closes: the HAR is written, and late reports have reached the app server.
    evidence.csp_reports = app.csp_reports
    evidence.coep_reports = app.coep_reports
    evidence.fal = [str(entry) for entry in fake.log if entry.step != "preflight"]
    evidence.media_sizes = _media_sizes(fake, scenario)
    evidence.files = {"trace.zip": out_dir / "trace.zip", "screenshot.png": out_dir / "screenshot.png"}
    evidence.files.update({path.name: path for path in logs})
    if har is not None:
        evidence.files[har.name] = har
    (out_dir / "diagnosis.md").write_text(diagnose(evidence), encoding="utf-8")
    evidence.files["diagnosis.md"] = out_dir / "diagnosis.md"
    return evidence


def _media_sizes(fake: FakeFal, scenario: Scenario) -> dict[str, int]:
    sizes = {}
    clip = resolve_clip(scenario.fal.clip or DEFAULT_CLIP)
    for entry in fake.log.find(step="media", method="GET"):
        if entry.status in (200, 206):
            sizes[f"https://{entry.host}{entry.path}"] = clip.stat().st_size
    return sizes
