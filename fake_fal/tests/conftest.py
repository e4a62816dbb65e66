"""Fixtures for the fake's own tests: an HTTP client that reaches the FAL hosts through the fake's ports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import httpx
import pytest

from fake_fal import FakeFal


class FalHttp(Protocol):
    """Sends a request to a real FAL URL; the fake's per-host port answers it."""

    def __call__(self, method: str, url: str, **kwargs: Any) -> httpx.Response: ...


@pytest.fixture
def fal_http(fake_fal: FakeFal) -> Iterator[FalHttp]:
    """A function sending requests to FAL URLs through the fake, trusting its CA (function scope)."""
    with httpx.Client(verify=fake_fal.certificates.client_context(), timeout=30) as client:

        def send(method: str, url: str, **kwargs: Any) -> httpx.Response:
            return client.request(method, fake_fal.local_url(url), **kwargs)

        yield send


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: pages here are absolute FAL URLs (session scope).

    Also shadows pytest-playwright's fallback `base_url`, a fixture defined as an instance method, which
    pytest 9 deprecates with a warning that this suite turns into an error.
    """
    return None
