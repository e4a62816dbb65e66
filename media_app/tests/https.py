"""Requests to the app server over HTTPS on its own hostname, as a browser would send them, without one."""

from __future__ import annotations

import http.client
import json

from media_app.server import AppServer


def _connection(server: AppServer) -> http.client.HTTPSConnection:
    assert server.certificates is not None, "the app server should serve HTTPS"
    return http.client.HTTPSConnection(
        "127.0.0.1", server.port, context=server.certificates.client_context(), timeout=10
    )


def get(server: AppServer, target: str) -> tuple[int, http.client.HTTPMessage, str]:
    """GET `target` from the app server on its own hostname: status, headers and body."""
    connection = _connection(server)
    try:
        connection.request("GET", target, headers={"Host": server.host})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8")
    finally:
        connection.close()


def post(server: AppServer, target: str, body: object, content_type: str) -> int:
    """POST `body` as JSON to `target` on the app server; the status."""
    connection = _connection(server)
    try:
        connection.request(
            "POST", target, body=json.dumps(body), headers={"Host": server.host, "Content-Type": content_type}
        )
        return connection.getresponse().status
    finally:
        connection.close()
