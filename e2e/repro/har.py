"""A HAR read for what the report tools need: its requests, the FAL job, the FAL media, the page's policies.

`har2scenario` drafts a scenario from it; triage reads a pasted HAR with it (`pasted.read_pasted`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fake_fal.models import MEDIA_HOSTS

API_HOSTS = frozenset({"fal.run", "queue.fal.run", "falrun.com", "queue.falrun.com"})
_REQUEST = re.compile(r"^/(?P<app>.+?)/requests/(?P<id>[^/]+)(?P<status>/status)?$")
_LEGACY = re.compile(r"^/queue/requests/(?P<id>[^/]+)(?P<status>/status)?$")


_META_CSP = re.compile(
    r"<meta[^>]+http-equiv=[\"']Content-Security-Policy[\"'][^>]+content=[\"']([^\"']+)[\"']", re.IGNORECASE
)


class HarError(ValueError):
    """A file that is not a HAR this tool can read."""


@dataclass
class Exchange:
    """One request of the HAR and what came back (status 0 or less: the browser never got an answer)."""

    method: str
    url: str
    status: int
    request_headers: dict[str, str]
    response_headers: dict[str, str]
    request_body: str
    response_body: str
    response_size: int
    error: str = ""
    resource_type: str = ""

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def json(self, which: str = "response") -> Any:
        text = self.response_body if which == "response" else self.request_body
        try:
            return json.loads(text) if text else None
        except ValueError:
            return None

    @property
    def total_size(self) -> int | None:
        """The whole file's size: Content-Range's total for a 206, else Content-Length or the body size."""
        content_range = self.response_headers.get("content-range", "")
        total = content_range.rpartition("/")[2]
        if total.isdigit():
            return int(total)
        if self.status == 200:
            length = self.response_headers.get("content-length", "")
            if length.isdigit():
                return int(length)
            if self.response_size > 0:
                return self.response_size
        return None

    @property
    def content_type(self) -> str:
        return self.response_headers.get("content-type", "")

    @property
    def policies(self) -> list[str]:
        """The Content-Security-Policy this response sets, from its header and its <meta> tags."""
        policies = [self.response_headers.get("content-security-policy", "")]
        if self.content_type.startswith("text/html"):
            policies += [html.unescape(found) for found in _META_CSP.findall(self.response_body)]
        return list(dict.fromkeys(policy for policy in policies if policy))

    @property
    def failed(self) -> bool:
        return self.status <= 0 or bool(self.error)

    def __str__(self) -> str:
        outcome = f"refused: {self.error}" if self.failed else str(self.status)
        return f"{self.method} {self.url} -> {outcome}"


def _headers(entries: Iterable[dict[str, Any]]) -> dict[str, str]:
    return {str(h.get("name", "")).lower(): str(h.get("value", "")) for h in entries}


def read_har(path: Path) -> list[Exchange]:
    """Every request in the HAR at `path`, in the order they started."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise HarError(f"{path}: not a readable HAR ({error})") from None
    return parse_har(text, str(path))


def parse_har(text: str, source: str) -> list[Exchange]:
    """Every request in a HAR's text, in the order they started; HarError if it is not a HAR."""
    try:
        data = json.loads(text)
        entries = data["log"]["entries"]
        entries = sorted(entries, key=lambda entry: entry.get("startedDateTime", ""))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise HarError(f"{source}: not a readable HAR ({error})") from None
    return [_exchange(entry) for entry in entries if isinstance(entry, dict)]


def _exchange(entry: dict[str, Any]) -> Exchange:
    request, response = entry.get("request", {}), entry.get("response", {})
    content = response.get("content", {})
    body = content.get("text") or ""
    if content.get("encoding") == "base64":
        body = ""  # media bytes: their size is what matters
    return Exchange(
        method=request.get("method", "GET"),
        url=request.get("url", ""),
        status=int(response.get("status") or 0),
        request_headers=_headers(request.get("headers", [])),
        response_headers=_headers(response.get("headers", [])),
        request_body=(request.get("postData") or {}).get("text") or "",
        response_body=body,
        response_size=int(content.get("size") or response.get("bodySize") or 0),
        # DevTools writes `_error`, Playwright `_failureText`; both name the net:: error.
        error=str(response.get("_error") or entry.get("_failureText") or response.get("_failureText") or ""),
        resource_type=str(entry.get("_resourceType", "")),
    )


@dataclass
class FalJob:
    """The FAL job the HAR shows: how it was called, how long it queued, what failed."""

    endpoint: str
    mode: str  # "sync" or "queue"
    prompt: str | None
    polls_in_queue: int = 0
    polls_in_progress: int = 0
    calls: list[Exchange] = field(default_factory=list)
    faults: list[dict[str, Any]] = field(default_factory=list)
    video_url: str | None = None


def _video_url(output: Any) -> str | None:
    if isinstance(output, dict):
        video = output.get("video")
        if isinstance(video, dict) and isinstance(url := video.get("url"), str):
            return url
        if isinstance(video, str):
            return video
        if isinstance(url := output.get("url"), str):
            return url
    return None


def step_of(exchange: Exchange) -> str:
    """The FAL protocol step of one API request, named as fake_fal's log names it."""
    if exchange.host in ("fal.run", "falrun.com"):
        legacy = _LEGACY.match(exchange.path)
        if legacy:
            return "legacy_status" if legacy.group("status") else "legacy_result"
        return "run"
    request = _REQUEST.match(exchange.path)
    if request:
        return "status" if request.group("status") else "result"
    return "submit"


def fal_job(exchanges: Sequence[Exchange]) -> FalJob | None:
    """The first FAL job in the traffic (submit or run, its polls and result), or None if there is none."""
    calls = [e for e in exchanges if e.host in API_HOSTS and e.method in ("GET", "POST", "PUT")]
    start = next((e for e in calls if e.method == "POST" and step_of(e) in ("run", "submit")), None)
    if start is None:
        return None
    endpoint = start.path.strip("/")
    started = start.json()
    queued = step_of(start) == "submit" or (isinstance(started, dict) and "request_id" in started)
    arguments = start.json("request")
    prompt = arguments.get("prompt") if isinstance(arguments, dict) else None
    job = FalJob(endpoint, "queue" if queued else "sync", prompt if isinstance(prompt, str) else None)
    for exchange in calls[calls.index(start) :]:
        step = step_of(exchange)
        if exchange is not start and step in ("run", "submit"):
            break  # a second job: one scenario replays one generation
        job.calls.append(exchange)
        body = exchange.json()
        if exchange.status >= 400:
            job.faults.append({"kind": "status", "status": exchange.status, "step": step, "times": 1})
            continue
        if step in ("status", "legacy_status") and isinstance(body, dict):
            if body.get("status") == "IN_QUEUE":
                job.polls_in_queue += 1
            elif body.get("status") == "IN_PROGRESS":
                job.polls_in_progress += 1
        if step in ("run", "result", "legacy_result"):
            job.video_url = _video_url(body) or job.video_url
    return job


@dataclass
class Media:
    """One media file the page loaded from a FAL CDN host, with every request for it."""

    url: str
    requests: list[Exchange]

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def size(self) -> int | None:
        return next((r.total_size for r in self.requests if r.total_size is not None), None)

    @property
    def refused(self) -> list[Exchange]:
        return [r for r in self.requests if r.failed]

    @property
    def played(self) -> bool:
        """Whether a <video>, not only the app's fetch, asked for it: a Range, a second GET, a refusal."""
        return (
            len(self.requests) > 1
            or any("range" in r.request_headers or r.resource_type == "media" for r in self.requests)
            or bool(self.refused)
        )


def media_files(exchanges: Sequence[Exchange]) -> list[Media]:
    """The FAL CDN files the page asked for, in first-request order."""
    files: dict[str, Media] = {}
    for exchange in exchanges:
        if exchange.host in MEDIA_HOSTS and exchange.method == "GET" and exchange.path.startswith("/files/"):
            url = exchange.url.split("#")[0]
            files.setdefault(url, Media(url, [])).requests.append(exchange)
    return list(files.values())


@dataclass(frozen=True)
class PagePolicy:
    """What the app page's own policies did to FAL media: CSP media-src, and COEP."""

    csp_lists_media: bool | None  # None: the HAR shows no policy
    coep: str | None


def media_src(policy: str) -> list[str] | None:
    """The sources a policy allows for media (media-src, else default-src); None if it sets neither."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives.get("media-src", directives.get("default-src"))


def page_policy(exchanges: Sequence[Exchange], media_host: str) -> PagePolicy:
    """The first HTML document's CSP (header and meta) and COEP, as far as FAL media is concerned."""
    document = next((e for e in exchanges if e.content_type.startswith("text/html")), None)
    if document is None:
        return PagePolicy(None, None)
    sources = [media_src(policy) for policy in document.policies]
    listed: bool | None = None
    if sources:
        # Every policy must allow the host; one that does not blocks the load.
        listed = all(
            s is None or any(src.rstrip("/") in (f"https://{media_host}", "https:", "*") for src in s)
            for s in sources
        )
    coep = document.response_headers.get("cross-origin-embedder-policy", "").split(";")[0].strip() or None
    return PagePolicy(listed, coep)
