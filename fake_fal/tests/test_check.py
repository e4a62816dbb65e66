"""Unexpected traffic fails the test that made it; bad requests get FAL-shaped answers, never a crash."""

from __future__ import annotations

import re

import pytest

from fake_fal import FakeFal
from fake_fal.tls import Certificates

from .conftest import FalHttp


def test_a_path_nothing_expects_is_named_by_check(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    answer = fal_http("GET", "https://rest.fal.ai/nothing/here")
    stray_file = fal_http("GET", "https://v3b.fal.media/files/b/00000000/never-generated.mp4")

    with pytest.raises(AssertionError) as failed:
        fake_fal.check()

    assert (answer.status_code, answer.json()) == (404, {"detail": "Not Found"})
    assert stray_file.status_code == 404
    assert "GET rest.fal.ai /nothing/here" in str(failed.value)
    assert "GET v3b.fal.media /files/b/00000000/never-generated.mp4" in str(failed.value)
    fake_fal.check()  # reported once, then forgotten


def test_a_handler_that_raises_is_named_by_check(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model("fal-ai/broken", clip="missing-clip-name")

    answer = fal_http("POST", "https://queue.fal.run/fal-ai/broken", json={"prompt": "x"})

    assert answer.status_code == 500
    assert "detail" in answer.json()
    with pytest.raises(AssertionError, match=r"POST queue.fal.run /fal-ai/broken \(handler raised KeyError"):
        fake_fal.check()


def test_required_key(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model("fal-ai/veo3", clip="small")
    fake_fal.require_key("id:secret")

    missing = fal_http("POST", "https://queue.fal.run/fal-ai/veo3", json={"prompt": "x"})
    wrong = fal_http(
        "POST",
        "https://queue.fal.run/fal-ai/veo3",
        json={"prompt": "x"},
        headers={"Authorization": "Key a:b"},
    )
    right = fal_http(
        "POST",
        "https://queue.fal.run/fal-ai/veo3",
        json={"prompt": "x"},
        headers={"Authorization": "Key id:secret"},
    )

    assert missing.status_code == 401
    assert "Invalid Key Authorization header format" in missing.json()["detail"]
    assert (wrong.status_code, wrong.json()) == (401, {"detail": "No user found for Key ID and Secret"})
    assert right.status_code == 200


def test_required_key_defaults_to_the_one_env_announces(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    fake_fal.model("fal-ai/veo3", clip="small")
    fake_fal.require_key()

    keyed = fal_http(
        "POST",
        "https://queue.fal.run/fal-ai/veo3",
        json={"prompt": "x"},
        headers={"Authorization": f"Key {fake_fal.env['FAL_KEY']}"},
    )
    fake_fal.require_key("id:secret")

    assert keyed.status_code == 200
    assert fake_fal.env["FAL_KEY"] == "id:secret", "env names the key the fake requires"


@pytest.mark.parametrize("key", ["secret-only", "id:", ":secret", "id: secret"])
def test_a_key_no_client_could_send_is_refused(fake_fal: FakeFal, key: str) -> None:
    with pytest.raises(ValueError, match=f"a FAL key looks like <key_id>:<key_secret>, not '{key}'"):
        fake_fal.require_key(key)


def test_stop_removes_the_ca_file_it_wrote_but_not_certificates_it_was_given() -> None:
    given = Certificates(FakeFal.HOSTS)
    with FakeFal.start() as own, FakeFal.start(given) as borrowing:
        own_ca, given_ca = own.ca_cert, borrowing.ca_cert
        assert own_ca.is_file()

    assert not own_ca.parent.exists()
    assert given_ca.is_file(), "certificates passed in belong to the caller"
    given.cleanup()
    assert not given_ca.parent.exists()


def test_log_helpers_and_wait(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    url = fake_fal.add_media(clip="small")
    fal_http("GET", url, headers={"Range": "bytes=0-"})
    fal_http("HEAD", url)

    entry = fake_fal.wait_for_request(host="v3b.fal.media", method="HEAD")

    assert entry.status == 200
    assert fake_fal.log.count(host="v3b.fal.media") == 2
    assert fake_fal.log.find(path=re.compile(r"_video\.mp4$"), method="GET")[0].query == {}
    assert fake_fal.log.ranges() == ["bytes=0-"]
    with pytest.raises(AssertionError, match="no 1 request"):
        fake_fal.wait_for_request(host="fal.run", timeout=0.1)


def test_clear_forgets_everything(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    url = fake_fal.add_media(clip="small")
    fake_fal.require_key("id:secret")
    fake_fal.timing = "clock"

    fake_fal.clear()
    gone = fal_http("GET", url)

    assert fake_fal.timing == "polls"
    assert gone.status_code == 404
    assert len(fake_fal.log) == 1
    with pytest.raises(AssertionError):
        fake_fal.check()
