"""Shared fixtures: a real redis-server on a free port, per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from redis import Redis

from scripts.stack import RedisServer, free_port
from service.keys import KeyStore

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(__import__("os").environ.get("SHARED_DIR", ROOT.parent / "shared"))
SAMPLES = SHARED / "samples" / "articles"


def sample_articles() -> list[Path]:
    """The sample news articles (SOURCE.txt in the same folder is a note, not an article)."""
    return sorted(p for p in SAMPLES.glob("*.txt") if p.name != "SOURCE.txt")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture()
def redis(redis_server: RedisServer) -> Iterator[Redis]:
    client = Redis.from_url(redis_server.url)
    client.flushdb()
    yield client
    client.close()


def new_key(redis: Redis, name: str = "test", rate_limit: int = 100_000, queue_quota: int = 100_000) -> str:
    """A real API key in `redis` (its plaintext), generous unless a test is about the limits."""
    return KeyStore(redis).create(name, rate_limit, queue_quota)[0]


def with_key(client: FlaskClient, key: str) -> FlaskClient:
    """The test client sends `Authorization: Bearer <key>` on every request."""
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client
