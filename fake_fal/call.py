"""One request as a handler sees it: the werkzeug request, its FAL host, path parameters and faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug import Request, Response

from .faults import Fault
from .listener import VIA
from .log import LogEntry

if TYPE_CHECKING:
    from .state import State


class BadInput(ValueError):
    """The request body is not the JSON object the step needs; becomes FAL's 422."""


@dataclass
class Call:
    request: Request
    host: str
    params: dict[str, str]
    entry: LogEntry
    faults: list[Fault]
    state: State

    @property
    def public_base(self) -> str:
        """`https://<the host the client used>`: what URLs handed back to this client must start with."""
        return f"https://{self.request.environ.get(VIA) or self.host}"

    def fault(self, kind: str) -> Fault | None:
        return next((fault for fault in self.faults if fault.kind == kind), None)

    def json_object(self, *, empty_ok: bool = False) -> dict[str, Any]:
        """The body as a JSON object; raise BadInput otherwise."""
        data = self.request.get_data()
        if not data.strip() and empty_ok:
            return {}
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise BadInput(str(error)) from None
        if not isinstance(value, dict):
            raise BadInput(f"expected a JSON object, got {type(value).__name__}")
        return value


@dataclass(frozen=True)
class Route:
    """A protocol step on a set of hosts: methods, a path pattern (full match), and its handler."""

    step: str
    methods: tuple[str, ...]
    pattern: str
    handle: Callable[[Call], Response]
