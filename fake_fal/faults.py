"""Faults on demand: a declarative `Fault` aimed at a model, a host, a protocol step and/or the next N calls.

    fake.fault(Fault(status=401, step="submit"))                          # bad key at submit
    fake.fault(Fault(status=422, step="result", endpoint="fal-ai/ltx-2"))  # COMPLETED, then 422 at result
    fake.fault(Fault(status=404, step="media", times=1))                   # the CDN loses the next file
    fake.fault(Fault(kind="corrupt_mp4", host="v3b.fal.media"))            # bytes that are no MP4

Kinds:
    status              answer `status` with FAL's body (`detail`, plus `error_type`/X-Fal-Error-Type for 5xx)
    latency             hold the answer until the fake's clock has moved `seconds` (real seconds in realistic
                        timing; `fake.clock.advance()` otherwise)
    never_completes     a queue job stays IN_PROGRESS for ever; a synchronous run never answers until cleared
    truncated           send half the body under the full Content-Length, then close the connection
    wrong_content_type  send the body as `content_type` (text/plain by default)
    corrupt_mp4         media bytes of the right size that are no MP4
    empty_file          media with a 0-byte body
    no_cors             no Access-Control-* headers, preflights included
    corp                add `Cross-Origin-Resource-Policy: <value>` (the real CDN sends none)
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

FaultKind = Literal[
    "status",
    "latency",
    "never_completes",
    "truncated",
    "wrong_content_type",
    "corrupt_mp4",
    "empty_file",
    "no_cors",
    "corp",
]

# Protocol steps a fault can aim at (the `step` of a log entry).
Step = Literal[
    "submit",
    "status",
    "stream",
    "result",
    "cancel",
    "run",
    "legacy_status",
    "legacy_result",
    "initiate",
    "token",
    "upload",
    "media",
    "page",
]

KINDS: tuple[str, ...] = get_args(FaultKind)
STEPS: tuple[str, ...] = get_args(Step)


@dataclass
class Fault:
    """What goes wrong, and for which requests. Unset targets match everything; `times=None` means always."""

    kind: FaultKind = "status"
    status: int = 500
    endpoint: str | None = None  # a model id, or its owner/alias prefix ("fal-ai/ltx-2")
    host: str | None = None
    step: Step | None = None
    method: str | None = None
    path: str | re.Pattern[str] | None = None
    times: int | None = None
    detail: Any = None  # the body's `detail`; FAL's usual one for `status` when None
    error_type: str | None = None
    seconds: float = 0.0  # latency
    content_type: str = "text/plain"  # wrong_content_type
    value: str = "cross-origin"  # corp
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {', '.join(KINDS)}")
        if self.step is not None and self.step not in STEPS:
            raise ValueError(f"unknown step {self.step!r}; known: {', '.join(STEPS)}")

    def aims_at(self, *, host: str, method: str, path: str, step: str, endpoint: str | None) -> bool:
        if method == "OPTIONS":
            # A preflight is the browser's, not the API's: only missing CORS changes its answer, and it
            # belongs to whatever step follows, so only host and path aim there.
            return (
                self.kind == "no_cors"
                and (self.host is None or self.host == host)
                and _path_matches(self.path, path)
            )
        return (
            (self.host is None or self.host == host)
            and (self.method is None or self.method.upper() == method)
            and (self.step is None or self.step == step)
            and endpoint_matches(self.endpoint, endpoint)
            and _path_matches(self.path, path)
        )


def endpoint_matches(wanted: str | None, endpoint: str | None) -> bool:
    """Whether `endpoint` is `wanted` or one of its sub-paths (an owner/alias prefix covers its models)."""
    if wanted is None:
        return True
    if endpoint is None:
        return False
    return endpoint == wanted or endpoint.startswith(wanted.rstrip("/") + "/")


def _path_matches(wanted: str | re.Pattern[str] | None, path: str) -> bool:
    if wanted is None:
        return True
    if isinstance(wanted, re.Pattern):
        return wanted.search(path) is not None
    return wanted == path


@dataclass
class FaultBook:
    """The faults in force; `take` returns those aimed at a request and spends one of each's `times`."""

    _faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, *, host: str, method: str, path: str, step: str, endpoint: str | None) -> list[Fault]:
        taken = []
        with self._lock:
            for fault in list(self._faults):
                if not fault.aims_at(host=host, method=method, path=path, step=step, endpoint=endpoint):
                    continue
                taken.append(fault)
                if method == "OPTIONS":
                    continue  # a preflight does not spend the request's fault
                fault.hits += 1
                if fault.times is not None and fault.hits >= fault.times:
                    self._faults.remove(fault)
        return taken
