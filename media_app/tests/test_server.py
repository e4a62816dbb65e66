"""The app server's side of the contract over HTTPS: the CSP it renders per profile (header and `<meta>`),
COOP/COEP for the legacy profile, switches refused by name, and the report endpoint."""

from __future__ import annotations

import re

from media_app.csp import FAL_MEDIA_HOSTS
from media_app.server import AppServer
from media_app.tests.https import get, post


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
    # default policy is guarded in e2e/test_csp.py.
    status, headers, page = get(app_server, "/?profile=fixed")

    assert status == 200
    assert '<html lang="en" data-profile="fixed" data-bugs="">' in page
    for policy in (headers["Content-Security-Policy"], _meta_policy(page)):
        media = _directive(policy, "media-src")
        assert [source for source in media if source.startswith("https")] == list(FAL_MEDIA_HOSTS), policy
        assert "https:" not in media, policy
        assert not any("*" in source for source in media), policy
    assert "Cross-Origin-Embedder-Policy" not in headers


def test_legacy_page_drops_the_fal_hosts_from_media_src_and_sends_coep(app_server: AppServer) -> None:
    status, headers, page = get(app_server, "/?profile=legacy")

    assert status == 200
    assert 'data-profile="legacy"' in page
    assert _directive(headers["Content-Security-Policy"], "media-src") == ["'self'", "blob:", "data:"]
    assert set(FAL_MEDIA_HOSTS) <= set(_directive(headers["Content-Security-Policy"], "connect-src"))
    assert headers["Cross-Origin-Embedder-Policy"].startswith("require-corp")
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_unknown_bug_switch_is_refused_with_the_valid_names(app_server: AppServer) -> None:
    status, _, body = get(app_server, "/?bugs=no-such-bug")

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

    assert post(app_reports, "/csp-report", legacy_body, "application/csp-report") == 204
    assert post(app_reports, "/csp-report", reporting_body, "application/reports+json") == 204

    reports = app_reports.csp_reports
    assert [r["via"] for r in reports] == ["report-uri", "report-to"]
    assert all(r["blocked_uri"] == r["blockedURL"] == blocked for r in reports)
    assert all(r["effective_directive"] == "media-src" for r in reports)
