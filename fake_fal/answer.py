"""How one routed request is answered: the key check, the faults aimed at it, the step's handler, CORS."""

from __future__ import annotations

from http import HTTPStatus

from werkzeug import Response

from . import cdn, cors
from .auth import KEYED_STEPS, check_key
from .call import Call, Route
from .responses import fal_error
from .state import State

# Steps whose answer is a file: the CDN applies body faults to the file itself.
FILE_STEPS = ("media", "page")


def endpoint_of(state: State, step: str, params: dict[str, str], host: str, path: str) -> str | None:
    """The model a request concerns: named in its path, through its job, or through the file it asks for."""
    if "endpoint" in params:
        return params["endpoint"].rstrip("/")
    if "request_id" in params:
        job = state.jobs.get(params["request_id"])
        return job.endpoint_id if job else None
    if step in FILE_STEPS:
        media = state.library.get(host, path)
        return media.endpoint if media else None
    return None


def respond(route: Route, call: Call) -> Response:
    """The key check and the faults that replace an answer, else the handler's answer with body faults."""
    state = call.state
    if state.required_key and route.step in KEYED_STEPS:
        denied = check_key(call.request, state.required_key)
        if denied is not None:
            return denied
    failed = _delayed_or_failed(route, call)
    if failed is not None:
        return failed
    response = route.handle(call)
    if route.step in FILE_STEPS or response.is_streamed:
        return response
    return _altered_body(call, response)


def _delayed_or_failed(route: Route, call: Call) -> Response | None:
    """Wait out latency faults (a 504 if the test ends first); answer a status fault's error."""
    state = call.state
    for fault in call.faults:
        if fault.kind == "latency" and not _reached(state, call.entry.clock_time + fault.seconds):
            return fal_error(504, "Request timed out")
    failure = call.fault("status")
    if failure is None:
        return None
    detail = failure.detail
    if detail is None and route.step in FILE_STEPS:
        detail = HTTPStatus(failure.status).phrase  # the CDN has no account to be locked
    return fal_error(
        failure.status, detail, error_type=failure.error_type, request_id=call.params.get("request_id")
    )


def _reached(state: State, deadline: float) -> bool:
    """Block until the fake's clock reaches `deadline`; False if the test ended first."""
    return state.wait(lambda: state.clock.now() >= deadline, until=deadline)


def _altered_body(call: Call, response: Response) -> Response:
    """The API answer under the `wrong_content_type` and `truncated` faults."""
    wrong = call.fault("wrong_content_type")
    if wrong is not None:
        response.headers["Content-Type"] = wrong.content_type
    if call.fault("truncated") is not None:
        truncated = cdn.truncated(response.get_data(), response.headers.get("Content-Type", ""))
        truncated.status_code = response.status_code
        return truncated
    return response


def finish(call: Call, response: Response) -> Response:
    """CORS on every answer (unless a `no_cors` fault), and CORP when a `corp` fault asks for it."""
    if call.fault("no_cors") is None:
        cors.add_cors(call.request, response)
    else:
        cors.strip_cors(response)
    corp = call.fault("corp")
    if corp is not None:
        response.headers["Cross-Origin-Resource-Policy"] = corp.value
    return response
