"""Job timing by clock: a test moves time with `clock.advance`; realistic mode follows real time."""

from __future__ import annotations

from typing import Any

from fake_fal import FakeFal

from .conftest import Background, FalHttp

VEO = "fal-ai/veo3/fast"


def status_of(fal_http: FalHttp, request_id: str) -> dict[str, Any]:
    status: dict[str, Any] = fal_http(
        "GET", f"https://queue.fal.run/fal-ai/veo3/requests/{request_id}/status"
    ).json()
    return status


def test_clock_timing_moves_only_with_the_clock(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.timing = "clock"
    fake_fal.model(VEO, clip="small", queue_seconds=4, inference_time=60)
    request_id = fal_http("POST", f"https://queue.fal.run/{VEO}", json={"prompt": "x"}).json()["request_id"]

    seen = []
    for step in (0, 0, 2, 2, 30, 29, 1):
        fake_fal.clock.advance(step)
        status = status_of(fal_http, request_id)
        seen.append((status["status"], status.get("queue_position")))

    assert seen == [
        ("IN_QUEUE", 2),
        ("IN_QUEUE", 2),
        ("IN_QUEUE", 1),
        ("IN_PROGRESS", None),
        ("IN_PROGRESS", None),
        ("IN_PROGRESS", None),
        ("COMPLETED", None),
    ]
    assert status_of(fal_http, request_id)["metrics"] == {"inference_time": 60}


def test_clock_timing_sync_run_answers_when_the_clock_gets_there(
    fake_fal: FakeFal, fal_http: FalHttp
) -> None:
    fake_fal.timing = "clock"
    fake_fal.model(VEO, clip="small", queue_seconds=0, inference_time=45)
    client = Background(lambda: fal_http("POST", f"https://fal.run/{VEO}", json={"prompt": "x"}))
    fake_fal.wait_for_job(VEO)

    fake_fal.clock.advance(44)
    assert client.answers == []
    fake_fal.clock.advance(1)

    assert [answer.status_code for answer in client.join()] == [200]


def test_held_job_stays_in_progress_until_released(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(VEO, clip="small", hold=True)
    request_id = fal_http("POST", f"https://queue.fal.run/{VEO}", json={"prompt": "x"}).json()["request_id"]

    held = [status_of(fal_http, request_id)["status"] for _ in range(10)]
    fake_fal.release()

    assert held[1:] == ["IN_PROGRESS"] * 9
    assert status_of(fal_http, request_id)["status"] == "COMPLETED"


def test_held_job_streams_then_completes_on_release(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(VEO, clip="small", hold=True)
    request_id = fal_http("POST", f"https://queue.fal.run/{VEO}", json={"prompt": "x"}).json()["request_id"]
    client = Background(
        lambda: fal_http("GET", f"https://queue.fal.run/fal-ai/veo3/requests/{request_id}/status/stream")
    )
    fake_fal.wait_for_request(step="stream")

    fake_fal.release(VEO)

    [streamed] = client.join()
    assert streamed.text.count("data: ") == 3
    assert '"COMPLETED"' in streamed.text


def test_realistic_timing_takes_tens_of_seconds_and_counts_the_queue_down(
    fake_fal: FakeFal, fal_http: FalHttp
) -> None:
    fake_fal.timing = "realistic"
    request_id = fal_http("POST", f"https://queue.fal.run/{VEO}", json={"prompt": "x"}).json()["request_id"]

    first = status_of(fal_http, request_id)
    fake_fal.clock.advance(2)  # even real time can be hurried along
    second = status_of(fal_http, request_id)
    fake_fal.clock.advance(10)
    running = status_of(fal_http, request_id)

    assert first["status"] == "IN_QUEUE"
    assert first["queue_position"] > second["queue_position"]
    assert running["status"] == "IN_PROGRESS"
    assert fake_fal.jobs()[0].inference_time >= 20
