"""Browser CORS as the FAL hosts must answer it for the official client in a page (docs/fal-protocol.md).

Preflights echo `Access-Control-Request-Headers` rather than answering `*`: the spec's wildcard does not
cover `Authorization`, and with `*` Chromium re-sends the preflight before every poll.
"""

from __future__ import annotations

from werkzeug import Request, Response

ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
# Without x-fal-request-id exposed, the browser client's `requestId` is "".
EXPOSED_HEADERS = "x-fal-request-id, x-fal-error-type, content-length, content-range, accept-ranges"


def add_cors(request: Request, response: Response) -> Response:
    """Headers every cross-origin answer carries."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def preflight(request: Request) -> Response:
    """A 204 that allows the method asked for and echoes the requested headers."""
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    requested = request.headers.get("Access-Control-Request-Headers")
    if requested:
        response.headers["Access-Control-Allow-Headers"] = requested
    response.headers["Access-Control-Max-Age"] = "86400"
    return add_cors(request, response)


def strip_cors(response: Response) -> Response:
    """Drop every Access-Control-* header (the `no_cors` fault)."""
    for name in {key for key, _ in response.headers.items() if key.lower().startswith("access-control-")}:
        del response.headers[name]
    return response
