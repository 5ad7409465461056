"""Readiness heartbeat: a worker with its models loaded keeps its entry fresh in one Redis hash.

/v1/ready and the installed-language check of every POST read the hash `ann:workers` (field: worker name,
value: JSON with `expires_at`) with one HGETALL. One hash rather than a key per worker: finding per-worker
keys takes a SCAN of the whole keyspace, which holds days of results (200k keys made each POST 233 ms;
bench/RESULTS.md). A dead worker's entry is ignored once it expires and removed by the next live beat.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

KEY = "ann:workers"


def live_workers(redis: Redis, now: float | None = None) -> dict[str, dict[str, Any]]:
    """Every worker whose heartbeat has not expired, by name."""
    now = time.time() if now is None else now
    out = {}
    for name, raw in redis.hgetall(KEY).items():  # type: ignore[union-attr]
        info = json.loads(raw)
        if info.get("expires_at", 0) > now:
            out[name.decode() if isinstance(name, bytes) else name] = info
    return out


class Heartbeat(threading.Thread):
    def __init__(self, redis: Redis, name: str, info: dict[str, object], every: float) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.redis, self.name_in_redis, self.every = redis, name, every
        self.info = {**info, "name": name, "pid": os.getpid(), "host": socket.gethostname(), "ready_at": time.time()}
        self._stop_event = threading.Event()

    def beat(self) -> None:
        now = time.time()
        entry = {**self.info, "expires_at": now + max(3.0, self.every * 3)}
        stale = [name for name, raw in self.redis.hgetall(KEY).items()  # type: ignore[union-attr]
                 if json.loads(raw).get("expires_at", 0) < now - 60]
        with self.redis.pipeline() as pipe:
            pipe.hset(KEY, self.name_in_redis, json.dumps(entry))
            if stale:
                pipe.hdel(KEY, *stale)
            pipe.execute()

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            try:
                self.beat()
            except RedisError:
                # Redis is down or restarting; the next beat re-registers the worker.
                continue

    def stop(self) -> None:
        self._stop_event.set()
        with contextlib.suppress(RedisError):
            self.redis.hdel(KEY, self.name_in_redis)
