"""Options a pytest-playwright user may pass: each is honoured, or refused at start-up saying why and what
to use instead. Refusals are checked in a `pytest --collect-only` of their own (no browser starts)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from media_app.browser import NO_DISPLAY

ROOT = Path(__file__).resolve().parents[1]
USAGE_ERROR = 4
# A browser test of the fake's own: one page, a few seconds.
ONE_PAGE_TEST = "fake_fal/tests/test_browser.py::test_page_runs_a_queue_job_and_plays_its_video"


def pytest_run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A pytest run from the repository root, no cache written; `env` replaces the environment if given."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, env=os.environ if env is None else env
    )


def reports_in(folder: Path) -> list[str]:
    """Options that keep a browser run's reports and artifacts in `folder`, out of the suite's reports/."""
    return ["-p", "no:html", f"--junitxml={folder / 'junit.xml'}", f"--output={folder}"]


def refused(*args: str, env: dict[str, str] | None = None) -> str:
    """The start-up error for `pytest e2e --collect-only` with these options (a usage error is required)."""
    result = pytest_run("e2e", "--collect-only", *args, env=env)
    assert result.returncode == USAGE_ERROR, result.stdout + result.stderr
    return result.stderr


def test_unknown_app_bugs_switch_is_refused_naming_the_switches() -> None:
    error = refused("--app-bugs", "nonsense,rollback")
    assert "--app-bugs: unknown bug switch(es) nonsense" in error
    assert "csp-media-src" in error
    assert "no-hidden-hint" in error


@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_another_browser_engine_is_refused(engine: str) -> None:
    error = refused("--browser", engine)
    assert f"--browser {engine}: this suite drives Chromium only" in error
    assert "DevTools" in error


def test_headed_without_a_display_is_refused_as_repro_refuses_it() -> None:
    env = {name: value for name, value in os.environ.items() if name not in ("DISPLAY", "WAYLAND_DISPLAY")}
    assert NO_DISPLAY in refused("--headed", env=env)


def test_unknown_device_is_refused_with_the_nearest_names() -> None:
    error = refused("--device", "Pixel77")
    assert "--device 'Pixel77': not one of Playwright's device descriptors" in error
    assert "'Pixel 7'" in error


def test_app_at_vite_source_outside_a_checkout_is_refused_never_misbuilt(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "index.html").write_text('<script type="module" src="/src/main.tsx"></script>')

    error = refused("--app", f"qcut:{tmp_path / 'web'}")
    assert "Vite's source, which loads /src/: not a built app" in error


def test_app_at_a_missing_path_or_unset_src_is_refused_saying_so(tmp_path: Path) -> None:
    assert f"{tmp_path / 'gone'}: no such file or directory" in refused("--app", f"qcut:{tmp_path / 'gone'}")
    env = {name: value for name, value in os.environ.items() if name != "QCUT_SRC"}
    assert "QCUT_SRC is not set" in refused("--app", "qcut:src", env=env)


def test_base_url_is_the_app_under_test() -> None:
    result = pytest_run("e2e", "--collect-only", "-v", "--base-url", "https://staging.example/")
    assert result.returncode == 0, result.stderr
    assert "app under test: https://staging.example/ (--app-url" in result.stdout


def test_base_url_and_a_different_app_url_are_refused() -> None:
    error = refused("--base-url", "https://a.example/", "--app-url", "https://b.example/")
    assert "name two apps under test; --base-url is --app-url's other name" in error


def test_base_url_without_e2e_is_refused() -> None:
    result = pytest_run("fake_fal/tests", "--collect-only", "--base-url", "https://a.example/")
    assert result.returncode == USAGE_ERROR
    assert "the app under test is e2e's" in result.stderr


def test_video_without_any_ffmpeg_is_refused(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "registry"),
        "IMAGEIO_FFMPEG_EXE": str(tmp_path / "no-ffmpeg"),
        "PATH": str(tmp_path),
    }
    error = refused("--video", "on", env=env)
    assert "--video on: Playwright records videos with its own ffmpeg" in error
    assert "imageio-ffmpeg" in error


@pytest.mark.browser
def test_video_is_recorded_with_a_real_ffmpeg_in_playwrights_place(tmp_path: Path) -> None:
    registry, output = tmp_path / "registry", tmp_path / "artifacts"
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(registry)}
    result = pytest_run(
        *reports_in(output),
        *("-n", "0"),
        *(ONE_PAGE_TEST, "-k", "v3b", "--video", "on"),
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(registry.glob("ffmpeg-*/ffmpeg-linux")), "a real ffmpeg should stand in Playwright's place"
    videos = list(output.rglob("video*.webm"))
    assert videos
    assert all(video.stat().st_size > 0 for video in videos)


@pytest.mark.browser
def test_a_trace_keeps_every_actions_page_and_leaves_the_screencast_out(tmp_path: Path) -> None:
    """`--tracing on` is honoured, as every trace is recorded (e2e.witnesses.artifacts.start_trace): the page
    at each action, which the trace viewer draws, without the screencast that cost a test 40 % more CPU."""
    result = pytest_run(*reports_in(tmp_path), *("-n", "0"), *(ONE_PAGE_TEST, "-k", "v3b", "--tracing", "on"))

    assert result.returncode == 0, result.stdout + result.stderr
    [trace] = tmp_path.rglob("trace.zip")
    with zipfile.ZipFile(trace) as archive:
        names = archive.namelist()
        events = "".join(archive.read(name).decode() for name in names if name.endswith(".trace"))
    assert '"frame-snapshot"' in events, "the trace should hold the page at each action"
    assert '"screencast-frame"' not in events, "the trace should leave the screencast out"
    assert not [name for name in names if name.endswith(".jpeg")], (
        "the trace should hold no screencast frames"
    )


def test_browser_channel_that_is_not_installed_is_refused(tmp_path: Path) -> None:
    result = pytest_run(
        *reports_in(tmp_path), "-n", "2", ONE_PAGE_TEST, "--browser-channel", "no-such-channel"
    )
    assert result.returncode == USAGE_ERROR, result.stdout + result.stderr
    assert "--browser-channel no-such-channel:" in result.stderr
    assert "Or leave --browser-channel out" in result.stderr
