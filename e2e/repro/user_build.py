"""Which real QCut build a user's log came from: its app lines looked up in each build's shipped code.

A console log names no commit, but every line QCut logs (`media-store.ts:281 [MediaStore.addMediaItem] Called
with projectId: …`) starts with a string literal of the build that printed it. Each built QCut on this machine
is searched for the fixed text of each app line; the builds that print the most of them, and whose known bugs
(`e2e/apps/expectations/`) include the causes the log shows, are where the report reproduces. The desktop
shell's lane (`+desktop`) is the one to name when the log shows COEP, which only the shell's headers bring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from e2e.apps.expectations import BUG_EVIDENCE, lanes_of, load_expectations
from qcut_builds.build import Build, known_builds

# `file.ts:123 message`: a line the app logged, as DevTools prints it with its source link.
APP_LINE = re.compile(r"^\s*[\w.-]+\.(?:ts|tsx|js|jsx):\d+\s+(.+)$")
SHORTEST = 16  # shorter starts ("Saving", "Error: ") are in every build


@dataclass(frozen=True)
class LaneMatch:
    """One lane of a real build, against a user's log."""

    app: str  # qcut:<commit>[+desktop]
    printed: int  # how many of the log's app lines this build's code prints
    of: int
    known: frozenset[str]  # the log's causes among this lane's known bugs

    def line(self, scenario: str) -> str:
        known = f"; its known bugs include {', '.join(sorted(self.known))}" if self.known else ""
        return (
            f"python -m e2e.repro {scenario} --app {self.app}   "
            f"(its code prints {self.printed} of the log's {self.of} app lines{known})"
        )


def messages(lines: Iterable[str]) -> list[str]:
    """The message of each app line, without its source link and leading symbols."""
    found = (APP_LINE.match(line) for line in lines)
    return list(dict.fromkeys(re.sub(r"^[^\w\[]+", "", match.group(1)) for match in found if match))


def printed_by(code: str, message: str) -> bool:
    """Whether `code` prints `message`: its longest start, cut between words, is a literal there (a message
    is a literal followed by values: `Downloaded video blob, size: 7933788`)."""
    words = message.split(" ")
    for count in range(len(words), 0, -1):
        start = " ".join(words[:count])
        if len(start) < SHORTEST:
            return False
        if start in code:
            return True
    return False


def shipped_code(build: Build) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace") for path in sorted(build.dist.glob("assets/*.js"))
    )


def match_lanes(lines: Sequence[str], causes: set[str], builds: list[Build] | None = None) -> list[LaneMatch]:
    """The lanes of the built QCut builds that fit the log best: most app lines printed, then the log's
    causes among their known bugs. Empty when the log has no app line or no build is here."""
    texts = messages(lines)
    bug_causes = causes & BUG_EVIDENCE.keys()
    if not texts:
        return []
    matches = []
    for build in builds if builds is not None else known_builds():
        if not build.built:
            continue
        code = shipped_code(build)
        printed = sum(printed_by(code, text) for text in texts)
        for app in lanes_of(build.commit):
            known = frozenset(bug_causes & set(load_expectations(app).bugs))
            matches.append(LaneMatch(app, printed, len(texts), known))
    best = max(((m.printed, len(m.known)) for m in matches), default=(0, 0))
    return [m for m in matches if m.printed and (m.printed, len(m.known)) == best]
