"""BuiltAppServer over HTTPS, no browser: files as they ship, the desktop shell's headers on demand."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_fal.tls import Certificates
from qcut_builds.server import BuiltAppServer

SHELL = {
    "Content-Security-Policy": "default-src 'self'; media-src 'self' https://fal.media;",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}
INDEX = (
    '<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'self\'"><div id=root>'
)
# Headers any static host sends; anything else would be a policy of ours.
PLAIN = {"server", "date", "content-type", "content-length", "connection", "keep-alive"}


@pytest.fixture(scope="module")
def certificates() -> Certificates:
    """One CA and leaf for app.qcut.test (module scope): key generation is the slow part of a server."""
    return Certificates(["app.qcut.test"])


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small built app: index.html and one hashed asset (module scope)."""
    folder = tmp_path_factory.mktemp("dist")
    (folder / "assets").mkdir()
    (folder / "index.html").write_text(INDEX, encoding="utf-8")
    (folder / "assets" / "index-abc123.js").write_text("console.log(1)\n", encoding="utf-8")
    return folder


@pytest.fixture
def server(dist: Path, certificates: Certificates) -> Iterator[BuiltAppServer]:
    """The built app with the shell's headers known but off (function scope)."""
    with BuiltAppServer(dist, commit="7e2231ef", shell_headers=SHELL, certificates=certificates) as running:
        yield running


def _get(
    server: BuiltAppServer, target: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    assert server.certificates is not None
    connection = http.client.HTTPSConnection(
        "127.0.0.1", server.port, context=server.certificates.client_context(), timeout=10
    )
    try:
        connection.request(method, target, headers={"Host": server.host, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_files_go_out_unchanged_with_no_policy_of_ours(server: BuiltAppServer, dist: Path) -> None:
    for target, file in (("/", "index.html"), ("/assets/index-abc123.js", "assets/index-abc123.js")):
        status, headers, body = _get(server, target)

        assert status == 200
        assert body == (dist / file).read_bytes(), f"{target} must be the file as built"
        assert {name.lower() for name in headers} <= PLAIN, f"{target} sent {dict(headers)}"
    assert _get(server, "/assets/index-abc123.js")[1]["Content-Type"].startswith("text/javascript")


def test_desktop_headers_go_on_every_response_when_asked(dist: Path, certificates: Certificates) -> None:
    with BuiltAppServer(dist, desktop_headers=True, shell_headers=SHELL, certificates=certificates) as server:
        for target in ("/", "/index.html", "/assets/index-abc123.js", "/missing.js"):
            headers = _get(server, target)[1]

            sent = {name: headers[name] for name in SHELL}
            assert sent == SHELL, f"{target} must carry the shell's headers exactly"
            assert len(headers.get_all("Content-Security-Policy") or []) == 1


def test_the_page_switch_turns_them_on_for_that_page_and_what_it_loads(server: BuiltAppServer) -> None:
    page = f"{server.origin}/?desktop-headers=1"

    _, index, _ = _get(server, "/?desktop-headers=1")
    _, script, _ = _get(server, "/assets/index-abc123.js", headers={"Referer": page})
    _, other_page_script, _ = _get(
        server, "/assets/index-abc123.js", headers={"Referer": f"{server.origin}/"}
    )
    _, plain_index, _ = _get(server, "/")

    assert index["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert script["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert "Cross-Origin-Embedder-Policy" not in other_page_script
    assert "Content-Security-Policy" not in plain_index


def test_a_cross_origin_referer_does_not_turn_them_on(server: BuiltAppServer) -> None:
    headers = _get(server, "/", headers={"Referer": "https://elsewhere.test/?desktop-headers=1"})[1]

    assert "Content-Security-Policy" not in headers


def test_missing_files_are_404_and_outside_paths_never_served(server: BuiltAppServer) -> None:
    # Hash routing (#/editor/<id>) never asks for another path, so there is no index fallback.
    assert _get(server, "/editor/123")[0] == 404
    assert _get(server, "/../../etc/passwd")[0] == 404
    assert _get(server, "/", method="POST")[0] == 405


def test_desktop_headers_without_known_values_are_refused(dist: Path, certificates: Certificates) -> None:
    with pytest.raises(ValueError, match="none are known for 7e2231ef"):
        BuiltAppServer(dist, commit="7e2231ef", desktop_headers=True, certificates=certificates)


def test_a_folder_without_index_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no index\.html"):
        BuiltAppServer(tmp_path)


def test_addresses_and_chromium_flags_match_the_host_mapping(server: BuiltAppServer) -> None:
    assert (server.url, server.origin) == ("https://app.qcut.test/", "https://app.qcut.test")
    assert server.host_rules == [f"MAP app.qcut.test:443 127.0.0.1:{server.port}"]
    assert server.chromium_args == [
        f"--host-resolver-rules=MAP app.qcut.test:443 127.0.0.1:{server.port}",
        f"--ignore-certificate-errors-spki-list={server.spki}",
    ]
