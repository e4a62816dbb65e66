"""The console lines we know: each signature, what it means, the cause it is evidence of and how strong.

Triage reads a pasted log with these; the diagnosis of a reproduction reads the run's own console with the
same ones. A line is matched on its message alone: `pasted.message_of` first strips what a paste adds
around it (timestamps, DevTools' `file.js:123` source links, Electron's log prefix), so a source URL is
never taken for the URL the browser refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from e2e.repro.pasted import message_of
from e2e.repro.scenario import CAUSES
from e2e.storage.faults import STORAGE_CONDITIONS
from fake_fal.models import MEDIA_HOSTS

_URL = r"https?://[^\s'\"),]+"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# How strongly a finding points to its cause; a log's best scenario is the one with the strongest evidence.
DIRECT = 3  # the browser refused a FAL media URL, or the app logged what it did (rolled back, kept unsaved)
BROWSER = 2  # the browser's own error not tied to a FAL media URL (a refusal without it, storage)
INFERRED = 1  # a policy that would refuse FAL media, read from headers: not a refusal seen
STRENGTHS = {DIRECT: "direct evidence", BROWSER: "a browser error", INFERRED: "inferred from headers"}

# Causes only triage names: evidence of a failure that does not say what the app did next.
TRIAGE_CAUSES: dict[str, str] = {
    **CAUSES,
    "storage-failed": "storage refused a save; the log does not say whether the app rolled the item back "
    "or kept it unsaved",
}
# A scenario standing for one of these causes also stands for the less specific one a log may show.
IMPLIED_CAUSES: dict[str, frozenset[str]] = {
    "storage-rollback": frozenset({"storage-failed"}),
    "storage-unsaved": frozenset({"storage-failed"}),
}


def is_fal_media_host(host: str | None) -> bool:
    """Whether `host` is one of FAL's media CDN hosts (fake_fal's list, the hosts FAL's media URLs name)."""
    return host in MEDIA_HOSTS


def _csp_blocks_fal_media(detail: dict[str, str]) -> bool:
    """Whether a Content-Security-Policy's media-src (or default-src) lists none of the FAL media hosts."""
    from e2e.repro.har import media_src

    sources = media_src(detail.get("policy", ""))
    allowed = {"https:", "*", *(f"https://{host}" for host in MEDIA_HOSTS)}
    return sources is not None and not any(source.rstrip("/") in allowed for source in sources)


@dataclass(frozen=True)
class Signature:
    """A console line we know: what it means, and the cause it is evidence of (None for plain facts)."""

    name: str
    label: str
    pattern: re.Pattern[str]
    meaning: str
    cause: str | None = None
    guess: bool = False  # the app's own hint, not evidence from the browser
    strength: int = DIRECT
    fal_media: bool = False  # a refused load: evidence only when the URL is FAL media (or not shown)
    cause_if: Callable[[dict[str, str]], bool] | None = None


def _sig(name: str, label: str, pattern: str, meaning: str, **kwargs: object) -> Signature:
    return Signature(name, label, re.compile(pattern), meaning, **kwargs)  # type: ignore[arg-type]


_STORAGE_WORDS = (
    r"(?i:storage|quota|database|indexeddb|idb\w*|getdirectory|filesystem\w*|backing store|"
    r"createwritable|getfilehandle)"
)
_DOM_ERRORS = (
    r"SecurityError|NotAllowedError|UnknownError|InvalidStateError|NotFoundError|NotReadableError|"
    r"NoModificationAllowedError|TransactionInactiveError|VersionError|DataError|AbortError|DOMException"
)

# Most specific first: a line is reported under the first signature it matches.
SIGNATURES: tuple[Signature, ...] = (
    _sig(
        "csp-media-src",
        "CSP block",
        rf"(?:Loading|Refused to load) media from\s+'(?P<url>{_URL})'.*?"
        r"Content Security Policy directive:? \"(?P<directive>media-src[^\"]*)\"",
        "the browser refused the <video> load: media-src does not list this host",
        cause="csp-media-src",
        fal_media=True,
    ),
    _sig(
        "csp-other",
        "CSP block",
        rf"'(?P<url>{_URL})'.*?violates the following Content Security Policy directive:? "
        r"\"(?P<directive>[\w-]+[^\"]*)\"",
        "the browser refused a load under another CSP directive",
    ),
    _sig(
        "coep-block",
        "COEP block",
        rf"(?:(?P<url>{_URL}).*?)?net::ERR_BLOCKED_BY_RESPONSE\.(?P<reason>\w*Coep\w*)",
        "the browser refused a no-cors load because the page's Cross-Origin-Embedder-Policy is require-corp "
        "and the CDN sends no Cross-Origin-Resource-Policy: COEP, not CSP",
        cause="coep",
        fal_media=True,
    ),
    _sig(
        "blocked-by-response",
        "response block",
        rf"(?:(?P<url>{_URL}).*?)?net::ERR_BLOCKED_BY_RESPONSE(?:\.(?P<reason>\w+))?",
        "the browser refused a load because of a response policy (CORP/COEP/COOP)",
        cause="coep",
        fal_media=True,
    ),
    _sig(
        "page-csp",
        "page CSP",
        r"^Content-Security-Policy: (?P<policy>.+)",
        "the app page's CSP: its media-src lists no FAL media host, so a <video> of FAL media is refused",
        cause="csp-media-src",
        strength=INFERRED,
        cause_if=_csp_blocks_fal_media,
    ),
    _sig(
        "page-coep",
        "page COEP",
        r"^Cross-Origin-Embedder-Policy: (?P<coep>require-corp)",
        "the app page is served with COEP require-corp: a no-cors load of FAL media without CORP is refused",
        cause="coep",
        strength=INFERRED,
    ),
    _sig(
        "storage-rollback",
        "rollback",
        r"\[MediaStore\.addMediaItem\] Storage save FAILED, rolling back local item",
        "the storage save failed and addMediaItem removed the item from the list again",
        cause="storage-rollback",
    ),
    _sig(
        "storage-unsaved",
        "kept unsaved",
        r"\[MediaStore\.addMediaItem\] Storage save FAILED, keeping item unsaved",
        "the storage save failed; the item was kept in the list, marked unsaved",
        cause="storage-unsaved",
    ),
    _sig(
        "integration-failed",
        "integration failed",
        r"Media integration failed",
        "adding the downloaded video to the media store threw",
    ),
    _sig(
        "browser-storage-error",
        "storage error",
        rf"(?:Uncaught (?:\(in promise\) )?)?(?P<error>QuotaExceededError|(?:{_DOM_ERRORS})"
        rf"(?=:?\s.*?{_STORAGE_WORDS}))(?::?\s+(?P<message>.*))?",
        "the browser's storage (OPFS or IndexedDB) refused",
        cause="storage-failed",
        strength=BROWSER,
    ),
    _sig(
        "quota-toast",
        "quota full",
        r"Storage space is full\. Please free up space and try again\.",
        "the app's toast: storage refused the write, the quota is full",
        cause="storage-failed",
        strength=BROWSER,
    ),
    _sig(
        "permission-toast",
        "storage denied",
        r"Storage permission denied\. Please check browser settings\.",
        "the app's toast: storage refused the page (blocked site data, a private window or a file:// page)",
        cause="storage-failed",
        strength=BROWSER,
    ),
    _sig(
        "url-only",
        "URL-only",
        r"Saved as URL-only; persistent storage blocked",
        "storage is blocked; the item was kept with its remote URL only",
    ),
    _sig(
        "storage-error-toast",
        "storage error",
        r"Add media item to storage \((?P<error_id>ERR-[\w-]+)\)",
        "the app's storage error handler showed a toast for the failed save",
    ),
    _sig(
        "add-called",
        "project",
        rf"\[MediaStore\.addMediaItem\] Called with projectId: (?P<project>{_UUID})",
        "addMediaItem was called for this project",
    ),
    _sig(
        "saved",
        "saved",
        r"\[MediaStore\.addMediaItem\] Saved to storage",
        "the item was saved to storage (OPFS and IndexedDB)",
    ),
    _sig(
        "csp-fix-hint",
        "app's guess",
        r"CSP FIX NEEDED|to media-src CSP directive",
        "the app's own hint, printed for any failed fal.media video; not a browser message",
        guess=True,
    ),
    _sig(
        "video-error",
        "preview failed",
        rf"\[VideoPlayer\] Video error.*?src: (?P<url>{_URL})",
        "the preview's <video> raised an error",
    ),
    _sig(
        "download",
        "download",
        r"Downloaded video blob, size: (?P<size>\d+)",
        "the video was downloaded",
    ),
    _sig(
        "download-url",
        "media URL",
        rf"Downloading video from URL: (?P<url>{_URL})",
        "the FAL media URL the app downloaded",
    ),
    _sig(
        "file",
        "file",
        r"Created file: (?P<file>AI-Video-(?P<model>\w+?)-\d+\.mp4)",
        "the app made a File of the download (its name carries the app's model id)",
    ),
    _sig(
        "model",
        "model",
        r"Submitting (?P<model_name>.+?) request",
        "the model the user generated with",
    ),
    _sig(
        "download-failed",
        "download failed",
        r"Failed to download video: (?P<status>\d+)",
        "the video download failed: nothing reached the media store",
    ),
    _sig(
        "fal-error",
        "FAL error",
        r"Invalid FAL\.ai API key|Rate limit exceeded|FAL API error: (?P<detail>.+)",
        "FAL refused the generation: no video was made",
    ),
    _sig(
        "fal-http-error",
        "FAL error",
        r"(?P<method>GET|POST|PUT) (?P<url>https://(?:queue\.)?(?:fal\.run|falrun\.com)/\S+) "
        r"(?P<status>[45]\d\d)\b",
        "FAL answered the app's call with an error: no video was made",
    ),
    _sig(
        "fal-media",
        "media URL",
        rf"GET (?P<url>https://(?:{'|'.join(map(re.escape, MEDIA_HOSTS))})/files/\S+) (?P<status>20[06])\b",
        "the FAL media file was fetched",
    ),
)

# What a browser storage error says about the user's storage, as a scenario's [environment] storage names it.
STORAGE_KINDS: dict[str, tuple[str, ...]] = {
    symptom: tuple(name for name, condition in STORAGE_CONDITIONS.items() if condition.symptom == symptom)
    for symptom in ("quota-full", "blocked")
}


@dataclass(frozen=True)
class Finding:
    """One known signature on one line of the log."""

    signature: Signature
    line: int
    text: str
    detail: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str | None:
        url = self.detail.get("url")
        return urlsplit(url).hostname if url else None

    @property
    def off_fal_media(self) -> bool:
        """A refused load of a URL that is not FAL media: not the generated video."""
        return self.signature.fal_media and self.host is not None and not is_fal_media_host(self.host)

    @property
    def cause(self) -> str | None:
        """The cause this line is evidence of, if any (a refusal of another host's media is none)."""
        signature = self.signature
        if signature.cause is None or self.off_fal_media:
            return None
        if signature.cause_if is not None and not signature.cause_if(self.detail):
            return None
        return signature.cause

    @property
    def strength(self) -> int:
        """How strongly this line shows its cause (DIRECT, BROWSER, INFERRED; 0 without a cause)."""
        if self.cause is None:
            return 0
        if self.signature.fal_media and self.host is None:
            return min(self.signature.strength, BROWSER)
        return self.signature.strength

    @property
    def storage(self) -> str | None:
        """The storage condition a storage failure points to: quota-full, blocked, or None if unclear."""
        name, d = self.signature.name, self.detail
        text = f"{d.get('error', '')} {d.get('message', '')}".lower()
        if name == "quota-toast" or (name == "browser-storage-error" and ("quota" in text or "disk" in text)):
            return "quota-full"
        denied = ("securityerror", "notallowederror", "denied")
        if name == "permission-toast" or (name == "browser-storage-error" and any(w in text for w in denied)):
            return "blocked"
        return None

    def describe(self) -> str:
        d, name = self.detail, self.signature.name
        if name in ("csp-media-src", "csp-other"):
            said = f'{d.get("url")} refused by CSP directive "{d.get("directive")}"'
            return said + (self._not_fal_media() if self.off_fal_media else "")
        if name in ("coep-block", "blocked-by-response"):
            reason = d.get("reason") or "ERR_BLOCKED_BY_RESPONSE"
            said = f"{d.get('url') or 'a load'} refused: ERR_BLOCKED_BY_RESPONSE.{reason}"
            return said + (self._not_fal_media() if self.off_fal_media else "")
        if name == "page-csp":
            listed = "lists no FAL media host" if self.cause else "lists the FAL media hosts"
            return f"the page's CSP media-src {listed}"
        if name == "browser-storage-error":
            condition = {"quota-full": ": the quota is full", "blocked": ": storage is blocked"}
            message = d.get("message", "").strip()[:120]
            return f"{d['error']}{': ' + message if message else ''}{condition.get(self.storage or '', '')}"
        if name == "add-called":
            return f"addMediaItem called with projectId {d['project']}"
        if name == "download":
            return f"{int(d['size']):,} bytes downloaded"
        if name in ("download-url", "video-error", "fal-media"):
            return f"{self.signature.meaning}: {d['url']}"
        if name == "fal-http-error":
            return f"{d['method']} {d['url']} answered {d['status']}: no video was made"
        if name == "file":
            return f"{d['file']} (model {d['model']})"
        if name == "model":
            return d["model_name"]
        return self.signature.meaning

    def _not_fal_media(self) -> str:
        return f" (not a FAL media host: {', '.join(MEDIA_HOSTS)}; not the generated video)"

    def row(self, unit: str = "line") -> str:
        """One line of a report: where it is, what it is, what it says."""
        return f"{unit} {self.line:>3}  {self.signature.label:<16} {self.describe()}"

    def __str__(self) -> str:
        return self.row()


def _match(signature: Signature, message: str, source: str | None) -> dict[str, str] | None:
    match = signature.pattern.search(message)
    if not match:
        return None
    detail = {k: v for k, v in match.groupdict().items() if v is not None}
    if signature.fal_media and "url" not in detail:
        # Chromium puts a refused URL after the error, or only in the line's source link.
        later = re.search(_URL, message)
        if later:
            detail["url"] = later.group(0)
        elif source and re.match(_URL, source):
            detail["url"] = re.sub(r"(?::\d+)+$", "", source)
    return detail


def scan(lines: Iterable[str], numbers: Sequence[int] | None = None) -> list[Finding]:
    """Every line that matches a known signature (the first one it matches), numbered from 1 or `numbers`."""
    findings = []
    for index, text in enumerate(lines):
        message, source = message_of(text)
        for signature in SIGNATURES:
            detail = _match(signature, message, source)
            if detail is not None:
                number = numbers[index] if numbers is not None else index + 1
                findings.append(Finding(signature, number, text.rstrip("\n"), detail))
                break
    return findings
