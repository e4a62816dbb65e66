"""Fixtures for the fake's own tests: an HTTP client reaching the FAL hosts through the fake's ports, and
a Chromium of their own."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import httpx
import pytest
from playwright.sync_api import Browser

from fake_fal import FakeFal
from fake_fal.tls import browser_flags


class Background:
    """One request sent from a thread, so the test can act while the fake holds it."""

    def __init__(self, send: Callable[[], httpx.Response]) -> None:
        self.answers: list[httpx.Response] = []
        self._thread = threading.Thread(target=lambda: self.answers.append(send()), daemon=True)
        self._thread.start()

    def join(self, timeout: float = 10.0) -> list[httpx.Response]:
        """The answer (a list of one), or an empty list if none came within `timeout`."""
        self._thread.join(timeout)
        return self.answers


class FalHttp(Protocol):
    """Sends a request to a real FAL URL; the fake's per-host port answers it."""

    def __call__(self, method: str, url: str, **kwargs: Any) -> httpx.Response: ...


@pytest.fixture(scope="session")
def fal_http_client(fake_fal_server: FakeFal) -> Iterator[httpx.Client]:
    """An httpx client trusting only the fake's CA (session scope)."""
    context = ssl.create_default_context(cafile=str(fake_fal_server.ca_cert))
    with httpx.Client(verify=context, timeout=30) as client:
        yield client


@pytest.fixture
def fal_http(fake_fal: FakeFal, fal_http_client: httpx.Client) -> FalHttp:
    """A function sending requests to FAL URLs through the fake's per-host ports (function scope)."""

    def send(method: str, url: str, **kwargs: Any) -> httpx.Response:
        return fal_http_client.request(method, fake_fal.local_url(url), **kwargs)

    return send


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: pages here are absolute FAL URLs (session scope).

    Also shadows pytest-playwright's fallback `base_url`, a fixture defined as an instance method, which
    pytest 9 deprecates with a warning that this suite turns into an error.
    """
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    chromium_launch_options: dict[str, Any],
    fake_fal_server: FakeFal,
) -> dict[str, Any]:
    """Launch arguments for this tree's Chromium (session scope): mapped to the fake alone."""
    return {**browser_type_launch_args, **chromium_launch_options, "args": browser_flags([fake_fal_server])}


@pytest.fixture(scope="session")
def browser(launch_chromium: Any, browser_type_launch_args: dict[str, Any]) -> Iterator[Browser]:
    """A Chromium mapped to the fake alone, for the fake's own page tests (session scope).

    Not pytest-playwright's `browser`: that one is a single session fixture for the whole run, launched with
    the launch arguments of the tree that asks first; e2e's (its app host added) are e2e's.
    """
    launched = launch_chromium(browser_type_launch_args)
    yield launched
    launched.close()
