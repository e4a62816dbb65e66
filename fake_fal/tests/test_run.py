"""fal.run: the synchronous run, a held run released by the test, and the original app's old queue path."""

from __future__ import annotations

from fake_fal import FakeFal

from .conftest import Background, FalHttp

LTXV2 = "fal-ai/ltxv-2/text-to-video/fast"
RUN = "https://fal.run"


def test_sync_run_answers_the_output_with_the_request_id(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(LTXV2, clip="small")

    answer = fal_http(
        "POST", f"{RUN}/{LTXV2}", json={"prompt": "a cat", "duration": 6, "resolution": "1080p"}
    )

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["video"]["url"].startswith("https://v3b.fal.media/files/b/")
    assert answer.headers["x-fal-request-id"] == fake_fal.jobs(LTXV2)[0].request_id


def test_held_run_answers_only_after_release(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(LTXV2, clip="small", hold=True)
    client = Background(lambda: fal_http("POST", f"{RUN}/{LTXV2}", json={"prompt": "x"}))

    fake_fal.wait_for_held(LTXV2)
    assert client.answers == [], "a held run must not answer before release()"
    assert fake_fal.release(LTXV2) == 1

    assert [answer.status_code for answer in client.join()] == [200]


def test_held_run_is_ended_by_clear(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(LTXV2, clip="small", hold=True)
    client = Background(lambda: fal_http("POST", f"{RUN}/{LTXV2}", json={"prompt": "x"}))
    fake_fal.wait_for_held(LTXV2)

    fake_fal.clear()

    assert [answer.status_code for answer in client.join()] == [504]


def test_queue_header_on_fal_run_gives_the_old_queue_path(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(LTXV2, clip="small")

    ticket = fal_http("POST", f"{RUN}/{LTXV2}", json={"prompt": "x"}, headers={"X-Fal-Queue": "true"}).json()
    statuses = [
        fal_http("GET", f"{RUN}/queue/requests/{ticket['request_id']}/status").json() for _ in range(3)
    ]
    result = fal_http("GET", f"{RUN}/queue/requests/{ticket['request_id']}")

    assert ticket["status"] == "IN_QUEUE"
    assert ticket["status_url"].endswith(f"/queue/requests/{ticket['request_id']}/status")
    assert [status["status"] for status in statuses] == ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]
    assert result.json()["video"]["url"].startswith("https://v3b.fal.media/")


def test_queue_header_can_be_ignored_like_direct_mode(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model(LTXV2, clip="small", queue_header=False)

    answer = fal_http("POST", f"{RUN}/{LTXV2}", json={"prompt": "x"}, headers={"X-Fal-Queue": "true"})

    assert "video" in answer.json()
