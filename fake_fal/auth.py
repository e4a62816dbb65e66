"""The FAL key: which steps need `Authorization: Key <id>:<secret>`, and FAL's 401s when it is wrong."""

from __future__ import annotations

from werkzeug import Request, Response

from .faults import STEPS
from .responses import fal_error

DEFAULT_KEY = "fake-key-id:fake-key-secret"
# Steps that authenticate with the FAL key: all but the CDN's (reads, upload PUTs) and test pages.
KEYED_STEPS = frozenset(STEPS) - {"upload", "media", "page"}
MALFORMED = "Invalid Key Authorization header format. Expected '<key_id>:<key_secret>'."


def valid_key(key: str) -> str:
    """`key` if it has FAL's `<key_id>:<key_secret>` form; ValueError otherwise (no client could send it)."""
    key_id, colon, secret = key.partition(":")
    if not (colon and key_id and secret) or any(char.isspace() for char in key):
        raise ValueError(f"a FAL key looks like <key_id>:<key_secret>, not {key!r}")
    return key


def check_key(request: Request, required: str) -> Response | None:
    """FAL's 401 when `request` does not carry `required` as its key, else None."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "key" or ":" not in value:
        return fal_error(401, MALFORMED)
    if value != required:
        return fal_error(401)
    return None
