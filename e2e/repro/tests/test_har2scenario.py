"""har2scenario drafts a scenario from a HAR: the FAL job's lifecycle, endpoint, media host and size, and the
loads the browser refused. The two HARs under fixtures/har/ were recorded by Playwright from the suite's own
replays (`python -m e2e.repro ltx_console_v2 --har ...`, and a queued model with CSP media-src blocking),
with script and stylesheet bodies removed to keep them small. Plain unit tests: no browser, no server."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from e2e.repro import har, har2scenario
from e2e.repro.har import read_har
from e2e.repro.loader import load_scenario
from media_app.models import model_for_endpoint, read_models

HAR_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "har"
COEP_HAR = HAR_DIR / "ltx_console_v2.har"
QUEUE_CSP_HAR = HAR_DIR / "queue_csp_blocks_playback.har"


def _draft(har: Path, **kwargs: Any) -> dict[str, Any]:
    text = har2scenario.draft(read_har(har), source=har.name, name="user", **kwargs)
    return tomllib.loads(text)


def _har(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "entries": entries}}


def _entry(method: str, url: str, status: int, body: Any = None, started: str = "") -> dict[str, Any]:
    text = json.dumps(body) if body is not None else ""
    return {
        "startedDateTime": started,
        "request": {
            "method": method,
            "url": url,
            "headers": [],
            "postData": {"text": json.dumps({"prompt": "p"})},
        },
        "response": {
            "status": status,
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "content": {"size": len(text), "mimeType": "application/json", "text": text},
        },
    }


def test_sync_run_blocked_by_coep_becomes_the_users_scenario() -> None:
    scenario = _draft(COEP_HAR, model="ltxv2_fast_t2v")

    assert scenario["fal"] == {
        "model": "ltxv2_fast_t2v",
        "endpoint": "fal-ai/ltxv-2/text-to-video/fast",
        "mode": "sync",
        "media_host": "v3b.fal.media",
        "file_size": 7_933_788,
    }
    assert scenario["environment"]["coep"] == "require-corp"
    assert scenario["environment"]["csp"] == "allows-fal-media", "media-src listed the FAL hosts: not CSP"
    assert [step["action"] for step in scenario["steps"]] == ["open_project", "generate", "preview"]
    assert scenario["steps"][1]["prompt"].startswith("Camera slowly descends")
    assert scenario["symptom"] == {"listed": True, "plays": False, "blocked_by": "coep"}


def test_queue_lifecycle_counts_the_polls() -> None:
    exchanges = read_har(QUEUE_CSP_HAR)
    job = har.fal_job(exchanges)

    assert job is not None
    assert job.mode == "queue"
    assert job.endpoint == "fal-ai/kling-video/v2.5-turbo/pro/text-to-video"
    assert [har.step_of(call) for call in job.calls] == ["submit"] + ["status"] * 6 + ["result"]
    assert (job.polls_in_queue, job.polls_in_progress) == (2, 3)
    assert str(job.video_url).startswith("https://v3.fal.media/files/")


def test_csp_block_is_read_from_the_page_policy() -> None:
    # A CSP block stops the load before any request: the HAR shows only a media-src without the host.
    scenario = _draft(QUEUE_CSP_HAR, model="kling_v2_5_turbo_pro_t2v")

    assert scenario["environment"]["csp"] == "blocks-fal-media"
    assert "coep" not in scenario["environment"]
    assert scenario["fal"]["media_host"] == "v3.fal.media"
    assert scenario["fal"]["clip"] == "small", "the fixture clip of exactly the downloaded size"
    assert scenario["symptom"]["blocked_by"] == "csp"


def test_media_size_comes_from_the_download_or_the_range_total() -> None:
    (media,) = har.media_files(read_har(COEP_HAR))

    assert media.size == 7_933_788
    assert media.played, "the <video> asked for it too (a Range request), so the user previewed it"
    assert "NotSameOriginAfterDefaultedToSameOriginByCoep" in media.refused[0].error


def test_fal_error_at_result_becomes_a_fault(tmp_path: Path) -> None:
    base = "https://queue.fal.run/fal-ai/kling-video"
    har = tmp_path / "error.har"
    har.write_text(
        json.dumps(
            _har(
                [
                    _entry("POST", f"{base}/v2.5-turbo/pro/text-to-video", 200, {"request_id": "r1"}, "1"),
                    _entry("GET", f"{base}/requests/r1/status", 200, {"status": "COMPLETED"}, "2"),
                    _entry("GET", f"{base}/requests/r1", 422, {"detail": [{"msg": "bad"}]}, "3"),
                ]
            )
        )
    )

    scenario = _draft(har, model="kling_v2_5_turbo_pro_t2v")

    assert scenario["fal"]["faults"] == [{"kind": "status", "status": 422, "step": "result", "times": 1}]
    assert scenario["symptom"] == {"listed": False}


def test_without_model_the_apps_model_for_the_endpoint_is_used() -> None:
    assert _draft(COEP_HAR)["fal"]["model"] == "ltxv2_fast_t2v"
    assert _draft(QUEUE_CSP_HAR)["fal"]["model"] == "kling_v2_5_turbo_pro_t2v"


def test_for_an_endpoint_the_app_does_not_offer_a_placeholder_says_to_set_it(tmp_path: Path) -> None:
    har = tmp_path / "other.har"
    har.write_text(json.dumps(_har([_entry("POST", "https://fal.run/fal-ai/veo3", 200, {"video": {}})])))

    text = har2scenario.draft(read_har(har), source="other.har", name="user")

    assert f'model = "{har2scenario.MODEL_PLACEHOLDER}"' in text
    assert "--model sets it" in text


def test_the_app_model_list_is_read_as_the_app_declares_it(tmp_path: Path) -> None:
    models_js = tmp_path / "ai-models.js"
    models_js.write_text(
        'export const AI_MODELS = [\n  { id: "a", name: "A", endpoint: "fal-ai/a", defaults: { x: 1 } },\n'
        '  {\n    id: "b",\n    endpoint: "fal-ai/b/fast",\n  },\n];\n'
    )

    models = read_models(models_js)

    assert [model.id for model in models] == ["a", "b"]
    assert model_for_endpoint("fal-ai/b/fast", models) == models[1]
    assert model_for_endpoint("fal-ai/c", models) is None
    assert read_models(tmp_path / "missing.js") == ()


def test_cli_writes_the_file_named_after_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "my_report.toml"

    assert har2scenario.main([str(COEP_HAR), "--model", "ltxv2_fast_t2v", "-o", str(out)]) == 0
    assert tomllib.loads(out.read_text())["scenario"]["name"] == "my_report"
    assert str(out) in capsys.readouterr().out


def test_cli_refuses_a_file_that_is_not_a_har(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.har"
    bad.write_text("not json")

    assert har2scenario.main([str(bad)]) == 2
    assert "not a readable HAR" in capsys.readouterr().err


def test_cli_says_when_there_is_no_fal_job(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    har = tmp_path / "empty.har"
    har.write_text(json.dumps(_har([_entry("GET", "https://app.qcut.test/", 200, {})])))

    assert har2scenario.main([str(har)]) == 2
    assert "no FAL job" in capsys.readouterr().err


def test_a_scenario_drafted_from_any_har_file_name_loads_under_that_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    har = tmp_path / "User Report (1).har"
    har.write_bytes(COEP_HAR.read_bytes())

    assert har2scenario.main([str(har)]) == 0

    text = capsys.readouterr().out
    name = tomllib.loads(text)["scenario"]["name"]
    assert name == "user_report_1"
    assert f"# Save it as {name}.toml" in text
    saved = tmp_path / f"{name}.toml"
    saved.write_text(text)
    assert load_scenario(saved).name == name, "repro must accept what har2scenario writes"


def test_an_output_file_name_the_loader_would_refuse_is_refused_with_one_that_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "User Report (1).toml"

    assert har2scenario.main([str(COEP_HAR), "-o", str(out)]) == 2

    assert not out.exists()
    err = capsys.readouterr().err
    assert "the file name is the scenario's name" in err
    assert str(tmp_path / "user_report_1.toml") in err


@pytest.mark.parametrize(
    ("name", "output", "said"),
    [
        ("User Report", None, "--name: 'User Report' is not lower-case letters, digits, _ or -"),
        ("other", "mine.toml", "--name: 'other' must match the file name 'mine'"),
    ],
    ids=["rule", "file-name"],
)
def test_a_name_the_loader_would_refuse_is_refused(
    name: str, output: str | None, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["-o", str(tmp_path / output)] if output else []

    assert har2scenario.main([str(COEP_HAR), "--name", name, *extra]) == 2
    assert said in capsys.readouterr().err


def test_a_model_the_app_does_not_offer_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert har2scenario.main([str(COEP_HAR), "--model", "veo3"]) == 2

    err = capsys.readouterr().err
    assert "--model 'veo3' is not a model the app offers; allowed: ltxv2_fast_t2v" in err


def test_a_named_model_brings_its_own_endpoint_and_mode_so_the_draft_loads(tmp_path: Path) -> None:
    # The user's HAR called the LTX endpoint synchronously; the app calls Kling through the queue.
    text = har2scenario.draft(
        read_har(COEP_HAR), source="user.har", name="user", model="kling_v2_5_turbo_pro_t2v"
    )
    path = tmp_path / "user.toml"
    path.write_text(text)

    fal = load_scenario(path).fal
    assert (fal.model, fal.endpoint, fal.mode) == (
        "kling_v2_5_turbo_pro_t2v",
        "fal-ai/kling-video/v2.5-turbo/pro/text-to-video",
        "queue",
    )
    assert "the user's HAR called fal-ai/ltxv-2/text-to-video/fast" in text
