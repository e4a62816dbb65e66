"""Profiles: which of the original app's bugs a served page brings back, switch by switch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# One switch per original bug; `legacy` turns them all on. The texts say what a user would see.
BUGS: dict[str, str] = {
    "csp-media-src": "media-src lacks the FAL media hosts (connect-src keeps them): the download works, "
    "the preview of the remote URL is blocked by CSP",
    "coep-require-corp": "responses carry COOP same-origin and COEP require-corp and the preview uses the "
    "remote URL, which the CDN serves without CORP: blocked with ERR_BLOCKED_BY_RESPONSE",
    "remote-preview": "the preview plays the remote FAL URL instead of a blob: URL of the stored file",
    "rollback": "on a storage failure the generated item is removed again; only the error toast remains",
    "project-race": "a generated item is appended to whatever project is on screen when it arrives, "
    "and persisted to the one that started it",
    "no-url-only": "no URL-only fallback when OPFS or IndexedDB is blocked: the item is kept only in memory",
    "no-retry": "no Retry action for an unsaved item",
    "no-hidden-hint": "no hint when a new item is hidden by the type filter or the search",
    "stale-error": "a run keeps the error of the run before it: the AI panel still shows it after a success "
    "(QCut's stale-generation-error)",
    "sticky-preview-error": "the preview keeps the 'can't be played' box of an unplayable item over the next "
    "item chosen, which plays behind it",
}

PROFILES: dict[str, frozenset[str]] = {
    "fixed": frozenset(),
    "legacy": frozenset(BUGS),
}


class ProfileError(ValueError):
    """An unknown profile or bug switch name."""


def parse_bugs(bugs: str | Iterable[str] | None) -> frozenset[str]:
    """Bug switch names from `a,b` or an iterable; unknown names raise ProfileError listing the valid ones."""
    if bugs is None:
        return frozenset()
    names = bugs.split(",") if isinstance(bugs, str) else list(bugs)
    wanted = frozenset(name.strip() for name in names if name and name.strip())
    unknown = sorted(wanted - BUGS.keys())
    if unknown:
        raise ProfileError(f"unknown bug switch(es) {', '.join(unknown)}; valid: {', '.join(BUGS)}")
    return wanted


def parse_profile_name(name: str) -> frozenset[str]:
    """The bug set of a named profile; an unknown name raises ProfileError listing the valid ones."""
    try:
        return PROFILES[name.strip()]
    except KeyError:
        raise ProfileError(f"unknown profile {name!r}; valid: {', '.join(PROFILES)}") from None


@dataclass(frozen=True)
class Profile:
    """The bugs a page is served with; `name` is fixed, legacy or custom."""

    name: str
    bugs: frozenset[str]

    @classmethod
    def from_bugs(cls, bugs: Iterable[str]) -> Profile:
        """The profile for exactly these bug switches (named fixed or legacy when it is one of those)."""
        bugs = parse_bugs(bugs)
        for name, profile_bugs in PROFILES.items():
            if bugs == profile_bugs:
                return cls(name, bugs)
        return cls("custom", bugs)

    @classmethod
    def parse(cls, profile: str = "fixed", bugs: str | Iterable[str] | None = ()) -> Profile:
        """A named profile plus extra bug switches."""
        return cls.from_bugs(parse_profile_name(profile) | parse_bugs(bugs))

    def override(self, query: Mapping[str, str]) -> Profile:
        """This profile as changed by a page's query string.

        `profile=P` replaces the server's whole configuration with P; `bugs=a,b` adds switches to it (to the
        server's configuration when no `profile` is given). `?profile=fixed` is a clean fixed page anywhere.
        """
        base = parse_profile_name(query["profile"]) if query.get("profile") else self.bugs
        return Profile.from_bugs(base | parse_bugs(query.get("bugs")))

    def has(self, bug: str) -> bool:
        """Whether this profile brings back `bug`."""
        if bug not in BUGS:
            raise ProfileError(f"unknown bug switch {bug!r}; valid: {', '.join(BUGS)}")
        return bug in self.bugs

    @property
    def bugs_attr(self) -> str:
        """The switches as the page's `data-bugs` attribute: sorted, comma-separated."""
        return ",".join(sorted(self.bugs))
