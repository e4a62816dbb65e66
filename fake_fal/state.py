"""Everything the fake remembers during one test: models, jobs, files, uploads, keys and the clock."""

from __future__ import annotations

import random
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

from .cdn import MediaFile, MediaLibrary
from .clock import Clock
from .jobs import COMPLETED, IN_QUEUE, Job, JobBook
from .models import ModelSpec, build_output, clip_info, file_name_for, media_path


def app_path(endpoint_id: str) -> str:
    """Where status and result of `endpoint_id` live: owner/alias, or ns/owner/alias for workflows/comfy."""
    parts = endpoint_id.strip("/").split("/")
    keep = 3 if parts[0] in ("workflows", "comfy") else 2
    return "/".join(parts[:keep])


@dataclass
class State:
    """The fake's memory for one test; `reset()` forgets it (keeping the clips cached on disk)."""

    clock: Clock
    timing: str = "polls"
    required_key: str | None = None
    models: dict[str, ModelSpec] = field(default_factory=dict)
    jobs: JobBook = field(default_factory=JobBook)
    library: MediaLibrary = field(default_factory=MediaLibrary)
    uploads: dict[str, MediaFile] = field(default_factory=dict)  # pending PUT path -> the file it becomes
    tokens: set[str] = field(default_factory=set)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    # Set when the test ends: every thread still waiting (held run, latency, stream) gives up.
    ended: threading.Event = field(default_factory=threading.Event)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # pytest-httpserver's no-handler answer, for a CDN path nothing was put at.
    no_handler: Callable[[Request], Response] | None = None

    def spec_for(self, endpoint_id: str) -> ModelSpec:
        """The configured model for an id (exact, else its longest configured prefix), else defaults."""
        with self.lock:
            candidates = [
                spec
                for key, spec in self.models.items()
                if endpoint_id == key or endpoint_id.startswith(key.rstrip("/") + "/")
            ]
        if candidates:
            return max(candidates, key=lambda spec: len(spec.endpoint_id))
        return ModelSpec(endpoint_id)

    def add_media(self, host: str, clip: Any, file_name: str, endpoint: str | None = None) -> MediaFile:
        info = clip_info(clip)
        with self.lock:
            path = media_path(host, file_name, self.rng)
        return self.library.put(MediaFile(host, path, "video/mp4", file=info.path, endpoint=endpoint))

    def new_job(self, endpoint_id: str, arguments: Any, *, never_completes: bool = False) -> Job:
        spec = self.spec_for(endpoint_id)
        output = spec.output
        if output is None:
            media = self.add_media(spec.host, spec.clip, file_name_for(spec.family), endpoint_id)
            with self.lock:
                output = build_output(spec, media.url, clip_info(spec.clip), arguments, self.rng)
        job = Job(
            request_id=str(uuid.uuid4()),
            endpoint_id=endpoint_id,
            app_path=app_path(endpoint_id),
            spec=spec,
            arguments=arguments,
            output=output,
            timing=self.timing,
            submitted_at=self.clock.now(),
            never_completes=never_completes,
        )
        self.jobs.add(job)
        self.clock.poke()
        return job

    def advance(self, job: Job, *, poll: bool) -> tuple[str, int]:
        with self.clock.changed:
            return job.state(self.clock.now(), poll=poll)

    def wait(self, ready: Callable[[], bool], *, until: float | None = None) -> bool:
        """Block until `ready()`; False if the test ended first. `until`: when the clock makes it true."""
        ended = self.ended
        while not ended.is_set():
            if ready():
                return True
            self.clock.wait_for(lambda: ended.is_set() or ready(), until=until)
        return False

    def new_token(self) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens.add(token)
        return token


def status_body(job: Job, status: str, position: int, base: str, *, logs: bool) -> dict[str, Any]:
    """A queue status as FAL sends it; Python needs queue_position for IN_QUEUE and `logs` otherwise."""
    urls = f"{base}/{job.app_path}/requests/{job.request_id}"
    body: dict[str, Any] = {
        "status": status,
        "request_id": job.request_id,
        "response_url": urls,
        "status_url": f"{urls}/status",
        "cancel_url": f"{urls}/cancel",
    }
    if status == IN_QUEUE:
        body["queue_position"] = position
        return body
    body["logs"] = job.log_lines(status) if logs else None
    body["metrics"] = {"inference_time": job.inference_time} if status == COMPLETED else {}
    return body
