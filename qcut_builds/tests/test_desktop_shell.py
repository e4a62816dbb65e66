"""Reading the desktop shell's headers out of electron/main.ts: the one shape accepted, the rest refused."""

from __future__ import annotations

import tarfile

import pytest

from qcut_builds.build import DEFAULT_SNAPSHOTS
from qcut_builds.desktop_shell import DesktopHeadersError, parse_headers

from .conftest import MAIN_TS


def test_concatenated_literals_make_one_value_per_header() -> None:
    assert parse_headers(MAIN_TS) == {
        "Content-Security-Policy": "default-src 'self'; media-src 'self' https://fal.media;",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def test_comments_and_single_quotes_are_read() -> None:
    source = """onHeadersReceived((d, callback) => {
      responseHeaders["X-A"] = [ // why
        'it\\'s' + /* more */ "-" + "\\u0041",
      ];
      callback({ responseHeaders });"""

    assert parse_headers(source) == {"X-A": "it's-A"}


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("[`default-src ${extra}`]", "not a string literal"),
        ('["a" + policy]', "not a string literal"),
        ('["a" "b"]', "two string literals without"),
    ],
)
def test_anything_but_plain_literals_is_refused(value: str, why: str) -> None:
    source = (
        f'onHeadersReceived(() => {{ responseHeaders["X"] = {value}; callback({{ responseHeaders }}); }})'
    )

    with pytest.raises(DesktopHeadersError, match=why):
        parse_headers(source)


def test_a_main_ts_without_the_handler_is_refused() -> None:
    with pytest.raises(DesktopHeadersError, match="no 'onHeadersReceived\\(' handler"):
        parse_headers("app.whenReady().then(createWindow);")


def _snapshot_main_ts(commit: str) -> str:
    archive = DEFAULT_SNAPSHOTS / f"qcut-{commit}.tar.gz"
    if not archive.is_file():
        pytest.skip(f"no snapshot {archive}")
    with tarfile.open(archive) as tar:
        handle = tar.extractfile(f"qcut-{commit}/qcut/electron/main.ts")
        assert handle is not None
        return handle.read().decode("utf-8")


def _directive(policy: str, name: str) -> list[str]:
    return next(part.split()[1:] for part in policy.split(";") if part.split()[:1] == [name])


def test_the_bug_commit_shell_sends_coop_coep_and_a_media_src_with_the_fal_hosts() -> None:
    headers = parse_headers(_snapshot_main_ts("7e2231ef"))

    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    media_src = _directive(headers["Content-Security-Policy"], "media-src")
    assert {"https://fal.media", "https://v3.fal.media", "https://v3b.fal.media"} <= set(media_src)


def test_the_older_commit_shell_leaves_the_fal_hosts_out_of_media_src() -> None:
    headers = parse_headers(_snapshot_main_ts("c844ed1f"))

    assert "https://fal.media" not in _directive(headers["Content-Security-Policy"], "media-src")
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
