"""Loading a scenario is strict: an unusable file is refused at once with its file, key and what is allowed.
Plain unit tests: no browser, no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e.repro.loader import ScenarioError, load_scenario
from e2e.repro.scenario import name_error, name_from
from e2e.repro.steps import ACTIONS, Filter, Generate, OpenProject, Preview, Search
from media_app.models import APP_MODELS
from qcut_builds.build import UnknownBuild, find_build, known_builds

VALID = """
[scenario]
name = "{name}"
title = "t"
report = "r"

[fal]
model = "ltxv2_fast_t2v"
endpoint = "fal-ai/ltxv-2/text-to-video/fast"

[[steps]]
action = "generate"
prompt = "p"

[expect]
listed = true

[symptom]
listed = false
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("[fal]", '[fal]\nmodle = "x"'), ["[fal]: unknown key 'modle'; allowed: model, endpoint"]),
        (
            ("[expect]", '[environment]\nbugs = ["rolback"]\n\n[expect]'),
            ["[environment].bugs", "'rolback'", "rollback"],
        ),
        (
            ("[expect]", '[environment]\nstorage = "full"\n\n[expect]'),
            ["[environment].storage", "quota-full"],
        ),
        (
            ("[expect]", '[environment]\napp = "qcut:no-such-commit"\n\n[expect]'),
            ["[environment].app", "'qcut:no-such-commit'"],
        ),
        (
            ("[expect]", '[environment]\napp = "vscode"\n\n[expect]'),
            ["[environment].app", "use reference, qcut:<commit>[+desktop], qcut:<path"],
        ),
        (('action = "generate"', 'action = "swtich"'), ["steps[1].action", "'swtich'", "open_project"]),
        (
            ("listed = false", "listed = false\nplays = false"),
            ["[symptom]: plays and blocked_by need a preview step"],
        ),
        (("[fal]", "[fal]\nhold = true"), ["[fal].hold: a held job needs a release step"]),
        (("[fal]", '[fal]\nclip = "huge"'), ["[fal].clip", "'huge'", "ltx-console-v2"]),
        (("[fal]", "[fal]\nfile_size = 12"), ["[fal].file_size: no fixture clip is exactly 12 bytes"]),
        (("[fal]", '[fal]\nmedia_host = "cdn.example"'), ["[fal].media_host", "v3b.fal.media"]),
        (
            ("[expect]", '[[fal.faults]]\nkind = "boom"\n\n[expect]'),
            ["[fal].faults[0]", "unknown fault kind 'boom'"],
        ),
        (
            ("[expect]", "[[fal.faults]]\nstatus = 500\nwhen = 1\n\n[expect]"),
            ["[fal].faults[0]", "'when'", "step"],
        ),
        (("listed = false", "listed = 1"), ["[symptom].listed: must be true or false, got 1"]),
        (("[symptom]\nlisted = false", "[symptom]"), ["[symptom]: must check at least one of"]),
        (
            ("[expect]", '[environment]\ncoep = "none"\nbugs = ["coep-require-corp"]\n\n[expect]'),
            ["contradicts"],
        ),
        (("[scenario]", "[secnario]\n[scenario]"), ["unknown section 'secnario'"]),
        (
            ('model = "ltxv2_fast_t2v"', 'model = "ltxv2_fast"'),
            ["[fal].model", "'ltxv2_fast' is not a model the app offers", *(m.id for m in APP_MODELS)],
        ),
        (
            ('model = "ltxv2_fast_t2v"', 'model = "kling_v2_5_turbo_pro_t2v"'),
            [
                "[fal].endpoint",
                "'fal-ai/ltxv-2/text-to-video/fast' is not what model 'kling_v2_5_turbo_pro_t2v'",
            ],
        ),
        (
            ("[fal]", '[fal]\nmode = "queue"'),
            ["[fal].mode: 'queue': the app calls 'ltxv2_fast_t2v' the sync way"],
        ),
        (
            ('name = "bad"', 'name = "Bad Report"'),
            ["[scenario].name: 'Bad Report' is not lower-case", "'bad_report'"],
        ),
        (
            ('action = "generate"\nprompt = "p"', 'action = "filter"'),
            ["steps[1].type: is required for filter; allowed: all, video, audio, image"],
        ),
        (
            ('prompt = "p"', 'prompt = "p"\nquery = "q"'),
            ["steps[1]: unknown key 'query'; allowed: action, prompt, until"],
        ),
        (('prompt = "p"', 'prompt = "  "'), ["steps[1].prompt: must not be blank"]),
        (
            (
                'action = "generate"',
                'action = "open_project"\nproject = "other"\n\n[[steps]]\naction = "generate"',
            ),
            ["steps[1].project: 'other' is not allowed; allowed: main"],
        ),
        (
            (
                'action = "generate"',
                'action = "fal_fault"\nstep = "stauts"\n\n[[steps]]\naction = "generate"',
            ),
            ["steps[1]: not a fault fake_fal understands: unknown step 'stauts'"],
        ),
        (
            ('prompt = "p"', 'prompt = "p"\nmore_models = ["veo3"]'),
            ["steps[1].more_models: 'veo3' is not a model the app offers", *(m.id for m in APP_MODELS)],
        ),
        (
            ('prompt = "p"', 'prompt = "p"\nmodel = "ltxv2_fast_t2v"\nmore_models = ["ltxv2_fast_t2v"]'),
            ["steps[1].more_models: names each model once, and not the step's `model`"],
        ),
    ],
    ids=[
        "unknown-key",
        "bug-switch",
        "storage",
        "unknown-build",
        "app-kind",
        "action",
        "plays-without-preview",
        "hold-without-release",
        "clip",
        "file-size",
        "media-host",
        "fault-kind",
        "fault-key",
        "bool",
        "empty-outcome",
        "coep-contradiction",
        "section",
        "unknown-model",
        "model-endpoint-disagree",
        "model-mode-disagree",
        "name-rule",
        "filter-without-type",
        "step-key",
        "blank-prompt",
        "open-undeclared-project",
        "fal-fault-step",
        "more-models-unknown",
        "more-models-repeat",
    ],
)
def test_loader_names_file_key_and_what_is_allowed(
    change: tuple[str, str], expected: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    old, new = change
    text = VALID.format(name="bad")
    assert old in text
    path.write_text(text.replace(old, new, 1))

    with pytest.raises(ScenarioError) as error:
        load_scenario(path)

    message = str(error.value)
    assert message.startswith(str(path)), "the error should name the file"
    for fragment in expected:
        assert fragment in message


def test_loader_wants_the_name_to_match_the_file(tmp_path: Path) -> None:
    path = tmp_path / "one.toml"
    path.write_text(VALID.format(name="two"))

    with pytest.raises(ScenarioError, match=r"\[scenario\]\.name: 'two' must match the file name 'one'"):
        load_scenario(path)


def test_minimal_scenario_gets_one_project_and_the_fixed_app(tmp_path: Path) -> None:
    path = tmp_path / "minimal.toml"
    path.write_text(VALID.format(name="minimal"))

    scenario = load_scenario(path)

    assert list(scenario.projects) == ["main"]
    assert scenario.environment.effective_bugs == frozenset()
    assert scenario.environment.query == "?profile=fixed"
    assert scenario.fal.media_host == "v3b.fal.media"


def test_an_outcome_can_name_the_ai_panels_error_or_its_absence(tmp_path: Path) -> None:
    path = tmp_path / "stale.toml"
    text = VALID.format(name="stale").replace("listed = true", 'ai_error = ""')
    path.write_text(text.replace("listed = false", 'ai_error = "Invalid FAL.ai API key"'))

    scenario = load_scenario(path)

    assert scenario.expect.checks() == {"ai_error": ""}
    assert scenario.symptom.checks() == {"ai_error": "Invalid FAL.ai API key"}


@pytest.mark.parametrize(
    "text", ["User Report (1)", "ltx_console_v2", "  --Über--Bericht--  ", "(((", "A.B-c_d"]
)
def test_a_name_made_from_any_text_passes_the_loaders_rule(text: str) -> None:
    name = name_from(text)

    assert name_error(name) is None
    assert name_error(name, Path(f"{name}.toml")) is None


def test_the_name_rule_says_what_would_do() -> None:
    assert name_from("User Report (1)") == "user_report_1"
    assert "'user_report_1' would do" in str(name_error("User Report (1)"))


def test_each_action_is_its_own_step_and_says_what_the_user_did(tmp_path: Path) -> None:
    path = tmp_path / "steps.toml"
    steps = """
[[steps]]
action = "open_project"
project = "main"

[[steps]]
action = "generate"
prompt = "p"
until = "submitted"

[[steps]]
action = "filter"
type = "audio"

[[steps]]
action = "search"
query = "fox"

[[steps]]
action = "preview"
"""
    text = VALID.format(name="steps").replace('[[steps]]\naction = "generate"\nprompt = "p"\n', steps, 1)
    path.write_text(text)

    scenario = load_scenario(path)

    assert scenario.steps == (
        OpenProject("main"),
        Generate("p", "submitted"),
        Filter("audio"),
        Search("fox"),
        Preview(),
    )
    assert [step.describe() for step in scenario.steps] == [
        "open_project main",
        "generate 'p' (until submitted)",
        "filter audio",
        "search 'fox'",
        "preview",
    ]
    assert scenario.causes == {"filter", "search"}


def test_every_action_has_its_meaning_written_once() -> None:
    assert list(ACTIONS) == [
        "open_project",
        "generate",
        "release",
        "filter",
        "search",
        "reload",
        "preview",
        "restore_storage",
        "retry",
        "delete",
        "save_locally",
        "clear_filters",
        "fill_storage",
        "block_storage",
        "unblock_storage",
        "fal_fault",
    ]
    assert all(ACTIONS.values()), "each step class's docstring says what the user does"


def _needs_snapshot(commit: str) -> None:
    """Skip, saying where the suite looked, when no snapshot of `commit` is beside the repo (the tests never
    fetch QCut's repository)."""
    try:
        find_build(commit, known_builds())
    except UnknownBuild as error:
        pytest.skip(f"needs the QCut snapshot {commit}: {error}")


def test_a_scenario_names_a_real_build_in_its_environment(tmp_path: Path) -> None:
    _needs_snapshot("7e2231ef")
    path = tmp_path / "on_the_build.toml"
    path.write_text(
        VALID.format(name="on_the_build").replace(
            "[fal]", '[environment]\napp = "qcut:7e2231ef+desktop"\n\n[fal]'
        )
    )

    assert load_scenario(path).environment.app == "qcut:7e2231ef+desktop"


def test_a_real_build_takes_none_of_the_reference_apps_switches(tmp_path: Path) -> None:
    _needs_snapshot("7e2231ef")
    path = tmp_path / "switched.toml"
    environment = '[environment]\napp = "qcut:7e2231ef"\nprofile = "legacy"\n\n[fal]'
    path.write_text(VALID.format(name="switched").replace("[fal]", environment))

    with pytest.raises(ScenarioError, match=r"\[environment\]\.app: qcut:7e2231ef is a real build"):
        load_scenario(path)
