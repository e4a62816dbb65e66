"""The route table on pytest-httpserver: one handler per host, route and method, and a preflight per host.

pytest-httpserver matches method, Host header and full path, so a request no route takes goes down its
no-handler path and `FakeFal.check()` names it. Each handler notes the step and model in the request's log
entry, takes the faults aimed at it, and answers through answer.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from werkzeug import Request, Response

from . import cors
from .answer import endpoint_of, finish, respond
from .call import Call, Route
from .faults import FaultBook
from .hosts import HOSTS, ROUTES
from .listener import FalHTTPServer
from .log import LogEntry, RequestLog
from .state import State

ENTRY = "fake_fal.entry"  # environ key: this request's LogEntry


class Routes:
    """Registers the routes of every FAL host on `httpserver`; handlers read the current test's state."""

    def __init__(
        self, httpserver: FalHTTPServer, log: RequestLog, faults: FaultBook, state: Callable[[], State]
    ) -> None:
        self.httpserver = httpserver
        self.log = log
        self._faults = faults
        self._state = state

    def install(self) -> None:
        """Every host's routes and preflights (again after pytest-httpserver's `clear()`)."""
        for host in HOSTS:
            self.httpserver.expect_request(
                re.compile(r".*"), method="OPTIONS", headers={"Host": host}
            ).respond_with_handler(self._preflight(host))
            for route in ROUTES[host]:
                self.register(host, route)

    def register(self, host: str, route: Route) -> None:
        """One handler per method of `route` on `host`, matching its whole path."""
        pattern = re.compile(route.pattern + r"\Z")
        for method in route.methods:
            self.httpserver.expect_request(
                pattern, method=method, headers={"Host": host}
            ).respond_with_handler(self._handler(host, route, pattern))

    def _preflight(self, host: str) -> Callable[[Request], Response]:
        def answer(request: Request) -> Response:
            self.log.update(request.environ[ENTRY], step="preflight")
            faults = self._faults.take(
                host=host, method="OPTIONS", path=request.path, step="preflight", endpoint=None
            )
            response = cors.preflight(request)
            return cors.strip_cors(response) if faults else response

        return answer

    def _handler(self, host: str, route: Route, pattern: re.Pattern[str]) -> Callable[[Request], Response]:
        def answer(request: Request) -> Response:
            match = pattern.match(request.path)
            params = match.groupdict() if match else {}
            state = self._state()
            endpoint = endpoint_of(state, route.step, params, host, request.path)
            entry: LogEntry = request.environ[ENTRY]
            self.log.update(entry, step=route.step, endpoint=endpoint)
            faults = self._faults.take(
                host=host, method=request.method, path=request.path, step=route.step, endpoint=endpoint
            )
            call = Call(request, host, params, entry, faults, state)
            return finish(call, respond(route, call))

        return answer
