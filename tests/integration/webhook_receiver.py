"""A real local HTTP receiver for webhook tests: records every request, fails the first N on purpose."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    fail_first: int = 0
    status_when_failing: int = 500
    requests: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
                failing = len(receiver.requests) <= receiver.fail_first
                self.send_response(receiver.status_when_failing if failing else 204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # keep pytest output quiet
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/berita"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
