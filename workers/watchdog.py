"""Which in-process workers are past their job's timeout, read from RQ's own records in Redis.

An in-process worker enforces a job's timeout with a signal inside its own process, which cannot interrupt
a long call in C. The supervising parent (workers/prefork.py) asks this every few seconds and kills a worker
whose job has run `grace` seconds past its timeout; the job is then handled like that of any dead worker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger("workers.watchdog")


def _text(value: bytes | str | None) -> str:
    return value.decode() if isinstance(value, bytes) else (value or "")


def _epoch(stamp: str) -> float | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def overdue(redis: Redis, names: list[str], grace: float, now: float | None = None) -> list[str]:
    """The names among `names` whose current job started more than its timeout + `grace` seconds ago."""
    now = time.time() if now is None else now
    with redis.pipeline(transaction=False) as pipe:
        for name in names:
            pipe.hget(f"rq:worker:{name}", "current_job")
        jobs = [_text(j) for j in pipe.execute()]
    busy = [(name, job) for name, job in zip(names, jobs, strict=True) if job]
    if not busy:
        return []
    with redis.pipeline(transaction=False) as pipe:
        for _, job in busy:
            pipe.hmget(f"rq:job:{job}", ["started_at", "timeout"])
        fields = pipe.execute()
    late = []
    for (name, _job), (started_raw, timeout_raw) in zip(busy, fields, strict=True):
        started = _epoch(_text(started_raw))
        timeout = _text(timeout_raw)
        if started is None or not timeout.lstrip("-").isdigit() or int(timeout) < 0:
            continue
        if now - started > int(timeout) + grace:
            late.append(name)
    return late


def checker(redis_url: str, grace: float) -> Callable[[list[str]], list[str]]:
    """overdue() bound to a connection of the parent's own; no verdict (nobody killed) while Redis is away."""
    redis = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)

    def check(names: list[str]) -> list[str]:
        try:
            return overdue(redis, names, grace)
        except RedisError as exc:
            log.warning("watchdog: Redis unavailable (%s)", type(exc).__name__)
            return []

    return check
