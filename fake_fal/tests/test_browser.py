"""A real Chromium over HTTPS on the FAL hostnames: a queue job from a page, MP4 playback, and CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from fake_fal import FakeFal

pytestmark = pytest.mark.browser

LTX2 = "fal-ai/ltx-2/text-to-video/fast"
PAGE_URL = "https://fal.media/__test__/page.html"
# An empty icon, so Chromium does not ask the fake for /favicon.ico.
PAGE = '<!doctype html><link rel="icon" href="data:,"><title>fake_fal test page</title><body></body>'

# What the original app does by hand: submit, poll the status URL, fetch the result (plain fetch with a key).
RUN_QUEUE_JOB = """async (endpoint) => {
  const headers = {Authorization: "Key fake-key-id:fake-key-secret", "Content-Type": "application/json"};
  const submitted = await fetch(`https://queue.fal.run/${endpoint}`,
    {method: "POST", headers, body: JSON.stringify({prompt: "a cat surfing"})});
  const ticket = await submitted.json();
  let status = ticket;
  while (status.status !== "COMPLETED") {
    status = await (await fetch(`${ticket.status_url}?logs=1`, {headers})).json();
  }
  const result = await fetch(ticket.response_url, {headers});
  return {output: await result.json(), requestId: result.headers.get("x-fal-request-id")};
}"""

PLAY = """(url) => {
  const video = document.createElement("video");
  video.muted = true;
  video.preload = "auto";
  video.src = url;
  document.body.append(video);
}"""

# A function, not an expression: Playwright evaluates expressions with eval(), which a strict CSP forbids.
FIRST_FRAME_DECODED = "() => document.querySelector('video')?.readyState >= 2"


@pytest.mark.parametrize("media_host", ["fal.media", "v3.fal.media", "v3b.fal.media"])
def test_page_runs_a_queue_job_and_plays_its_video(page: Page, fake_fal: FakeFal, media_host: str) -> None:
    fake_fal.model(LTX2, clip="small", media_host=media_host)
    fake_fal.serve(PAGE_URL, PAGE)
    page.goto(PAGE_URL)

    outcome = page.evaluate(RUN_QUEUE_JOB, LTX2)
    video_url = outcome["output"]["video"]["url"]
    page.evaluate(PLAY, video_url)
    page.wait_for_function(FIRST_FRAME_DECODED)

    assert outcome["requestId"] == fake_fal.jobs(LTX2)[0].request_id, "x-fal-request-id must be readable"
    assert video_url.startswith(f"https://{media_host}/files/")
    assert page.evaluate("document.querySelector('video').videoWidth") == 320
    assert fake_fal.log.count(host="queue.fal.run", method="OPTIONS") >= 1, "the submit is preflighted"
    assert fake_fal.log.ranges(host=media_host)[0] == "bytes=0-"


def test_a_csp_without_the_media_host_blocks_it_with_a_real_violation(page: Page, fake_fal: FakeFal) -> None:
    allowed = fake_fal.add_media("v3.fal.media", clip="small")
    blocked = fake_fal.add_media("v3b.fal.media", clip="small")
    csp = "default-src 'self'; media-src 'self' https://fal.media https://v3.fal.media"
    fake_fal.serve(PAGE_URL, PAGE, headers={"Content-Security-Policy": csp})
    page.goto(PAGE_URL)

    violation = page.evaluate(
        """(url) => new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation",
            (e) => resolve({blockedURI: e.blockedURI, directive: e.effectiveDirective}), {once: true});
          const video = document.createElement("video");
          video.src = url;
          document.body.append(video);
        })""",
        blocked,
    )
    page.evaluate("document.querySelector('video').remove()")
    page.evaluate(PLAY, allowed)
    page.wait_for_function(FIRST_FRAME_DECODED)

    assert violation == {"blockedURI": blocked, "directive": "media-src"}
    assert fake_fal.log.count(host="v3b.fal.media") == 0, "a blocked load never reaches the CDN"
    assert fake_fal.log.ranges(host="v3.fal.media"), "the allowed host still plays"


# A synchronous run on fal.run, and the JS client's upload: initiate on a REST host, PUT, read back.
RUN_AND_UPLOAD = """async ([endpoint, rest]) => {
  const headers = {Authorization: "Key fake-key-id:fake-key-secret", "Content-Type": "application/json"};
  const run = await fetch(`https://fal.run/${endpoint}`,
    {method: "POST", headers, body: JSON.stringify({prompt: "a cat surfing"})});
  const file = {content_type: "text/plain", file_name: "note.txt"};
  const started = await (await fetch(`https://${rest}/storage/upload/initiate?storage_type=fal-cdn-v3`,
    {method: "POST", headers, body: JSON.stringify(file)})).json();
  const put = await fetch(started.upload_url,
    {method: "PUT", headers: {"Content-Type": "text/plain"}, body: "hello from the page"});
  const back = await fetch(started.file_url);
  return {run: run.status, requestId: run.headers.get("x-fal-request-id"), put: put.status,
          fileUrl: started.file_url, back: await back.text()};
}"""


@pytest.mark.parametrize("rest", ["rest.fal.ai", "rest.alpha.fal.ai"])
def test_page_runs_on_fal_run_and_uploads_through_rest(page: Page, fake_fal: FakeFal, rest: str) -> None:
    fake_fal.model(LTX2, clip="small")
    fake_fal.serve(PAGE_URL, PAGE)
    page.goto(PAGE_URL)

    outcome = page.evaluate(RUN_AND_UPLOAD, [LTX2, rest])

    assert outcome["run"] == 200
    assert outcome["requestId"] == fake_fal.jobs(LTX2)[0].request_id
    assert outcome["put"] == 200
    assert outcome["fileUrl"].startswith("https://v3b.fal.media/files/b/")
    assert outcome["back"] == "hello from the page"
    preflighted = {entry.host for entry in fake_fal.log.find(method="OPTIONS")}
    assert {"fal.run", rest, "v3b.fal.media"} <= preflighted, "each cross-origin call is preflighted"
