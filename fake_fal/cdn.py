"""The CDN (fal.media, v3.fal.media, v3b.fal.media): files by URL, served with Range/206 like the real one.

A single byte range past the end is a 416 with `Content-Range: bytes */<size>`; a Range the CDN cannot use
(malformed, another unit, several ranges) is ignored and the whole file sent.

Files are generated videos (a clip on disk), uploads, and pages a test serves. A path nothing was put at
is an unexpected request (pytest-httpserver's no-handler path), not a quiet 404: ask for a 404 with a fault.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Set
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug import Request, Response
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.http import parse_range_header
from werkzeug.utils import send_file

from .faults import Fault
from .responses import fal_error

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment


@dataclass(frozen=True)
class MediaFile:
    """One file the CDN serves: bytes on disk (or in memory) with a type and extra response headers."""

    host: str
    path: str
    content_type: str
    file: Path | None = None
    data: bytes | None = None
    endpoint: str | None = None  # the model that produced it, so faults can aim at a model's media
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.file is not None
        return self.file.read_bytes()


@dataclass
class MediaLibrary:
    """Every file the CDN can serve in the current test, by (host, path)."""

    _files: dict[tuple[str, str], MediaFile] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, media: MediaFile) -> MediaFile:
        with self._lock:
            self._files[(media.host, media.path)] = media
        return media

    def get(self, host: str, path: str) -> MediaFile | None:
        with self._lock:
            return self._files.get((host, path))

    def clear(self) -> None:
        with self._lock:
            self._files.clear()


def serve(request: Request, media: MediaFile, faults: list[Fault]) -> Response:
    """GET or HEAD of `media`, honouring Range and conditional headers, altered by body faults."""
    kinds = {fault.kind: fault for fault in faults}
    content_type = media.content_type
    if "wrong_content_type" in kinds:
        content_type = kinds["wrong_content_type"].content_type
    if "truncated" in kinds:
        return truncated(media.read(), content_type)
    try:
        response = _file(honoured_range(request.environ), media, content_type, kinds.keys())
    except RequestedRangeNotSatisfiable as refused:
        return range_not_satisfiable(refused.length)
    for name, value in media.headers:
        response.headers[name] = value
    return response


def _file(environ: WSGIEnvironment, media: MediaFile, content_type: str, kinds: Set[str]) -> Response:
    """The whole file or the Range asked for (werkzeug's conditional handling), with body faults applied."""
    if media.file is not None and not kinds & {"corrupt_mp4", "empty_file"}:
        response = send_file(media.file, environ, mimetype=content_type, conditional=True, max_age=3600)
        # send_file names the fixture on disk; the real CDN sends no Content-Disposition.
        response.headers.pop("Content-Disposition", None)
        response.headers["Content-Type"] = content_type  # exactly as given: send_file adds a charset to text
        return response
    data = media.read()
    if "corrupt_mp4" in kinds:
        data = corrupt(data)
    if "empty_file" in kinds:
        data = b""
    response = Response(data, mimetype=content_type)
    return response.make_conditional(environ, accept_ranges=True, complete_length=len(data))


def honoured_range(environ: WSGIEnvironment) -> WSGIEnvironment:
    """`environ` without a Range header the CDN ignores, as RFC 9110 (14.2) lets a server do.

    werkzeug answers 416 to any Range it cannot serve, but only a single byte range that starts past the
    end is unsatisfiable: one that does not parse, names another unit, or asks for several ranges at once
    (which werkzeug does not serve) gets the whole file with a 200, as from a server without Range support.
    """
    if "HTTP_RANGE" not in environ:
        return environ
    asked = parse_range_header(environ["HTTP_RANGE"])
    if asked is not None and asked.units == "bytes" and len(asked.ranges) == 1:
        return environ
    return {name: value for name, value in environ.items() if name != "HTTP_RANGE"}


def range_not_satisfiable(size: int | None) -> Response:
    """416 with the `Content-Range: bytes */<size>` that tells the client the file's length."""
    response = fal_error(416, HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE.phrase)
    if size is not None:
        response.headers["Content-Range"] = f"bytes */{size}"
    return response


def corrupt(data: bytes) -> bytes:
    """Deterministic bytes of the same length that no demuxer recognises as MP4."""
    out = bytearray()
    counter = 0
    while len(out) < len(data):
        out += hashlib.sha256(b"corrupt-%d" % counter).digest()
        counter += 1
    return bytes(out[: len(data)])


def truncated(data: bytes, content_type: str) -> Response:
    """Half of `data` under a Content-Length for all of it, then a closed connection: a cut download."""

    def half() -> list[bytes]:
        return [data[: len(data) // 2]]

    response = Response(half(), mimetype=content_type, direct_passthrough=True)
    response.headers["Content-Length"] = str(len(data))
    response.headers["Connection"] = "close"
    return response
