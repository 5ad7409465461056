"""Fixtures for the reliability tests: the API in-process, and real stacks built on the integration Stack."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from scripts.stack import RedisServer
from service import create_app
from service.config import Settings
from tests.conftest import new_key, with_key
from tests.integration.conftest import Stack, start_stack
from workers.heartbeat import Heartbeat

# The load test pushes 10,000 documents through real workers: minutes, so opt-in outside `make test-reliability`.
LOAD_ENV = "RELIABILITY_LOAD"


def fake_worker(redis: Redis, languages: tuple[str, ...] = ("id",)) -> None:
    """A readiness heartbeat as a worker with its models loaded would keep, without the worker."""
    Heartbeat(redis, "fake", {"languages": list(languages), "model": "test", "version": "test"}, 1200).beat()


@pytest.fixture()
def app(redis_server: RedisServer, redis: Redis) -> Flask:
    fake_worker(redis)
    return create_app(Settings(redis_url=redis_server.url))


@pytest.fixture()
def client(app: Flask, redis: Redis) -> FlaskClient:
    return with_key(app.test_client(), new_key(redis))


def logs(stack: Stack) -> dict[str, str]:
    """Every log the stack wrote (gunicorn, workers, redis), by file name."""
    return {p.name: p.read_text(encoding="utf-8", errors="replace") for p in stack.root.rglob("*.log")}


def completions(stack: Stack) -> list[str]:
    """Job ids in the workers' one-line-per-finished-job log, once per time a job completed."""
    done = re.compile(r"workers\.jobs job (\S+) doc=")
    return [m.group(1) for name, text in logs(stack).items() if name.startswith("w")
            for m in done.finditer(text)]


@pytest.fixture(scope="module")
def bare_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Redis and gunicorn without workers: for what the HTTP server alone must withstand."""
    stack = start_stack(tmp_path_factory.mktemp("bare"))
    fake_worker(stack.client())
    try:
        yield stack
    finally:
        stack.close()


def load_enabled() -> bool:
    return os.environ.get(LOAD_ENV) == "1"
