"""Flow: each model's way from prompt to a listed video, with its progress, and each way FAL or the CDN can
break it (API errors, a 422 after COMPLETED, bad downloads): a clear message, and the library as it was."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e.journeys.fal_rules import STATUS_CHECKS_BEFORE_GIVING_UP, TOLERATED_STATUS_5XX
from e2e.pages import QCutApp
from e2e.pages.ai_panel import ENDPOINTS, FAL_MESSAGES, QUEUED_MODEL, SYNC_MODEL, button_text, generated_name
from e2e.pages.interface import AppPages
from fake_fal.faults import Fault
from fake_fal.faults import Step as FalStep
from fake_fal.models import clip_info
from fake_fal.server import FakeFal
from fixtures.media import sound_only_path

pytestmark = [pytest.mark.flow, pytest.mark.browser]
# What the reference app shows of a run (its state, progress and own messages) and QCut's DOM does not.
GENERATION_STATES = pytest.mark.needs("generation-states")

EARLIER = "A red fox runs through fresh snow at dawn, slow motion"
PROMPT = "A lighthouse in a storm at night, waves crashing"
SYNC = ENDPOINTS[SYNC_MODEL]
# The longest prompt the reference app takes, for every model (QCut's limit for Sora 2; its others take 500).
PROMPT_LIMIT = 5_000
QUEUED = ENDPOINTS[QUEUED_MODEL]
# The app's progress line in the console, as the original's `[AI View] Progress: 10% - Submitting ...`.
PROGRESS_LOG = "[AI View] Progress:"


# A queued job's steps on FAL's queue host, and on fal.run's older queue path (`X-Fal-Queue`), which 2025
# QCut builds take: a fault armed at both reaches the job on either, and its answers are read from both.
QUEUE_STEPS: dict[FalStep, tuple[FalStep, ...]] = {
    "submit": ("submit", "run"),
    "status": ("status", "legacy_status"),
    "result": ("result", "legacy_result"),
}


def fault_queued_job(fal: FakeFal, step: FalStep, status: int, times: int | None = None, **more: Any) -> None:
    """Arm FAL's answer `status` at this step of a queued job, on whichever path the app takes."""
    for form in QUEUE_STEPS[step]:
        fal.fault(Fault(status=status, step=form, times=times, **more))


def queue_answers(fal: FakeFal, step: FalStep) -> list[int | None]:
    """FAL's answers at this step of queued jobs so far, in order, on either path."""
    return [entry.status for entry in fal.log.find() if entry.step in QUEUE_STEPS[step]]


def generate_earlier_video(qcut: AppPages, model: str = SYNC_MODEL) -> str:
    """Open a project and generate one video that a later failure must leave alone; return its name."""
    qcut.open_new_project()
    name = qcut.ai.generate(EARLIER, model)
    qcut.ai.expect_done()
    return name


def expect_library_intact(qcut: AppPages, earlier: str, failed: str) -> None:
    """The earlier video is still listed and nothing of the failed run was added."""
    qcut.media.show()
    qcut.media.expect_item_listed(
        earlier, "the video generated earlier should stay listed after a failed run"
    )
    qcut.media.expect_item_absent(failed, "a failed generation should add nothing to the library")
    qcut.media.expect_count(1, "the library should hold just the earlier video: nothing half-added")


# --- each model, with its progress -------------------------------------------------------------------


def test_sync_model_shows_submitting_until_fal_run_answers_then_lists_the_video(
    qcut: AppPages, fal: FakeFal
) -> None:
    fal.model(SYNC, clip="small", hold=True)
    # The CDN answers only when the fake's clock moves, so the download can be seen in progress.
    fal.fault(Fault(kind="latency", step="media", seconds=1))
    qcut.open_new_project()

    name = qcut.ai.start_generation(PROMPT, SYNC_MODEL)
    qcut.ai.expect_submitting(SYNC_MODEL)
    qcut.ai.expect_running()
    job = fal.wait_for_held(SYNC)
    assert job.arguments["prompt"] == PROMPT, f"fal.run should get the prompt as typed: {job.arguments}"

    fal.release()
    qcut.ai.expect_downloading()
    # The app shows the state before its GET reaches the fake; latency counts from the GET's arrival.
    fal.wait_for_request(step="media", method="GET")
    fal.clock.advance(1)
    qcut.ai.expect_done()
    qcut.ai.expect_ready()
    qcut.ai.expect_result_listed(SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, f"the video from {SYNC_MODEL} should be listed")
    calls = [str(entry) for entry in fal.log.find(step="run")]
    assert len(calls) == 1, f"{SYNC_MODEL} should make one synchronous fal.run call, made {calls}"
    assert not fal.log.find(host="queue.fal.run"), f"{SYNC_MODEL} should not use the queue"


@pytest.mark.reference_only("reads the AI panel's idle hints, which the QCut page objects do not drive")
def test_the_generate_button_and_the_hints_say_what_a_click_would_do(qcut: QCutApp) -> None:
    ai = qcut.ai
    qcut.open_new_project()
    ai.show()
    ai.expect_button("Generate Video", enabled=False)
    expect(ai.prompt_hint, "with no model chosen, the missing prompt is not the point yet").to_be_hidden()

    ai.model(SYNC_MODEL).check()
    ai.expect_button(button_text(1), enabled=False)
    expect(ai.prompt_hint, "a model chosen and no prompt: the hint should ask for one").to_be_visible()
    ai.prompt.fill("   ")
    ai.expect_button(button_text(1), enabled=False)
    expect(ai.prompt_hint, "a prompt of spaces is no prompt: the hint should stay").to_be_visible()

    for model, how in ((SYNC_MODEL, "direct"), (QUEUED_MODEL, "queue")):
        label = ai.panel.locator("label").filter(has=ai.page.get_by_label(f"Select {model}", exact=True))
        expect(
            label, f"{model} should say its price per second, resolution and how it runs ({how})"
        ).to_contain_text(re.compile(rf"\$[\d.]+/s · \d+p · {how}$"))
    ai.prompt.fill(PROMPT)
    ai.expect_counter(PROMPT)
    ai.expect_button(button_text(1), enabled=True)
    expect(ai.prompt_hint, "with a prompt, the hint should go").to_be_hidden()
    ai.model(QUEUED_MODEL).check()
    ai.expect_button(button_text(2), enabled=True)
    ai.model(SYNC_MODEL).uncheck()
    ai.model(QUEUED_MODEL).uncheck()
    ai.expect_button("Generate Video", enabled=False)


def after_next_progress(page: Page, act: Callable[[], object], count: int = 1) -> None:
    """Do `act`, then wait until the app has logged `count` more progress lines.

    The app logs a progress line for every status answer and only then schedules its next poll, so after
    the log the poll's timer exists and the page clock can move it.
    """
    seen = 0

    def is_progress(message: object) -> bool:
        nonlocal seen
        seen += getattr(message, "text", "").startswith(PROGRESS_LOG)
        return seen >= count

    try:
        with page.expect_console_message(is_progress, timeout=15_000):
            act()
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"the app logged {seen} of {count} expected progress line(s): its status polling stopped"
        ) from None


@GENERATION_STATES
def test_queued_model_shows_queue_position_then_generation_progress_while_it_polls(
    qcut: QCutApp, fal: FakeFal, page: Page
) -> None:
    # Each status poll moves the job one step: two polls IN_QUEUE, two IN_PROGRESS, then COMPLETED.
    fal.model(QUEUED, clip="small", polls_in_queue=2, polls_in_progress=2)
    start = datetime(2025, 11, 18, 10, 0, 0)
    page.clock.install(time=start)
    qcut.open_new_project()
    page.clock.pause_at(start + timedelta(hours=1))

    # Submit answers position 1 and the first poll, at once, too; the next polls wait for the page clock.
    name = generated_name(PROMPT)
    after_next_progress(page, lambda: qcut.ai.start_generation(PROMPT, QUEUED_MODEL), count=3)
    qcut.ai.expect_progress("queued", 5, "Queued (position: 1)")
    qcut.ai.expect_running()

    after_next_progress(page, lambda: page.clock.run_for(500))
    qcut.ai.expect_progress("queued", 5, "Queued (position: 0)")

    # IN_PROGRESS: min(90, 20 + 2 x seconds since Generate), as the original maps it.
    generating = f"Generating video with {QUEUED_MODEL}..."
    after_next_progress(page, lambda: page.clock.run_for(500))
    qcut.ai.expect_progress("generating", 22, generating)
    qcut.ai.expect_elapsed("0:01")
    after_next_progress(page, lambda: page.clock.fast_forward(60_000))
    qcut.ai.expect_progress("generating", 90, generating)
    qcut.ai.expect_elapsed("1:01")

    # COMPLETED: the result is fetched (the fake holds it until its clock moves), then the video.
    fal.fault(Fault(kind="latency", step="result", seconds=1))
    page.clock.run_for(500)
    qcut.ai.expect_progress("generating", 95, f"Fetching {QUEUED_MODEL} result...")
    # The app shows the state before its GET reaches the fake; latency counts from the GET's arrival.
    fal.wait_for_request(host="queue.fal.run", step="result", method="GET")
    fal.clock.advance(1)
    qcut.ai.expect_done()
    took = qcut.ai.elapsed.inner_text().removeprefix("Elapsed: ")
    page.clock.run_for(5_000)
    qcut.ai.expect_elapsed(took)  # the run is over: its time stops
    qcut.media.show()
    qcut.media.expect_item_listed(name, f"the video from {QUEUED_MODEL} should be listed")
    polls = [str(entry) for entry in fal.log.find(host="queue.fal.run", step="status")]
    assert len(polls) == 5, f"the app should poll the queue until COMPLETED, 5 times: {polls}"
    assert fal.log.count(host="queue.fal.run", step="result") == 1, "the result should be fetched once"

    qcut.ai.start_generation(PROMPT, QUEUED_MODEL)
    qcut.ai.expect_elapsed("0:00")  # a second run counts its own time, not the first's


@pytest.mark.reference_only("the reference app's model cards and the settings it asks FAL for")
def test_each_model_asks_fal_for_a_16_9_video_and_for_the_resolution_its_card_names(
    qcut: QCutApp, fal: FakeFal
) -> None:
    qcut.open_new_project()
    qcut.ai.show()
    card = qcut.ai.panel.locator("label").filter(has_text=SYNC_MODEL)
    resolution = re.search(r"· (\d+p) ·", card.inner_text())
    assert resolution, f"the card of {SYNC_MODEL} should name its resolution: {card.inner_text()!r}"

    qcut.ai.generate(PROMPT, SYNC_MODEL, QUEUED_MODEL)

    asked = {model: fal.jobs(ENDPOINTS[model])[0].arguments for model in (SYNC_MODEL, QUEUED_MODEL)}
    for model, arguments in asked.items():
        assert arguments.get("aspect_ratio") == "16:9", f"{model} should ask FAL for 16:9: {arguments}"
    assert asked[SYNC_MODEL].get("resolution") == resolution[1], (
        f"{SYNC_MODEL} should ask FAL for the {resolution[1]} its card names: {asked[SYNC_MODEL]}"
    )


# --- FAL errors --------------------------------------------------------------------------------------

# What the user must read of each FAL error: its meaning, in whichever words the app uses (the reference app's
# are FAL_MESSAGES; a 2025 QCut build's queue path says "Invalid FAL API key", its fal.run path
# "Invalid FAL.ai API key"). The 422's meaning is FAL's own detail.
FAL_MEANINGS: dict[int, re.Pattern[str]] = {
    401: re.compile(r"Invalid FAL(\.ai)? API key"),
    422: re.compile(r"flagged by a content checker"),
    429: re.compile(r"Rate limit exceeded"),
    500: re.compile(r"Internal error"),
}


# The synchronous model fails at fal.run; the queued one at its submit to queue.fal.run. A real build runs a
# 401 on each path and the 422 (whose reason comes as a list): its other statuses take the 401's path, only
# the words differ, so they run on the reference app alone, which keeps the real-build lanes in budget.
ON_A_BUILD = {("run", 401), ("run", 422), ("submit", 401)}
SAME_PATH_AS_401 = pytest.mark.reference_only(
    "take the 401's path on a build (only the words differ), so they are checked on the reference app"
)


def _fal_error_case(model: str, step: FalStep, status: int) -> Any:
    marks = () if (step, status) in ON_A_BUILD else (SAME_PATH_AS_401,)
    prefix = "fal.run" if step == "run" else "queue-submit"
    return pytest.param(model, step, status, FAL_MEANINGS[status], id=f"{prefix}-{status}", marks=marks)


FAL_ERROR_CASES = [
    *(_fal_error_case(SYNC_MODEL, "run", status) for status in FAL_MEANINGS),
    *(_fal_error_case(QUEUED_MODEL, "submit", status) for status in (401, 429)),
]


@pytest.mark.parametrize(("model", "step", "status", "message"), FAL_ERROR_CASES)
def test_fal_error_tells_the_user_what_fal_said_and_keeps_the_library(
    qcut: AppPages, fal: FakeFal, model: str, step: FalStep, status: int, message: re.Pattern[str]
) -> None:
    earlier = generate_earlier_video(qcut, model)
    if step == "run":
        fal.fault(Fault(status=status, step=step))
    else:
        fault_queued_job(fal, step, status)

    failed = qcut.ai.start_generation(PROMPT, model)
    qcut.ai.expect_error(message)
    qcut.ai.expect_ready()
    expect_library_intact(qcut, earlier, failed)


@pytest.mark.reference_only(
    "the reference app runs a click's models one after another (QCut's, by the journeys)"
)
def test_when_the_second_model_of_a_click_fails_the_first_ones_video_stays_listed_and_counted(
    qcut: QCutApp, fal: FakeFal
) -> None:
    qcut.open_new_project()
    fal.fault(Fault(status=500, endpoint=QUEUED))

    name = qcut.ai.start_generation(PROMPT, SYNC_MODEL, QUEUED_MODEL)

    qcut.ai.expect_error(FAL_MEANINGS[500])
    qcut.ai.expect_results(1)
    qcut.ai.expect_result_listed(SYNC_MODEL)
    qcut.toasts.expect_toast("success", "Video added to", f"the video {SYNC_MODEL} made should be said added")
    qcut.media.show()
    qcut.media.expect_item_listed(name, f"the video {SYNC_MODEL} made should stay listed when the next fails")
    qcut.media.expect_count(1, f"the library should hold just the video {SYNC_MODEL} made")


@pytest.mark.reference_only(
    "the reference app's status line for each model of a click (QCut shows one block)"
)
def test_a_click_with_two_models_names_each_model_as_its_request_goes_to_fal(
    qcut: QCutApp, page: Page
) -> None:
    qcut.open_new_project()
    held: list[Route] = []  # the queued model's submission, kept from FAL until it has been read on screen
    submit = re.compile(rf"^https://queue\.fal\.run/{re.escape(QUEUED)}$")
    page.route(submit, lambda route: held.append(route))

    qcut.ai.start_generation(PROMPT, SYNC_MODEL, QUEUED_MODEL)

    qcut.ai.expect_submitting(QUEUED_MODEL)
    assert held, f"{QUEUED_MODEL}'s request should be on its way to FAL while the panel says so"
    held[0].continue_()
    qcut.ai.expect_done(videos=2)


@pytest.mark.reference_only("the reference app's words for a FAL it cannot reach")
def test_a_fal_that_cannot_be_reached_is_told_and_the_library_stays(qcut: QCutApp, page: Page) -> None:
    earlier = generate_earlier_video(qcut)
    page.route(re.compile(r"^https://fal\.run/"), lambda route: route.abort("connectionrefused"))

    failed = qcut.ai.start_generation(PROMPT, SYNC_MODEL)

    qcut.ai.expect_error("Could not reach FAL: Failed to fetch")
    expect_library_intact(qcut, earlier, failed)


# The longest message a failure's toast shows as it is (the original's error handler); a longer one the toast
# replaces with GENERIC_ERROR, while the AI panel's error box keeps every word.
TOAST_MESSAGE_LIMIT = 99
GENERIC_ERROR = "An unexpected error occurred"
FAL_ERROR_PREFIX = "FAL API error: "


@pytest.mark.reference_only("the reference app's error handler (QCut's has its own wording)")
@pytest.mark.parametrize(
    "length", [TOAST_MESSAGE_LIMIT, TOAST_MESSAGE_LIMIT + 1], ids=["at-the-limit", "one-past-it"]
)
def test_a_fal_message_shows_whole_in_the_toast_up_to_its_limit_and_always_in_the_panel(
    qcut: QCutApp, fal: FakeFal, length: int
) -> None:
    detail = "The content checker refused the prompt".ljust(length - len(FAL_ERROR_PREFIX), ".")
    message = FAL_ERROR_PREFIX + detail
    fal.fault(Fault(status=422, step="run", detail=detail))
    qcut.open_new_project()

    qcut.ai.start_generation(PROMPT, SYNC_MODEL)

    qcut.ai.expect_error(message)
    toast = message if length <= TOAST_MESSAGE_LIMIT else GENERIC_ERROR
    qcut.toasts.expect_toast("warning", toast, f"with {length} characters the toast should say {toast!r}")


@pytest.mark.reference_only("the reference app's wording of FAL's validation errors")
def test_each_of_fals_validation_errors_is_told(qcut: QCutApp, fal: FakeFal) -> None:
    reasons = ["prompt: too long", "duration: must be 5 or 10"]
    detail = [
        {"loc": ["body", reason.split(":")[0]], "msg": reason, "type": "value_error"} for reason in reasons
    ]
    fal.fault(Fault(status=422, step="run", detail=detail))
    qcut.open_new_project()

    qcut.ai.start_generation(PROMPT, SYNC_MODEL)

    qcut.ai.expect_error(FAL_ERROR_PREFIX + "; ".join(reasons))


@pytest.mark.needs("driven-poll-errors")
def test_422_at_result_time_after_completed_shows_fal_detail_and_keeps_the_library(
    qcut: AppPages, fal: FakeFal
) -> None:
    fal.model(QUEUED, clip="small", polls_in_queue=1, polls_in_progress=0)
    earlier = generate_earlier_video(qcut, QUEUED_MODEL)
    detail = "The generated video was flagged by a content checker."
    reason = [{"loc": ["body"], "msg": detail, "type": "content_policy_violation"}]
    fault_queued_job(fal, "result", 422, detail=reason)

    failed = qcut.ai.start_generation(PROMPT, QUEUED_MODEL)
    qcut.ai.expect_error(re.compile(r"flagged by a content checker"))
    expect_library_intact(qcut, earlier, failed)
    answered = queue_answers(fal, "result")
    assert answered == [200, 422], (
        f"the failed run should reach COMPLETED and get 422 for its result: {answered}"
    )


@pytest.mark.parametrize(
    ("status", "failures"),
    [(500, TOLERATED_STATUS_5XX - 1), (500, TOLERATED_STATUS_5XX), (503, TOLERATED_STATUS_5XX)],
    ids=["500-below-the-limit", "500-at-the-limit", "503-at-the-limit"],
)
def test_passing_5xx_at_status_polls_are_ridden_out_and_the_video_is_listed(
    qcut: AppPages, fal: FakeFal, status: int, failures: int
) -> None:
    # As @fal-ai/client's polling does: a few 5xx (any of them) at a status poll are retried, not shown.
    fal.model(QUEUED, clip="small", polls_in_queue=0, polls_in_progress=0)
    fault_queued_job(fal, "status", status, times=failures)
    qcut.open_new_project()

    name = qcut.ai.generate(PROMPT, QUEUED_MODEL)
    qcut.ai.expect_done()
    qcut.media.show()
    qcut.media.expect_item_listed(name, f"{failures} failed status polls should not cost the user the video")
    answered = queue_answers(fal, "status")
    assert answered == [status] * failures + [200], (
        f"the app should poll again after each {status}: {answered}"
    )


def test_network_errors_at_status_polls_are_ridden_out_like_5xx(
    qcut: AppPages, fal: FakeFal, page: Page
) -> None:
    # A connection reset before FAL answers: no status at all, which FAL's own client retries as a 5xx.
    fal.model(QUEUED, clip="small", polls_in_queue=0, polls_in_progress=0)
    reset: list[str] = []

    def reset_the_first_polls(route: Route) -> None:
        if len(reset) < TOLERATED_STATUS_5XX:
            reset.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.fallback()

    # On either path: queue.fal.run's, or the older one on fal.run that QCut's builds poll.
    page.route(re.compile(r"^https://(queue\.)?fal\.run/.+/status"), reset_the_first_polls)
    qcut.open_new_project()

    name = qcut.ai.generate(PROMPT, QUEUED_MODEL)

    qcut.media.show()
    qcut.media.expect_item_listed(name, f"{len(reset)} polls cut off should not cost the user the video")
    assert len(reset) == TOLERATED_STATUS_5XX, f"the app should poll again after each one cut off: {reset}"


# A status poll's fault the app must not ride out: a 401 at once, a 5xx one past the tolerance.
STATUS_FAULTS_THAT_STOP = [
    pytest.param(401, 1, FAL_MESSAGES[401], id="401"),
    pytest.param(500, TOLERATED_STATUS_5XX + 1, FAL_MESSAGES[500], id="500-one-past-the-limit"),
]


@pytest.mark.reference_only(
    "hold the app to the fix's policy of stopping at a refused status poll: QCut polls again after any "
    "refused poll (up to 240 times), so a fault armed once is ridden out at no cost to its user"
)
@pytest.mark.parametrize(("status", "times", "message"), STATUS_FAULTS_THAT_STOP)
def test_a_status_poll_fault_past_what_is_ridden_out_stops_the_run_with_fal_message_and_keeps_the_library(
    qcut: QCutApp, fal: FakeFal, status: int, times: int, message: str
) -> None:
    earlier = generate_earlier_video(qcut, QUEUED_MODEL)
    polls = fal.log.count(host="queue.fal.run", step="status")
    fal.fault(Fault(status=status, step="status", times=times))

    failed = qcut.ai.start_generation(PROMPT, QUEUED_MODEL)
    qcut.ai.expect_error(message)
    qcut.toasts.expect_toast("warning", message, f"a toast should say {message!r}")
    qcut.ai.expect_ready()
    expect_library_intact(qcut, earlier, failed)
    answered = [entry.status for entry in fal.log.find(host="queue.fal.run", step="status")[polls:]]
    assert answered == [status] * times, f"the app should stop polling after {times} x {status}: {answered}"


# A queued job that FAL is still making after n status checks: at n = the app's limit it is still waited for,
# one past it the app gives up, saying so.
STILL_RUNNING_AT_LAST_CHECK = [
    pytest.param(STATUS_CHECKS_BEFORE_GIVING_UP - 1, None, id="done-at-the-last-check"),
    pytest.param(
        STATUS_CHECKS_BEFORE_GIVING_UP,
        f"Video generation timed out after {STATUS_CHECKS_BEFORE_GIVING_UP} status checks",
        id="still-running-at-the-last-check",
    ),
]


@pytest.mark.reference_only("hold the app to the fix's own limit of status checks (QCut's is its own)")
@pytest.mark.parametrize(("checks_in_progress", "gave_up"), STILL_RUNNING_AT_LAST_CHECK)
def test_a_queued_run_is_waited_for_up_to_the_last_status_check_and_no_further(
    qcut: QCutApp, fal: FakeFal, page: Page, checks_in_progress: int, gave_up: str | None
) -> None:
    # The job answers IN_PROGRESS to `checks_in_progress` polls and COMPLETED to the next one.
    fal.model(QUEUED, clip="small", polls_in_queue=0, polls_in_progress=checks_in_progress)
    page.clock.install()
    qcut.open_new_project()
    after_next_progress(page, lambda: qcut.ai.start_generation(PROMPT, QUEUED_MODEL), count=3)

    for _ in range(STATUS_CHECKS_BEFORE_GIVING_UP - 1):
        after_next_progress(page, lambda: page.clock.run_for(500))

    polls = fal.log.count(host="queue.fal.run", step="status")
    assert polls == STATUS_CHECKS_BEFORE_GIVING_UP, f"the app should poll every 500 ms: {polls} polls"
    if gave_up:
        qcut.ai.expect_error(gave_up)
        qcut.toasts.expect_toast("warning", gave_up, f"a toast should say {gave_up!r}")
        qcut.media.show()
        qcut.media.expect_count(0, "a run the app gave up on should add nothing")
    else:
        qcut.ai.expect_done()
        qcut.media.show()
        qcut.media.expect_count(1, "a job done at the last status check should be listed")
    page.clock.run_for(5_000)
    after = fal.log.count(host="queue.fal.run", step="status")
    assert after == polls, f"after its last status check the app should poll no more: {after - polls} more"


def test_a_success_after_a_failure_clears_the_error_and_lists_only_the_new_video(
    qcut: AppPages, fal: FakeFal
) -> None:
    """Two runs in a row on one page, on any app: FAL refuses the first, makes the second. What the user
    sees after the second must be the second's alone: no error left over, and one video listed."""
    qcut.open_new_project()
    message = FAL_MESSAGES[401]
    fal.fault(Fault(status=401, step="run", times=1))
    failed = qcut.ai.start_generation(EARLIER, SYNC_MODEL)
    fal.wait_for_request(step="run")
    qcut.ai.expect_error(message, timeout=5_000)  # FAL has answered: the app has all it needs to say so

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.ai.expect_done()
    qcut.ai.expect_error_gone(message)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the second run's video should be listed")
    qcut.media.expect_item_absent(failed, "the refused run should have added nothing")
    qcut.media.expect_count(1, "one run succeeded: one video")


# --- bad downloads -----------------------------------------------------------------------------------


def test_a_failed_download_is_told_to_the_user_and_leaves_the_library_as_it_was(
    qcut: AppPages, fal: FakeFal
) -> None:
    """The bug's own class on any app, a real QCut build too: FAL made the video, the CDN refuses it. The
    user must be told, once the app has the CDN's answer, and the library must stay as it was."""
    earlier = generate_earlier_video(qcut)
    downloads = fal.log.count(step="media")
    fal.fault(Fault(status=404, step="media"))

    failed = qcut.ai.start_generation(PROMPT, SYNC_MODEL)
    fal.wait_for_request(step="media", method="GET", count=downloads + 1)
    qcut.ai.expect_error(re.compile(r"Failed to download video: 404"), timeout=5_000)
    expect_library_intact(qcut, earlier, failed)


@dataclass(frozen=True)
class BadVideo:
    """One way the generated video cannot be had, and what the user should read."""

    arrange: Callable[[FakeFal], object]
    message: str | re.Pattern[str]
    fetches: int = 1  # downloads the CDN should see: none for a URL the app must refuse outright


def _result_with_url(url: str | None) -> Callable[[FakeFal], object]:
    video = {"content_type": "video/mp4", "file_name": "video.mp4", "file_size": 1000}
    output = {"video": {**video, "url": url} if url else video}
    return lambda fal: fal.model(SYNC, clip="small", output=output)


def _media_fault(**fault: Any) -> Callable[[FakeFal], object]:
    return lambda fal: fal.fault(Fault(step="media", **fault))


@pytest.mark.parametrize("content_type", ["application/octet-stream", "binary/octet-stream"])
def test_a_video_a_cdn_sends_as_plain_bytes_is_taken(qcut: AppPages, fal: FakeFal, content_type: str) -> None:
    # Object stores send a file whose type nobody set as bytes: a real MP4 all the same.
    fal.fault(Fault(step="media", kind="wrong_content_type", content_type=content_type))
    qcut.open_new_project()

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)

    qcut.media.show()
    qcut.media.expect_item_listed(name, f"a video sent as {content_type} should be listed")


# A CDN's 404 is test_a_failed_download_*'s. Each message is what the user must read, in the reference
# app's words or in those of a QCut build that says the same (53c8b4a6 on an empty download: "Failed to
# save video to disk: no video data").
BAD_VIDEOS = [
    pytest.param(
        BadVideo(
            _media_fault(kind="empty_file"),
            re.compile(r"Downloaded video is empty \(0 bytes\)|no video data"),
        ),
        id="empty-file",
    ),
    pytest.param(
        BadVideo(
            _media_fault(kind="truncated"),
            re.compile(r"Video download was interrupted|Downloaded video is truncated"),
        ),
        id="truncated",
    ),
    pytest.param(
        BadVideo(
            _media_fault(kind="wrong_content_type", content_type="text/html"),
            "Downloaded file is not a video (content type: text/html)",
        ),
        id="wrong-content-type",
        marks=pytest.mark.reference_only(
            "send a real MP4 under a wrong type: a build that lists it lists a video that plays, and "
            "refusing it is the fix's own policy"
        ),
    ),
    pytest.param(
        BadVideo(_result_with_url(None), f"{SYNC_MODEL} finished but its result has no video URL", fetches=0),
        id="no-video-url",
    ),
    pytest.param(
        BadVideo(
            _result_with_url("http://v3b.fal.media/files/b/0a1b2c3d/plain_http_video.mp4"),
            "Refused to download video from a non-HTTPS URL",
            fetches=0,
        ),
        id="non-https-url",
    ),
    pytest.param(
        BadVideo(
            _result_with_url("https://downloads.example/files/video.mp4"),
            "Refused to download video from an unknown host: downloads.example",
            fetches=0,
        ),
        id="unknown-host-url",
        marks=pytest.mark.reference_only("the fix's own list of hosts it downloads from"),
    ),
    pytest.param(
        BadVideo(
            _result_with_url("https://cdn.notfal.media/files/video.mp4"),
            "Refused to download video from an unknown host: cdn.notfal.media",
            fetches=0,
        ),
        id="look-alike-host-url",  # a name ending like FAL's hosts is not one of them
        marks=pytest.mark.reference_only("the fix's own list of hosts it downloads from"),
    ),
]


@pytest.mark.parametrize("bad", BAD_VIDEOS)
def test_bad_video_download_is_refused_with_a_clear_message_and_the_library_intact(
    qcut: AppPages, fal: FakeFal, bad: BadVideo
) -> None:
    earlier = generate_earlier_video(qcut)
    downloads = fal.log.count(step="media")
    bad.arrange(fal)

    failed = qcut.ai.start_generation(PROMPT, SYNC_MODEL)
    qcut.ai.expect_error(bad.message)
    expect_library_intact(qcut, earlier, failed)
    fetched = [str(entry) for entry in fal.log.find(step="media")[downloads:]]
    assert len(fetched) == bad.fetches, f"the CDN should be asked {bad.fetches} time(s), was: {fetched}"


@pytest.mark.reference_only("the fix's own check of a download against the size FAL's result declares")
@pytest.mark.parametrize("short_by", [0, 1], ids=["as-declared", "one-byte-short"])
def test_a_download_even_one_byte_shorter_than_fal_declares_is_refused(
    qcut: QCutApp, fal: FakeFal, short_by: int
) -> None:
    size = clip_info("small").size
    video = {"url": fal.add_media(clip="small"), "content_type": "video/mp4", "file_name": "video.mp4"}
    fal.model(SYNC, output={"video": {**video, "file_size": size + short_by}})
    qcut.open_new_project()

    name = qcut.ai.start_generation(PROMPT, SYNC_MODEL)

    if short_by:
        truncated = f"Downloaded video is truncated: got {size} of {size + short_by} bytes"
        qcut.ai.expect_error(truncated)
        qcut.toasts.expect_toast("error", truncated, "a failed download is an error, and its toast says so")
        qcut.media.show()
        qcut.media.expect_empty_state("a video short of what FAL declared should not be listed")
    else:
        qcut.ai.expect_done()
        qcut.media.show()
        qcut.media.expect_item_listed(name, "a video of exactly the size FAL declared is whole")


@pytest.mark.needs("cannot-play-warning")
def test_a_video_with_no_picture_is_listed_and_said_to_be_unplayable(qcut: AppPages, fal: FakeFal) -> None:
    """A model that sends back sound alone: the file downloads and stores, but there is nothing to preview."""
    qcut.open_new_project()
    fal.model(ENDPOINTS[SYNC_MODEL], clip=sound_only_path())

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)

    qcut.media.show()
    qcut.media.expect_item_listed(name, "a generated file with no video track should stay listed")
    why = qcut.toasts.with_title("warning", "The generated video can't be played").first
    expect(why, "the toast should say the file has no picture").to_contain_text(re.compile("no video track"))
    qcut.media.expect_cannot_play(name)


@pytest.mark.needs("cannot-play-warning")
def test_corrupt_video_stays_listed_marked_and_the_preview_says_it_cannot_play(
    qcut: AppPages, fal: FakeFal
) -> None:
    qcut.open_new_project()
    fal.fault(Fault(kind="corrupt_mp4", step="media"))

    name = qcut.ai.generate(PROMPT, SYNC_MODEL)
    qcut.media.show()
    qcut.media.expect_item_listed(name, "a generated video that cannot be decoded should stay listed")
    qcut.toasts.expect_toast(
        "warning", "The generated video can't be played", "a toast should say the video cannot be played"
    )
    qcut.media.expect_cannot_play(name)
    why = qcut.toasts.with_title("warning", "The generated video can't be played").first
    expect(why, "the toast should say why it cannot be played").to_contain_text(
        re.compile(r"decoded|supported")
    )
    qcut.media.select(name)
    qcut.preview.expect_blocked()


@pytest.mark.reference_only("the reference app's prompt limit (QCut's depends on the model)")
def test_a_prompt_at_the_limit_goes_to_fal_whole_and_the_box_takes_no_more(
    qcut: QCutApp, fal: FakeFal
) -> None:
    longest = ("A long walk by the sea at dawn. " * 200)[:PROMPT_LIMIT]
    qcut.open_new_project()
    qcut.ai.show()

    qcut.ai.prompt.fill(longest + "x")

    expect(qcut.ai.prompt, f"the prompt box should take {PROMPT_LIMIT} characters, no more").to_have_value(
        longest
    )
    qcut.ai.expect_counter(longest)
    qcut.ai.generate(longest, SYNC_MODEL)
    assert fal.jobs(SYNC)[0].arguments["prompt"] == longest, "FAL should get the longest prompt whole"


def test_prompt_containing_html_is_shown_as_text(qcut: AppPages, fal: FakeFal) -> None:
    """Markup typed in a prompt stays text everywhere the app shows the prompt (results, card, toasts)."""
    prompt = '<b data-testid="prompt-html">fox</b> in the snow'
    qcut.open_new_project()

    name = qcut.ai.generate(prompt, SYNC_MODEL)
    qcut.ai.expect_result_listed('<b data-testid="prompt-html">fox</b>')
    qcut.media.show()
    qcut.media.expect_item_listed(name, "the video should be listed under its prompt, markup and all")
    qcut.media.expect_label_text(name, "AI: <b data-test")
    qcut.expect_no_test_id("prompt-html", "markup typed in the prompt should never become part of the page")
    assert fal.jobs(SYNC)[0].arguments["prompt"] == prompt, "FAL should get the prompt exactly as typed"
