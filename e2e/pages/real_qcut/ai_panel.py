"""QCut's AI Video view: prompt, model checkboxes, Generate, progress, results.

The view is found as a user knows it, the box headed "AI Video Generation" ("AI" when narrow) around the text
box labelled "Prompt for Video Generation" ("Prompt" when narrow), on every build so far; its test id
`ai-features-panel` (since 2025-11) is one more way, so a build that renames it is still driven.

QCut polls a queued job every 5 s with `setTimeout`. The page's clock is installed when the view opens and
moved 5 s on only once the app has logged the status it got, so each poll is driven, never waited out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from string import Template

from playwright.sync_api import ConsoleMessage, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e.pages.ai_panel import ENDPOINTS, FAL_MESSAGES, generated_name

from .media_panel import MediaPanel
from .model_picker import GENERATE_COUNT, ModelPicker
from .tab_bar import AI_VIDEO, TabBar
from .wayfinding import without_test_id

# QCut's names for the FAL endpoints the suite's models call (apps/web/.../views/ai-constants.ts).
QCUT_MODEL_NAMES = {
    "fal-ai/ltxv-2/text-to-video/fast": "LTX Video 2.0 Fast T2V",
    "fal-ai/kling-video/v2.5-turbo/pro/text-to-video": "Kling v2.5 Turbo Pro",
}
# A build from before both (c844ed1f, 2025-09) offers Kling v2.1: the suite drives it through the queue.
FALLBACK_MODEL_NAME = "Kling v2.1"
FALLBACK_ENDPOINT = "fal-ai/kling-video/v2.1/master"
SYNC_MODEL_NAME = "LTX Video 2.0 Fast T2V"  # QCut calls LTX-2 on fal.run and waits; others poll
POLL_INTERVAL_MS = 5_000
MAX_POLLS = 60  # QCut's own limit: 5 minutes of 5 s polls


# FAL's meaning in each build's words, where builds word it differently (c844ed1f names the build's variable).
QCUT_WORDS = {
    FAL_MESSAGES[401]: r"Invalid FAL(\.ai)? API key\. Please check your "
    r"(API key configuration|VITE_FAL_API_KEY environment variable)\.",
}


def _in_qcut_words(text: str) -> str:
    """A pattern for `text` as any build words it."""
    return QCUT_WORDS.get(text, re.escape(text))


def _is_status_log(message: ConsoleMessage) -> bool:
    # Logged right after a status poll's JSON is read, before the app sleeps for the next poll.
    return "Queue status" in message.text


PANEL_TEST_ID = "ai-features-panel"
HEADINGS = ("AI Video Generation", "AI")
PROMPT_LABEL = re.compile(r"^\s*Prompt\b")  # not "Additional Prompt" (the image tab's)
# From the Prompt box up to the nearest box that also holds the view's heading.
_HEADED = " or ".join(f"normalize-space()={heading!r}" for heading in HEADINGS)
PANEL_AROUND_PROMPT = (
    f"xpath=ancestor::*[.//*[self::h1 or self::h2 or self::h3 or @role='heading'][{_HEADED}]][1]"
)

# The same view found by the page's own scripts below (`aiPanel()`): by its test id, else as above.
FIND_PANEL = Template("""() => {
  const byId = document.querySelector('[data-testid="$test_id"]');
  if (byId) return byId;
  const headed = (box) => [...box.querySelectorAll("h1, h2, h3, [role=heading]")]
    .some((heading) => $headings.includes(heading.textContent.trim()));
  const prompt = [...document.querySelectorAll("textarea")]
    .find((box) => [...box.labels].some((label) => new RegExp($prompt_label).test(label.textContent)));
  let panel = prompt?.parentElement;
  while (panel && !headed(panel)) panel = panel.parentElement;
  return panel ?? null;
}""").substitute(
    test_id=PANEL_TEST_ID, headings=json.dumps(HEADINGS), prompt_label=json.dumps(PROMPT_LABEL.pattern)
)


def _with_panel(script: str) -> str:
    """`script` with each `aiPanel()` finding the view as FIND_PANEL does."""
    return script.replace("aiPanel()", f"({FIND_PANEL})()")


# The run is over for the suite: the view lists the video, shows its error, or has no progress left while
# the media store holds the video (`window.useMediaStore`, bridged by store_bridge.py).
RUN_OVER = _with_panel("""([prefix, name, errorLine]) => {
  const panel = aiPanel();
  const lines = (panel ? panel.innerText : "").split("\\n").map((line) => line.trim());
  if (lines.some((line) => line === prefix || line === `${prefix}...`)) return true;
  if (lines.some((line) => new RegExp(errorLine).test(line))) return true;
  const stored = (window.useMediaStore?.getState().mediaItems ?? []).some((item) => item.name === name);
  return stored && !lines.includes("Generating...");
}""")


# Whether the user has been told `pattern`: in the AI view, or in an error toast. Every toast seen on the way
# is kept (`TOASTS_SEEN`): a toast that came and went before the wait ended still counts as what was said.
TOLD = _with_panel("""(pattern) => {
  const wanted = new RegExp(pattern);
  const seen = (window.__e2eToastsSeen ??= []);
  for (const toast of document.querySelectorAll("[data-sonner-toast]")) {
    const text = toast.innerText.replace(/\\s+/g, " ").trim();
    if (text && !seen.includes(text)) seen.push(text);
    if (toast.dataset.type === "error" && wanted.test(text)) return true;
  }
  const panel = aiPanel();
  return Boolean(panel && wanted.test(panel.innerText));
}""")
TOASTS_SEEN = "() => window.__e2eToastsSeen ?? []"

# Marks when the run started by the next click on Generate is over: its button said "Generating..." and no
# longer does. An observer, not a poll, so a run that fails within milliseconds is still seen to start.
WATCH_RUN = _with_panel("""() => {
  const panel = aiPanel();
  const run = (window.__e2eRun = { started: false, over: false });
  const generating = () =>
    [...panel.querySelectorAll("button")].some((button) => button.textContent.includes("Generating"));
  new MutationObserver((_, observer) => {
    if (generating()) run.started = true;
    else if (run.started) { run.over = true; observer.disconnect(); }
  }).observe(panel, { subtree: true, childList: true, characterData: true });
}""")
# Told, or the run is over without telling: a failure need not wait out the whole timeout.
TOLD_OR_OVER = f"""(pattern) => ({TOLD})(pattern) ? "told" : window.__e2eRun?.over ? "over" : false"""
# A toast may follow the run's end by a render or two.
AFTER_RUN_MS = 2_000

# The view's own error line (2026: "Failed to save video: ..."), not a toast: a storage failure's toast
# may come with a listed video.
ERROR_LINE = r"^Failed to |CRITICAL ERROR"
# For a failure's report only: the view's lines that read like an error, in any build's words.
ERROR_WORDS = re.compile(r"error|fail|invalid|exceeded|refused|unable", re.IGNORECASE)


class AIPanel:
    def __init__(self, page: Page, media: MediaPanel) -> None:
        self.page = page
        self.media = media
        prompt = without_test_id(page, PANEL_TEST_ID).get_by_role("textbox", name=PROMPT_LABEL)
        self.panel = page.get_by_test_id(PANEL_TEST_ID).or_(prompt.locator(PANEL_AROUND_PROMPT)).first
        self.prompt = (
            self.panel.get_by_role("textbox", name=PROMPT_LABEL).or_(self.panel.locator("#prompt")).first
        )
        self.picker = ModelPicker(page, self.panel)
        self.generate_button = self.picker.generate_button
        # The progress block's row: its label beside a percentage (a 2026 Generate button says "Generating..."
        # too while a run is on, and a build may show other percentages in the view).
        label = page.get_by_text("Generating...", exact=True).and_(page.locator(":not(button)"))
        percent = page.get_by_text(re.compile(r"^\d{1,3}%$"))
        self.progress = self.panel.locator("div").filter(has=label).filter(has=percent).last
        self.results = self.panel.get_by_text("Generated Videos", exact=True)
        self.error_text = self.panel.get_by_text(re.compile(ERROR_LINE)).first
        self.started: list[str] = []  # the names of the videos of the runs this page started, in order

    def model(self, model_name: str) -> Locator:
        """What a user clicks to choose the model: its checkbox's label (2025) or its toggle (2026)."""
        return self.picker.control(self.qcut_name(model_name))

    def endpoint(self, model_name: str) -> str:
        """The FAL endpoint the build calls for the suite's model: its own, or the fallback's (read from the
        AI view, which is opened first)."""
        self.show()
        if self.qcut_name(model_name) == FALLBACK_MODEL_NAME:
            return FALLBACK_ENDPOINT
        return ENDPOINTS[model_name]

    def qcut_name(self, model_name: str) -> str:
        """QCut's name for the suite's model: the one calling the same endpoint, or the fallback if absent."""
        name = QCUT_MODEL_NAMES[ENDPOINTS[model_name]]
        self.picker.wait_listed(name)
        return name if self.picker.offers(name) else FALLBACK_MODEL_NAME

    # --- user verbs ---------------------------------------------------------------------------------

    def show(self) -> None:
        """Open the AI Video view the way a user does (its group first, where the build has groups)."""
        sought = f"the AI Video view (its test id {PANEL_TEST_ID!r}, or the box headed 'AI Video Generation' "
        TabBar(self.page).open(AI_VIDEO, self.panel, sought + "around the text box 'Prompt ...')")

    def start_generation(self, prompt: str, *model_names: str) -> str:
        """Type the prompt, tick exactly these models, press Generate; return the video's item name."""
        self.show()
        self.prompt.fill(prompt)
        self.choose_only(*model_names)
        self.page.evaluate(WATCH_RUN)
        self.generate_button.click()
        self.started.append(generated_name(prompt))
        return generated_name(prompt)

    def choose_only(self, *model_names: str) -> None:
        """Choose these models and drop any other QCut kept chosen from an earlier generation."""
        self.picker.choose_only({self.qcut_name(name) for name in model_names})

    def generate(self, prompt: str, *model_names: str, timeout: float = 30_000) -> str:
        """Generate with these models and wait until QCut lists the result; return the item's name."""
        self.page.clock.install()  # once per page in effect: Playwright installs its clock script once
        self.show()
        if all(self.qcut_name(model) == SYNC_MODEL_NAME for model in model_names):
            name = self.start_generation(prompt, *model_names)
        else:
            name = self.drive_polls(lambda: self.start_generation(prompt, *model_names), timeout)
        self.expect_result(prompt, timeout=timeout)
        return name

    def drive_polls(self, start: Callable[[], str], timeout: float) -> str:
        """Start a queued job, then answer each of QCut's 5 s sleeps between status polls until it completes.

        Each wait is set up before the action that causes the log, so a fast answer cannot be missed.
        """
        with self.page.expect_console_message(_is_status_log, timeout=timeout) as logged:
            name = start()
        for _ in range(MAX_POLLS):
            if "COMPLETED" in logged.value.text:
                return name
            with self.page.expect_console_message(_is_status_log, timeout=timeout) as logged:
                self.page.clock.fast_forward(POLL_INTERVAL_MS)
        raise AssertionError(f"the queued job should complete within QCut's {MAX_POLLS} polls")

    # --- expectations -------------------------------------------------------------------------------

    def expect_done(self, videos: int = 1, timeout: float = 30_000) -> None:
        """QCut shows its "Generated Videos" results once every model has returned."""
        expect(self.results, "the AI panel should list the generated video").to_be_visible(timeout=timeout)

    def expect_result(self, prompt: str, timeout: float = 30_000) -> None:
        """QCut lists this run's videos (by the prompt's first 30 characters) once every model returned and
        each video went through the media store: it clears the list when a run starts. An error the view
        shows instead ends the wait at once, and the failure quotes it. Where the view shows neither once
        the run is over (2026 builds on a failed storage save), the media store holding the video ends it:
        what the media panel shows is for the test to check."""
        try:
            self.page.wait_for_function(
                RUN_OVER, arg=[prompt[:30], generated_name(prompt), ERROR_LINE], polling=100, timeout=timeout
            )
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"the AI panel should list the video of {prompt!r} within {timeout / 1000:.0f} s: it showed "
                "neither the video, an error, nor the end of the run with the video in the media store"
            ) from None
        line = self.panel.get_by_text(re.compile(rf"^{re.escape(prompt[:30])}(\.\.\.)?$")).first
        if self.error_text.is_visible() and not line.is_visible():
            shown = " ".join(self.error_text.inner_text().split())
            raise AssertionError(f"the AI panel should list the video of {prompt!r}; it shows: {shown}")

    def expect_submitting(self, model_name: str) -> None:
        """QCut shows one progress block for a whole run, not a stage per step: while the request is on its
        way to FAL, the block is there."""
        self.expect_progress_shown(f"while {self.qcut_name(model_name)}'s request is on its way to FAL")

    def expect_downloading(self) -> None:
        """While the video downloads the run's progress block is still there (the run is not over)."""
        self.expect_progress_shown("while the video downloads")

    def expect_progress_shown(self, when: str) -> None:
        """The view's progress block: "Generating..." beside a percentage, on every build."""
        expect(self.progress, f"the AI panel should say 'Generating...' and show a % {when}").to_be_visible()

    def expect_run_ended(self, timeout: float = 30_000) -> None:
        """Nothing to wait for here: QCut's run state lives in its AI view, which is gone once the user has
        left for another project. Storage says when such a run is over (e2e.storage.wait_until_stored)."""

    def expect_running(self) -> None:
        """The Generate button says a run is under way ("Generating..." on every build) and is disabled."""
        expect(self.generate_button, "the button should say a video is being generated").to_have_text(
            re.compile(r"Generating")
        )
        expect(self.generate_button, "a second generation should not start meanwhile").to_be_disabled()

    def expect_ready(self, count: int = 1) -> None:
        """The Generate button is back and clickable. QCut words it per build ("Generate Video", 2026's
        "Generate (1 models)"), so only a count it shows is checked."""
        expect(self.generate_button, "the generate button should be ready again").not_to_have_text(
            re.compile(r"Generating")
        )
        expect(self.generate_button, "the generate button should be clickable again").to_be_enabled()
        label = self.generate_button.inner_text()
        counted = GENERATE_COUNT.search(label)
        assert counted is None or int(counted[1]) == count, (
            f"the generate button should offer a run with {count} model(s): {label!r}"
        )

    def expect_result_listed(self, text: str) -> None:
        """The "Generated Videos" list shows `text` as plain text: a model by QCut's name for it, a prompt
        as QCut shows one, its first 30 characters."""
        shown = self.qcut_name(text) if text in ENDPOINTS else text if len(text) <= 30 else f"{text[:30]}..."
        # The list sits with its heading; the model toggles elsewhere in the view name the models too.
        results = self.results.locator("..")
        expect(results, f"'Generated Videos' should list {shown!r}").to_contain_text(shown)

    def expect_error_gone(self, text: str) -> None:
        """The error of an earlier run no longer shows in the view."""
        expect(
            self.panel.get_by_text(re.compile(_in_qcut_words(text))),
            f"the AI panel should no longer say {text!r}",
        ).to_be_hidden()

    def error_shown(self) -> str:
        """What the view says of a failed run now ("" when nothing): its own error lines, and FAL's messages
        as QCut words them (QCut has no one error box across builds)."""
        said = "|".join([ERROR_LINE, *(re.escape(message) for message in FAL_MESSAGES.values())])
        texts = self.panel.get_by_text(re.compile(said)).all_inner_texts()
        return " ".join(" ".join(text.split()) for text in texts)

    def expect_error(self, text: str | re.Pattern[str], timeout: float = 30_000) -> None:
        """QCut says why a run failed in the view's error box (the hook's `onError`) or in an error toast
        (a failed save): either way the user reads `text`. A failure quotes what the user was told instead,
        as soon as the run is over without telling it."""
        pattern = text.pattern if isinstance(text, re.Pattern) else _in_qcut_words(text)
        self.page.evaluate("() => { window.__e2eToastsSeen = []; }")  # what this wait sees, from now
        try:
            ended = self.page.wait_for_function(TOLD_OR_OVER, arg=pattern, polling=100, timeout=timeout)
            if ended.json_value() == "over":
                self.page.wait_for_function(TOLD, arg=pattern, polling=100, timeout=AFTER_RUN_MS)
        except PlaywrightTimeoutError:
            shown = text.pattern if isinstance(text, re.Pattern) else text
            told = self.page.evaluate(TOASTS_SEEN)
            errors = self.panel.get_by_text(ERROR_WORDS).all_inner_texts()
            raise AssertionError(
                f"the user should be told {shown!r} by the end of the run (or in {timeout / 1000:.0f} s): "
                "the AI panel showed "
                f"{'the error ' + repr(errors) if errors else 'no error'} and the toasts said "
                f"{told or 'nothing'}"
            ) from None
