"""Fixtures for the fake's own tests: an HTTP client that reaches the FAL hosts through the fake's ports."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any, Protocol

import httpx
import pytest

from fake_fal import FakeFal


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
