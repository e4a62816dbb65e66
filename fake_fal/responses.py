"""FAL-shaped responses: JSON bodies always sent as application/json, and errors as `{"detail": ...}`."""

from __future__ import annotations

import json
from typing import Any

from werkzeug import Response

# Bodies the real API sends for these statuses (docs/fal-protocol.md, Errors).
DEFAULT_DETAIL: dict[int, Any] = {
    400: "Bad Request",
    401: "No user found for Key ID and Secret",
    403: "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.",
    404: "Not Found",
    422: [
        {
            "loc": ["body", "prompt"],
            "msg": "The content could not be processed because it was flagged by a content checker.",
            "type": "content_policy_violation",
            "url": "https://docs.fal.ai/errors#content_policy_violation",
        }
    ],
    429: "Too many requests: concurrency limit reached.",
    500: "Internal error",
    502: "Runner returned an incomplete response",
    503: "Runner scheduling failure",
    504: "Request timed out",
}

DEFAULT_ERROR_TYPE: dict[int, str] = {
    500: "internal_error",
    502: "runner_incomplete_response",
    503: "runner_scheduling_failure",
    504: "request_timeout",
}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """`body` as JSON with `Content-Type: application/json` (without it the JS client returns a string)."""
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


def fal_error(
    status: int,
    detail: Any = None,
    *,
    error_type: str | None = None,
    request_id: str | None = None,
) -> Response:
    """An error as FAL sends it: `{"detail": ...}`, and `error_type` + `X-Fal-Error-Type` for infra errors."""
    body: dict[str, Any] = {"detail": DEFAULT_DETAIL.get(status, "Error") if detail is None else detail}
    error_type = error_type or DEFAULT_ERROR_TYPE.get(status)
    headers = {}
    if error_type:
        body["error_type"] = error_type
        headers["X-Fal-Error-Type"] = error_type
    if request_id:
        headers["X-Fal-Request-Id"] = request_id
    return json_response(body, status, headers)


def missing_field(field_name: str, given: Any) -> dict[str, Any]:
    """One FastAPI-style validation item for a required input that was not sent."""
    return {"loc": ["body", field_name], "msg": "Field required", "type": "missing", "input": given}


def invalid_json(message: str) -> Response:
    """422 for a body that is not a JSON object, as FastAPI reports it."""
    return fal_error(422, [{"loc": ["body"], "msg": f"JSON decode error: {message}", "type": "json_invalid"}])
