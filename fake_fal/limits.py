"""What the fake accepts from a client and keeps of it: body sizes, how long a request may stall, ports.

A body over `max_body` is answered with FAL's 413 shape and never stored; the request log keeps the first
`log_body` bytes of each body and its full length. A client that stops sending in the middle of a request
is dropped after `read_timeout` seconds without a byte: silently during its TLS handshake or headers, with
a 408 during its body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug import Request, Response
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from .cors import add_cors
from .responses import fal_error

KIB = 1024
MIB = 1024 * KIB
PORTS = range(65536)
_SIZE = re.compile(r"(?P<number>\d+)\s*(?P<unit>[KMG]?)(?:i?B)?", re.IGNORECASE)
_UNITS = {"": 1, "K": KIB, "M": MIB, "G": 1024 * MIB}


@dataclass(frozen=True)
class Limits:
    """How much of a request the fake takes in and remembers, and how long it waits for the rest."""

    # Both official clients switch to multipart uploads above 90-100 MB, so no single real request is larger.
    max_body: int = 100 * MIB
    log_body: int = 64 * KIB
    read_timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.max_body < 0 or self.log_body < 0:
            raise ValueError(
                f"body sizes cannot be negative (max_body={self.max_body}, log_body={self.log_body})"
            )
        if not self.read_timeout > 0:
            raise ValueError(f"read_timeout must be a positive number of seconds, not {self.read_timeout}")


@dataclass(frozen=True)
class Body:
    """A request body as read within the limits: the part the log keeps, and its length."""

    kept: bytes
    size: int | None  # as declared when refused; None when unknown (a refused body without Content-Length)
    refused: int | None = None  # the status it is refused with: 413 too large, 408 not received in full


def read_body(request: Request, limits: Limits) -> Body:
    """Read the body (werkzeug caches it for the handler) unless it is too large or stops coming."""
    # One byte over the limit: werkzeug stops a body without Content-Length (chunked) quietly at the limit,
    # so a body that reaches the extra byte is known to be too large. A Content-Length over it raises.
    request.max_content_length = limits.max_body + 1
    try:
        data = request.get_data()
    except RequestEntityTooLarge:
        # werkzeug's server discards the unread rest after the answer, so the client sees the 413.
        return Body(b"", request.content_length, refused=413)
    except ClientDisconnected:
        # The read timed out (or the client closed its side) before the declared length arrived.
        return Body(b"", request.content_length, refused=408)
    if len(data) > limits.max_body:
        return Body(b"", request.content_length, refused=413)
    return Body(data[: limits.log_body], len(data))


def refusal(request: Request, body: Body, limits: Limits) -> Response:
    """FAL's error shape for a refused body, readable cross-origin like every other answer."""
    if body.refused == 413:
        size = f"{body.size} bytes" if body.size is not None else "more than that"
        detail = f"Request body too large: at most {limits.max_body} bytes are accepted, got {size}"
    else:
        detail = f"Request body not received: nothing came for {limits.read_timeout:g} s before its end"
    return add_cors(request, fal_error(body.refused or 400, detail))


def check_port(port: int) -> int:
    """`port` if a TCP port can have that number (0: any free one); ValueError naming the range otherwise."""
    if port not in PORTS:
        raise ValueError(f"port must be in {PORTS.start}-{PORTS.stop - 1} (0: any free port), not {port}")
    return port


def port_number(text: str) -> int:
    """A port number read from the command line (`check_port`'s range); ValueError saying what a port is."""
    try:
        number = int(text)
    except ValueError:
        raise ValueError(f"a port is a whole number in 0-65535, not {text!r}") from None
    return check_port(number)


def parse_size(text: str) -> int:
    """Bytes from `1048576`, `64K`, `100M`, `1G` (binary units; a trailing `B` or `iB` is allowed)."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"a size is a whole number of bytes with an optional K, M or G, not {text!r}")
    return int(match["number"]) * _UNITS[match["unit"].upper()]
