"""fal.run: the synchronous run, and the original app's older queue path on the same host.

`POST https://fal.run/<endpoint>` answers with the output itself once the job is done: at once by poll
count, when the clock gets there in clock timing, and only after `release()` for a held model. With
`X-Fal-Queue: true` (the original app's old path) it answers a ticket instead, polled at
`/queue/requests/<id>/status` and fetched at `/queue/requests/<id>` on fal.run.
"""

from __future__ import annotations

from werkzeug import Response

from . import queue
from .call import Call, Route
from .jobs import Job
from .responses import fal_error, json_response

LEGACY = r"/queue/requests/(?P<request_id>[^/]+)"


def run(call: Call) -> Response:
    endpoint_id = call.params["endpoint"].rstrip("/")
    job = queue.create_job(call, endpoint_id)
    if isinstance(job, Response):
        return job
    if job.spec.queue_header and call.request.headers.get("X-Fal-Queue", "").lower() == "true":
        return json_response(legacy_ticket(job, call.public_base), 200, {"X-Fal-Request-Id": job.request_id})
    state = call.state
    until = None if job.timing == "polls" else job.done_at
    if not state.wait(lambda: job.finished(state.clock.now()), until=until):
        return fal_error(504, "Request timed out", request_id=job.request_id)
    with state.clock.changed:
        job.completed_at = state.clock.now()
    return json_response(job.output, 200, {"X-Fal-Request-Id": job.request_id})


def legacy_ticket(job: Job, base: str) -> dict[str, object]:
    urls = f"{base}/queue/requests/{job.request_id}"
    return {
        "request_id": job.request_id,
        "status": "IN_QUEUE",
        "queue_position": max(0, job.spec.polls_in_queue - 1),
        "status_url": f"{urls}/status",
        "response_url": urls,
    }


def legacy_status(call: Call) -> Response:
    return queue.status(call, check_app=False)


def legacy_result(call: Call) -> Response:
    return queue.result(call, check_app=False)


ROUTES = (
    Route("legacy_status", ("GET",), LEGACY + "/status", legacy_status),
    Route("legacy_result", ("GET",), LEGACY, legacy_result),
    Route("run", ("POST",), r"/(?P<endpoint>[^/]+/[^/]+(?:/.*)?)", run),
)
