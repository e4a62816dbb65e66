"""Uploads (docs/fal-protocol.md): the REST calls on rest.fal.ai and rest.alpha.fal.ai, and the CDN side.

JS: `POST /storage/upload/initiate` returns `upload_url` + `file_url` on v3b.fal.media; the client PUTs the
bytes to `upload_url` and the CDN then serves them at `file_url`.
Python: `POST /storage/auth/token` returns a bearer token; the client POSTs the bytes to
`https://v3.fal.media/files/upload` and gets `access_url` back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from werkzeug import Response

from .call import BadInput, Call, Route
from .cdn import MediaFile
from .models import nanoid
from .responses import fal_error, invalid_json, json_response, missing_field

UPLOAD_HOST = "v3b.fal.media"


def initiate(call: Call) -> Response:
    try:
        body = call.json_object()
    except BadInput as error:
        return invalid_json(str(error))
    missing = [name for name in ("content_type", "file_name") if not body.get(name)]
    if missing:
        return fal_error(422, [missing_field(name, body) for name in missing])
    state = call.state
    with state.lock:
        folder, key = f"{state.rng.getrandbits(32):08x}", nanoid(state.rng)
        signature = f"{state.rng.getrandbits(64):016x}"
    name = str(body["file_name"]).rsplit("/", 1)[-1]
    target = MediaFile(UPLOAD_HOST, f"/files/b/{folder}/{key}_{name}", str(body["content_type"]))
    upload_path = f"/upload/b/{folder}/{key}_{name}"
    with state.lock:
        state.uploads[upload_path] = target
    return json_response(
        {"upload_url": f"https://{UPLOAD_HOST}{upload_path}?signature={signature}", "file_url": target.url}
    )


def put_upload(call: Call) -> Response:
    state = call.state
    with state.lock:
        target = state.uploads.pop(call.request.path, None)
    if target is None:
        return fal_error(403, "Upload URL is unknown, used or expired")
    content_type = call.request.headers.get("Content-Type") or target.content_type
    state.library.put(MediaFile(target.host, target.path, content_type, data=call.request.get_data()))
    return Response(status=200)


def token(call: Call) -> Response:
    expires = datetime.now(UTC) + timedelta(hours=1)
    return json_response(
        {
            "token": call.state.new_token(),
            "token_type": "Bearer",
            "base_url": "https://v3.fal.media",
            "expires_at": expires.isoformat(),
        }
    )


def cdn_upload(call: Call) -> Response:
    """Python's upload: bearer token from `token`, file name in X-Fal-File-Name, raw bytes."""
    scheme, _, value = call.request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or value not in call.state.tokens:
        return fal_error(401, "Invalid or expired upload token")
    name = call.request.headers.get("X-Fal-File-Name") or "upload.bin"
    state = call.state
    with state.lock:
        path = f"/files/{state.rng.choice(('penguin', 'panda', 'koala'))}/{nanoid(state.rng)}_{name}"
    content_type = call.request.headers.get("Content-Type") or "application/octet-stream"
    media = state.library.put(MediaFile(call.host, path, content_type, data=call.request.get_data()))
    return json_response({"access_url": media.url})


REST_ROUTES = (
    Route("initiate", ("POST",), r"/storage/upload/initiate", initiate),
    Route("token", ("POST",), r"/storage/auth/token", token),
)

# Only on the hosts the clients really send them to: upload URLs name v3b, Python's CDN_URL is v3.
PUT_ROUTES = (Route("upload", ("PUT",), r"/upload/.+", put_upload),)
CDN_UPLOAD_ROUTES = (Route("upload", ("POST",), r"/files/upload", cdn_upload),)
