"""The desktop shell's response headers, read from a QCut commit's `electron/main.ts`.

The shell (Electron) rewrites the headers of every response in `session.defaultSession.webRequest
.onHeadersReceived`: it deletes any CSP header and sets its own CSP, COOP and COEP. The values differ by
commit (`media-src` gained the FAL hosts between c844ed1f and 7e2231ef), so they are read from the commit
being served, never written down here. Only plain string literals joined by `+` are accepted; anything else
(a template literal, a variable) is refused rather than guessed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HANDLER = "onHeadersReceived("
HANDLER_END = "callback({ responseHeaders"
ASSIGNMENT = re.compile(r'responseHeaders\[\s*"(?P<name>[A-Za-z-]+)"\s*\]\s*=\s*\[')
TOKEN = re.compile(
    r"""\s*(?:
        (?P<comment>//[^\n]*|/\*.*?\*/)
      | "(?P<double>(?:[^"\\\n]|\\.)*)"
      | '(?P<single>(?:[^'\\\n]|\\.)*)'
      | (?P<plus>\+)
      | (?P<comma>,)
      | (?P<close>\])
    )""",
    re.VERBOSE | re.DOTALL,
)


class DesktopHeadersError(ValueError):
    """main.ts does not set its headers in the one shape this module reads."""


def _js_string(body: str, quote: str) -> str:
    if quote == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    try:
        text: str = json.loads(f'"{body}"')
        return text
    except json.JSONDecodeError as error:
        raise DesktopHeadersError(f"unreadable string literal {body[:60]!r}: {error}") from error


def _array_of_strings(source: str, start: int) -> list[str]:
    """The values of a `[ "a" + "b", "c" ]` array literal starting after its `[`."""
    values: list[str] = []
    current: list[str] = []
    expect_value = True
    position = start
    while True:
        match = TOKEN.match(source, position)
        if match is None:
            raise DesktopHeadersError(f"not a string literal at: {source[position : position + 60]!r}")
        position = match.end()
        if match["comment"] is not None:
            continue
        if match["double"] is not None or match["single"] is not None:
            if not expect_value:
                raise DesktopHeadersError("two string literals without `+` between them")
            quote = '"' if match["double"] is not None else "'"
            current.append(_js_string(match["double"] if quote == '"' else match["single"], quote))
            expect_value = False
        elif match["plus"] is not None and not expect_value:
            expect_value = True
        elif (match["comma"] is not None or match["close"] is not None) and not expect_value:
            values.append("".join(current))
            current, expect_value = [], True
            if match["close"] is not None:
                return values
        elif match["close"] is not None and not current:
            return values  # an empty array or a trailing comma
        else:
            raise DesktopHeadersError(f"unexpected {match.group().strip()!r} in a header value")


def parse_headers(main_ts: str) -> dict[str, str]:
    """Every header the shell's `onHeadersReceived` handler sets, name → value (several values joined)."""
    start = main_ts.find(HANDLER)
    if start < 0:
        raise DesktopHeadersError(f"no {HANDLER!r} handler")
    end = main_ts.find(HANDLER_END, start)
    if end < 0:
        raise DesktopHeadersError(f"the {HANDLER!r} handler never calls {HANDLER_END!r}")
    handler = main_ts[start:end]
    headers: dict[str, str] = {}
    for assignment in ASSIGNMENT.finditer(handler):
        headers[assignment["name"]] = ", ".join(_array_of_strings(handler, assignment.end()))
    if not headers:
        raise DesktopHeadersError(f"the {HANDLER!r} handler sets no header")
    return headers


def read_headers(main_ts: Path) -> dict[str, str]:
    """`parse_headers` of a main.ts file; the error names the file."""
    try:
        return parse_headers(main_ts.read_text(encoding="utf-8"))
    except DesktopHeadersError as error:
        raise DesktopHeadersError(f"{main_ts}: {error}") from error
