"""Readiness heartbeat: a worker with its models loaded keeps a short-lived key in Redis.

/v1/ready and the installed-language check in the API read these keys; a dead worker's key expires
within a few heartbeats.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time

from redis import Redis
from redis.exceptions import RedisError

KEY_PREFIX = "ann:workers:"


class Heartbeat(threading.Thread):
    def __init__(self, redis: Redis, name: str, info: dict[str, object], every: float) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.redis, self.key, self.every = redis, KEY_PREFIX + name, every
        self.info = {**info, "name": name, "pid": os.getpid(), "host": socket.gethostname(), "ready_at": time.time()}
        self._stop_event = threading.Event()

    def beat(self) -> None:
        self.redis.set(self.key, json.dumps(self.info), ex=max(3, int(self.every * 3)))

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
            self.redis.delete(self.key)
