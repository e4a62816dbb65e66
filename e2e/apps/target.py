"""Where the app under test is: our own server (media_app.server.AppServer) or a build served elsewhere.

`--app-url URL` points the suite at an app it did not start (a candidate build, a staging copy). When that
app is on a hostname Chromium must be mapped to, `--app-chromium-args` takes the `chromium_args` that
`python -m media_app serve` prints on its first line; the host rules and certificate trust are merged with
fake_fal's, since Chromium honours only one `--host-resolver-rules` flag.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fake_fal.tls import parse_chromium_args
from media_app.server import AppServer, MappedServer


@dataclass(frozen=True)
class MappedHosts:
    """Host rules and one certificate key for Chromium's flags (the root conftest's MappedServer)."""

    host_rules: list[str]
    spki: str


class AppTargetError(ValueError):
    """--app-url or --app-chromium-args cannot be used as given."""


@dataclass(frozen=True)
class AppTarget:
    """The app's URL, how Chromium reaches it, and our server when we started it."""

    url: str
    server: AppServer | None = None
    host_rules: list[str] = field(default_factory=list)
    spkis: list[str] = field(default_factory=list)
    reports_note: str = "--app-url: the app is served elsewhere, its reports are not ours"

    @classmethod
    def local(cls, server: AppServer) -> AppTarget:
        return cls(server.url, server, list(server.host_rules), [server.spki] if server.spki else [])

    @classmethod
    def built(cls, server: MappedServer, name: str) -> AppTarget:
        """A real build the suite serves as it ships: ours to reach, but with no report endpoint of ours."""
        note = f"{name} is served as it ships: no report endpoint of ours"
        return cls(server.url, None, list(server.host_rules), [server.spki] if server.spki else [], note)

    @classmethod
    def external(cls, url: str, chromium_args_json: str = "") -> AppTarget:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AppTargetError(f"--app-url must be an http(s) URL, not {url!r}")
        rules: list[str] = []
        spkis: list[str] = []
        if chromium_args_json:
            try:
                args = json.loads(chromium_args_json)
            except json.JSONDecodeError as error:
                raise AppTargetError(f"--app-chromium-args is not a JSON list of flags: {error}") from None
            if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
                raise AppTargetError("--app-chromium-args must be a JSON list of strings")
            try:
                rules, spkis = parse_chromium_args(args)
            except ValueError as error:
                raise AppTargetError(f"--app-chromium-args: {error}") from None
        base = url if parts.path else url + "/"
        return cls(base.split("#", 1)[0], None, rules, spkis)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def mapped(self) -> list[MappedHosts]:
        """What Chromium must map and trust to reach the app; nothing for localhost or a public host."""
        if not self.spkis:
            if self.host_rules:
                raise AppTargetError("host rules without a certificate key (SPKI) to trust")
            return []
        first, *rest = self.spkis
        return [MappedHosts(self.host_rules, first), *(MappedHosts([], spki) for spki in rest)]

    @property
    def is_ours(self) -> bool:
        """Whether the suite started this app server (so its report endpoint is a witness)."""
        return self.server is not None
