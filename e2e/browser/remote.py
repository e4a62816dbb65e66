"""Launch options for a browser run by a Playwright server (`playwright run-server --unsafe`).

The server reads the `x-playwright-launch-options` header as the JavaScript API's options, in camelCase.
pytest-playwright (0.10) sends `browser_type_launch_args` as they are, with Python's snake_case keys, so the
server silently drops `executable_path` and launches its own default build (which may be missing, and
lacks H.264). `launch_options_header` sends them under the names the server reads.

`BrowserType.connect`'s endpoint argument was renamed (`ws_endpoint`, now `endpoint`); `connect_options`
names it as the installed Playwright does.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from playwright.sync_api import BrowserType

LAUNCH_OPTIONS_HEADER = "x-playwright-launch-options"


def camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def launch_options_header(launch_args: dict[str, Any]) -> dict[str, str]:
    """The header that carries `launch_args` (Python names) to a Playwright server, in its names."""
    options = {camel_case(name): value for name, value in launch_args.items()}
    return {LAUNCH_OPTIONS_HEADER: json.dumps(options, default=str)}


def endpoint_parameter() -> str:
    """The name of `BrowserType.connect`'s endpoint argument in the installed Playwright."""
    parameters = [name for name in inspect.signature(BrowserType.connect).parameters if name != "self"]
    return parameters[0]


def connect_options(
    endpoint: str, launch_args: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """Keyword arguments for `BrowserType.connect` (pytest-playwright's `connect_options`)."""
    return {
        endpoint_parameter(): endpoint,
        "headers": {**launch_options_header(launch_args), **(headers or {})},
    }
