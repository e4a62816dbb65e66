"""The Content-Security-Policy the app is served with, rendered for a profile (meta and header variants)."""

from __future__ import annotations

from .profiles import Profile

# Exactly the hosts the bug report names: no wildcards, no bare https:.
FAL_MEDIA_HOSTS = ("https://fal.media", "https://v3.fal.media", "https://v3b.fal.media")
FAL_API_HOSTS = (
    "https://fal.run",
    "https://queue.fal.run",
    "https://rest.fal.ai",
    "https://rest.alpha.fal.ai",
)

REPORT_PATH = "/csp-report"
REPORT_GROUP = "csp-endpoint"


def directives(profile: Profile) -> dict[str, list[str]]:
    """The policy's directives, in order, for `profile`."""
    media = ["'self'", "blob:", "data:"]
    if not profile.has("csp-media-src"):
        media += FAL_MEDIA_HOSTS
    return {
        "default-src": ["'self'", "blob:", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *FAL_API_HOSTS, *FAL_MEDIA_HOSTS],
        "media-src": media,
        "img-src": ["'self'", "blob:", "data:", *FAL_MEDIA_HOSTS],
        "child-src": ["'self'", "blob:", *FAL_MEDIA_HOSTS],
        "frame-src": ["'self'", "blob:", *FAL_MEDIA_HOSTS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }


def _render(parts: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *values]) for name, values in parts.items())


def meta_policy(profile: Profile) -> str:
    """The policy for `<meta http-equiv>`: browsers ignore report-uri/report-to there, so it has none."""
    return _render(directives(profile))


def header_policy(profile: Profile, *, report_to: bool = True) -> str:
    """The policy for the Content-Security-Policy header, with its reporting directives.

    Chromium posts to report-to (application/reports+json) and ignores report-uri when both are present;
    with `report_to=False` it posts to report-uri (application/csp-report), as browsers without the
    Reporting API do.
    """
    parts = directives(profile)
    parts["report-uri"] = [REPORT_PATH]
    if report_to:
        parts["report-to"] = [REPORT_GROUP]
    return _render(parts)
