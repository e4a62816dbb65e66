"""fal-client (PyPI), unmodified, against the fake: pointed at it by environment variables alone."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest

from fake_fal import FakeFal, Fault

pytestmark = pytest.mark.conformance

LTX2 = "fal-ai/ltx-2/text-to-video/fast"


@pytest.fixture
def fal_client(fake_fal: FakeFal, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The fal_client package, imported with the fake's environment in force (function scope)."""
    for name, value in fake_fal.env.items():
        monkeypatch.setenv(name, value)
    import fal_client

    # fal-client reads FAL_RUN_HOST and FAL_QUEUE_RUN_HOST once, at import: re-import if they changed.
    wanted = f"https://{fake_fal.env['FAL_QUEUE_RUN_HOST']}/"
    if wanted != fal_client.client.QUEUE_URL_FORMAT:
        for name in ("fal_client.auth", "fal_client.client", "fal_client"):
            importlib.reload(sys.modules[name])
    return fal_client


def test_subscribe_returns_the_output(fake_fal: FakeFal, fal_client: ModuleType) -> None:
    fake_fal.model(LTX2, clip="small", polls_in_queue=2, polls_in_progress=2)
    updates: list[object] = []

    result = fal_client.SyncClient().subscribe(
        LTX2, arguments={"prompt": "a cat"}, with_logs=True, on_queue_update=updates.append
    )

    assert result["video"]["url"].startswith("https://v3b.fal.media/files/b/")
    assert result["video"]["width"] == 320
    assert {type(update).__name__ for update in updates} >= {"Queued", "InProgress"}
    assert fake_fal.log.find(step="status")[0].query == {"logs": "true"}
    assert fake_fal.log.count(step="result") == 1


def test_submit_status_result(fake_fal: FakeFal, fal_client: ModuleType) -> None:
    fake_fal.model(LTX2, clip="small")
    client = fal_client.SyncClient()

    handle = client.submit(LTX2, arguments={"prompt": "a cat"})
    first = client.status(LTX2, handle.request_id, with_logs=True)
    while not isinstance(handle.status(), fal_client.Completed):
        pass
    result = client.result(LTX2, handle.request_id)

    assert isinstance(first, fal_client.Queued)
    assert first.position == 0
    job = fake_fal.job(handle.request_id)
    assert job is not None, "the submit should have made a job"
    assert result == job.output


def test_run_is_one_post_to_fal_run(fake_fal: FakeFal, fal_client: ModuleType) -> None:
    fake_fal.model(LTX2, clip="small")

    result = fal_client.SyncClient().run(LTX2, arguments={"prompt": "a cat"})

    assert "video" in result
    assert [(entry.host, entry.method) for entry in fake_fal.log] == [("fal.run", "POST")]


@pytest.mark.parametrize(
    ("fault", "status", "error_type"),
    [
        (Fault(status=401, step="submit"), 401, None),
        (Fault(status=422, step="result"), 422, None),
        (Fault(status=500, step="result"), 500, "internal_error"),
    ],
    ids=["401-at-submit", "422-at-result", "500-at-result"],
)
def test_faults_raise_fal_client_http_error(
    fake_fal: FakeFal, fal_client: ModuleType, fault: Fault, status: int, error_type: str | None
) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.fault(fault)

    with pytest.raises(fal_client.FalClientHTTPError) as raised:
        fal_client.SyncClient().subscribe(LTX2, arguments={"prompt": "a cat"})

    assert raised.value.status_code == status
    assert raised.value.error_type == error_type


def test_required_key_turns_a_wrong_key_into_401(
    fake_fal: FakeFal, fal_client: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_fal.require_key("right-id:right-secret")
    monkeypatch.setenv("FAL_KEY", "wrong-id:wrong-secret")

    with pytest.raises(fal_client.FalClientHTTPError) as raised:
        fal_client.SyncClient().submit(LTX2, arguments={"prompt": "a cat"})

    assert raised.value.status_code == 401
    assert str(raised.value) == "No user found for Key ID and Secret"


def test_upload_through_token_and_cdn(
    fake_fal: FakeFal, fal_client: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fal-client has no environment variable for its REST and CDN hosts; its module constants are the way.
    monkeypatch.setattr(fal_client.client, "REST_URL", fake_fal.local_base("rest.fal.ai"))
    monkeypatch.setattr(fal_client.client, "CDN_URL", fake_fal.local_base("v3.fal.media"))

    url = fal_client.SyncClient().upload(b"\x89PNG fake", "image/png", file_name="frame.png")

    assert url.startswith("https://v3.fal.media/files/")
    assert [entry.step for entry in fake_fal.log] == ["token", "upload"]
    upload = fake_fal.log.last(step="upload")
    assert upload is not None, "the client should have uploaded"
    assert upload.header("X-Fal-File-Name") == "frame.png"
