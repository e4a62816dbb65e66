"""BuiltAppServer: a built QCut `dist/` served as it ships, optionally with the desktop shell's headers.

The files go out unchanged and no header of ours is added: in web mode QCut's only policy is the `<meta>`
CSP of its own index.html. With `desktop_headers` every response also carries the headers the desktop shell
(`electron/main.ts` of the commit) sets on every response: its CSP, `Cross-Origin-Opener-Policy` and
`Cross-Origin-Embedder-Policy`. `?desktop-headers=1` on the page turns them on for that page alone: its
document, and the requests it makes whose `Referer` is that page (its scripts, workers and styles).

The app routes by hash (`createHashHistory`: `#/editor/<id>`), so every page is `/` and no fallback for
unknown paths is needed: a missing file is a 404, as from any static host.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.security import safe_join
from werkzeug.wrappers import Request, Response

from fake_fal.tls import Certificates
from media_app.server import MappedServer

DESKTOP_HEADERS_SWITCH = "desktop-headers"

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/css", ".css")
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("application/json", ".map")


class BuiltAppServer(MappedServer):
    """A built app's `dist/` on `https://app.qcut.test/` (or `http://localhost:<port>/`), files unchanged."""

    thread_name = "qcut_builds"

    def __init__(
        self,
        dist: Path,
        *,
        commit: str | None = None,
        desktop_headers: bool = False,
        shell_headers: Mapping[str, str] | None = None,
        host: str = "app.qcut.test",
        port: int = 0,
        certificates: Certificates | None = None,
    ) -> None:
        """`shell_headers`: the desktop shell's headers of this build (`Build.desktop_headers()`)."""
        self.dist = Path(dist).resolve()
        if not (self.dist / "index.html").is_file():
            raise FileNotFoundError(f"no index.html in built app {self.dist}")
        if desktop_headers and not shell_headers:
            raise ValueError(f"desktop headers asked for, but none are known for {commit or self.dist}")
        self.commit = commit
        self.desktop_headers = desktop_headers
        self.shell_headers = dict(shell_headers or {})
        super().__init__(host=host, port=port, certificates=certificates)

    def _finish(self, request: Request, response: Response) -> Response:
        if self._wants_desktop_headers(request):
            # The shell replaces every header whose name contains content-security-policy, then sets its own.
            policies = {name for name, _ in response.headers if "content-security-policy" in name.lower()}
            for name in policies:
                del response.headers[name]
            response.headers.update(self.shell_headers)
        return response

    def _wants_desktop_headers(self, request: Request) -> bool:
        if self.desktop_headers:
            return True
        if request.args.get(DESKTOP_HEADERS_SWITCH) == "1":
            return True
        referer = request.headers.get("Referer")
        if not referer:
            return False
        page = urlsplit(referer)
        same_origin = f"{page.scheme}://{page.netloc}" == self.origin
        return same_origin and parse_qs(page.query).get(DESKTOP_HEADERS_SWITCH) == ["1"]

    def _dispatch(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed(["GET", "HEAD"])
        path = "index.html" if request.path == "/" else request.path.lstrip("/")
        target = safe_join(str(self.dist), path)
        if target is None or not Path(target).is_file():
            raise NotFound()
        mimetype = mimetypes.guess_type(target)[0] or "application/octet-stream"
        return Response(Path(target).read_bytes(), mimetype=mimetype)
