"""Read a Content-Security-Policy as served (header or `<meta http-equiv>`) and say where it is loose.

The fix for "generated video never shows up" widened the policy; this keeps it from widening too far:
no wildcards, no bare scheme sources such as `https:`, no keyword that lets injected script or style run
('unsafe-inline', 'unsafe-eval', 'unsafe-hashes'), no host but FAL's and none where code loads, the
lockdown directives kept (object-src 'none', base-uri and form-action 'self'), and exactly the FAL media hosts
where FAL media is loaded, while connect-src still reaches FAL's API.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

# Sources that are not hosts: keywords, and the schemes an app needs for its own stored files.
LOCAL_SCHEMES = ("blob:", "data:")
# Keywords that let markup or strings run as code: none belongs in the fix's policy, in any directive.
UNSAFE_KEYWORDS = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'")
# Directives through which the app loads or embeds FAL media (the fix names each one).
MEDIA_DIRECTIVES = ("media-src", "img-src", "child-src", "frame-src")
# Directives through which code and styles load: FAL serves media and answers API calls, never code.
CODE_DIRECTIVES = ("default-src", "script-src", "style-src", "worker-src", "font-src")
# FAL's domains (its API, queue, REST and media hosts are all under them): no other host belongs anywhere.
FAL_DOMAINS = ("fal.run", "fal.ai", "fal.media")
# The directives that shut what the app never uses, with the most each may allow.
# Directives whose values are where reports go, not sources.
REPORTING = ("report-uri", "report-to")
LOCKDOWN = {"object-src": {"'none'"}, "base-uri": {"'self'", "'none'"}, "form-action": {"'self'", "'none'"}}


def parse_policy(text: str) -> dict[str, list[str]]:
    """Directive -> sources, in order. As in browsers, names are case-insensitive and a repeat is ignored."""
    policy: dict[str, list[str]] = {}
    for part in text.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        policy.setdefault(name, tokens[1:])
    return policy


class _MetaPolicies(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(values.get("content", ""))


def meta_policies(html: str) -> list[str]:
    """The `<meta http-equiv="Content-Security-Policy">` policies of a page, as the server sent them."""
    parser = _MetaPolicies()
    parser.feed(html)
    return parser.policies


def host_sources(sources: Iterable[str]) -> set[str]:
    """The host sources among `sources` (not keywords like 'self', not scheme sources like blob:)."""
    return {source for source in sources if not source.startswith("'") and not source.endswith(":")}


def is_fal_host(source: str) -> bool:
    """Whether a host source (`https://v3.fal.media`) is on one of FAL's domains."""
    host = source.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return any(host == domain or host.endswith("." + domain) for domain in FAL_DOMAINS)


def looseness(
    policy: dict[str, list[str]], media_hosts: Iterable[str], api_hosts: Iterable[str]
) -> list[str]:
    """Every way `policy` is looser (or narrower) than the fix allows; empty when it is tight."""
    media = {f"https://{host}" for host in media_hosts}
    api = {f"https://{host}" for host in api_hosts}
    problems = [
        problem
        for directive, sources in policy.items()
        if directive not in REPORTING
        for problem in _loose_sources(directive, sources)
    ]
    problems += _lockdown_problems(policy) + _media_problems(policy, media)
    missing = sorted((api | media) - set(policy.get("connect-src", [])))
    if missing:
        problems.append(f"connect-src should reach FAL's API and media hosts; it lacks {missing}")
    return problems


def _loose_sources(directive: str, sources: list[str]) -> list[str]:
    """What in one directive lets in more than the fix needs: wildcards, bare schemes, unsafe keywords."""
    problems = []
    for source in sources:
        if "*" in source:
            problems.append(f"{directive} has a wildcard source {source!r}")
        if source.endswith(":") and source not in LOCAL_SCHEMES:
            problems.append(f"{directive} allows every URL of a scheme with the bare source {source!r}")
        if source.lower() in UNSAFE_KEYWORDS:
            problems.append(f"{directive} allows {source}: injected code would run")
    for host in sorted(host_sources(sources)):
        if directive in CODE_DIRECTIVES:
            problems.append(f"{directive} loads code from the host {host!r}: FAL serves no code")
        elif not is_fal_host(host):
            problems.append(f"{directive} names the host {host!r}, which is not FAL's")
    return problems


def _lockdown_problems(policy: dict[str, list[str]]) -> list[str]:
    return [
        f"{directive} should allow at most {sorted(allowed)}; it is {policy.get(directive)}"
        for directive, allowed in LOCKDOWN.items()
        if not policy.get(directive) or not set(policy[directive]) <= allowed
    ]


def _media_problems(policy: dict[str, list[str]], media: set[str]) -> list[str]:
    """media-src: exactly self, blob:, data: and FAL media hosts; the other media directives: those hosts."""
    problems = []
    media_src = policy.get("media-src")
    if media_src is None:
        problems.append("there is no media-src: media falls back to default-src")
    else:
        expected = {"'self'", *LOCAL_SCHEMES, *media}
        if set(media_src) != expected:
            problems.append(
                f"media-src should be exactly {sorted(expected)}; it is {media_src} "
                f"(missing {sorted(expected - set(media_src))}, extra {sorted(set(media_src) - expected)})"
            )
    for directive in MEDIA_DIRECTIVES[1:]:
        hosts = host_sources(policy.get(directive, []))
        if hosts != media:
            problems.append(
                f"{directive} should name exactly the FAL media hosts {sorted(media)}; "
                f"it names {sorted(hosts)}"
            )
    return problems
