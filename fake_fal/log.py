"""The request log: every request the fake saw, in arrival order, with small query helpers and a waiter."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

PathFilter = str | re.Pattern[str] | None


@dataclass
class LogEntry:
    """One request: where it went, what it carried, and its answer's status (None while being answered)."""

    host: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes  # the first `Limits.log_body` bytes
    body_size: int | None = None  # the whole body's length; None when refused before it was known
    via: str = ""  # the Host the client really sent, when it came through a per-role port
    status: int | None = None
    step: str = ""  # the protocol step that answered it: "submit", "status", "media", ...
    endpoint: str | None = None
    clock_time: float = 0.0  # the fake's clock when it arrived: latency faults count from here

    @property
    def body_cut(self) -> bool:
        """Whether the log kept only part of the body (see `body_size` for its length)."""
        return self.body_size is not None and len(self.body) < self.body_size

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON (or only part of it was kept)."""
        if self.body_cut:
            return None
        try:
            return json.loads(self.body) if self.body else None
        except (ValueError, UnicodeDecodeError):
            return None

    def header(self, name: str) -> str | None:
        """A request header, case-insensitively."""
        lowered = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == lowered), None)

    def __str__(self) -> str:
        query = "&".join(f"{key}={value}" for key, value in self.query.items())
        return f"{self.method} {self.host} {self.path}{'?' + query if query else ''} -> {self.status}"


@dataclass
class RequestLog:
    """Thread-safe list of `LogEntry`; filters take exact values, and a regex (or exact string) for `path`."""

    _entries: list[LogEntry] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    def append(self, entry: LogEntry) -> None:
        with self._arrived:
            self._entries.append(entry)
            self._arrived.notify_all()

    def update(self, entry: LogEntry, **fields: Any) -> None:
        """Fill in what is learnt after arrival (step, endpoint, status) and wake waiters filtering on it."""
        with self._arrived:
            for name, value in fields.items():
                setattr(entry, name, value)
            self._arrived.notify_all()

    def clear(self) -> None:
        with self._arrived:
            self._entries.clear()

    def __iter__(self) -> Iterator[LogEntry]:
        with self._arrived:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def find(
        self,
        *,
        host: str | None = None,
        method: str | None = None,
        path: PathFilter = None,
        step: str | None = None,
        endpoint: str | None = None,
        status: int | None = None,
    ) -> list[LogEntry]:
        """Entries matching every given filter, oldest first."""
        return [
            entry
            for entry in self
            if (host is None or entry.host == host)
            and (method is None or entry.method == method.upper())
            and _path_matches(path, entry.path)
            and (step is None or entry.step == step)
            and (endpoint is None or entry.endpoint == endpoint)
            and (status is None or entry.status == status)
        ]

    def count(self, **filters: Any) -> int:
        """How many entries match (same filters as `find`)."""
        return len(self.find(**filters))

    def last(self, **filters: Any) -> LogEntry | None:
        """The newest matching entry, or None."""
        found = self.find(**filters)
        return found[-1] if found else None

    def ranges(self, *, host: str | None = None, path: PathFilter = None) -> list[str]:
        """The `Range` headers of media GETs (e.g. Chromium's `bytes=0-`), oldest first."""
        return [
            value
            for entry in self.find(host=host, method="GET", path=path)
            if (value := entry.header("Range")) is not None
        ]

    def wait_for(self, *, timeout: float = 10.0, count: int = 1, **filters: Any) -> LogEntry:
        """Block until `count` matching requests arrived; return the newest. AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = self.find(**filters)
                if len(found) >= count:
                    return found[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = "\n  ".join(str(entry) for entry in self._entries[-20:]) or "(nothing)"
                    raise AssertionError(
                        f"fake_fal: no {count} request(s) matching {filters} within {timeout}s; "
                        f"last requests:\n  {seen}"
                    )
                self._arrived.wait(remaining)


def _path_matches(wanted: PathFilter, path: str) -> bool:
    if wanted is None:
        return True
    if isinstance(wanted, re.Pattern):
        return wanted.search(path) is not None
    return wanted == path
