"""CSP: on the fixed app no FAL host or model meets a violation; with the old media-src the violation is seen,
named by directive and host, by every witness and under both policies; and the policy served stays tight."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Response

from e2e.apps.target import AppTarget
from e2e.pages import QCutApp
from e2e.pages.ai_panel import ENDPOINTS, QUEUED_MODEL, SYNC_MODEL
from e2e.witnesses.csp import CspCollector
from e2e.witnesses.csp_policy import looseness, meta_policies, parse_policy
from fake_fal.models import FAMILY_HOST, MEDIA_HOSTS, family_of
from fake_fal.server import FakeFal
from media_app.server import AppServer

pytestmark = [pytest.mark.csp, pytest.mark.browser]

PROMPT = "Paper lanterns drift over a river at dusk"
# The API hosts the app calls: fal.run for the synchronous model, queue.fal.run for the queued one.
API_HOSTS = ("fal.run", "queue.fal.run")

# A <video> in the app's own document loads `url`; resolves with what the element could do. This is how the
# app plays a URL-only item, so media-src must admit every FAL media host even though stored files play
# from blob: URLs.
LOAD_IN_VIDEO = """(url) => new Promise((resolve) => {
  const video = document.createElement("video");
  video.muted = true;
  const done = (result) => { video.removeAttribute("src"); video.load(); resolve(result); };
  video.addEventListener("loadeddata", () => done({ loaded: true, width: video.videoWidth }), { once: true });
  video.addEventListener("error", () => done({ loaded: false, error: video.error && video.error.message }),
                         { once: true });
  video.src = url;
})"""


def _host_of(model: str) -> str:
    return FAMILY_HOST[family_of(ENDPOINTS[model])]


# Each model on the host its family really uses, and each remaining FAL media host once.
MODEL_HOSTS = [
    (SYNC_MODEL, _host_of(SYNC_MODEL)),
    (QUEUED_MODEL, _host_of(QUEUED_MODEL)),
    *[
        (SYNC_MODEL, host)
        for host in MEDIA_HOSTS
        if host not in {_host_of(SYNC_MODEL), _host_of(QUEUED_MODEL)}
    ],
]


@pytest.mark.parametrize(("model", "host"), MODEL_HOSTS, ids=[f"{m.split()[0]}-{h}" for m, h in MODEL_HOSTS])
def test_fixed_app_meets_no_csp_violation_from_fal_host_or_model(
    qcut: QCutApp, fake_fal: FakeFal, page: Page, model: str, host: str
) -> None:
    fake_fal.model(ENDPOINTS[model], clip="small", media_host=host)
    qcut.open_new_project()

    name = qcut.ai.generate(PROMPT, model)
    qcut.media.show()
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")

    download = fake_fal.log.find(host=host, step="media")[0]
    result = page.evaluate(LOAD_IN_VIDEO, f"https://{host}{download.path}")
    assert result["loaded"], f"a <video> in the app should load the FAL video from {host}; it got {result}"
    # Any violation on the way (download, preview, the <video> above) fails this test in the witnesses.


# Not the model's usual host, so the host a witness names is read, not assumed.
BLOCKED_HOST = "v3.fal.media"


def preview_under_old_media_src(qcut: QCutApp, fake_fal: FakeFal, page: Page, csp: CspCollector) -> None:
    """Generate on BLOCKED_HOST under exactly the csp-media-src switch, select it: the preview is blocked."""
    fake_fal.model(ENDPOINTS[SYNC_MODEL], clip="small", media_host=BLOCKED_HOST)
    qcut.open_new_project("?profile=fixed&bugs=csp-media-src")  # whatever the server runs
    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the download still works (connect-src has the FAL hosts)")

    qcut.media.select(name)

    csp.wait_for(page, directive="media-src", host=BLOCKED_HOST)
    qcut.preview.expect_blocked()


@pytest.mark.detector
def test_old_media_src_blocks_the_fal_video_under_both_policies_and_every_witness_names_it(
    qcut: QCutApp, fake_fal: FakeFal, page: Page, csp: CspCollector, app_target: AppTarget
) -> None:
    preview_under_old_media_src(qcut, fake_fal, page, csp)
    page_saw = [v for v in csp.seen("page") if v.matches("media-src", BLOCKED_HOST)]
    assert {v.reporting for v in page_saw} == {True, False}, (
        f"both the header policy (reporting) and the <meta> policy should block the video: {page_saw}"
    )
    assert any(v.matches("media-src", BLOCKED_HOST) for v in csp.seen("devtools")), (
        f"DevTools should raise a ContentSecurityPolicyIssue for {BLOCKED_HOST}: {csp.log_lines()}"
    )
    if app_target.server is None:
        return  # --app-url: the app's report endpoint is not ours to read
    report = app_target.server.wait_for_report(
        timeout=10, predicate=lambda r: r["effective_directive"] == "media-src"
    )
    assert BLOCKED_HOST in (report["blocked_uri"] or ""), f"the report should name {BLOCKED_HOST}: {report}"
    assert report["disposition"] == "enforce", f"the header policy should enforce, not only report: {report}"
    assert report["via"] == "report-to", f"a policy naming report-to is reported through it: {report}"


@pytest.fixture
def report_uri_only(app_target: AppTarget) -> Iterator[AppServer]:
    """The suite's app server with a header policy that names report-uri only, as older shells send it."""
    if app_target.server is None:
        pytest.skip("--app-url: the app's report endpoint and policy are not the suite's to change")
    server = app_target.server
    server.report_to = False
    try:
        yield server
    finally:
        server.report_to = True


@pytest.mark.detector
def test_report_uri_only_policy_gets_chromiums_csp_report_post(
    qcut: QCutApp, fake_fal: FakeFal, page: Page, csp: CspCollector, report_uri_only: AppServer
) -> None:
    preview_under_old_media_src(qcut, fake_fal, page, csp)

    report = report_uri_only.wait_for_report(
        timeout=10, predicate=lambda r: r["effective_directive"] == "media-src"
    )
    seen = {key: report[key] for key in ("via", "effective_directive", "blocked_uri")}
    assert report["via"] == "report-uri", (
        f"with no report-to, Chromium should POST application/csp-report to report-uri: {seen}"
    )
    assert BLOCKED_HOST in (report["blocked_uri"] or ""), f"the report should name {BLOCKED_HOST}: {seen}"


@pytest.fixture
def served(page: Page, base_url: str) -> Response:
    """The app's page as the server sends it, loaded in the browser (function scope)."""
    response = page.goto(base_url)
    assert response is not None, f"no response for {base_url}"
    assert response.ok, f"{base_url} answered {response.status}"
    return response


def _policies(response: Response) -> dict[str, str]:
    header = response.header_value("content-security-policy") or ""
    metas = meta_policies(response.text())
    return {"header": header, "meta": metas[0] if len(metas) == 1 else ""}


def test_every_policy_the_page_gets_lets_media_src_load_the_fal_media_hosts(served: Response) -> None:
    """The bug report's must-do, on any app: whichever policies the page carries, FAL's videos may play."""
    policies = {where: parse_policy(text) for where, text in _policies(served).items() if text}
    assert policies, "the page should carry a CSP (header or <meta>)"

    refused = {
        where: sorted(host for host in MEDIA_HOSTS if f"https://{host}" not in sources)
        for where, policy in policies.items()
        if (sources := policy.get("media-src", policy.get("default-src", [])))
    }

    assert not any(refused.values()), (
        "the preview of a FAL video is blocked: CSP media-src lacks "
        + "; ".join(f"{sorted(hosts)} in the {where}" for where, hosts in refused.items() if hosts)
    )


# The fix's own policy as the reference server renders it: tight, and the same in header and <meta>. A build's
# policies are held to the report's must-do above (FAL's media hosts), not to the fix's wording.
FIXS_OWN_POLICY = pytest.mark.reference_only(
    "check the fix's own policy as the reference server renders it (a build's must let FAL's media play)"
)


@FIXS_OWN_POLICY
@pytest.mark.parametrize("where", ["header", "meta"])
def test_served_policy_is_tight_and_names_exactly_the_fal_hosts(served: Response, where: str) -> None:
    text = _policies(served)[where]
    assert text, (
        f"the app should send its CSP as a {where} (the Electron shell uses the header, the web app the meta)"
    )

    problems = looseness(parse_policy(text), MEDIA_HOSTS, API_HOSTS)

    assert not problems, f"the {where} policy is not what the fix allows:\n  " + "\n  ".join(problems)


@FIXS_OWN_POLICY
def test_meta_and_header_policies_agree_on_every_fetch_directive(served: Response) -> None:
    policies = {where: parse_policy(text) for where, text in _policies(served).items()}
    header, meta = policies["header"], policies["meta"]
    # A <meta> policy cannot carry reporting directives; everything else must be the same policy.
    reporting = {"report-uri", "report-to"}
    differ = sorted(
        name for name in (header.keys() | meta.keys()) - reporting if header.get(name) != meta.get(name)
    )
    assert not differ, "the header and <meta> policies differ on " + ", ".join(
        f"{name} (header {header.get(name)}, meta {meta.get(name)})" for name in differ
    )
