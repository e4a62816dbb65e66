"""Smoke: one short pass through generate → store → preview in a real Chromium against fake_fal, and the three
ways the original app lost the video (rollback on a full quota, CSP media-src, COEP), each shown happening."""

from __future__ import annotations

import http.client
import json
import re

import pytest
from playwright.sync_api import BrowserContext, Page

from e2e.pages import QCutApp
from e2e.storage_faults import QuotaOverride
from e2e.witnesses.blocked_responses import BlockedResponseLog
from e2e.witnesses.csp import CspCollector
from fake_fal.models import MEDIA_HOSTS
from media_app.csp import FAL_MEDIA_HOSTS
from media_app.server import AppServer

pytestmark = [pytest.mark.smoke]
browser = pytest.mark.browser

SYNC_MODEL = "LTX Video 2.0 Fast T2V"
QUEUED_MODEL = "Kling v2.5 Turbo Pro T2V"
PROMPT = "A red fox runs through fresh snow at dawn, slow motion"

STORAGE_FULL = "Storage space is full. Please free up space and try again."
UNSAVED = "Saved locally, storage failed. Item marked unsaved; retry later."


@browser
@pytest.mark.parametrize("model", [SYNC_MODEL, QUEUED_MODEL], ids=["sync-fal-run", "queue"])
def test_generated_video_is_listed_plays_and_survives_reload(qcut: QCutApp, model: str) -> None:
    qcut.open_new_project()

    name = qcut.ai.generate(PROMPT, model)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the generated video should be listed in the media panel")
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")

    qcut.reload()
    qcut.media.expect_item_listed(name, "the generated video should still be listed after a reload")
    qcut.media.select(name)
    qcut.preview.expect_playing(source_kind="blob")


@browser
@pytest.mark.needs("unsaved-badge", "retry")
def test_item_stays_listed_unsaved_when_quota_is_full_and_retry_saves_it(
    qcut: QCutApp, quota: QuotaOverride
) -> None:
    qcut.open_new_project()
    quota.fill()

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("warning", UNSAVED)
    qcut.toasts.expect_toast("error", STORAGE_FULL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the generated video should stay listed after a storage failure")
    qcut.media.expect_unsaved(name)

    quota.restore()
    qcut.media.retry(name)
    qcut.media.expect_saved(name)
    qcut.reload()
    qcut.media.expect_item_listed(name, "the video saved by Retry should survive a reload")


@browser
@pytest.mark.detector  # pins its page's profile: it proves the detectors, not the app
def test_legacy_rollback_makes_the_item_vanish_when_quota_is_full(
    qcut: QCutApp, context: BrowserContext, page: Page, app_server: AppServer
) -> None:
    qcut.open_new_project("?profile=legacy")
    QuotaOverride(context.new_cdp_session(page), app_server.origin).fill()

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.toasts.expect_toast("error", STORAGE_FULL)
    qcut.media.show()
    qcut.media.expect_item_absent(name, "legacy rollback: the generated video is removed again")
    qcut.media.expect_count(0)


@browser
@pytest.mark.detector  # pins its page's profile: it proves the detectors, not the app
def test_legacy_preview_is_blocked_by_csp_media_src(
    qcut: QCutApp, csp: CspCollector, app_reports: AppServer
) -> None:
    qcut.open_new_project("?profile=legacy")

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.select(name)

    violation = csp.wait_for(qcut.page, directive="media-src")
    assert violation.blocked_host in MEDIA_HOSTS, f"the blocked load should be the FAL video, got {violation}"
    qcut.preview.expect_blocked()
    report = app_reports.wait_for_report(
        timeout=15, predicate=lambda r: r["effective_directive"] == "media-src"
    )
    assert report["disposition"] == "enforce", f"the header policy should report an enforced block: {report}"


@browser
@pytest.mark.detector  # pins its page's profile: it proves the detectors, not the app
def test_coep_require_corp_blocks_the_remote_preview(
    qcut: QCutApp, page: Page, blocked_responses: BlockedResponseLog
) -> None:
    blocked_responses.expect()
    qcut.open_new_project("?profile=fixed&bugs=coep-require-corp")

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    with page.expect_console_message(lambda message: "ERR_BLOCKED_BY_RESPONSE" in message.text) as blocked:
        qcut.media.select(name)

    assert "NotSameOriginAfterDefaultedToSameOriginByCoep" in blocked.value.text, blocked.value.text
    qcut.preview.expect_blocked()


# --- the server's side of the contract, over HTTPS without a browser -------------------------------------


def _get(server: AppServer, target: str) -> tuple[int, http.client.HTTPMessage, str]:
    assert server.certificates is not None
    connection = http.client.HTTPSConnection(
        "127.0.0.1", server.port, context=server.certificates.client_context(), timeout=10
    )
    try:
        connection.request("GET", target, headers={"Host": server.host})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8")
    finally:
        connection.close()


def _post(server: AppServer, target: str, body: object, content_type: str) -> int:
    assert server.certificates is not None
    connection = http.client.HTTPSConnection(
        "127.0.0.1", server.port, context=server.certificates.client_context(), timeout=10
    )
    try:
        connection.request(
            "POST", target, body=json.dumps(body), headers={"Host": server.host, "Content-Type": content_type}
        )
        return connection.getresponse().status
    finally:
        connection.close()


def _directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in policy {policy!r}")


def _meta_policy(page: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert found, "index.html should carry a CSP meta tag"
    return found.group(1).replace("&#x27;", "'")


def test_fixed_page_allows_exactly_the_fal_media_hosts_in_meta_and_header(app_server: AppServer) -> None:
    # The fixed profile asked for by name, so this holds whatever the server runs; the server's own
    # default policy is guarded in test_csp.py.
    status, headers, page = _get(app_server, "/?profile=fixed")

    assert status == 200
    assert '<html lang="en" data-profile="fixed" data-bugs="">' in page
    for policy in (headers["Content-Security-Policy"], _meta_policy(page)):
        media = _directive(policy, "media-src")
        assert [source for source in media if source.startswith("https")] == list(FAL_MEDIA_HOSTS), policy
        assert "https:" not in media, policy
        assert not any("*" in source for source in media), policy
    assert "Cross-Origin-Embedder-Policy" not in headers


def test_legacy_page_drops_the_fal_hosts_from_media_src_and_sends_coep(app_server: AppServer) -> None:
    status, headers, page = _get(app_server, "/?profile=legacy")

    assert status == 200
    assert 'data-profile="legacy"' in page
    assert _directive(headers["Content-Security-Policy"], "media-src") == ["'self'", "blob:", "data:"]
    assert set(FAL_MEDIA_HOSTS) <= set(_directive(headers["Content-Security-Policy"], "connect-src"))
    assert headers["Cross-Origin-Embedder-Policy"].startswith("require-corp")
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_unknown_bug_switch_is_refused_with_the_valid_names(app_server: AppServer) -> None:
    status, _, body = _get(app_server, "/?bugs=no-such-bug")

    assert status == 400
    assert "no-such-bug" in body
    assert "csp-media-src" in body, "the refusal should list the valid switches"


def test_report_endpoint_records_report_uri_and_report_to_alike(app_reports: AppServer) -> None:
    blocked = "https://v3b.fal.media/files/b/1/video.mp4"
    legacy_body = {
        "csp-report": {"blocked-uri": blocked, "effective-directive": "media-src", "disposition": "enforce"}
    }
    reporting_body = [
        {
            "type": "csp-violation",
            "body": {"blockedURL": blocked, "effectiveDirective": "media-src", "disposition": "enforce"},
        }
    ]

    assert _post(app_reports, "/csp-report", legacy_body, "application/csp-report") == 204
    assert _post(app_reports, "/csp-report", reporting_body, "application/reports+json") == 204

    reports = app_reports.csp_reports
    assert [r["via"] for r in reports] == ["report-uri", "report-to"]
    assert all(r["blocked_uri"] == r["blockedURL"] == blocked for r in reports)
    assert all(r["effective_directive"] == "media-src" for r in reports)
