"""Triage reads what users paste, told apart by content: a DevTools console export with its source links, a
log with timestamps, an Electron (Chromium) log, a HAR; and it says what each kind can and cannot show.
Plain unit tests: no browser, no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e.repro import pasted, triage
from e2e.repro.loader import load_all
from e2e.repro.scenario import Scenario
from e2e.repro.signatures import DIRECT, INFERRED

HAR_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "har"
COEP = "net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep"
MEDIA = "https://v3b.fal.media/files/b/x/y.mp4"
QUOTA = "QuotaExceededError: The operation failed because it would cause the application to exceed its quota."


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    """Every scenario under fixtures/scenarios (module scope)."""
    return load_all()


@pytest.mark.parametrize(
    ("line", "message", "source"),
    [
        (f"GET {MEDIA} {COEP}  y.mp4:1", f"GET {MEDIA} {COEP}", "y.mp4:1"),
        (
            f"media-store.ts:281 Uncaught (in promise) {QUOTA}",
            f"Uncaught (in promise) {QUOTA}",
            "media-store.ts:281",
        ),
        (f"2025-11-18T03:48:10.123Z {QUOTA}", QUOTA, None),
        (f"[03:48:10.123] [error] VM12:3 {QUOTA}", QUOTA, "VM12:3"),
        (
            f"https://app.example.com/js/store.js:12:7 {QUOTA}",
            QUOTA,
            "https://app.example.com/js/store.js:12:7",
        ),
        (
            f'[4242:1118/034810.123456:INFO:CONSOLE(12)] "Uncaught {QUOTA}", source: app://s.js (12)',
            f"Uncaught {QUOTA}",
            "app://s.js",
        ),
        (
            f'[13217:13217:1130/042757.492864:INFO:CONSOLE:0] "Uncaught {QUOTA}", source: http://a/ (0)',
            f"Uncaught {QUOTA}",
            "http://a/",
        ),
        (
            "[MediaStore.addMediaItem] Saved to storage {…}",
            "[MediaStore.addMediaItem] Saved to storage {…}",
            None,
        ),
    ],
    ids=[
        "devtools-suffix",
        "devtools-prefix",
        "iso-time",
        "time-level-vm",
        "url-source",
        "electron",
        "chromium",
        "plain",
    ],
)
def test_message_of_strips_what_a_paste_adds(line: str, message: str, source: str | None) -> None:
    assert pasted.message_of(line) == (message, source)


def test_a_source_url_is_not_taken_for_the_refused_url() -> None:
    (finding,) = triage.triage([f"https://app.example.com/js/player.js:64 GET {MEDIA} {COEP}"]).findings

    assert finding.detail["url"] == MEDIA


def test_a_refusal_whose_url_is_only_its_source_link_names_that_url() -> None:
    (finding,) = triage.triage([f"{MEDIA}:1 Failed to load resource: {COEP}"]).findings

    assert finding.host == "v3b.fal.media"
    assert finding.cause == "coep"


def test_a_devtools_export_with_source_suffixes_is_triaged(scenarios: list[Scenario]) -> None:
    text = "\n".join(
        [
            "[AI View] Generate clicked ai.tsx:214",
            f"Loading media from '{MEDIA}' violates the following Content Security Policy directive: "
            "\"media-src 'self' blob: data:\". The action has been blocked. index.html:1",
        ]
    )

    paste = pasted.read_pasted(text)
    result = triage.triage(paste.lines, paste.numbers, paste.kind)

    assert paste.kind is pasted.DEVTOOLS
    assert result.causes == {"csp-media-src"}
    assert triage.match_scenarios(result, scenarios)[0].scenario.name == "csp_blocks_playback"


def test_an_electron_log_is_read_for_its_console_messages(scenarios: list[Scenario]) -> None:
    text = "\n".join(
        [
            '[4242:1118/034809.001:INFO:CONSOLE(3)] "[AI View] Generate clicked", source: app://ai.js (3)',
            "[4242:1118/034810.123:ERROR:gpu_init.cc(523)] Passthrough is not supported, GL is disabled",
            f'[4242:1118/034810.200:INFO:CONSOLE(0)] "Uncaught {QUOTA}", source: app://s.js (0)',
        ]
    )

    paste = pasted.read_pasted(text)
    result = triage.triage(paste.lines, paste.numbers, paste.kind)

    assert paste.kind is pasted.ELECTRON
    assert [(f.line, f.signature.name) for f in result.findings] == [(3, "browser-storage-error")]
    assert triage.match_scenarios(result, scenarios)[0].scenario.name == "storage_rollback"


@pytest.mark.parametrize(
    ("har", "cause", "scenario"),
    [
        ("ltx_console_v2.har", "coep", "ltx_console_v2"),
        ("queue_csp_blocks_playback.har", "csp-media-src", "csp_blocks_playback"),
    ],
    ids=["coep-refusal", "csp-policy"],
)
def test_a_har_is_told_by_its_content_and_read_for_its_network(
    har: str, cause: str, scenario: str, scenarios: list[Scenario]
) -> None:
    paste = pasted.read_pasted((HAR_DIR / har).read_text(encoding="utf-8"))
    result = triage.triage(paste.lines, paste.numbers, paste.kind)

    assert paste.kind is pasted.HAR
    assert result.causes == {cause}
    assert triage.match_scenarios(result, scenarios)[0].scenario.name == scenario


def test_a_hars_csp_is_inferred_and_its_coep_refusal_is_direct() -> None:
    coep = pasted.read_pasted((HAR_DIR / "ltx_console_v2.har").read_text(encoding="utf-8"))
    csp = pasted.read_pasted((HAR_DIR / "queue_csp_blocks_playback.har").read_text(encoding="utf-8"))

    assert triage.triage(coep.lines, coep.numbers).strengths == {"coep": DIRECT}
    assert triage.triage(csp.lines, csp.numbers).strengths == {"csp-media-src": INFERRED}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[AI View] Generate clicked\nall good\n", pasted.CONSOLE),
        ("ai.tsx:214 [AI View] Generate clicked\n", pasted.DEVTOOLS),
        ('{"log": {"entries": []}}', pasted.HAR),
        ('{"not": "a har"}', pasted.CONSOLE),
    ],
    ids=["plain", "devtools", "har", "other-json"],
)
def test_the_kind_is_told_by_content(text: str, kind: pasted.Kind) -> None:
    assert pasted.read_pasted(text).kind is kind


def test_the_report_says_what_the_input_can_and_cannot_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    har = tmp_path / "user report.txt"  # the name says nothing: the content does
    har.write_text((HAR_DIR / "ltx_console_v2.har").read_text(encoding="utf-8"), encoding="utf-8")

    assert triage.main([str(har)]) == 0

    out = capsys.readouterr().out
    assert f"{har}: HAR (network only)" in out
    assert "it cannot show: console messages: storage errors" in out
    assert "entry  34  COEP block" in out
    assert "Reproduce with: python -m e2e.repro ltx_console_v2" in out


def test_an_electron_logs_csp_refusal_keeps_its_directive() -> None:
    # As Chromium's log prints it: the message's own double quotes are not escaped.
    line = (
        "[13164:13164:1130/043946.393848:INFO:CONSOLE:3] "
        "\"Loading media from  'https://v3.fal.media/files/a/b.mp4' violates the following Content Security "
        'Policy directive: "media-src \'self\' blob: data:". The action has been blocked.", '
        "source: http://127.0.0.1:36353/index.html (3)"
    )

    (finding,) = triage.triage([line]).findings

    assert finding.cause == "csp-media-src"
    assert finding.detail["directive"] == "media-src 'self' blob: data:"


def test_an_electron_log_says_it_cannot_show_network_errors() -> None:
    assert "Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE` is not logged" in pasted.ELECTRON.misses
