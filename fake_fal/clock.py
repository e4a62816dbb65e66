"""The fake's notion of time: a clock tests can advance, and the one condition every waiter sleeps on.

Jobs in the clock-driven timing modes, latency faults and held requests all wait on `Clock.changed`, so
advancing the clock, releasing a hold or clearing the fake wakes them at once; nothing polls.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# A waiting server thread wakes at least this often (real seconds) so a status stream can send a ping and
# notice a stopped server.
MAX_WAIT = 5.0


class Clock:
    """Seconds since the fake started: real time (when `real`) plus whatever tests `advance`d."""

    def __init__(self, *, real: bool = False) -> None:
        self.changed = threading.Condition()
        self._real = real
        self._start = time.monotonic()
        self._offset = 0.0

    @property
    def real(self) -> bool:
        return self._real

    def reset(self, *, real: bool) -> None:
        """Back to 0, following real time or not, and wake every waiter."""
        with self.changed:
            self._real = real
            self._start = time.monotonic()
            self._offset = 0.0
            self.changed.notify_all()

    def now(self) -> float:
        elapsed = time.monotonic() - self._start if self._real else 0.0
        return elapsed + self._offset

    def advance(self, seconds: float) -> None:
        """Move time forward and wake everything waiting for it."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self.changed:
            self._offset += seconds
            self.changed.notify_all()

    def poke(self) -> None:
        """Wake every waiter so it re-checks its condition (a release, a cancel, a clear)."""
        with self.changed:
            self.changed.notify_all()

    def wait_for(
        self, ready: Callable[[], bool], *, until: float | None = None, limit: float = MAX_WAIT
    ) -> bool:
        """Sleep until notified (an advance, a poke) or at most `limit` real seconds; return `ready()`.

        `until` is only a hint: following real time, no sleep outlasts the moment the clock reaches it.
        Callers loop on their own condition, so `limit` just bounds one sleep.
        """
        with self.changed:
            if ready():
                return True
            timeout = limit
            if until is not None and self._real and until > self.now():
                timeout = min(limit, until - self.now())
            self.changed.wait(timeout)
            return ready()
