"""queue.fal.run as the clients see it: submit, status, result, cancel and the status stream."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fake_fal import FakeFal

from .conftest import FalHttp

LTX2 = "fal-ai/ltx-2/text-to-video/fast"
QUEUE = "https://queue.fal.run"


@pytest.fixture
def ltx2(fake_fal: FakeFal) -> str:
    fake_fal.model(LTX2, clip="small")
    return LTX2


def submit(fal_http: FalHttp, endpoint: str, body: object = None) -> dict[str, Any]:
    response = fal_http("POST", f"{QUEUE}/{endpoint}", json={"prompt": "a cat"} if body is None else body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    ticket: dict[str, Any] = response.json()
    return ticket


def test_submit_answers_in_queue_with_absolute_urls_without_the_sub_path(
    fake_fal: FakeFal, fal_http: FalHttp, ltx2: str
) -> None:
    ticket = submit(fal_http, ltx2)

    base = f"https://127.0.0.1:{fake_fal.host_ports['queue.fal.run']}/fal-ai/ltx-2/requests/{ticket['request_id']}"
    assert ticket == {
        "status": "IN_QUEUE",
        "request_id": ticket["request_id"],
        "response_url": base,
        "status_url": f"{base}/status",
        "cancel_url": f"{base}/cancel",
        "logs": None,
        "metrics": {},
        "queue_position": 1,
    }


def test_workflow_ids_keep_three_segments(fal_http: FalHttp) -> None:
    ticket = submit(fal_http, "workflows/someone/my-flow/extra")

    assert f"/workflows/someone/my-flow/requests/{ticket['request_id']}" in ticket["status_url"]


def test_status_goes_queued_running_completed_with_202_until_done(fal_http: FalHttp, ltx2: str) -> None:
    ticket = submit(fal_http, ltx2)
    status_url = f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}/status"

    answers = [fal_http("GET", status_url, params={"logs": "0"}) for _ in range(3)]

    assert [(a.status_code, a.json()["status"]) for a in answers] == [
        (202, "IN_QUEUE"),
        (202, "IN_PROGRESS"),
        (200, "COMPLETED"),
    ]
    assert answers[0].json()["queue_position"] == 0
    assert answers[1].json()["logs"] is None
    assert answers[2].json()["metrics"]["inference_time"] > 0


@pytest.mark.parametrize(("logs", "wanted"), [("1", True), ("true", True), ("0", False), ("false", False)])
def test_status_logs_flag_takes_both_spellings(fal_http: FalHttp, ltx2: str, logs: str, wanted: bool) -> None:
    ticket = submit(fal_http, ltx2)
    status_url = f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}/status"

    fal_http("GET", status_url, params={"logs": logs})
    running = fal_http("GET", status_url, params={"logs": logs}).json()

    assert running["status"] == "IN_PROGRESS"
    assert isinstance(running["logs"], list) if wanted else running["logs"] is None


def test_status_with_a_bad_logs_flag_is_a_422(fal_http: FalHttp, ltx2: str) -> None:
    ticket = submit(fal_http, ltx2)

    answer = fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}/status?logs=maybe")

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "logs"]


def test_queue_position_counts_down(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(LTX2, clip="small", polls_in_queue=3)
    ticket = submit(fal_http, LTX2)
    status_url = f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}/status"

    positions = [fal_http("GET", status_url).json().get("queue_position") for _ in range(4)]

    assert ticket["queue_position"] == 3
    assert positions == [2, 1, 0, None]


def test_result_is_the_model_output_with_the_request_id_header(
    fake_fal: FakeFal, fal_http: FalHttp, ltx2: str
) -> None:
    ticket = submit(fal_http, ltx2)
    for _ in range(3):
        fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}/status")

    result = fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}")

    assert result.status_code == 200
    assert result.headers["x-fal-request-id"] == ticket["request_id"]
    video = result.json()["video"]
    assert video["url"].startswith("https://v3b.fal.media/files/b/")
    assert video["url"].endswith("_video.mp4")
    assert (video["width"], video["height"], video["fps"], video["num_frames"]) == (320, 180, 25.0, 50)
    assert video["file_size"] == fal_http("GET", video["url"]).num_bytes_downloaded


def test_result_before_completion_is_a_400(fal_http: FalHttp, ltx2: str) -> None:
    ticket = submit(fal_http, ltx2)

    early = fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}")

    assert early.status_code == 400
    assert "in progress" in early.json()["detail"]


def test_unknown_request_id_is_a_fal_404(fal_http: FalHttp) -> None:
    answer = fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/not-a-request/status")

    assert answer.status_code == 404
    assert "not found" in answer.json()["detail"]


def test_cancel_before_completion_then_after(fal_http: FalHttp, ltx2: str) -> None:
    first, second = submit(fal_http, ltx2), submit(fal_http, ltx2)
    for _ in range(3):
        fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{second['request_id']}/status")

    cancelled = fal_http("PUT", f"{QUEUE}/fal-ai/ltx-2/requests/{first['request_id']}/cancel")
    too_late = fal_http("PUT", f"{QUEUE}/fal-ai/ltx-2/requests/{second['request_id']}/cancel")

    assert (cancelled.status_code, cancelled.json()) == (202, {"status": "CANCELLATION_REQUESTED"})
    assert (too_late.status_code, too_late.json()) == (400, {"status": "ALREADY_COMPLETED"})


def test_status_stream_sends_each_state_then_closes(fake_fal: FakeFal, fal_http: FalHttp, ltx2: str) -> None:
    ticket = submit(fal_http, ltx2)

    answer = fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{ticket['request_id']}/status/stream?logs=1")

    assert answer.headers["content-type"].startswith("text/event-stream")
    events = [
        json.loads(line[len("data: ") :]) for line in answer.text.split("\n\n") if line.startswith("data: ")
    ]
    assert [event["status"] for event in events] == ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]
    assert events[-1]["logs"]


@pytest.mark.parametrize(
    ("endpoint", "keys"),
    [
        ("fal-ai/ltxv-2/text-to-video/fast", {"video"}),
        ("fal-ai/ltx-video", {"seed", "video"}),
        ("fal-ai/kling-video/v2.5-turbo/pro/text-to-video", {"video"}),
        ("fal-ai/veo3/fast", {"video"}),
        ("fal-ai/minimax/video-01", {"video"}),
    ],
)
def test_output_schema_follows_the_model_family(
    fake_fal: FakeFal, fal_http: FalHttp, endpoint: str, keys: set[str]
) -> None:
    fake_fal.model(endpoint, clip="small")
    ticket = submit(fal_http, endpoint)
    job = fake_fal.job(ticket["request_id"])
    assert job is not None

    assert set(job.output) == keys
    assert job.output["video"]["content_type"] == "video/mp4"
    assert job.output["video"]["url"].startswith("https://")


def test_media_host_and_output_can_be_chosen_per_model(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model("fal-ai/veo3", clip="small", media_host="fal.media")
    fake_fal.model("fal-ai/kling-video", output={"video": None})

    veo = fake_fal.job(submit(fal_http, "fal-ai/veo3")["request_id"])
    kling = fake_fal.job(submit(fal_http, "fal-ai/kling-video/v2/master/text-to-video")["request_id"])

    assert veo is not None
    assert kling is not None
    assert veo.output["video"]["url"].startswith("https://fal.media/files/")
    assert kling.output == {"video": None}


def test_malformed_json_and_missing_prompt_are_fal_422s(fal_http: FalHttp, ltx2: str) -> None:
    garbled = fal_http(
        "POST", f"{QUEUE}/{ltx2}", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    no_prompt = fal_http("POST", f"{QUEUE}/{ltx2}", json={"duration": "6"})

    assert garbled.status_code == 422
    assert garbled.json()["detail"][0]["type"] == "json_invalid"
    assert no_prompt.status_code == 422
    assert no_prompt.json()["detail"][0]["loc"] == ["body", "prompt"]
