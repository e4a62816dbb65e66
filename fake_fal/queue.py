"""queue.fal.run: submit, status (polled and streamed), result and cancel (docs/fal-protocol.md, Queue).

Submit takes the full endpoint id; status, result and cancel live under owner/alias only, so
`fal-ai/ltx-2/text-to-video/fast` is polled at `/fal-ai/ltx-2/requests/<id>/status`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from werkzeug import Response

from .call import BadInput, Call, Route
from .jobs import COMPLETED, IN_PROGRESS, Job
from .responses import fal_error, invalid_json, json_response, missing_field
from .state import State, status_body

REQUEST = r"/(?P<app>.+)/requests/(?P<request_id>[^/]+)"
LOGS = {"1": True, "true": True, "0": False, "false": False}
PING = ": ping\n\n"


def submit(call: Call) -> Response:
    endpoint_id = call.params["endpoint"].rstrip("/")
    created = create_job(call, endpoint_id)
    if isinstance(created, Response):
        return created
    body = status_body(created, "IN_QUEUE", max(0, created.spec.polls_in_queue), call.public_base, logs=False)
    # The real submit answer also carries these two, with nothing in them yet.
    body.update(logs=None, metrics={})
    return json_response(body, 200, {"X-Fal-Request-Id": created.request_id})


def create_job(call: Call, endpoint_id: str) -> Job | Response:
    """Validate the input and start a job, or answer FAL's 422."""
    try:
        arguments = call.json_object()
    except BadInput as error:
        return invalid_json(str(error))
    spec = call.state.spec_for(endpoint_id)
    missing = [name for name in spec.required_inputs if name not in arguments]
    if missing:
        return fal_error(422, [missing_field(name, arguments) for name in missing])
    return call.state.new_job(
        endpoint_id, arguments, never_completes=call.fault("never_completes") is not None
    )


def find_job(call: Call, *, check_app: bool = True) -> Job | Response:
    job = call.state.jobs.get(call.params["request_id"])
    if job is None or (check_app and job.app_path != call.params["app"].strip("/")):
        return fal_error(404, f"Request {call.params['request_id']!r} not found")
    return job


def logs_wanted(call: Call) -> bool | Response:
    value = call.request.args.get("logs", "0").lower()
    if value not in LOGS:
        return fal_error(
            422,
            [{"loc": ["query", "logs"], "msg": "Input should be a valid boolean", "type": "bool_parsing"}],
        )
    return LOGS[value]


def status(call: Call, *, check_app: bool = True) -> Response:
    job = find_job(call, check_app=check_app)
    logs = logs_wanted(call)
    if isinstance(job, Response):
        return job
    if isinstance(logs, Response):
        return logs
    state, position = call.state.advance(job, poll=True)
    body = status_body(job, state, position, call.public_base, logs=logs)
    return json_response(body, 200 if state == COMPLETED else 202)


def stream(call: Call) -> Response:
    job = find_job(call)
    logs = logs_wanted(call)
    if isinstance(job, Response):
        return job
    if isinstance(logs, Response):
        return logs
    events = status_events(call.state, job, call.public_base, logs=logs)
    return Response(events, mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})


def status_events(state: State, job: Job, base: str, *, logs: bool) -> Iterator[str]:
    """One `data:` event per change of state until COMPLETED, with pings while nothing changes."""
    ended = state.ended
    last = None
    while True:
        current = state.advance(job, poll=True)
        if current != last:
            yield f"data: {json.dumps(status_body(job, *current, base, logs=logs))}\n\n"
            last = current
        else:
            # The JS client gives up on a stream silent for 15 s.
            yield PING
        if current[0] == COMPLETED or ended.is_set():
            return
        if job.timing == "polls" and not job.held:
            continue
        if job.timing == "polls":
            until = None
        else:
            until = job.submitted_at + job.queue_seconds if current[0] != IN_PROGRESS else job.done_at
        state.clock.wait_for(_news(state, job), until=until)


def _news(state: State, job: Job) -> Callable[[], bool]:
    """Whether a stream waiting on `job` has something to tell: the test ended, a cancel, a hold lifted."""
    held = job.held
    return lambda: state.ended.is_set() or job.cancelled or job.held != held


def result(call: Call, *, check_app: bool = True) -> Response:
    job = find_job(call, check_app=check_app)
    if isinstance(job, Response):
        return job
    state, _ = call.state.advance(job, poll=False)
    if state != COMPLETED:
        return fal_error(400, "Request is still in progress", request_id=job.request_id)
    if job.cancelled:
        return fal_error(
            499, "Request was cancelled", error_type="client_cancelled", request_id=job.request_id
        )
    return json_response(job.output, 200, {"X-Fal-Request-Id": job.request_id})


def cancel(call: Call) -> Response:
    job = find_job(call)
    if isinstance(job, Response):
        return job
    state, _ = call.state.advance(job, poll=False)
    if state == COMPLETED:
        return json_response({"status": "ALREADY_COMPLETED"}, 400)
    job.cancelled = True
    call.state.clock.poke()
    return json_response({"status": "CANCELLATION_REQUESTED"}, 202)


ROUTES = (
    Route("status", ("GET",), REQUEST + "/status", status),
    Route("stream", ("GET",), REQUEST + "/status/stream", stream),
    Route("cancel", ("PUT",), REQUEST + "/cancel", cancel),
    Route("result", ("GET",), REQUEST, result),
    Route("submit", ("POST",), r"/(?P<endpoint>[^/]+/[^/]+(?:/.*)?)", submit),
)
