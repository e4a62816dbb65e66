"""What users paste into a report, read as lines of messages: a console log or DevTools export, a log with
timestamps and source links, an Electron (Chromium) log, or a HAR. Each kind says what it can show.

`message_of` strips what a paste adds around a console message; `read_pasted` tells the kind by content
(not by file name) and, for a HAR, renders its requests as the lines Chromium's console prints for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Electron and Chromium's own log (`--enable-logging`): `[pid:tid:MMDD/HHMMSS.micros:LEVEL:file(line)] ...`;
# a renderer's console message is `...:INFO:CONSOLE(12)] "message", source: https://... (12)`.
_CHROMIUM_PREFIX = r"^\[\d+(?::\d+)?:\d{4}/\d{6}(?:\.\d+)?:[A-Z]+:"
_CHROMIUM_CONSOLE = re.compile(
    _CHROMIUM_PREFIX + r"CONSOLE(?:\(\d+\)|:\d+)\] \"(?P<message>.*)\", source: (?P<source>\S*) \(\d+\)\s*$"
)
_CHROMIUM_LINE = re.compile(_CHROMIUM_PREFIX + r"[^\]]*\]\s?(?P<message>.*)$")
_TIMESTAMP = re.compile(r"^\[?(?:\d{4}-\d\d-\d\d[T ])?\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\]?\s+")
_LEVEL = re.compile(r"^\[?(?:verbose|debug|info|log|warn|warning|error)\]?:?\s+", re.IGNORECASE)
# DevTools' source link: `media-store.ts:281`, `VM12:1`, `https://app/x.js:3:14`, `clip.mp4:1`.
_LOCATION = r"(?:https?://\S+?|[\w@~/.-]*\.\w+|VM\d+|<anonymous>)(?::\d+){1,2}"
_SOURCE_BEFORE = re.compile(rf"^(?P<source>{_LOCATION})\s+")
_SOURCE_AFTER = re.compile(rf"\s+(?P<source>{_LOCATION})\s*$")


def message_of(line: str) -> tuple[str, str | None]:
    """The console message in a pasted line, and its source location (a script or URL with a line number)."""
    text = line.strip()
    console = _CHROMIUM_CONSOLE.match(text)
    if console:
        return console["message"], console["source"] or None
    chromium = _CHROMIUM_LINE.match(text)
    if chromium:
        return chromium["message"], None
    text = _LEVEL.sub("", _TIMESTAMP.sub("", text))
    source = None
    for where in (_SOURCE_BEFORE, _SOURCE_AFTER):
        found = where.search(text)
        if found:
            source = found["source"]
            text = where.sub("", text, count=1)
            break
    return _LEVEL.sub("", text), source


@dataclass(frozen=True)
class Kind:
    """A kind of pasted evidence: its name, what it can show and what it cannot."""

    name: str
    shows: str
    misses: str
    unit: str = "line"  # what a finding's number counts: a line, or a HAR's entry (request)


CONSOLE = Kind(
    "console log",
    "the browser's own messages (CSP and COEP refusals, storage errors) and the app's log (projects, saves, "
    "rollbacks)",
    "response headers, FAL's answers unless the app logs them, what was on screen (project, filters, search)",
)
DEVTOOLS = Kind(
    "console export (timestamps and source links read past)",
    CONSOLE.shows,
    CONSOLE.misses,
)
ELECTRON = Kind(
    "Electron (Chromium) log",
    "the renderer's console messages and CSP refusals as Chromium logs them (a logged object as "
    "[object Object]), and Chromium's own lines",
    "network errors (a COEP refusal's `Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE` is not logged "
    "there: ask for a DevTools export or a HAR), messages from before logging was enabled, response headers, "
    "what was on screen (project, filters, search)",
)
HAR = Kind(
    "HAR (network only)",
    "FAL's calls and their answers, the media downloads, the loads the browser refused (COEP: "
    "ERR_BLOCKED_BY_RESPONSE), the page's CSP and COEP headers",
    "console messages: storage errors, saves and rollbacks, projects, filters and search; a CSP refusal "
    "happens before the network, so it shows only as a media-src without the FAL media host",
    unit="entry",
)


@dataclass(frozen=True)
class Pasted:
    """A paste read as message lines: its kind, the lines, and the number each line is known by."""

    kind: Kind
    lines: list[str]
    numbers: list[int]


def _har_lines(text: str) -> Pasted | None:
    from e2e.repro.har import HarError, parse_har

    try:
        exchanges = parse_har(text, "paste")
    except HarError:
        return None
    lines, numbers = [], []
    document = next((e for e in exchanges if e.content_type.startswith("text/html")), None)
    for number, exchange in enumerate(exchanges, start=1):
        said = []
        if exchange is document:
            said += [f"Content-Security-Policy: {policy}" for policy in exchange.policies]
            coep = exchange.response_headers.get("cross-origin-embedder-policy")
            said += [f"Cross-Origin-Embedder-Policy: {coep}"] if coep else []
        # Chromium's console words for a refused or failed request.
        if exchange.failed:
            said.append(f"{exchange.method} {exchange.url} {exchange.error}")
        elif exchange.status >= 400 or exchange.status in (200, 206):
            said.append(f"{exchange.method} {exchange.url} {exchange.status}")
        lines += said
        numbers += [number] * len(said)
    return Pasted(HAR, lines, numbers)


def read_pasted(text: str) -> Pasted:
    """The paste as message lines, its kind told by its content."""
    if text.lstrip().startswith("{"):
        har = _har_lines(text)
        if har is not None:
            return har
    lines = text.splitlines()
    numbers = list(range(1, len(lines) + 1))
    if any(_CHROMIUM_LINE.match(line.strip()) for line in lines):
        return Pasted(ELECTRON, lines, numbers)
    pasted = any(
        _TIMESTAMP.match(line.strip()) or _SOURCE_BEFORE.match(line.strip()) or _SOURCE_AFTER.search(line)
        for line in lines
    )
    return Pasted(DEVTOOLS if pasted else CONSOLE, lines, numbers)
