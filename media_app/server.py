"""AppServer: the reference app over HTTPS on its own hostname, per-page profiles and report endpoints."""

from __future__ import annotations

import html
import json
import mimetypes
import signal
import socket
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound
from werkzeug.security import safe_join
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from fake_fal.tls import Certificates, chromium_args, host_rules

from . import csp
from .profiles import Profile, ProfileError
from .reports import Report, ReportLog, parse_coep_reports, parse_csp_reports

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
COEP_REPORT_PATH = "/coep-report"
COEP_REPORT_GROUP = "coep-endpoint"

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/css", ".css")


class QuietRequestHandler(WSGIRequestHandler):
    """Logs errors only: one line per request would bury a test run's output.

    HTTP/1.1 keeps connections alive: the app is ~25 ES modules, and a TLS handshake for each (HTTP/1.0)
    made a fresh page load three times slower.
    """

    protocol_version = "HTTP/1.1"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


def render_index(template: str, profile: Profile, fal_key: str) -> str:
    """index.html with the profile's meta CSP, root data attributes and the preset FAL key filled in."""
    values = {
        "csp": csp.meta_policy(profile),
        "profile": profile.name,
        "bugs": profile.bugs_attr,
        "fal_key": fal_key,
    }
    for name, value in values.items():
        template = template.replace("{{ " + name + " }}", html.escape(value, quote=True))
    return template


class MappedServer:
    """A WSGI app on `https://<host>/` (reached through Chromium host rules) or `http://localhost:<port>/`.

    Lifecycle, TLS, addresses and the WSGI entry; a subclass supplies `_dispatch` (request → response, or an
    HTTPException) and may amend every response in `_finish`. Shared by this app's AppServer and by
    the server of real QCut builds (qcut_builds.server), so both are reached and trusted the same way.
    """

    thread_name = "mapped-server"

    def __init__(self, *, host: str, port: int = 0, certificates: Certificates | None = None) -> None:
        self.host = host
        self.local = host in LOCAL_HOSTS
        if certificates is None and not self.local:
            certificates = Certificates([host])
        self.certificates = certificates
        self._requested_port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def _dispatch(self, request: Request) -> Response:
        raise NotImplementedError

    def _finish(self, request: Request, response: Response) -> Response:
        """Every response, error pages included, on its way out."""
        return response

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except HTTPException as error:
            response = error.get_response(environ)
        return self._finish(request, response)(environ, start_response)

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind (port 0 picks a free one) and serve in a daemon thread."""
        if self._server is not None:
            return self
        ssl_context = self.certificates.server_context() if self.certificates else None
        bind = "127.0.0.1"
        self._server = make_server(
            bind,
            self._requested_port,
            self._wsgi,
            threaded=True,
            ssl_context=ssl_context,
            request_handler=QuietRequestHandler,
        )
        # Send small writes at once: werkzeug writes headers and body apart, and on a kept-alive connection
        # Nagle's algorithm would hold the body until the browser's delayed ACK.
        self._server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._thread = threading.Thread(target=self._server.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (only meaningful once started)."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._server.server_port

    @property
    def scheme(self) -> str:
        return "https" if self.certificates else "http"

    @property
    def origin(self) -> str:
        """`https://app.qcut.test` through host mapping; `http://localhost:<port>` when served locally."""
        if self.local:
            return f"{self.scheme}://{self.host}:{self.port}"
        return f"{self.scheme}://{self.host}"

    @property
    def url(self) -> str:
        """The app's page URL, e.g. `https://app.qcut.test/`."""
        return self.origin + "/"

    @property
    def host_rules(self) -> list[str]:
        """Chromium `--host-resolver-rules` entries that reach this server (none when served on localhost)."""
        return [] if self.local else host_rules([self.host], self.port)

    @property
    def spki(self) -> str | None:
        """The SPKI hash Chromium must trust for this server's certificate (None for plain http)."""
        return self.certificates.spki if self.certificates else None

    @property
    def chromium_args(self) -> list[str]:
        """The flags that let Chromium reach and trust this server; empty when served on localhost."""
        if self.local:
            return []
        return chromium_args(self.host_rules, [self.spki] if self.spki else [])

    def serve_until_stopped(self, **facts: Any) -> None:
        """Serve until SIGINT or SIGTERM; first print one JSON line: the URL, the Chromium flags, `facts`."""
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        with self:
            where = {"url": self.url, "origin": self.origin, "port": self.port}
            print(json.dumps({**where, **facts, "chromium_args": self.chromium_args}), flush=True)
            stop.wait()


class AppServer(MappedServer):
    """The app on `https://<host>/` (reached through Chromium host rules) or `http://localhost:<port>/`."""

    thread_name = "media_app"

    def __init__(
        self,
        *,
        app_dir: Path = STATIC_DIR,
        profile: str = "fixed",
        bugs: Iterable[str] = (),
        host: str = "app.qcut.test",
        port: int = 0,
        certificates: Certificates | None = None,
        fal_key: str = "test-fal-key",
        report_to: bool = True,
    ) -> None:
        self.app_dir = Path(app_dir).resolve()
        if not (self.app_dir / "index.html").is_file():
            raise FileNotFoundError(f"no index.html in app dir {self.app_dir}")
        self.profile = Profile.parse(profile, bugs)
        super().__init__(host=host, port=port, certificates=certificates)
        self.fal_key = fal_key
        # False: the header policy names report-uri only, so Chromium posts application/csp-report there.
        self.report_to = report_to
        self._csp_reports = ReportLog()
        self._coep_reports = ReportLog()

    # -- reports -----------------------------------------------------------------------------------------

    @property
    def csp_reports(self) -> list[Report]:
        """CSP violation reports received so far (report-uri and report-to alike), normalised."""
        return self._csp_reports.snapshot()

    @property
    def coep_reports(self) -> list[Report]:
        """COEP reports received so far (Reporting API type `coep`)."""
        return self._coep_reports.snapshot()

    def clear_reports(self) -> None:
        """Forget every CSP and COEP report."""
        self._csp_reports.clear()
        self._coep_reports.clear()

    def wait_for_report(self, timeout: float = 10.0, predicate: Any = None) -> Report:
        """The first CSP report matching `predicate` (any when None); TimeoutError after `timeout` s."""
        return self._csp_reports.wait_for(timeout, predicate)

    def wait_for_coep_report(self, timeout: float = 10.0, predicate: Any = None) -> Report:
        """The first COEP report matching `predicate` (any when None); TimeoutError after `timeout` s."""
        return self._coep_reports.wait_for(timeout, predicate)

    # -- WSGI --------------------------------------------------------------------------------------------

    def _dispatch(self, request: Request) -> Response:
        path = request.path
        if path == csp.REPORT_PATH:
            return self._receive(request, self._csp_reports, parse_csp_reports)
        if path == COEP_REPORT_PATH:
            return self._receive(request, self._coep_reports, lambda _type, body: parse_coep_reports(body))
        if request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed(["GET", "HEAD"])
        if path in ("/", "/index.html"):
            return self._index(request)
        return self._static(path)

    def _receive(self, request: Request, log: ReportLog, parse: Any) -> Response:
        if request.method == "OPTIONS":
            return Response(status=204)
        if request.method != "POST":
            raise MethodNotAllowed(["POST", "OPTIONS"])
        try:
            log.add(parse(request.content_type or "", request.get_data()))
        except (ValueError, AttributeError) as error:
            raise BadRequest(f"unreadable report: {error}") from error
        return Response(status=204)

    def _index(self, request: Request) -> Response:
        try:
            profile = self.profile.override(request.args)
        except ProfileError as error:
            return Response(f"{error}\n", status=400, mimetype="text/plain")
        template = (self.app_dir / "index.html").read_text(encoding="utf-8")
        response = Response(render_index(template, profile, self.fal_key), mimetype="text/html")
        response.headers["Content-Security-Policy"] = csp.header_policy(profile, report_to=self.report_to)
        endpoints = [f'{csp.REPORT_GROUP}="{self.origin}{csp.REPORT_PATH}"']
        if profile.has("coep-require-corp"):
            # The Electron shell's headers at the bug commit: needed for SharedArrayBuffer, fatal to a
            # no-cors <video> of a CDN that sends no Cross-Origin-Resource-Policy.
            response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
            response.headers["Cross-Origin-Embedder-Policy"] = (
                f'require-corp; report-to="{COEP_REPORT_GROUP}"'
            )
            endpoints.append(f'{COEP_REPORT_GROUP}="{self.origin}{COEP_REPORT_PATH}"')
        response.headers["Reporting-Endpoints"] = ", ".join(endpoints)
        response.headers["Cache-Control"] = "no-store"
        return response

    def _static(self, path: str) -> Response:
        target = safe_join(str(self.app_dir), path.lstrip("/"))
        if target is None or not Path(target).is_file():
            raise NotFound()
        mimetype = mimetypes.guess_type(target)[0] or "application/octet-stream"
        response = Response(Path(target).read_bytes(), mimetype=mimetype)
        response.headers["Cache-Control"] = "no-store"
        return response
