"""e2e fixtures: the app under test beside fake_fal, the witnesses every browser test carries, storage faults.

- The app: our reference app's server (one per xdist worker), a real QCut build (`--app qcut:<commit>`,
  served as it ships; `e2e.apps.expectations` holds what the suite knows it finds there), or `--app-url`.
- Witnesses (`e2e.witnesses`): every test that uses `page` has its CSP violations (page, DevTools, the app's
  report endpoint), COEP/CORP blocks and uncaught page errors checked; what it did not declare fails it.
  On failure console.log, csp.log, blocked-responses.log and media-store.json join the trace.
- Storage faults, each a fixture saying whether it is a real browser condition or a script patch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from e2e.apps.choice import APP, REFERENCE, AppChoice, AppChoiceError
from e2e.apps.expectations import ExpectationsError, load_expectations
from e2e.apps.outcomes import (  # noqa: F401 (hooks, registered with this conftest)
    pytest_collection_modifyitems,
    pytest_runtest_makereport,
    pytest_testnodedown,
)
from e2e.apps.target import AppTarget, AppTargetError, MappedHosts
from e2e.browser import remote as remote_browser
from e2e.browser.chromium import H264_PROBE, NO_H264_MESSAGE
from e2e.journeys.machine import JourneyMachine
from e2e.journeys.pairs import PairCollector
from e2e.journeys.world import JOURNEY_REPORTS
from e2e.pages.ai_panel import ENDPOINTS
from e2e.pages.interface import AppPages
from e2e.reports.plugin import record_run_property
from e2e.storage.fixtures import (  # noqa: F401 (fixtures, offered with this conftest)
    blocked_storage_context,
    blocked_storage_qcut,
    indexeddb_patch,
    opfs_patch,
    quota,
)
from e2e.witnesses import Witnesses
from e2e.witnesses.artifacts import ArtifactKeeper, ArtifactOptions, has_failed
from e2e.witnesses.blocked_responses import BlockedResponseLog
from e2e.witnesses.csp import CspCollector
from fake_fal.server import FakeFal
from fake_fal.tls import browser_flags
from media_app.profiles import BUGS, PROFILES, ProfileError, parse_bugs
from media_app.server import STATIC_DIR, AppServer
from qcut_builds.server import BuiltAppServer

WITNESSES = pytest.StashKey[Witnesses]()
PLAYABLE_H264 = ("probably", "maybe")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("media_app").addoption(
        "--app",
        default=REFERENCE,
        metavar="APP",
        help="the app under test: reference (media_app, default) or a real QCut build: qcut:<commit> "
        "(`python -m qcut_builds list`), qcut:<path> (your checkout, any folder in it; rebuilt when it "
        "changes), or qcut:src (the path in QCUT_SRC); +desktop adds the desktop shell's headers",
    )
    parser.getgroup("media_app").addoption(
        "--findings-only",
        action="store_true",
        help="with --app qcut:...: only the smoke tests and the first test to show each known bug or "
        "missing plan feature of the build (the older builds' lanes in make test)",
    )
    parser.getgroup("media_app").addoption(
        "--each-finding-once",
        action="store_true",
        help="with --app qcut:...: every test the build must pass, and the first test to show each known "
        "bug or missing plan feature (the newest build's lane in make test)",
    )
    group = parser.getgroup("media_app", "the reference app under test")
    group.addoption(
        "--app-profile",
        default="fixed",
        choices=sorted(PROFILES),
        help="profile the app server starts with (default fixed); pages may still override it per URL",
    )
    group.addoption(
        "--app-bugs",
        default="",
        metavar="A,B",
        help=f"extra legacy switches for the app server, comma-separated: {', '.join(BUGS)}",
    )
    group.addoption(
        "--app-dir",
        default=str(STATIC_DIR),
        metavar="PATH",
        help="serve this copy of the app (a candidate build) instead of media_app/static",
    )
    group.addoption(
        "--app-url",
        default="",
        metavar="URL",
        help="test the app served at URL instead of starting one (its CSP report endpoint is then not "
        "a witness; tests that need our own server are skipped)",
    )
    group.addoption(
        "--app-chromium-args",
        default="",
        metavar="JSON",
        help="with --app-url: the `chromium_args` JSON list that `python -m media_app serve` prints, so "
        "Chromium maps and trusts the app's hostname",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller merges the tour shards' pairs
        config.pluginmanager.register(PairCollector(JourneyMachine, JOURNEY_REPORTS), "e2e-pair-coverage")
    try:
        parse_bugs(config.getoption("--app-bugs"))
    except ProfileError as error:
        raise pytest.UsageError(f"--app-bugs: {error} (or --app-profile legacy for all of them)") from None
    config.stash[APP] = _app_choice(config)
    narrowing = [name for name in ("--findings-only", "--each-finding-once") if config.getoption(name)]
    if narrowing and config.stash[APP].is_reference:
        raise pytest.UsageError(
            f"{narrowing[0]} selects by a real build's expectations file: use it with --app qcut:<commit>"
        )
    _record_app_under_test(config)
    url = config.getoption("--app-url", default="")
    if not url:
        if config.getoption("--app-chromium-args", default=""):
            raise pytest.UsageError("--app-chromium-args needs --app-url")
        return
    served_here = [
        name
        for name, default in (("--app-bugs", ""), ("--app-dir", str(STATIC_DIR)), ("--app-profile", "fixed"))
        if config.getoption(name) != default
    ]
    if served_here:
        raise pytest.UsageError(
            f"{', '.join(served_here)} configure the app server the suite starts; with --app-url the app is "
            "served elsewhere (start it with those switches, e.g. `python -m media_app serve --bugs ...`)"
        )
    try:
        AppTarget.external(url, config.getoption("--app-chromium-args"))
    except AppTargetError as error:
        raise pytest.UsageError(str(error)) from None


def _app_choice(config: pytest.Config) -> AppChoice:
    """--app parsed; refused, with the reason, beside options that only the reference app takes."""
    try:
        choice = AppChoice.parse(config.getoption("--app"))
    except AppChoiceError as error:
        raise pytest.UsageError(str(error)) from None
    if not choice.is_reference:
        reference_only = [
            name
            for name, default in (
                ("--app-bugs", ""),
                ("--app-dir", str(STATIC_DIR)),
                ("--app-profile", "fixed"),
                ("--app-url", ""),
            )
            if config.getoption(name) != default
        ]
        if reference_only:
            raise pytest.UsageError(
                f"{', '.join(reference_only)} configure the reference app; "
                f"--app {choice.name} is a real build"
            )
        try:
            load_expectations(choice.name)
        except ExpectationsError as error:
            raise pytest.UsageError(str(error)) from None
    return choice


def _record_app_under_test(config: pytest.Config) -> None:
    """The app under test as run properties: in the JUnit XML, the HTML report and summary.json."""
    build = config.stash[APP].build
    if build is not None:
        record_run_property(config, "app", config.stash[APP].name)
        record_run_property(config, "app_url", _default_url(BuiltAppServer.__init__.__kwdefaults__))
        record_run_property(
            config,
            "app_build",
            f"QCut {build.commit} ({build.date or 'date unknown'}, "
            f"{build.subject!r}) from {build.source.kind} {build.source.path}",
        )
        return
    record_run_property(config, "app", "reference")
    url = config.getoption("--app-url")
    if url:
        record_run_property(config, "app_url", url)
        record_run_property(config, "app_build", "served elsewhere (--app-url): not known to the suite")
        return
    app_dir = Path(config.getoption("--app-dir")).resolve()
    digest = hashlib.sha256()
    for path in sorted(app_dir.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(app_dir).as_posix().encode() + b"\0" + path.read_bytes())
    record_run_property(config, "app_url", _default_url(AppServer.__init__.__kwdefaults__))
    record_run_property(config, "app_profile", config.getoption("--app-profile"))
    record_run_property(config, "app_switches", config.getoption("--app-bugs") or "none")
    record_run_property(config, "app_build", f"{app_dir} sha256:{digest.hexdigest()[:16]}")


def _default_url(server_kwdefaults: dict[str, Any] | None) -> str:
    """The app's URL on a server's default host: the default of its __init__'s `host` keyword."""
    assert server_kwdefaults is not None, "the server takes `host` as a keyword with a default"
    return f"https://{server_kwdefaults['host']}/"


def pytest_report_header(config: pytest.Config) -> str:
    choice = config.stash[APP]
    if not choice.is_reference:
        expectations = load_expectations(choice.name)
        known = expectations.path.name if expectations.path else "none: every test must pass"
        return f"app under test: QCut {choice.name}, served as it ships (expectations: {known})"
    url = config.getoption("--app-url", default="")
    if url:
        return f"app under test: {url} (--app-url; its CSP report endpoint is not a witness in this run)"
    profile, bugs = config.getoption("--app-profile"), config.getoption("--app-bugs") or "none"
    return f"app under test: served by the suite, profile {profile}, switches {bugs}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test whose pages showed something it did not declare; add that to a failure it already has."""
    witnesses = item.stash.get(WITNESSES, None)
    try:
        result = yield
    except Exception as error:
        if witnesses is not None:
            for problem in witnesses.problems():
                error.add_note(problem)
        raise
    if witnesses is not None:
        problems = witnesses.problems()
        if problems:
            pytest.fail("\n\n".join(problems), pytrace=False)
    return result


# --- the app under test -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_server(pytestconfig: pytest.Config) -> Iterator[AppServer]:
    """The reference app on https://app.qcut.test/ (session scope: one server per xdist worker)."""
    if pytestconfig.getoption("--app-url"):
        pytest.skip("needs the suite's own app server (its profiles or report log); --app-url is elsewhere")
    if not pytestconfig.stash[APP].is_reference:
        pytest.skip(
            f"needs the reference app's server (profiles, report log), not {pytestconfig.stash[APP].name}"
        )
    bugs = [name for name in pytestconfig.getoption("--app-bugs").split(",") if name]
    server = AppServer(
        app_dir=Path(pytestconfig.getoption("--app-dir")),
        profile=pytestconfig.getoption("--app-profile"),
        bugs=bugs,
    )
    with server:
        yield server


@pytest.fixture(scope="session")
def app_target(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Iterator[AppTarget]:
    """Where the app under test is: our app_server, a real build we serve, or --app-url (session scope)."""
    choice = pytestconfig.stash[APP]
    url = pytestconfig.getoption("--app-url")
    if not choice.is_reference:
        with choice.serve() as server:
            yield AppTarget.built(server, choice.name)
    elif url:
        yield AppTarget.external(url, pytestconfig.getoption("--app-chromium-args"))
    else:
        yield AppTarget.local(request.getfixturevalue("app_server"))


@pytest.fixture(scope="session")
def app_origin(app_target: AppTarget) -> str:
    """The app's origin, e.g. https://app.qcut.test (session scope): what storage quotas are keyed by."""
    return app_target.origin


@pytest.fixture(scope="session")
def base_url(app_target: AppTarget) -> str:
    """The app's URL, for relative `page.goto` (session scope); replaces pytest-playwright's fallback."""
    return app_target.url


@pytest.fixture(scope="session")
def mapped_servers(fake_fal_server: FakeFal, app_target: AppTarget) -> list[FakeFal | MappedHosts]:
    """The servers Chromium reaches on their real hostnames (session scope): fake_fal and the app."""
    return [fake_fal_server, *app_target.mapped()]


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    chromium_launch_options: dict[str, Any],
    mapped_servers: list[FakeFal | MappedHosts],
) -> dict[str, Any]:
    """Launch arguments (session scope): our Chromium, quiet-network flags, host mapping and SPKI trust."""
    return {**browser_type_launch_args, **chromium_launch_options, "args": browser_flags(mapped_servers)}


@pytest.fixture(scope="session")
def connect_options(
    browser_server: str | None, browser_type_launch_args: dict[str, Any]
) -> dict[str, Any] | None:
    """pytest-playwright's connection (session scope): to --browser-server, with our launch arguments."""
    if not browser_server:
        return None
    return remote_browser.connect_options(browser_server, browser_type_launch_args)


@pytest.fixture
def app_reports(app_server: AppServer) -> Iterator[AppServer]:
    """The app server with its CSP/COEP report log emptied for this test (function scope)."""
    app_server.clear_reports()
    yield app_server
    app_server.clear_reports()


@pytest.fixture
def qcut(pytestconfig: pytest.Config, page: Page, app_target: AppTarget, fake_fal: FakeFal) -> AppPages:
    """The app's page objects (AppPages) on a fresh context, with fake_fal cleared (function scope)."""
    return pytestconfig.stash[APP].page_objects(page, app_target.url)


@pytest.fixture
def qcut_as_served(
    pytestconfig: pytest.Config, page: Page, app_target: AppTarget, fake_fal: FakeFal
) -> AppPages:
    """As `qcut`, with nothing lent to the build: the web build exactly as a browser runs it."""
    return pytestconfig.stash[APP].page_objects(page, app_target.url, shell_save=False)


# --- the browser and what it witnesses ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_plays_h264(browser: Any, browser_type_launch_args: dict[str, Any]) -> None:
    """Stops the whole run unless the browser plays H.264 MP4, FAL's codec (session scope)."""
    page = browser.new_page()
    try:
        answer = page.evaluate(H264_PROBE)
    finally:
        page.close()
    if answer not in PLAYABLE_H264:
        path = browser_type_launch_args.get("executable_path", "the launched browser")
        pytest.exit(NO_H264_MESSAGE.format(path=path, answer=answer), returncode=3)


@pytest.fixture
def witnesses(
    request: pytest.FixtureRequest, app_target: AppTarget, browser_plays_h264: None
) -> Iterator[Witnesses]:
    """This test's CSP, COEP and page-error witnesses; watch a context with `.watch` (function scope)."""
    if app_target.server is not None:
        app_target.server.clear_reports()
        found = Witnesses(reports=app_target.server)
    else:
        found = Witnesses(reports_note=app_target.reports_note)
    request.node.stash[WITNESSES] = found
    yield found
    if has_failed(request.node) and not found.written:
        found.write(Path(request.getfixturevalue("output_path")))


@pytest.fixture
def artifact_keeper(request: pytest.FixtureRequest, output_path: str) -> Iterator[ArtifactKeeper]:
    """Keeps contexts the test opens itself as --tracing, --screenshot and --video say (function scope)."""
    keeper = ArtifactKeeper(Path(output_path), ArtifactOptions.from_config(request.config))
    yield keeper
    keeper.finish(has_failed(request.node))


@pytest.fixture(autouse=True)
def _witnessed_page(request: pytest.FixtureRequest) -> Iterator[None]:
    """Puts the witnesses on `page` and its context, for every test that uses `page` (function scope)."""
    if "page" not in request.fixturenames:
        yield
        return
    found: Witnesses = request.getfixturevalue("witnesses")
    page: Page = request.getfixturevalue("page")
    found.watch(page.context, page)
    yield
    # Before the context closes, so the media store can still be read.
    if has_failed(request.node):
        found.write(Path(request.getfixturevalue("output_path")))


@pytest.fixture
def csp(witnesses: Witnesses) -> CspCollector:
    """This test's CSP violations; `csp.expect(directive, host)` declares one (function scope)."""
    return witnesses.csp


@pytest.fixture
def blocked_responses(witnesses: Witnesses) -> BlockedResponseLog:
    """This test's COEP/CORP blocks; `.expect(host)` declares one (function scope)."""
    return witnesses.blocked


@pytest.fixture
def fal(pytestconfig: pytest.Config, fake_fal: FakeFal) -> FakeFal:
    """fake_fal with both of the app's models answering with the app's clip (function scope)."""
    clip = pytestconfig.stash[APP].clip
    for endpoint in ENDPOINTS.values():
        fake_fal.model(endpoint, clip=clip)
    return fake_fal
