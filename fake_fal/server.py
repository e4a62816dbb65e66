"""FakeFal: the FAL emulator's face to tests: arrange models and faults, act through real clients, observe.

    with FakeFal.start() as fake:
        fake.model("fal-ai/ltx-2/text-to-video/fast", clip="small")
        fake.fault(Fault(status=422, step="result"))
        ...                                  # a browser or an official client talks to the FAL hosts
        fake.log.find(host="v3b.fal.media")  # what it asked for
        fake.check()                         # nothing unexpected happened

One threaded TLS pytest-httpserver serves every FAL hostname and dispatches on the Host header; each host
also has a port of its own for clients that cannot remap hostnames (see listener.py). Which host serves which
step is hosts.py, their registration on the server routing.py, and how a routed request is answered (key,
faults, handler, CORS) answer.py. What a request may send and what the log keeps of it is limits.py.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from werkzeug import Request, Response

from .auth import DEFAULT_KEY, valid_key
from .call import Route
from .cdn import MediaFile
from .clock import Clock
from .faults import Fault, FaultBook, endpoint_matches
from .hosts import HOSTS, serve_media
from .jobs import TIMINGS, Job, Timing
from .limits import Body, Limits, check_port
from .listener import VIA, FalHTTPServer, HostPorts
from .log import LogEntry, RequestLog
from .models import DEFAULT_CLIP, MEDIA_HOSTS, ModelSpec
from .routing import ENTRY, Routes
from .state import State
from .tls import Certificates, chromium_args, host_rules

__all__ = ["DEFAULT_KEY", "HOSTS", "FakeFal"]


class FakeFal:
    """Domain layer over one threaded TLS pytest_httpserver.HTTPServer (port 0), dispatching on Host."""

    HOSTS = HOSTS

    def __init__(
        self,
        certificates: Certificates | None = None,
        *,
        timing: Timing = "polls",
        port: int = 0,
        limits: Limits | None = None,
    ) -> None:
        if timing not in TIMINGS:
            raise ValueError(f"timing must be one of {TIMINGS}, not {timing!r}")
        check_port(port)
        # Certificates made here are this fake's to clean up on stop; ones passed in belong to the caller.
        self._own_certificates = certificates is None
        self.certificates = certificates or Certificates(HOSTS)
        self._default_timing: str = timing
        self.clock = Clock(real=timing == "realistic")
        self.log = RequestLog()
        self._faults = FaultBook()
        context = self.certificates.server_context()
        self.httpserver = FalHTTPServer(context, self._arrived, port=port, limits=limits)
        self._state = self._new_state()
        self._routes = Routes(self.httpserver, self.log, self._faults, lambda: self._state)
        self._ports: HostPorts | None = None

    # --- lifecycle ---------------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        certificates: Certificates | None = None,
        *,
        timing: Timing = "polls",
        port: int = 0,
        limits: Limits | None = None,
    ) -> FakeFal:
        """A started fake (also a context manager that stops it)."""
        return cls(certificates, timing=timing, port=port, limits=limits)._serve()

    def _serve(self) -> Self:
        self._routes.install()
        self.httpserver.start()
        self._ports = HostPorts(self.httpserver, HOSTS, self.certificates.server_context())
        return self

    def stop(self) -> None:
        """End waiting requests, stop every listener, and remove the CA file if this fake made it."""
        self._state.ended.set()
        self.clock.poke()
        if self._ports is not None:
            self._ports.stop()
            self._ports = None
        if self.httpserver.is_running():
            self.httpserver.stop()
        if self._own_certificates:
            self.certificates.cleanup()

    def __enter__(self) -> Self:
        return self if self.httpserver.is_running() else self._serve()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<FakeFal port={self.httpserver.port} timing={self.timing}>"

    # --- where it is -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self.httpserver.port

    @property
    def host_ports(self) -> dict[str, int]:
        """Each FAL host's own port, for clients that cannot remap hostnames."""
        assert self._ports is not None, "start the fake first"
        return self._ports.ports

    @property
    def host_rules(self) -> list[str]:
        return host_rules(HOSTS, self.port)

    @property
    def spki(self) -> str:
        return self.certificates.spki

    @property
    def ca_cert(self) -> Path:
        return self.certificates.ca_cert

    @property
    def chromium_args(self) -> list[str]:
        """Flags that send a Chromium's FAL traffic here and trust our certificate."""
        return chromium_args(self.host_rules, [self.spki])

    def local_base(self, host: str) -> str:
        """`https://127.0.0.1:<port>` answering as `host`."""
        return f"https://127.0.0.1:{self.host_ports[host]}"

    def local_url(self, url: str) -> str:
        """A FAL URL rewritten to the host's own port, for clients that cannot remap hostnames."""
        parts = urlsplit(url)
        return self.local_base(parts.hostname or "") + url[len(f"{parts.scheme}://{parts.netloc}") :]

    @property
    def env(self) -> dict[str, str]:
        """Environment for an unmodified fal-client (and the Node harness): hosts, key and CA trust."""
        ports = self.host_ports
        return {
            "FAL_KEY": self._state.required_key or DEFAULT_KEY,
            "FAL_RUN_HOST": f"127.0.0.1:{ports['fal.run']}",
            "FAL_QUEUE_RUN_HOST": f"127.0.0.1:{ports['queue.fal.run']}",
            "SSL_CERT_FILE": str(self.ca_cert),
            "NODE_EXTRA_CA_CERTS": str(self.ca_cert),
            # host -> local base URL, for a client with a custom fetch (fake_fal/tests/js).
            "FAKE_FAL_HOSTS": json.dumps({host: self.local_base(host) for host in HOSTS}),
        }

    # --- between tests -----------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget jobs, models, faults, files, keys, the log and held requests; back to defaults."""
        self._state.ended.set()
        self.clock.reset(real=self._default_timing == "realistic")
        self._state = self._new_state()
        self._faults.clear()
        self.httpserver.clear()
        self.httpserver.take_unexpected()
        self._routes.install()
        self.log.clear()

    def check(self) -> None:
        """Raise AssertionError naming every request that had no handler or whose handler raised."""
        unexpected = self.httpserver.take_unexpected()
        if unexpected:
            lines = "\n  ".join(unexpected)
            raise AssertionError(f"fake_fal got {len(unexpected)} unexpected request(s):\n  {lines}")

    # --- arrange -----------------------------------------------------------------------------------

    def model(
        self,
        endpoint_id: str,
        *,
        clip: str | Path = DEFAULT_CLIP,
        media_host: str | None = None,
        output: Any = None,
        polls_in_queue: int = 1,
        polls_in_progress: int = 1,
        hold: bool = False,
        inference_time: float | None = None,
        queue_seconds: float | None = None,
        queue_header: bool = True,
        required: tuple[str, ...] | None = None,
    ) -> ModelSpec:
        """Configure an endpoint (and, as a prefix, its sub-paths). Unconfigured ids get the defaults."""
        spec = ModelSpec(
            endpoint_id.strip("/"),
            clip=clip,
            media_host=media_host,
            output=output,
            polls_in_queue=polls_in_queue,
            polls_in_progress=polls_in_progress,
            hold=hold,
            inference_time=inference_time,
            queue_seconds=queue_seconds,
            queue_header=queue_header,
            required=required,
        )
        with self._state.lock:
            self._state.models[spec.endpoint_id] = spec
        return spec

    def fault(self, fault: Fault) -> Fault:
        """Put a fault in force until `clear()` (or for its `times`)."""
        return self._faults.add(fault)

    def require_key(self, key: str = DEFAULT_KEY) -> None:
        """Until `clear()`, API calls need `Authorization: Key <key>` (the one `env` names); others get FAL's
        401. ValueError for a key no client could send (not `<key_id>:<key_secret>`)."""
        self._state.required_key = valid_key(key)

    @property
    def timing(self) -> str:
        return self._state.timing

    @timing.setter
    def timing(self, mode: Timing) -> None:
        """Switch timing for jobs submitted from now on; resets the clock (real time only when realistic)."""
        if mode not in TIMINGS:
            raise ValueError(f"timing must be one of {TIMINGS}, not {mode!r}")
        self._state.timing = mode
        self.clock.reset(real=mode == "realistic")

    def add_media(
        self, host: str = "v3b.fal.media", *, clip: str | Path = DEFAULT_CLIP, file_name: str = "video.mp4"
    ) -> str:
        """Put a clip on the CDN at a fresh, realistic URL and return that URL."""
        if host not in MEDIA_HOSTS:
            raise ValueError(f"host must be one of {MEDIA_HOSTS}")
        return self._state.add_media(host, clip, file_name).url

    def serve(
        self,
        url: str,
        body: bytes | str | Path,
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> str:
        """Serve `body` at `url` on a FAL host for this test (a test page, a canned file); return `url`."""
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path or "/"
        if host not in HOSTS:
            raise ValueError(f"{host!r} is not one of the fake's hosts {HOSTS}")
        media = MediaFile(
            host,
            path,
            content_type,
            file=body if isinstance(body, Path) else None,
            data=body.encode() if isinstance(body, str) else body if isinstance(body, bytes) else None,
            headers=tuple((headers or {}).items()),
        )
        self._state.library.put(media)
        if not (host in MEDIA_HOSTS and path.startswith("/files/")):
            self._routes.register(host, Route("page", ("GET", "HEAD"), re.escape(path), serve_media))
        return url

    def release(self, endpoint_id: str | None = None) -> int:
        """Let held jobs (of `endpoint_id` or its prefix, or all) complete; return how many were released."""
        released = 0
        for job in self._state.jobs.all():
            if job.spec.hold and not job.released.is_set() and endpoint_matches(endpoint_id, job.endpoint_id):
                job.released.set()
                released += 1
        self.clock.poke()
        return released

    # --- observe -----------------------------------------------------------------------------------

    def jobs(self, endpoint_id: str | None = None) -> list[Job]:
        """Jobs of this test, oldest first."""
        return [job for job in self._state.jobs.all() if endpoint_matches(endpoint_id, job.endpoint_id)]

    def job(self, request_id: str) -> Job | None:
        return self._state.jobs.get(request_id)

    def wait_for_request(self, *, timeout: float = 10.0, count: int = 1, **filters: Any) -> LogEntry:
        """Block until `count` requests matching `log.find` filters arrived; return the newest."""
        return self.log.wait_for(timeout=timeout, count=count, **filters)

    def wait_for_job(
        self, endpoint_id: str | None = None, *, held: bool | None = None, timeout: float = 10.0
    ) -> Job:
        """Block until a job of `endpoint_id` (held and unreleased, if `held`) exists; return the newest.

        A request shows in the log as it arrives, before its handler made the job: wait for the job itself.
        """
        deadline = time.monotonic() + timeout

        def found() -> Job | None:
            jobs = [
                job
                for job in self.jobs(endpoint_id)
                if held is None or held == (job.spec.hold and not job.released.is_set())
            ]
            return jobs[-1] if jobs else None

        while (job := found()) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                what = "held job" if held else "job"
                raise AssertionError(f"fake_fal: no {what} of {endpoint_id or 'any model'} within {timeout}s")
            self.clock.wait_for(lambda: found() is not None, limit=remaining)
        return job

    def wait_for_held(self, endpoint_id: str | None = None, *, timeout: float = 10.0) -> Job:
        """Block until a held job (hold=True, not yet released) of `endpoint_id` exists; return it."""
        return self.wait_for_job(endpoint_id, held=True, timeout=timeout)

    # --- plumbing ----------------------------------------------------------------------------------

    def _new_state(self) -> State:
        return State(
            clock=self.clock,
            timing=self._default_timing,
            no_handler=self.httpserver.respond_nohandler,
        )

    def _arrived(self, request: Request, body: Body) -> Callable[[Response], None]:
        environ = request.environ
        entry = LogEntry(
            host=environ.get("HTTP_HOST", ""),
            method=request.method,
            path=request.path,
            query=request.args.to_dict(),
            headers=dict(request.headers.items()),
            body=body.kept,
            body_size=body.size,
            via=environ.get(VIA, ""),
            clock_time=self.clock.now(),
        )
        environ[ENTRY] = entry
        self.log.append(entry)

        def done(response: Response) -> None:
            self.log.update(entry, status=response.status_code)

        return done
