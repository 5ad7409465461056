"""HTTP side of the service. Never imports workers/ or Stanza: jobs are enqueued by dotted path."""

from __future__ import annotations

import json

from flask import Flask
from redis import Redis

from service import errors, web
from service.api import annotations as annotations_api
from service.api import batches, health, jobs
from service.cli import keys_cli
from service.config import Settings
from service.jobs import JobStore
from service.keys import KeyStore


def _model_version(settings: Settings) -> str:
    manifest = settings.models_dir / "manifest.json"
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"]) if manifest.exists() else "unknown"


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_batch_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=settings.redis_timeout,
                           socket_timeout=max(2.0, settings.redis_timeout), health_check_interval=15)
    app.extensions["settings"] = settings
    app.extensions["store"] = JobStore(redis, settings, _model_version(settings))
    app.extensions["keys"] = KeyStore(redis, settings.rate_window)
    errors.register(app)
    # annotations, jobs and batches authenticate each request (service/auth.py); health, readiness and models
    # stay public: probes carry no key.
    for blueprint in (annotations_api.bp, jobs.bp, batches.bp, health.bp, web.bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(keys_cli)
    return app
