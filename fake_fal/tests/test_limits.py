"""What the fake takes in and keeps: body sizes (FAL's 413), the log's share of a body, stalled clients."""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator

import httpx
import pytest

from fake_fal import FakeFal
from fake_fal.limits import Limits, check_port, parse_size

LIMITS = Limits(max_body=1024, log_body=16, read_timeout=0.5)
# How long a test waits for the fake to act on a stalled client: many read timeouts, so only a fake that
# never drops the client fails.
PATIENCE = 20 * LIMITS.read_timeout


@pytest.fixture(scope="module")
def small_fake() -> Iterator[FakeFal]:
    """A FakeFal with a 1 KiB body limit, a 16-byte log share and a 0.5 s read timeout (module scope)."""
    with FakeFal.start(limits=LIMITS) as fake:
        yield fake


@pytest.fixture
def fake(small_fake: FakeFal) -> Iterator[FakeFal]:
    """`small_fake`, cleared before the test and checked for stray requests after it (function scope)."""
    small_fake.clear()
    yield small_fake
    small_fake.check()


@pytest.fixture
def client(small_fake: FakeFal) -> Iterator[httpx.Client]:
    """An httpx client trusting the small fake's CA (function scope)."""
    with httpx.Client(verify=ssl.create_default_context(cafile=str(small_fake.ca_cert)), timeout=30) as http:
        yield http


def queue_url(fake: FakeFal, endpoint: str = "fal-ai/veo3") -> str:
    return fake.local_url(f"https://queue.fal.run/{endpoint}")


def test_a_body_over_the_limit_gets_fals_413_and_is_neither_handled_nor_kept(
    fake: FakeFal, client: httpx.Client
) -> None:
    answer = client.post(queue_url(fake), content=b"x" * 2048, headers={"Content-Type": "application/json"})

    assert answer.status_code == 413
    assert answer.json() == {
        "detail": "Request body too large: at most 1024 bytes are accepted, got 2048 bytes"
    }
    assert answer.headers["access-control-allow-origin"] == "*"
    entry = fake.wait_for_request(status=413)
    assert (entry.body, entry.body_size, entry.step) == (b"", 2048, "")
    assert fake.jobs() == []


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(
    fake: FakeFal, client: httpx.Client
) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(4):
            yield b"x" * 512

    answer = client.post(queue_url(fake), content=chunks())

    assert answer.status_code == 413
    assert answer.json()["detail"].endswith("got more than that")


def test_the_log_keeps_the_start_of_a_body_and_its_length_and_the_handler_all_of_it(
    fake: FakeFal, client: httpx.Client
) -> None:
    prompt = "a cat " * 100
    body = json.dumps({"prompt": prompt}).encode()

    answer = client.post(queue_url(fake), content=body, headers={"Content-Type": "application/json"})

    assert answer.status_code == 200, answer.text
    entry = fake.wait_for_request(step="submit")
    assert (entry.body, entry.body_size) == (body[:16], len(body))
    assert entry.body_cut
    assert entry.json is None, "a cut body is not JSON"
    assert fake.jobs()[0].arguments == {"prompt": prompt}


def tls_connection(fake: FakeFal, host: str = "queue.fal.run") -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(fake.ca_cert))
    raw = socket.create_connection(("127.0.0.1", fake.host_ports[host]), timeout=PATIENCE)
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


def read_all(connection: socket.socket) -> bytes:
    """Everything the fake sends until it closes the connection (socket timeout: PATIENCE)."""
    received = b""
    while chunk := connection.recv(4096):
        received += chunk
    return received


def test_a_body_that_stops_coming_gets_a_408_and_the_connection_closes(fake: FakeFal) -> None:
    with tls_connection(fake) as connection:
        connection.sendall(
            b"POST /fal-ai/veo3 HTTP/1.1\r\nHost: queue.fal.run\r\nContent-Length: 100\r\n\r\n{"
        )
        answer = read_all(connection)

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"detail": "Request body not received: nothing came for 0.5 s before its end"' in answer
    assert fake.wait_for_request(status=408).body_size == 100


@pytest.mark.parametrize(
    "sent",
    [None, b"POST /fal-ai/veo3 HTTP/1.1\r\nHost: queue.fal.run\r\n"],
    ids=["no-tls-hello", "half-the-headers"],
)
def test_a_stalled_connection_is_dropped_while_others_are_served(
    fake: FakeFal, client: httpx.Client, sent: bytes | None
) -> None:
    stalled = socket.create_connection(("127.0.0.1", fake.host_ports["queue.fal.run"]), timeout=PATIENCE)
    if sent is not None:
        context = ssl.create_default_context(cafile=str(fake.ca_cert))
        stalled = context.wrap_socket(stalled, server_hostname="127.0.0.1")
        stalled.sendall(sent)
    with stalled:
        served = client.post(queue_url(fake), json={"prompt": "x"})
        dropped = read_all(stalled)

    assert served.status_code == 200, "one stalled client must not stop the listener"
    assert dropped == b"", "a stalled connection is closed without an answer"


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"max_body": -1}, "body sizes cannot be negative (max_body=-1, log_body=65536)"),
        ({"read_timeout": 0}, "read_timeout must be a positive number of seconds, not 0"),
    ],
)
def test_limits_refuse_values_that_cannot_work(limits: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Limits(**limits)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "size"), [("1048576", 1 << 20), ("64K", 64 << 10), ("100M", 100 << 20), ("1GiB", 1 << 30)]
)
def test_sizes_read_as_binary_units(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["12Q", "-1", "1.5M", ""])
def test_a_size_that_is_not_one_says_what_a_size_is(text: str) -> None:
    with pytest.raises(ValueError, match="a size is a whole number of bytes with an optional K, M or G, not"):
        parse_size(text)


@pytest.mark.parametrize("port", [-1, 65536, 70000])
def test_a_port_outside_the_tcp_range_is_refused_before_binding(port: int) -> None:
    with pytest.raises(ValueError, match=rf"port must be in 0-65535 \(0: any free port\), not {port}"):
        check_port(port)
    with pytest.raises(ValueError, match="port must be in 0-65535"):
        FakeFal(port=port)
