"""The diagnosis from evidence: each cause with its evidence, a COEP block never reported as CSP, causes ruled
out, the verdict. Plain unit tests on hand-made evidence: no browser, no server."""

from __future__ import annotations

import pytest

from e2e.repro.causes import causes_observed
from e2e.repro.diagnosis import diagnose
from e2e.repro.evidence import Evidence, Observation, Toast, mismatches
from e2e.repro.loader import load_scenario
from e2e.repro.scenario import SCENARIO_DIR, Outcome
from e2e.witnesses.blocked_responses import BlockedResponse
from e2e.witnesses.csp import Violation

URL = "https://v3b.fal.media/files/b/d82c07cd/X1fH_video.mp4"
PROJECT = "91792c80-b639-4b2a-bf54-6b7da08e2ff1"
OTHER = "0e6f2d1c-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
NAME = "AI: Camera slowly descends from cl..."
APP_HINT = "[error] 🚨 CSP FIX NEEDED: FAL.ai video blocked by Content Security Policy"


def _observation(**changes: object) -> Observation:
    seen = {
        "project": "user",
        "project_id": PROJECT,
        "listed": True,
        "appeared": True,
        "in_store": True,
        "saved": True,
        "unsaved": False,
        "url_only": False,
        "plays": False,
        "blocked_by": None,
        "hint": False,
    }
    return Observation(**{**seen, **changes})  # type: ignore[arg-type]


def _evidence(name: str = "ltx_console_v2", **changes: object) -> Evidence:
    scenario = load_scenario(SCENARIO_DIR / f"{name}.toml")
    evidence = Evidence(
        scenario=scenario,
        fixed=False,
        bugs=scenario.environment.effective_bugs,
        observation=_observation(),
        generation_project=("user", PROJECT),
        projects={"user": (PROJECT, "LTX test"), "other": (OTHER, "Teaser")},
        item={"name": NAME, "type": "video", "metadata": {}},
    )
    for key, value in changes.items():
        setattr(evidence, key, value)
    return evidence


def _names(evidence: Evidence) -> list[str]:
    return [cause.name for cause in causes_observed(evidence)]


def test_coep_block_with_the_apps_csp_hint_is_diagnosed_as_coep() -> None:
    evidence = _evidence(
        observation=_observation(blocked_by="coep"),
        blocked=[
            BlockedResponse(
                "network", URL, "net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep"
            )
        ],
        console=[f"[error] Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE.x  ({URL})", APP_HINT],
    )

    text = diagnose(evidence)

    assert _names(evidence) == ["coep"]
    assert "COEP blocked the preview, not CSP" in text
    assert '"CSP FIX NEEDED" hint (console line 2) is a guess' in text
    assert "- CSP: no violation" in text
    assert "**Reproduced.**" in text


def test_csp_block_names_the_directive_and_the_blocked_url() -> None:
    evidence = _evidence(
        "csp_blocks_playback",
        observation=_observation(blocked_by="csp"),
        csp=[Violation("page", "media-src", URL), Violation("devtools", "media-src", URL)],
        console=[APP_HINT],
    )

    (cause,) = causes_observed(evidence)

    assert cause.name == "csp-media-src"
    assert "`https://v3b.fal.media`" in cause.headline
    assert f"page: directive `media-src` blocked `{URL}`" in cause.evidence
    assert "COEP: no `ERR_BLOCKED_BY_RESPONSE`" in diagnose(evidence)


def test_rollback_shows_the_console_line_the_toast_and_the_flash() -> None:
    evidence = _evidence(
        "storage_rollback",
        observation=_observation(listed=False, in_store=False, appeared=True),
        item=None,
        console=["[error] [MediaStore.addMediaItem] Storage save FAILED, rolling back local item {…}"],
        toasts=[
            Toast("error", "Storage space is full. Please free up space and try again.", "Add media item")
        ],
    )

    (cause,) = causes_observed(evidence)

    assert cause.name == "storage-rollback"
    assert any("flashed in and vanished" in line for line in cause.evidence)
    assert any("Storage space is full" in line for line in cause.evidence)


def test_project_mismatch_names_both_projects() -> None:
    evidence = _evidence(
        "project_mismatch",
        observation=_observation(project="other", project_id=OTHER, listed=False, appeared=True),
    )

    (cause,) = causes_observed(evidence)

    assert cause.name == "project-mismatch"
    assert any('"LTX test"' in line and "Called with projectId" in line for line in cause.evidence)
    assert any('"Teaser"' in line for line in cause.evidence)


@pytest.mark.parametrize(
    ("seen", "cause"),
    [({"filter": "audio"}, "filter"), ({"search": "interview"}, "search")],
    ids=["filter", "search"],
)
def test_hidden_item_names_the_filter_or_search(seen: dict[str, str], cause: str) -> None:
    evidence = _evidence("filter_hides_item", observation=_observation(listed=False, **seen))

    assert _names(evidence) == [cause]


def test_nothing_observed_rules_everything_out() -> None:
    evidence = _evidence(observation=_observation(plays=True))

    text = diagnose(evidence)

    assert causes_observed(evidence) == []
    assert "None of the known causes was observed." in text
    assert "**Not reproduced.**" in text
    for ruled_out in (
        "- CSP:",
        "- COEP:",
        "- storage:",
        "- project:",
        "- filter and search: the item is listed",
    ):
        assert ruled_out in text


def test_a_broken_replay_is_never_reproduced() -> None:
    evidence = _evidence(observation=None, error="ReplayError: no such model")

    assert not evidence.reproduced
    assert "The replay broke before the end: ReplayError: no such model" in diagnose(evidence)


def test_outcome_checks_compare_toasts_by_text() -> None:
    seen = _observation(toasts=[Toast("success", 'Video added to "Trailer"')])

    assert mismatches(Outcome(toast="Trailer"), seen) == []
    assert mismatches(Outcome(no_toast="Trailer"), seen) == [
        ("no_toast", "Trailer", ['success: Video added to "Trailer"'])
    ]
    assert mismatches(Outcome(blocked_by="none"), seen) == []


def test_the_ai_error_check_wants_the_text_or_no_error_at_all() -> None:
    stale = _observation(ai_error="Invalid FAL.ai API key. Please check your API key configuration.")
    clear = _observation()

    assert mismatches(Outcome(ai_error="Invalid FAL.ai API key"), stale) == []
    assert mismatches(Outcome(ai_error=""), clear) == []
    assert mismatches(Outcome(ai_error=""), stale) == [("ai_error", "", stale.ai_error)]
    assert mismatches(Outcome(ai_error="Rate limit exceeded"), clear) == [
        ("ai_error", "Rate limit exceeded", "")
    ]
