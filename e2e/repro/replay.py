"""Replay a scenario in a real Chromium: arrange fake_fal, act as the user, observe what they see, keep proof.

One replay for `python -m e2e.repro` and `e2e/test_scenarios.py`. `replay()` opens its own browser context
(a persistent one when storage is blocked, as a browser setting must be in place at launch), serves the
scenario's bug switches through the page URL (`?profile=fixed&bugs=...`), runs the steps with the page
objects (`driver.py`), observes the outcome, and writes diagnosis.md, trace.zip, screenshot.png and the
witnesses' logs (console.log, csp.log, blocked-responses.log, media-store.json).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypedDict

from playwright.sync_api import Browser, BrowserContext, BrowserType, Page
from playwright.sync_api import Error as PlaywrightError

from e2e.apps.choice import REFERENCE, AppChoice
from e2e.repro.diagnosis import diagnose
from e2e.repro.driver import Driver, ReplayError
from e2e.repro.evidence import Evidence
from e2e.repro.page_scripts import Witness
from e2e.repro.real_build import RealBuildDriver
from e2e.repro.scenario import Scenario
from e2e.storage.faults import STORAGE_CONDITIONS, Armed, launch_blocked_storage_context
from e2e.witnesses import Witnesses
from e2e.witnesses.artifacts import ArtifactKeeper, ArtifactOptions
from fake_fal.faults import Fault
from fake_fal.models import DEFAULT_CLIP, resolve_clip
from fake_fal.server import FakeFal
from fake_fal.tls import browser_flags
from media_app.server import AppServer, MappedServer

# A replay keeps everything, whatever its outcome: the proof is the point of it.
KEEP_ALL = ArtifactOptions(
    tracing="on", screenshot="on", logs="on", full_page_screenshot=True, screenshot_file="screenshot.png"
)


class QueuePolls(TypedDict, total=False):
    """The polls a queued job answers in each state (FakeFal.model's keywords); a missing one, its default."""

    polls_in_queue: int
    polls_in_progress: int


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
    timing: QueuePolls = {}
    if fal.polls_in_queue is not None:
        timing["polls_in_queue"] = fal.polls_in_queue
    if fal.polls_in_progress is not None:
        timing["polls_in_progress"] = fal.polls_in_progress
    fake.model(fal.endpoint, clip=clip, media_host=fal.media_host, output=fal.output, hold=fal.hold, **timing)
    for fault in fal.faults:
        fake.fault(Fault(**fault))


def launch_args(
    executable: Path, fake: FakeFal, app: MappedServer, *, headed: bool = False
) -> dict[str, Any]:
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
    if STORAGE_CONDITIONS[scenario.environment.storage].armed is Armed.LAUNCH:
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
    app: MappedServer,
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
    # A real build is served as it ships: only the reference app has a report endpoint of ours.
    reports = app if isinstance(app, AppServer) else None
    if reports is not None:
        reports.clear_reports()
    context_args: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
    if har is not None:
        context_args["record_har_path"] = str(har)
    keeper = ArtifactKeeper(out_dir, KEEP_ALL)
    with ExitStack() as stack:
        context = stack.enter_context(_context(run, browser, browser_type, launch or {}, context_args))
        stack.callback(context.close)
        keeper.watch(context)
        witness = Witness()
        witness.install(context)
        page = context.pages[0] if context.pages else context.new_page()
        witnesses = Witnesses(
            reports=reports, reports_note=f"{run.environment.app} has no report endpoint of ours"
        )
        witnesses.watch(context, page)
        driver = _driver(run, page, context, (app, fake), (witness, witnesses))
        evidence.projects = {
            key: (driver.ids[key], project.display_name) for key, project in scenario.projects.items()
        }
        try:
            _play(driver, evidence, fixed=fixed)
        finally:
            logs = _keep(driver, evidence, keeper)
    # After the context closes: the HAR is written, and late reports have reached the app server.
    if reports is not None:
        evidence.csp_reports = reports.csp_reports
        evidence.coep_reports = reports.coep_reports
    evidence.fal = [str(entry) for entry in fake.log if entry.step != "preflight"]
    evidence.media_sizes = _media_sizes(fake, scenario)
    evidence.files = {"trace.zip": out_dir / "trace.zip", "screenshot.png": out_dir / "screenshot.png"}
    evidence.files.update({path.name: path for path in logs})
    if har is not None:
        evidence.files[har.name] = har
    (out_dir / "diagnosis.md").write_text(diagnose(evidence), encoding="utf-8")
    evidence.files["diagnosis.md"] = out_dir / "diagnosis.md"
    return evidence


def _driver(
    run: Scenario,
    page: Page,
    context: BrowserContext,
    servers: tuple[MappedServer, FakeFal],
    witnesses: tuple[Witness, Witnesses],
) -> Driver:
    """The reference app's driver, or the real build's (QCut's own DOM) for `[environment] app`."""
    if run.environment.app == REFERENCE:
        return Driver(run, page, context, servers, witnesses)
    return RealBuildDriver(run, page, context, servers, witnesses, AppChoice.parse(run.environment.app))


def _play(driver: Driver, evidence: Evidence, *, fixed: bool) -> None:
    """The user's steps, then what they see; a step the app does not allow is the run's error."""
    run = driver.scenario
    try:
        driver.start(run.environment.query)
        for step in run.steps:
            driver.run(step)
        evidence.observation = driver.observe()
        evidence.item = driver.store_item()
        if fixed:
            evidence.expect_observation = driver.observe(evidence.scenario.expect.project)
    except (PlaywrightError, AssertionError, ReplayError) as error:
        evidence.error = _first_words(error)


# What Playwright's call log says kept an action from happening (its last such line is the reason it gave up).
HELD_BY = (
    "intercepts pointer events",
    "is not stable",
    "is not visible",
    "is not enabled",
    "outside of the viewport",
)


def _first_words(error: Exception) -> str:
    """An error's first line, and for a Playwright wait what it waited for (its call log's "waiting for") and
    the last thing that held the action back: a step that timed out names the control it looked for, and
    why it could not act on it."""
    lines = [line.strip().lstrip("- ") for line in str(error).strip().splitlines()]
    waited = next((line for line in lines if line.startswith("waiting for")), "")
    held = next((line for line in reversed(lines) if any(words in line for words in HELD_BY)), "")
    detail = "; ".join(part for part in (waited, held) if part)
    return f"{type(error).__name__}: {lines[0]}" + (f" ({detail})" if detail else "")


def _keep(driver: Driver, evidence: Evidence, keeper: ArtifactKeeper) -> list[Path]:
    """What the witnesses saw, into the evidence and the keeper's folder, as a failing e2e test leaves it."""
    if driver.generation_project is not None:
        key = driver.generation_project
        evidence.generation_project = (key, driver.ids[key])
    witnesses = driver.witnesses
    evidence.console = [str(line) for line in witnesses.console.lines]
    evidence.csp = witnesses.csp.seen()
    evidence.blocked = witnesses.blocked.seen()
    evidence.toasts = list(driver.witness.toasts)
    # console.log, csp.log, blocked-responses.log, media-store.json; then screenshot.png and trace.zip
    keeper.close(driver.context, failed=False, witnesses=witnesses)
    kept = keeper.finish(failed=False)
    evidence.console += [f"[replay] {note}" for note in keeper.notes]
    return kept


def _media_sizes(fake: FakeFal, scenario: Scenario) -> dict[str, int]:
    sizes = {}
    clip = resolve_clip(scenario.fal.clip or DEFAULT_CLIP)
    for entry in fake.log.find(step="media", method="GET"):
        if entry.status in (200, 206):
            sizes[f"https://{entry.host}{entry.path}"] = clip.stat().st_size
    return sizes
