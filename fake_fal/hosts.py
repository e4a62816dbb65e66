"""The FAL hosts the fake answers as, and which protocol steps each one serves (docs/fal-protocol.md, Hosts).

One table, `ROUTES`, says which host answers which path; the server registers it host by host.
"""

from __future__ import annotations

from werkzeug import Response

from . import cdn, queue, run, storage
from .call import Call, Route
from .models import MEDIA_HOSTS

HOSTS: tuple[str, ...] = (
    "queue.fal.run",
    "fal.run",
    "rest.fal.ai",
    "rest.alpha.fal.ai",
    *MEDIA_HOSTS,
    # fal-client retries here when a connect to fal.run or queue.fal.run fails.
    "falrun.com",
    "queue.falrun.com",
)


def serve_media(call: Call) -> Response:
    """A file on the CDN (or a page a test serves); a path nothing was put at is an unexpected request."""
    found = call.state.library.get(call.host, call.request.path)
    if found is None:
        assert call.state.no_handler is not None
        return call.state.no_handler(call.request)
    return cdn.serve(call.request, found, call.faults)


MEDIA_ROUTES = (Route("media", ("GET", "HEAD"), r"/files/.+", serve_media),)
ROUTES: dict[str, tuple[Route, ...]] = {
    "queue.fal.run": queue.ROUTES,
    "queue.falrun.com": queue.ROUTES,
    "fal.run": run.ROUTES,
    "falrun.com": run.ROUTES,
    "rest.fal.ai": storage.REST_ROUTES,
    "rest.alpha.fal.ai": storage.REST_ROUTES,
    "fal.media": MEDIA_ROUTES,
    "v3.fal.media": storage.CDN_UPLOAD_ROUTES + MEDIA_ROUTES,
    "v3b.fal.media": storage.PUT_ROUTES + MEDIA_ROUTES,
}
