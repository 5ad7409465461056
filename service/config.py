"""One Settings object, read from the environment by create_app()."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = 24 * 3600


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class Settings:
    redis_url: str = "redis://127.0.0.1:6379/0"
    queue_name: str = "annotations"
    models_dir: Path = ROOT / "models"
    result_ttl: int = 7 * DAY
    max_queue_depth: int = 20000
    max_annotation_bytes: int = 4 * 1024 * 1024  # 200k chars as \u escapes stay under this
    max_batch_bytes: int = 64 * 1024 * 1024
    max_retries: int = 2
    job_timeout_base: int = 60
    job_timeout_per_1k_chars: float = 5.0
    max_wait: float = 30.0
    default_language: str = "id"
    redis_timeout: float = 0.5  # connect/read timeout: an unreachable Redis must answer 503 fast
    # Webhooks: the workers sign and deliver; the API only needs to know whether they can (a secret is set)
    # and which callback hosts to refuse. Loopback/private targets are for tests and closed networks only.
    webhook_secret: str = ""
    webhook_queue: str = "webhooks"
    allow_private_callbacks: bool = False
    # API keys (service/keys.py). Off only when asked for by name: AUTH_DISABLED=1.
    auth_disabled: bool = False
    rate_window: int = 60
    default_rate_limit: int = 6000  # requests per key per rate window (polling included)
    default_queue_quota: int = 20000  # documents per key queued or running at once

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            redis_url=env.get("REDIS_URL", cls.redis_url),
            queue_name=env.get("QUEUE_NAME", cls.queue_name),
            models_dir=Path(env.get("MODELS_DIR", str(cls.models_dir))),
            result_ttl=int(env.get("RESULT_TTL", cls.result_ttl)),
            max_queue_depth=int(env.get("MAX_QUEUE_DEPTH", cls.max_queue_depth)),
            webhook_secret=env.get("WEBHOOK_SECRET", cls.webhook_secret),
            webhook_queue=env.get("WEBHOOK_QUEUE", cls.webhook_queue),
            allow_private_callbacks=_flag(env.get("ALLOW_PRIVATE_CALLBACKS")),
            auth_disabled=_flag(env.get("AUTH_DISABLED")),
            rate_window=int(env.get("RATE_WINDOW", cls.rate_window)),
        )

    def job_timeout(self, chars: int) -> int:
        return int(self.job_timeout_base + self.job_timeout_per_1k_chars * chars / 1000)
