"""Faults on demand: each kind, aimed at a step, a model, a host or the next N requests."""

from __future__ import annotations

import httpx
import pytest

from fake_fal import FakeFal, Fault

from .conftest import Background, FalHttp

LTX2 = "fal-ai/ltx-2/text-to-video/fast"
QUEUE = "https://queue.fal.run"


def complete(fal_http: FalHttp, endpoint: str = LTX2) -> str:
    """Submit and poll to COMPLETED; return the request id."""
    request_id: str = fal_http("POST", f"{QUEUE}/{endpoint}", json={"prompt": "x"}).json()["request_id"]
    app = "/".join(endpoint.split("/")[:2])
    while fal_http("GET", f"{QUEUE}/{app}/requests/{request_id}/status").json()["status"] != "COMPLETED":
        pass
    return request_id


@pytest.mark.parametrize(
    ("status", "detail"),
    [
        (401, "No user found for Key ID and Secret"),
        (403, "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing."),
        (429, "Too many requests: concurrency limit reached."),
    ],
)
def test_status_fault_at_submit_answers_fals_body(
    fal_http: FalHttp, fake_fal: FakeFal, status: int, detail: str
) -> None:
    fake_fal.fault(Fault(status=status, step="submit"))

    answer = fal_http("POST", f"{QUEUE}/{LTX2}", json={"prompt": "x"})

    assert (answer.status_code, answer.json()) == (status, {"detail": detail})
    assert answer.headers["content-type"] == "application/json"


def test_500_carries_error_type_in_body_and_header(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    fake_fal.fault(Fault(status=500, step="submit"))

    answer = fal_http("POST", f"{QUEUE}/{LTX2}", json={"prompt": "x"})

    assert answer.json() == {"detail": "Internal error", "error_type": "internal_error"}
    assert answer.headers["x-fal-error-type"] == "internal_error"


def test_422_at_result_after_completed(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.fault(Fault(status=422, step="result", endpoint="fal-ai/ltx-2"))

    request_id = complete(fal_http)
    result = fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{request_id}")

    assert result.status_code == 422
    assert result.json()["detail"][0]["type"] == "content_policy_violation"
    assert result.headers["x-fal-request-id"] == request_id


def test_fault_aimed_at_one_model_spares_others(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    fake_fal.model("fal-ai/veo3", clip="small")
    fake_fal.fault(Fault(status=500, endpoint="fal-ai/kling-video"))

    spared = fal_http("POST", f"{QUEUE}/fal-ai/veo3", json={"prompt": "x"})
    hit = fal_http("POST", f"{QUEUE}/fal-ai/kling-video/v2/master/text-to-video", json={"prompt": "x"})

    assert (spared.status_code, hit.status_code) == (200, 500)


def test_times_limits_a_fault_to_the_next_n_requests(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.fault(Fault(status=429, step="submit", times=2))

    codes = [fal_http("POST", f"{QUEUE}/{LTX2}", json={"prompt": "x"}).status_code for _ in range(3)]

    assert codes == [429, 429, 200]


def test_never_completes_keeps_a_job_in_progress(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.fault(Fault(kind="never_completes", endpoint=LTX2))
    request_id = fal_http("POST", f"{QUEUE}/{LTX2}", json={"prompt": "x"}).json()["request_id"]

    statuses = {
        fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{request_id}/status").json()["status"]
        for _ in range(20)
    }
    fake_fal.release()

    assert statuses == {"IN_QUEUE", "IN_PROGRESS"}
    assert (
        fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{request_id}/status").json()["status"]
        == "IN_PROGRESS"
    )


def test_latency_holds_the_answer_until_the_clock_moves(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.fault(Fault(kind="latency", seconds=30, step="submit"))
    client = Background(lambda: fal_http("POST", f"{QUEUE}/{LTX2}", json={"prompt": "x"}))
    fake_fal.wait_for_request(step="submit")

    assert client.answers == []
    fake_fal.clock.advance(30)

    assert [answer.status_code for answer in client.join()] == [200]


@pytest.mark.parametrize("status", [403, 404])
def test_cdn_status_faults(fal_http: FalHttp, fake_fal: FakeFal, status: int) -> None:
    url = fake_fal.add_media("v3b.fal.media", clip="small")
    fake_fal.fault(Fault(status=status, step="media"))

    answer = fal_http("GET", url)

    assert answer.status_code == status
    assert answer.json() == {"detail": "Forbidden" if status == 403 else "Not Found"}


def test_truncated_media_ends_early(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    url = fake_fal.add_media(clip="small")
    fake_fal.fault(Fault(kind="truncated", step="media"))

    with pytest.raises(httpx.RemoteProtocolError):
        fal_http("GET", url)


def test_truncated_json_result_cannot_be_parsed(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.fault(Fault(kind="truncated", step="result"))
    request_id = complete(fal_http)

    with pytest.raises(httpx.RemoteProtocolError):
        fal_http("GET", f"{QUEUE}/fal-ai/ltx-2/requests/{request_id}")


def test_wrong_content_type_corrupt_and_empty_media(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    wrong = fake_fal.add_media("fal.media", clip="small")
    corrupt = fake_fal.add_media("v3.fal.media", clip="small")
    empty = fake_fal.add_media("v3b.fal.media", clip="small")
    good = fal_http("GET", corrupt).content
    fake_fal.fault(Fault(kind="wrong_content_type", content_type="text/html", host="fal.media"))
    fake_fal.fault(Fault(kind="corrupt_mp4", host="v3.fal.media"))
    fake_fal.fault(Fault(kind="empty_file", host="v3b.fal.media"))

    served_wrong, served_corrupt, served_empty = (fal_http("GET", url) for url in (wrong, corrupt, empty))

    assert served_wrong.headers["content-type"] == "text/html"
    assert len(served_corrupt.content) == len(good)
    assert b"ftyp" not in served_corrupt.content[:64]
    assert (served_empty.status_code, served_empty.content) == (200, b"")


def test_no_cors_strips_headers_from_preflight_and_answer(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    url = fake_fal.add_media(clip="small")
    fake_fal.fault(Fault(kind="no_cors", host="v3b.fal.media"))

    preflight = fal_http(
        "OPTIONS", url, headers={"Access-Control-Request-Method": "GET", "Origin": "https://a"}
    )
    media = fal_http("GET", url, headers={"Origin": "https://a"})

    assert not [name for name in (*preflight.headers, *media.headers) if name.startswith("access-control-")]


def test_corp_header_only_when_asked_for(fal_http: FalHttp, fake_fal: FakeFal) -> None:
    url = fake_fal.add_media(clip="small")
    fake_fal.fault(Fault(kind="corp", step="media", times=1))

    first, second = fal_http("GET", url), fal_http("GET", url)

    assert first.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "cross-origin-resource-policy" not in second.headers


def test_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault(kind="explode")  # type: ignore[arg-type]
