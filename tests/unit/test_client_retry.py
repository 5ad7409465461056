"""Retry logic of the client: Retry-After parsing, backoff, and the retry loop against a local stub server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from client.transport import AnnotatorError, RetryPolicy, Stopped, Transport, parse_retry_after
from scripts.stack import free_port

NO_JITTER = RetryPolicy(max_retries=4, backoff=0.5, max_backoff=3.0, jitter=lambda d: d)


class Stub(ThreadingHTTPServer):
    """Answers each request with the next scripted (status, headers, body); 200 {"ok": true} when none is left."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script: list[tuple[int, dict[str, str], dict[str, Any]]] = []
        self.seen: list[dict[str, str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Stub

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append(dict(self.headers))
        status, headers, body = self.server.script.pop(0) if self.server.script else (200, {}, {"ok": True})
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status < 400 else "application/problem+json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = _answer

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture()
def stub() -> Iterator[Stub]:
    server = Stub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def transport(url: str, sleeps: list[float], key: str | None = None) -> Transport:
    return Transport(url, key, timeout=5, policy=NO_JITTER, sleep=sleeps.append)


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    now = datetime(2026, 11, 21, 6, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7
    assert parse_retry_after("Sat, 21 Nov 2026 06:00:30 GMT", now) == 30
    assert parse_retry_after("Sat, 21 Nov 2026 05:59:00 GMT", now) == 0  # in the past: retry now
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_doubles_up_to_the_cap_and_retry_after_wins() -> None:
    assert [NO_JITTER.delay(i) for i in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert NO_JITTER.delay(0, retry_after=12) == 12
    assert NO_JITTER.delay(3, retry_after=10_000) == NO_JITTER.max_retry_after
    jittered = RetryPolicy(backoff=1.0)
    assert all(0.5 <= jittered.delay(1) / 2 <= 1.0 for _ in range(20))


def test_429_is_retried_after_the_servers_retry_after(stub: Stub) -> None:
    stub.script = [(429, {"Retry-After": "7"}, {"detail": "queue full"}),
                   (429, {"Retry-After": "2"}, {"detail": "queue full"})]
    sleeps: list[float] = []
    response = transport(stub.url, sleeps).request("POST", "/v1/batches", json={"documents": []})
    assert response.json() == {"ok": True}
    assert sleeps == [7, 2]


def test_5xx_is_retried_with_exponential_backoff(stub: Stub) -> None:
    stub.script = [(503, {}, {}), (502, {}, {}), (500, {}, {})]
    sleeps: list[float] = []
    assert transport(stub.url, sleeps).request("GET", "/v1/jobs/x").status_code == 200
    assert sleeps == [0.5, 1.0, 2.0]


def test_retries_give_up_with_the_last_problem(stub: Stub) -> None:
    stub.script = [(503, {"Retry-After": "1"}, {"detail": "Redis is unreachable"})] * 10
    sleeps: list[float] = []
    with pytest.raises(AnnotatorError) as caught:
        transport(stub.url, sleeps).request("GET", "/v1/jobs/x")
    assert caught.value.status == 503 and caught.value.problem["detail"] == "Redis is unreachable"
    assert len(sleeps) == NO_JITTER.max_retries


def test_client_errors_are_not_retried(stub: Stub) -> None:
    stub.script = [(422, {}, {"detail": "invalid", "errors": {"text": ["Missing data for required field."]}})]
    sleeps: list[float] = []
    with pytest.raises(AnnotatorError) as caught:
        transport(stub.url, sleeps).request("POST", "/v1/annotations", json={})
    assert caught.value.status == 422 and "text" in caught.value.problem["errors"]
    assert sleeps == []


def test_connection_errors_are_retried_then_reported() -> None:
    sleeps: list[float] = []
    with pytest.raises(AnnotatorError) as caught:
        transport(f"http://127.0.0.1:{free_port()}", sleeps).request("GET", "/v1/health")
    assert caught.value.status is None
    assert sleeps == [0.5, 1.0, 2.0, 3.0]


def test_the_key_is_sent_as_a_bearer_token(stub: Stub) -> None:
    transport(stub.url, [], key="s3cret").request("GET", "/v1/health")
    transport(stub.url, []).request("GET", "/v1/health")
    assert stub.seen[0]["Authorization"] == "Bearer s3cret"
    assert "Authorization" not in stub.seen[1]


def test_a_stop_event_cuts_a_long_retry_after_short(stub: Stub) -> None:
    stub.script = [(429, {"Retry-After": "300"}, {})]
    stop = threading.Event()
    stop.set()
    with pytest.raises(Stopped):
        transport(stub.url, []).request("POST", "/v1/batches", stop=stop)
