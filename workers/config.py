"""Worker settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = 24 * 3600


def backoff(first: int = 30, factor: int = 2, cap: int = 6 * 3600, total: int = DAY) -> tuple[int, ...]:
    """Exponential retry intervals (first, first*factor, ... at most cap) that add up to at least total seconds.

    The defaults give 13 retries over about 26.5 hours: a receiver that is down for a day still gets it.
    """
    intervals: list[int] = []
    while sum(intervals) < total:
        intervals.append(min(cap, first * factor ** len(intervals)))
    return tuple(intervals)


def _intervals(raw: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in raw.split(",") if x.strip()) if raw else backoff()


@dataclass(frozen=True)
class WorkerSettings:
    redis_url: str
    queue: str
    models_dir: Path
    stanza_resources_dir: Path | None
    languages: tuple[str, ...]  # extra official-Stanza languages to load from stanza_resources_dir
    heartbeat_seconds: int
    torch_threads: int
    # Webhooks (workers/webhooks.py). The secret signs every delivery; without it deliveries fail (and retry).
    webhook_queue: str = "webhooks"
    webhook_secret: str = ""
    webhook_intervals: tuple[int, ...] = backoff()
    webhook_timeout: float = 10.0
    webhook_delay: int = 1  # lets the job's own status reach Redis before the receiver can ask for it
    allow_private_callbacks: bool = False
    result_ttl: int = 7 * DAY  # also how long delivery logs are kept
    # Bulk processing (workers/bulk.py): up to this many queued short articles share one Stanza call; 1 turns it off.
    bulk_size: int = 8
    bulk_max_chars: int = 5000
    # Lemmas the lemmatizer's model answered, kept for the next occurrence (workers/lemma_store.py): about 150 bytes
    # each, so the default bounds the store at some 30 MB per worker process.
    lemma_store_max: int = 200_000
    # Word forms whose character-LSTM vectors each model keeps (workers/char_cache.py): about 2.2 KB per form for the
    # tagger, parser and NER together, so the default bounds the three stores at some 65 MB per worker process.
    char_cache_max: int = 30_000

    @classmethod
    def from_env(cls) -> WorkerSettings:
        resources = os.environ.get("STANZA_RESOURCES_DIR")
        return cls(
            redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            queue=os.environ.get("QUEUE_NAME", "annotations"),
            models_dir=Path(os.environ.get("MODELS_DIR", ROOT / "models")),
            stanza_resources_dir=Path(resources) if resources else None,
            languages=tuple(x for x in os.environ.get("EXTRA_LANGUAGES", "").split(",") if x),
            heartbeat_seconds=int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5")),
            torch_threads=int(os.environ.get("TORCH_THREADS", "1")),
            webhook_queue=os.environ.get("WEBHOOK_QUEUE", "webhooks"),
            webhook_secret=os.environ.get("WEBHOOK_SECRET", ""),
            webhook_intervals=_intervals(os.environ.get("WEBHOOK_RETRY_INTERVALS")),
            webhook_timeout=float(os.environ.get("WEBHOOK_TIMEOUT", "10")),
            webhook_delay=int(os.environ.get("WEBHOOK_DELAY", "1")),
            allow_private_callbacks=os.environ.get("ALLOW_PRIVATE_CALLBACKS", "").lower() in ("1", "true", "yes"),
            result_ttl=int(os.environ.get("RESULT_TTL", str(7 * DAY))),
            bulk_size=int(os.environ.get("WORKER_BULK", "8")),
            bulk_max_chars=int(os.environ.get("WORKER_BULK_MAX_CHARS", "5000")),
            lemma_store_max=int(os.environ.get("WORKER_LEMMA_STORE", "200000")),
            char_cache_max=int(os.environ.get("WORKER_CHAR_CACHE", "30000")),
        )
