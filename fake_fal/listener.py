"""The transport: one threaded TLS pytest-httpserver for every FAL hostname, plus one extra port per host.

Browsers reach the main port on the real hostnames through host-resolver rules, so the Host header names
the FAL host. Clients that cannot remap a hostname (fal-client, Node's fetch) are pointed at a host's own
port instead; that port rewrites Host to its FAL host before the same dispatch, and keeps the Host the
client sent (`127.0.0.1:<port>`) so queue URLs handed back stay reachable by that client.

Every listener applies the same `Limits`: a body over the size limit, or one that stops coming, is refused
(413, 408) before any handler runs, and a connection that stalls is dropped after the read timeout.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterable
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response
from werkzeug.serving import BaseWSGIServer, make_server

from .cors import add_cors
from .limits import Body, Limits, read_body, refusal
from .responses import fal_error

VIA = "fake_fal.via"  # environ key: the Host a client sent to a per-host port
Arrival = Callable[[Request, Body], Callable[[Response], None]]


def tune(server: BaseWSGIServer, limits: Limits) -> None:
    """Small writes sent at once, and a stalled client dropped after `limits.read_timeout`.

    Nagle's algorithm would hold werkzeug's body write until the client's delayed ACK of the headers
    (accepted sockets inherit TCP_NODELAY on Linux). socketserver puts the handler's `timeout` on each
    connection; the TLS handshake is left to the first read, in the connection's thread under that timeout,
    instead of in `accept()`, where a client that never sends its hello would stop the whole listener.
    """
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if isinstance(server.socket, ssl.SSLSocket):
        # A documented wrap_socket() argument that typeshed does not list as an attribute.
        server.socket.do_handshake_on_connect = False  # type: ignore[attr-defined]
    handler = server.RequestHandlerClass
    assert isinstance(handler, type), "werkzeug's servers take a handler class"
    server.RequestHandlerClass = type(handler.__name__, (handler,), {"timeout": limits.read_timeout})


class FalHTTPServer(HTTPServer):
    """pytest-httpserver with normalised Host headers, an arrival hook, and FAL-shaped no-handler answers.

    Unexpected requests still take pytest-httpserver's no-handler path (so its assertions record them);
    only the body the client sees is FAL's `{"detail": "Not Found"}` instead of plain text.
    """

    def __init__(
        self, ssl_context: ssl.SSLContext, on_request: Arrival, port: int = 0, limits: Limits | None = None
    ) -> None:
        super().__init__(host="127.0.0.1", port=port, ssl_context=ssl_context, threaded=True)
        self._on_request = on_request
        self.limits = limits or Limits()
        self.unexpected: list[str] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        super().start()
        assert self.server is not None
        tune(self.server, self.limits)

    def application(self, request: Request) -> Response:
        """Read the body within the limits, tell the fake, dispatch (or refuse), tell it the answer.

        Not pytest-httpserver's own `application`: its log keeps every request with its whole body until
        `clear()`, which a standalone fake never calls; the fake's RequestLog replaces it.
        """
        host = request.environ.get("HTTP_HOST", "")
        if host.endswith(":443"):
            # Some clients name the default port; handlers match the bare hostname.
            request.environ["HTTP_HOST"] = host[: -len(":443")]
        body = read_body(request, self.limits)
        connection = request.environ.get("werkzeug.socket")
        if isinstance(connection, socket.socket):
            # The request is in; its answer may rightly take long (a held job, a stream, a media reader
            # that stops reading while its buffer is full), so the read timeout ends here.
            connection.settimeout(None)
        done = self._on_request(request, body)
        response = refusal(request, body, self.limits) if body.refused else self.dispatch(request)
        done(response)
        return response

    def respond_nohandler(self, request: Request, extra_message: str = "") -> Response:
        super().respond_nohandler(request, extra_message)
        with self._lock:
            self.unexpected.append(
                f"{request.method} {request.host} {request.full_path.rstrip('?')} (no handler)"
            )
        return add_cors(request, fal_error(404, "Not Found"))

    def dispatch(self, request: Request) -> Response:
        recorded = len(self.handler_errors) + len(self.assertions)
        try:
            return super().dispatch(request)
        except Exception as error:
            # Any handler bug: check() must name it, and the client still gets an answer, not a reset.
            if len(self.handler_errors) + len(self.assertions) == recorded:
                self.handler_errors.append(error)
            with self._lock:
                self.unexpected.append(
                    f"{request.method} {request.host} {request.path} (handler raised {error!r})"
                )
            return add_cors(request, fal_error(500, f"fake_fal handler error: {error!r}"))

    def take_unexpected(self) -> list[str]:
        """The unexpected requests so far, forgetting them and pytest-httpserver's own records of them."""
        with self._lock:
            found, self.unexpected = self.unexpected, []
        self.clear_assertions()
        self.clear_handler_errors()
        return found


class HostPorts:
    """One extra TLS listener per FAL host, each feeding `server`'s dispatch with Host set to its host."""

    def __init__(self, server: FalHTTPServer, hosts: Iterable[str], ssl_context: ssl.SSLContext) -> None:
        self._app = Request.application(server.application)
        self._servers: dict[str, BaseWSGIServer] = {}
        self._threads: list[threading.Thread] = []
        for host in hosts:
            wsgi = make_server("127.0.0.1", 0, self._rewriting(host), ssl_context=ssl_context, threaded=True)
            tune(wsgi, server.limits)
            self._servers[host] = wsgi
            # A short poll interval keeps stop() quick: shutdown waits for the loop to notice.
            thread = threading.Thread(
                target=wsgi.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fake_fal {host}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def _rewriting(self, host: str) -> Callable[..., Any]:
        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            environ[VIA] = environ.get("HTTP_HOST", "")
            environ["HTTP_HOST"] = host
            return self._app(environ, start_response)

        return app

    @property
    def ports(self) -> dict[str, int]:
        return {host: wsgi.port for host, wsgi in self._servers.items()}

    def stop(self) -> None:
        for wsgi in self._servers.values():
            wsgi.shutdown()
            wsgi.server_close()
        for thread in self._threads:
            thread.join()
