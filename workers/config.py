"""Worker settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class WorkerSettings:
    redis_url: str
    queue: str
    models_dir: Path
    stanza_resources_dir: Path | None
    languages: tuple[str, ...]  # extra official-Stanza languages to load from stanza_resources_dir
    heartbeat_seconds: int
    torch_threads: int

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
        )
