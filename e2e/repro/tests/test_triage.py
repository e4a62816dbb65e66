"""Triage of pasted console logs: each known signature is named with its line, CSP is told from COEP, and the
scenario that reproduces the log is named. Plain unit tests: no browser, no server."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from e2e.repro import signatures, triage, user_build
from e2e.repro.loader import load_all
from e2e.repro.scenario import SCENARIO_DIR, Scenario
from qcut_builds.build import Build, Source

USER_LOG = SCENARIO_DIR / "ltx_console_v2.console.log"

CSP_LOG = """\
[MediaStore.addMediaItem] Called with projectId: 5b0c3a52-0d55-4c1e-9a43-7c2f8e1d9b10, item.name: AI: fox...
[MediaStore.addMediaItem] Saved to storage {projectId: '5b0c3a52-0d55-4c1e-9a43-7c2f8e1d9b10'}
Loading media from 'https://v3b.fal.media/files/b/1a2b3c4d/fox_video.mp4' violates the following Content \
Security Policy directive: "media-src 'self' blob: data:". The action has been blocked.
🚨 CSP FIX NEEDED: FAL.ai video blocked by Content Security Policy
"""

ROLLBACK_LOG = """\
📄 Created file: AI-Video-ltxv2_fast_t2v-1763437690677.mp4
[MediaStore.addMediaItem] Called with projectId: 5b0c3a52-0d55-4c1e-9a43-7c2f8e1d9b10, item.name: AI: Waves...
[MediaStore.addMediaItem] Storage save FAILED, rolling back local item {error: 'QuotaExceededError'}
Storage space is full. Please free up space and try again.
Add media item to storage (ERR-1763437690999-QXZKPA)
❌ Media integration failed: QuotaExceededError
"""

MISMATCH_LOG = """\
[MediaStore.addMediaItem] Called with projectId: 5b0c3a52-0d55-4c1e-9a43-7c2f8e1d9b10, item.name: AI: one...
[MediaStore.addMediaItem] Saved to storage {…}
[MediaStore.addMediaItem] Called with projectId: 0e6f2d1c-7a8b-4c9d-8e0f-1a2b3c4d5e6f, item.name: AI: two...
[MediaStore.addMediaItem] Saved to storage {…}
"""


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    """Every scenario under fixtures/scenarios (module scope)."""
    return load_all()


def _names(result: triage.Triage) -> dict[int, str]:
    return {finding.line: finding.signature.name for finding in result.findings}


def test_user_log_is_a_coep_block_not_csp() -> None:
    result = triage.triage(USER_LOG.read_text(encoding="utf-8").splitlines())

    names = _names(result)
    assert names[18] == "coep-block", "the net::ERR_BLOCKED_BY_RESPONSE line is the browser's own evidence"
    assert names[20] == "csp-fix-hint", "the app's CSP FIX NEEDED line is its guess"
    assert result.findings[[f.line for f in result.findings].index(20)].signature.guess
    assert "csp-media-src" not in result.causes
    assert result.causes == {"coep"}
    assert any(note.startswith("Not CSP") for note in result.notes())


def test_user_log_facts_match_the_report() -> None:
    result = triage.triage(USER_LOG.read_text(encoding="utf-8").splitlines())

    assert result.facts == {
        "model": "ltxv2_fast_t2v",
        "model_name": "LTX Video 2.0 Fast T2V",
        "media_host": "v3b.fal.media",
        "file_size": "7933788",
        "project": "91792c80-b639-4b2a-bf54-6b7da08e2ff1",
    }


def test_coep_finding_names_the_blocked_url_and_reason() -> None:
    (finding,) = signatures.scan(
        [
            "GET https://v3b.fal.media/files/b/x/y.mp4 net::ERR_BLOCKED_BY_RESPONSE."
            "NotSameOriginAfterDefaultedToSameOriginByCoep 206 (Partial Content)"
        ]
    )

    assert finding.signature.name == "coep-block"
    assert finding.detail["url"] == "https://v3b.fal.media/files/b/x/y.mp4"
    assert finding.detail["reason"] == "NotSameOriginAfterDefaultedToSameOriginByCoep"
    assert "COEP" in finding.signature.meaning


def test_chromium_failed_to_load_line_is_a_coep_block() -> None:
    # How our own runs' console shows it: Chromium's network error line, the URL as its location.
    (finding,) = signatures.scan(
        [
            "[error] Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE."
            "NotSameOriginAfterDefaultedToSameOriginByCoep  (https://v3b.fal.media/files/b/x/y.mp4)"
        ]
    )

    assert finding.signature.cause == "coep"


def test_csp_media_src_message_names_directive_and_url() -> None:
    result = triage.triage(CSP_LOG.splitlines())

    (csp,) = result.of("csp-media-src")
    assert csp.line == 3
    assert csp.detail["directive"] == "media-src 'self' blob: data:"
    assert csp.host == "v3b.fal.media"
    assert result.causes == {"csp-media-src"}
    assert not any(note.startswith("Not CSP") for note in result.notes())


def test_chromium_console_line_with_its_double_space_is_csp() -> None:
    # Chromium prints two spaces after "from" in the console, as our own runs' console.log shows.
    (finding,) = signatures.scan(
        [
            "[error] Loading media from  'https://v3b.fal.media/files/b/x/y.mp4' violates the following "
            "Content Security Policy directive: \"media-src 'self' blob: data:\"."
        ]
    )

    assert finding.signature.name == "csp-media-src"
    assert finding.detail["url"] == "https://v3b.fal.media/files/b/x/y.mp4"


def test_older_refused_to_load_wording_is_also_csp() -> None:
    (finding,) = signatures.scan(
        [
            "Refused to load media from 'https://fal.media/files/a.mp4' because it violates the following "
            "Content Security Policy directive: \"media-src 'self' blob: data: app:\"."
        ]
    )

    assert finding.signature.name == "csp-media-src"


def test_rollback_log_names_rollback_quota_and_toast() -> None:
    result = triage.triage(ROLLBACK_LOG.splitlines())

    assert _names(result) == {
        1: "file",
        2: "add-called",
        3: "storage-rollback",
        4: "quota-toast",
        5: "storage-error-toast",
        6: "integration-failed",
    }
    assert result.causes == {"storage-rollback"}


def test_kept_unsaved_is_not_a_rollback() -> None:
    result = triage.triage(["[MediaStore.addMediaItem] Storage save FAILED, keeping item unsaved {…}"])

    assert result.causes == {"storage-unsaved"}


def test_permission_toast_is_named() -> None:
    (finding,) = signatures.scan(["Storage permission denied. Please check browser settings."])

    assert finding.signature.name == "permission-toast"


def test_two_project_ids_are_a_mismatch() -> None:
    result = triage.triage(MISMATCH_LOG.splitlines())

    assert result.project_ids == [
        "5b0c3a52-0d55-4c1e-9a43-7c2f8e1d9b10",
        "0e6f2d1c-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
    ]
    assert "project-mismatch" in result.causes


@pytest.mark.parametrize(
    ("log", "scenario"),
    [
        (USER_LOG.read_text(encoding="utf-8"), "ltx_console_v2"),
        (CSP_LOG, "csp_blocks_playback"),
        (ROLLBACK_LOG, "storage_rollback"),
        (MISMATCH_LOG, "project_mismatch"),
    ],
    ids=["user-log", "csp", "rollback", "mismatch"],
)
def test_names_the_scenario_that_reproduces_the_log(
    log: str, scenario: str, scenarios: list[Scenario]
) -> None:
    matches = triage.match_scenarios(triage.triage(log.splitlines()), scenarios)

    assert matches, "some scenario should share a cause with the log"
    assert matches[0].scenario.name == scenario


@pytest.mark.parametrize(
    "line",
    [
        "Loading media from 'https://v3.fal.media/files/a/b.mp4' violates the following Content Security "
        "Policy directive: \"media-src 'self' blob: data:\". The action has been blocked.",
        "GET https://v3b.fal.media/files/b/x/y.mp4 net::ERR_BLOCKED_BY_RESPONSE."
        "NotSameOriginAfterDefaultedToSameOriginByCoep 206 (Partial Content)",
        "[MediaStore.addMediaItem] Storage save FAILED, rolling back local item {error: 'Quota'}",
    ],
    ids=["csp", "coep", "rollback"],
)
def test_a_signature_without_any_fact_still_names_a_scenario(line: str, scenarios: list[Scenario]) -> None:
    # No project id, model, size or media URL line: only the one signature.
    text = triage.report("one-line.log", [line], scenarios)

    assert "Reproduce with: python -m e2e.repro " in text


def test_a_log_without_signatures_names_no_scenario(scenarios: list[Scenario]) -> None:
    text = triage.report("quiet.log", ["[AI View] Generate clicked", "all good"], scenarios)

    assert "(no known signature)" in text
    assert "nothing to go on" in text
    assert "Reproduce with" not in text
    assert "project" not in text.split("it cannot show")[1].split("\n", 1)[1], (
        "no claim without a line of evidence"
    )


def test_a_file_that_is_no_log_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert triage.main([str(Path(__file__).parents[3] / "Makefile")]) == 1
    assert "nothing to go on: no line of this console log has a known signature" in capsys.readouterr().out


def test_the_users_build_is_the_one_whose_code_prints_its_lines_and_knows_its_cause(tmp_path: Path) -> None:
    log = USER_LOG.read_text(encoding="utf-8").splitlines()
    printing = "\n".join(f'console.log("{message}")' for message in user_build.messages(log))
    builds = [
        fake_build(tmp_path, "7e2231ef", printing),  # its +desktop lane knows coep
        fake_build(tmp_path, "130d5c2a", printing),  # prints the same lines, knows no coep
        fake_build(tmp_path, "c844ed1f", 'console.log("something else entirely")'),
    ]

    lanes = user_build.match_lanes(log, {"coep"}, builds)

    assert [lane.app for lane in lanes] == ["qcut:7e2231ef+desktop"]
    assert "--app qcut:7e2231ef+desktop" in lanes[0].line("ltx_console_v2")


def fake_build(root: Path, commit: str, code: str) -> Build:
    dist = root / commit / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (dist / "assets" / "index.js").write_text(code, encoding="utf-8")
    return Build(commit, None, "", Source("dist", dist), root / "cache")


def test_cli_prints_lines_causes_and_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert triage.main([str(USER_LOG)]) == 0

    out = capsys.readouterr().out
    assert "line  18  COEP block" in out
    assert "line  20  app's guess" in out
    assert "Reproduce with: python -m e2e.repro ltx_console_v2" in out


def test_cli_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(CSP_LOG))

    assert triage.main(["-"]) == 0
    assert "csp_blocks_playback" in capsys.readouterr().out


def test_cli_says_which_file_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.log"

    assert triage.main([str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


OTHER_HOST_CSP = (
    "Loading media from 'https://cdn.example.com/intro.mp4' violates the following Content Security Policy "
    "directive: \"media-src 'self' blob: data:\". The action has been blocked."
)
FAL_COEP = (
    "GET https://v3b.fal.media/files/b/x/y.mp4 net::ERR_BLOCKED_BY_RESPONSE."
    "NotSameOriginAfterDefaultedToSameOriginByCoep 206 (Partial Content)"
)


def test_a_media_src_refusal_of_another_host_is_not_the_fal_csp_cause(scenarios: list[Scenario]) -> None:
    result = triage.triage([OTHER_HOST_CSP])

    (finding,) = result.findings
    assert finding.signature.name == "csp-media-src"
    assert finding.cause is None, "cdn.example.com is not FAL media: not the generated video"
    assert result.causes == set()
    assert "not a FAL media host" in finding.describe()
    assert any("cdn.example.com, not a FAL media host" in note for note in result.notes())
    assert triage.match_scenarios(result, scenarios) == []


def test_a_coep_block_of_fal_media_outranks_a_csp_refusal_of_another_host(scenarios: list[Scenario]) -> None:
    text = triage.report("mixed.log", [OTHER_HOST_CSP, FAL_COEP], scenarios)

    assert "Reproduce with: python -m e2e.repro ltx_console_v2" in text
    assert "csp-media-src" not in text.split("Causes")[1]


def test_a_refusal_naming_fal_media_outranks_one_without_its_url(scenarios: list[Scenario]) -> None:
    # The COEP line carries no URL (a DevTools link to the file only); the CSP line names FAL media.
    hostless_coep = (
        "Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep"
    )
    fal_csp = OTHER_HOST_CSP.replace(
        "https://cdn.example.com/intro.mp4", "https://v3.fal.media/files/a/b.mp4"
    )
    result = triage.triage([hostless_coep, fal_csp])

    assert result.strengths["csp-media-src"] > result.strengths["coep"]
    assert triage.match_scenarios(result, scenarios)[0].scenario.name == "csp_blocks_playback"


def test_a_coep_block_of_another_hosts_media_is_no_cause() -> None:
    result = triage.triage([FAL_COEP.replace("v3b.fal.media", "cdn.example.com")])

    assert result.causes == set()


# What Chromium prints for the browser's own storage errors (uncaught, in a promise, or logged by the app).
CHROMIUM_STORAGE_ERRORS = {
    "opfs-quota": (
        "Uncaught QuotaExceededError: The operation failed because it would cause the application to exceed "
        "its storage quota.",
        "quota-full",
    ),
    "in-promise-quota": (
        "Uncaught (in promise) QuotaExceededError: The quota has been exceeded.",
        "quota-full",
    ),
    "dom-exception-quota": ("Uncaught (in promise) DOMException: The quota has been exceeded.", "quota-full"),
    "opfs-denied": ("Uncaught (in promise) SecurityError: Storage directory access is denied.", "blocked"),
    "idb-denied": ("idb error UnknownError The user denied permission to access the database.", "blocked"),
    "idb-backing-store": (
        "Uncaught UnknownError: Internal error opening backing store for indexedDB.open.",
        None,
    ),
    "idb-closing": (
        "Uncaught InvalidStateError: Failed to execute 'transaction' on 'IDBDatabase': The database "
        "connection is closing.",
        None,
    ),
}


@pytest.mark.parametrize(("line", "storage"), CHROMIUM_STORAGE_ERRORS.values(), ids=CHROMIUM_STORAGE_ERRORS)
def test_the_browsers_own_storage_errors_are_a_storage_failure(line: str, storage: str | None) -> None:
    result = triage.triage([line])

    (finding,) = result.findings
    assert finding.signature.name == "browser-storage-error"
    assert result.causes == {"storage-failed"}
    assert finding.storage == storage
    assert result.facts.get("storage") == storage


def test_other_security_errors_are_not_storage_errors() -> None:
    line = (
        "Uncaught SecurityError: Failed to read a named property 'document' from 'Window': Blocked a frame."
    )

    assert signatures.scan([line]) == []


def test_a_quota_error_names_the_quota_scenario_and_a_denied_one_the_blocked_one(
    scenarios: list[Scenario],
) -> None:
    quota = triage.triage([CHROMIUM_STORAGE_ERRORS["opfs-quota"][0]])
    denied = triage.triage([CHROMIUM_STORAGE_ERRORS["opfs-denied"][0]])

    assert triage.match_scenarios(quota, scenarios)[0].scenario.name == "storage_rollback"
    assert triage.match_scenarios(denied, scenarios)[0].scenario.name == "storage_blocked"


def test_the_apps_rollback_line_is_more_specific_than_the_browsers_error() -> None:
    result = triage.triage([*ROLLBACK_LOG.splitlines(), CHROMIUM_STORAGE_ERRORS["opfs-quota"][0]])

    assert result.causes == {"storage-rollback"}
