"""How a replay that broke says so: the error's first line, and what a timed-out step waited for."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e.repro.replay import _first_words


def test_a_step_that_timed_out_names_the_control_it_waited_for() -> None:
    waited = 'get_by_role("button", name="Play")'
    call_log = f"Call log:\n  - waiting for {waited}\n"
    error = PlaywrightTimeoutError(f"Locator.click: Timeout 30000ms exceeded.\n{call_log}")

    said = _first_words(error)

    assert said == f"TimeoutError: Locator.click: Timeout 30000ms exceeded. (waiting for {waited})"


def test_a_click_held_back_says_by_what_as_the_call_log_last_said() -> None:
    waited = 'get_by_role("button", name="Play")'
    call_log = (
        f"Call log:\n  - waiting for {waited}\n  -   locator resolved to <button>Play</button>\n"
        "  - attempting click action\n  -   waiting for element to be visible, enabled and stable\n"
        "  -   - element is not stable\n  - retrying click action\n"
        '  -   - <div role="dialog">Welcome</div> intercepts pointer events\n  - retrying click action\n'
    )
    error = PlaywrightTimeoutError(f"Locator.click: Timeout 30000ms exceeded.\n{call_log}")

    said = _first_words(error)

    assert said.endswith(
        f'(waiting for {waited}; <div role="dialog">Welcome</div> intercepts pointer events)'
    )


def test_any_other_error_is_its_first_line() -> None:
    assert _first_words(AssertionError("the item should be listed\nmore")) == (
        "AssertionError: the item should be listed"
    )
