"""Jobs and their timing: IN_QUEUE (with a falling queue_position), IN_PROGRESS, COMPLETED.

Timing modes:
    polls       (default) by poll count: each status poll or stream event moves a job one step, so a test
                is fast and deterministic whatever the client's poll interval.
    clock       by the fake's clock, which only moves when a test calls `fake.clock.advance(seconds)`.
    realistic   by the clock following real time: seconds in the queue, tens of seconds of inference.

A held job (`hold=True`) stays IN_PROGRESS until `release()`; a `never_completes` job stays there for good.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from .models import ModelSpec

Timing = Literal["polls", "clock", "realistic"]
TIMINGS: tuple[str, ...] = get_args(Timing)

# Queue seconds, starting queue position and inference seconds when a ModelSpec leaves them unset.
TIMING_DEFAULTS: dict[str, tuple[float, int, float]] = {
    "polls": (0.0, 0, 2.5),
    "clock": (1.0, 2, 5.0),
    "realistic": (4.0, 3, 30.0),
}

IN_QUEUE, IN_PROGRESS, COMPLETED = "IN_QUEUE", "IN_PROGRESS", "COMPLETED"


@dataclass
class Job:
    """One request: its model, input, generated output, and where it is in its life."""

    request_id: str
    endpoint_id: str
    app_path: str  # owner/alias (or ns/owner/alias): where status and result live
    spec: ModelSpec
    arguments: Any
    output: Any
    timing: str
    submitted_at: float
    never_completes: bool = False
    polls: int = 0
    cancelled: bool = False
    released: threading.Event = field(default_factory=threading.Event)
    completed_at: float | None = None
    logs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.never_completes or (self.spec.hold and not self.released.is_set())

    @property
    def queue_seconds(self) -> float:
        value = self.spec.queue_seconds
        return TIMING_DEFAULTS[self.timing][0] if value is None else value

    @property
    def inference_time(self) -> float:
        value = self.spec.inference_time
        return TIMING_DEFAULTS[self.timing][2] if value is None else value

    @property
    def done_at(self) -> float:
        """Clock time the job completes at, ignoring holds (clock and realistic timing)."""
        return self.submitted_at + self.queue_seconds + self.inference_time

    def state(self, now: float, *, poll: bool) -> tuple[str, int]:
        """(status, queue_position) now; a `poll` moves a job by poll count one step further."""
        if self.completed_at is not None:
            return COMPLETED, 0
        if self.cancelled:
            return self._complete(now)
        if self.timing == "polls":
            if poll:
                self.polls += 1
            queued = self.spec.polls_in_queue
            if self.polls <= queued:
                # Counts down from `polls_in_queue` at submit to 0 on the last queued poll.
                return IN_QUEUE, max(0, queued - self.polls)
            if self.polls <= queued + self.spec.polls_in_progress or self.held:
                return IN_PROGRESS, 0
            return self._complete(now)
        elapsed = now - self.submitted_at
        if elapsed < self.queue_seconds:
            start = TIMING_DEFAULTS[self.timing][1]
            return IN_QUEUE, math.ceil(start * (1 - elapsed / self.queue_seconds))
        if now < self.done_at or self.held:
            return IN_PROGRESS, 0
        return self._complete(now)

    def _complete(self, now: float) -> tuple[str, int]:
        self.completed_at = now
        return COMPLETED, 0

    def finished(self, now: float) -> bool:
        """Whether a synchronous run of this job may answer now (no poll needed)."""
        if self.timing == "polls":
            return not self.held
        return now >= self.done_at and not self.held

    def log_lines(self, status: str) -> list[dict[str, Any]]:
        """The model's log lines so far, as `logs=1` shows them."""
        stamp = datetime.now(UTC).isoformat()
        if status in (IN_PROGRESS, COMPLETED) and not self.logs:
            self.logs.append(_log_line("Loading model weights", stamp))
        if status == IN_PROGRESS and len(self.logs) < 2:
            self.logs.append(_log_line("Generating video", stamp))
        if status == COMPLETED and (not self.logs or self.logs[-1]["message"] != "Video saved"):
            self.logs.append(_log_line("Video saved", stamp))
        return list(self.logs)


def _log_line(message: str, stamp: str) -> dict[str, Any]:
    return {"message": message, "level": "INFO", "source": "user", "timestamp": stamp}


@dataclass
class JobBook:
    """Every job of the current test, by request id."""

    _jobs: dict[str, Job] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, job: Job) -> Job:
        with self._lock:
            self._jobs[job.request_id] = job
        return job

    def get(self, request_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(request_id)

    def all(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def clear(self) -> None:
        with self._lock:
            for job in self._jobs.values():
                job.released.set()
            self._jobs.clear()
