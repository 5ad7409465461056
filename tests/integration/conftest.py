"""A real stack for integration tests: redis-server on a free port, gunicorn, and RQ workers with the real models."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from redis import Redis
from rq.job import Job
from rq.serializers import JSONSerializer

from scripts.stack import RedisServer, free_port, start_api, start_worker, stop, wait_ready
from service.keys import KeyStore
from workers.heartbeat import live_workers

ENDED = {"finished", "failed", "canceled"}
WEBHOOK_SECRET = "integration-secret"


class Stack:
    def __init__(self, root: Path, extra_env: dict[str, str] | None = None) -> None:
        self.root = root
        self.redis = RedisServer(free_port(), root / "redis").start()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "REDIS_URL": self.redis.url, "PYTHONUNBUFFERED": "1", "API_PROCESSES": "1",
                    "WORKER_HEARTBEAT_SECONDS": "1",
                    # webhooks to a receiver on this machine, retried after 1 s instead of 30 s, 60 s, ...
                    "WEBHOOK_SECRET": WEBHOOK_SECRET, "ALLOW_PRIVATE_CALLBACKS": "1",
                    "WEBHOOK_RETRY_INTERVALS": "1,1,1", **(extra_env or {})}
        self.api = start_api(self.port, self.env, root / "api.log")
        # A real API key, sent on every request of self.http; its webhook secret signs this stack's callbacks.
        self.api_key, record = KeyStore(self.client()).create("integration", 1_000_000, 1_000_000)
        self.webhook_secret = record.webhook_secret
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.api_key}"
        self.workers: dict[str, subprocess.Popen[bytes]] = {}

    def client(self) -> Redis:
        return Redis.from_url(self.redis.url)

    def add_worker(self, name: str, wait: bool = True) -> None:
        self.workers[name] = start_worker(self.env, self.root / f"{name}.log", name)
        if wait:
            self.wait_worker(name)

    def wait_worker(self, name: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.workers[name].poll() is not None:
                raise RuntimeError(f"{name} died: {(self.root / f'{name}.log').read_text()[-3000:]}")
            if name in live_workers(self.client()):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{name} not ready after {timeout} s")

    def kill_worker(self, name: str) -> None:
        """kill -9 the worker and the job process it forked, as when a machine or container dies.

        RQ puts the forked job process in its own session, so killing the worker's group alone would leave
        the job running to completion.
        """
        proc = self.workers.pop(name)
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        stop(proc, signal.SIGKILL)

    def stop_workers(self) -> None:
        for name in list(self.workers):
            stop(self.workers.pop(name))

    def job(self, job_id: str) -> Job:
        return Job.fetch(job_id, connection=self.client(), serializer=JSONSerializer)

    def submit(self, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        response = self.http.post(f"{self.url}/v1/annotations", json=body, params=params, timeout=60)
        assert response.status_code in (200, 202), response.text
        return response.json()  # type: ignore[no-any-return]

    def wait_job(self, job_id: str, timeout: float = 180, **params: Any) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = self.http.get(f"{self.url}/v1/jobs/{job_id}", params=params, timeout=10)
            if response.status_code == 200 and response.json()["status"] in ENDED:
                return response.json()  # type: ignore[no-any-return]
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} did not end within {timeout} s")

    def close(self) -> None:
        self.stop_workers()
        stop(self.api)
        self.redis.stop()


def eventually(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def start_stack(root: Path, **env: str) -> Stack:
    """The integration Stack (redis-server with AOF, gunicorn, no worker yet) with extra environment, which the
    API and every worker added later get."""
    stack = Stack(root, env)
    wait_alive(stack.url)
    return stack


def wait_alive(url: str, timeout: float = 60) -> None:
    """/v1/health, not /v1/ready: a stack without workers is never ready."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer /v1/health within {timeout} s")


def running_stack(root: Path, worker: str) -> Iterator[Stack]:
    """A stack with one worker, ready to annotate; closed when the fixture built on it ends."""
    stack = Stack(root)
    try:
        stack.add_worker(worker)
        wait_ready(stack.url, 60, [stack.api])
        yield stack
    finally:
        stack.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from running_stack(tmp_path_factory.mktemp("stack"), "w1")
