"""Uploads through rest.fal.ai and the CDN, and the CDN serving files with Range like the real one."""

from __future__ import annotations

import pytest

from fake_fal import FakeFal

from .conftest import FalHttp

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.mark.parametrize("rest", ["rest.fal.ai", "rest.alpha.fal.ai"])
def test_js_upload_initiate_then_put_then_the_cdn_serves_it(fal_http: FalHttp, rest: str) -> None:
    started = fal_http(
        "POST",
        f"https://{rest}/storage/upload/initiate?storage_type=fal-cdn-v3",
        json={"content_type": "image/png", "file_name": "frame.png"},
    ).json()

    put = fal_http("PUT", started["upload_url"], content=PNG, headers={"Content-Type": "image/png"})
    served = fal_http("GET", started["file_url"])

    assert started["file_url"].startswith("https://v3b.fal.media/files/b/")
    assert started["file_url"].endswith("_frame.png")
    assert put.status_code == 200
    assert (served.status_code, served.headers["content-type"], served.content) == (200, "image/png", PNG)


def test_an_upload_url_works_once(fal_http: FalHttp) -> None:
    started = fal_http(
        "POST",
        "https://rest.fal.ai/storage/upload/initiate",
        json={"content_type": "image/png", "file_name": "a.png"},
    ).json()
    fal_http("PUT", started["upload_url"], content=PNG)

    again = fal_http("PUT", started["upload_url"], content=PNG)

    assert again.status_code == 403


def test_initiate_without_a_file_name_is_a_422(fal_http: FalHttp) -> None:
    answer = fal_http(
        "POST", "https://rest.fal.ai/storage/upload/initiate", json={"content_type": "image/png"}
    )

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "file_name"]


def test_python_upload_token_then_cdn_upload(fal_http: FalHttp) -> None:
    token = fal_http("POST", "https://rest.fal.ai/storage/auth/token?storage_type=fal-cdn-v3", json={}).json()

    uploaded = fal_http(
        "POST",
        "https://v3.fal.media/files/upload",
        content=PNG,
        headers={
            "Authorization": f"{token['token_type']} {token['token']}",
            "Content-Type": "image/png",
            "X-Fal-File-Name": "frame.png",
        },
    ).json()

    assert set(token) == {"token", "token_type", "base_url", "expires_at"}
    assert uploaded["access_url"].startswith("https://v3.fal.media/files/")
    assert fal_http("GET", uploaded["access_url"]).content == PNG


def test_cdn_upload_without_a_token_is_a_401(fal_http: FalHttp) -> None:
    answer = fal_http("POST", "https://v3.fal.media/files/upload", content=PNG)

    assert answer.status_code == 401


@pytest.mark.parametrize("host", ["fal.media", "v3.fal.media", "v3b.fal.media"])
def test_cdn_serves_ranges_and_head(fake_fal: FakeFal, fal_http: FalHttp, host: str) -> None:
    url = fake_fal.add_media(host, clip="small")
    size = fal_http("HEAD", url).headers["content-length"]

    first = fal_http("GET", url, headers={"Range": "bytes=0-99"})
    rest = fal_http("GET", url, headers={"Range": "bytes=100-"})

    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    assert first.headers["content-type"] == "video/mp4"
    assert len(first.content) + len(rest.content) == int(size)
    assert first.content[4:8] == b"ftyp"
    assert "cross-origin-resource-policy" not in first.headers, "the real CDN sends no CORP header"
    assert fake_fal.log.ranges(host=host) == ["bytes=0-99", "bytes=100-"]


def test_every_answer_allows_cross_origin_reads(fake_fal: FakeFal, fal_http: FalHttp) -> None:
    url = fake_fal.add_media(clip="small")

    preflight = fal_http(
        "OPTIONS",
        "https://queue.fal.run/fal-ai/ltx-2/text-to-video/fast",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-fal-queue-priority",
        },
    )
    media = fal_http("GET", url, headers={"Origin": "https://app.example"})

    assert preflight.status_code == 204
    assert (
        preflight.headers["access-control-allow-headers"] == "authorization,content-type,x-fal-queue-priority"
    )
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert media.headers["access-control-allow-origin"] == "*"
    assert "x-fal-request-id" in media.headers["access-control-expose-headers"]
    assert all("strict-transport-security" not in entry.headers for entry in (preflight, media))


@pytest.mark.parametrize("in_memory", [False, True], ids=["clip-on-disk", "served-bytes"])
def test_a_range_past_the_end_is_416_with_the_files_size(
    fake_fal: FakeFal, fal_http: FalHttp, in_memory: bool
) -> None:
    if in_memory:
        url = fake_fal.serve("https://v3b.fal.media/files/b/0/page.bin", PNG, content_type="image/png")
    else:
        url = fake_fal.add_media(clip="small")
    size = int(fal_http("HEAD", url).headers["content-length"])

    answer = fal_http("GET", url, headers={"Range": f"bytes={size}-"})

    assert answer.status_code == 416
    assert answer.headers["content-range"] == f"bytes */{size}"
    assert answer.json() == {"detail": "Requested Range Not Satisfiable"}
    assert answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("asked", ["bytes=abc", "bytes=5-2", "bytes=-0", "items=0-9", "bytes=0-0,5-6"])
def test_a_range_the_cdn_cannot_use_is_ignored_and_the_whole_file_sent(
    fake_fal: FakeFal, fal_http: FalHttp, asked: str
) -> None:
    url = fake_fal.add_media(clip="small")
    whole = fal_http("GET", url)

    answer = fal_http("GET", url, headers={"Range": asked})

    assert answer.status_code == 200
    assert "content-range" not in answer.headers
    assert answer.content == whole.content
    assert fake_fal.log.ranges() == [asked]
