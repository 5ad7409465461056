from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from scripts.stack import RedisServer
from service import create_app
from service.config import Settings
from tests.conftest import new_key, with_key


@pytest.fixture()
def settings(redis_server: RedisServer, redis: Redis) -> Settings:
    return Settings(redis_url=redis_server.url, max_queue_depth=50)


@pytest.fixture()
def app(settings: Settings) -> Flask:
    return create_app(settings)


@pytest.fixture()
def client(app: Flask, redis: Redis) -> FlaskClient:
    return with_key(app.test_client(), new_key(redis))
