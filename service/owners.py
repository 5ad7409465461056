"""What each API key owns: its jobs, newest first (GET /v1/jobs), and those still pending (the queue quota).

Redis keys: ann:owner:<key id>:jobs (sorted set, job id -> creation time) and ann:owner:<key id>:pending
(set of job ids not yet seen ended). The pending set is pruned lazily, only when a submission would cross
the quota: the job hashes are the truth, the set is an upper bound.
"""

from __future__ import annotations

import time

from redis import Redis
from redis.client import Pipeline

from service.errors import Problem

ENDED = {b"finished", b"failed", b"stopped", b"canceled"}


def jobs_key(owner: str) -> str:
    return f"ann:owner:{owner}:jobs"


def pending_key(owner: str) -> str:
    return f"ann:owner:{owner}:pending"


class Owners:
    def __init__(self, redis: Redis, ttl: int) -> None:
        self.redis, self.ttl = redis, ttl

    def record(self, pipe: Pipeline, owner: str, job_ids: list[str]) -> None:
        """Queue on `pipe` the bookkeeping for new jobs; entries older than the results' lifetime are dropped."""
        if not job_ids:
            return
        now = time.time()
        # Distinct scores (a microsecond apart) keep the `before` cursor exact within one batch.
        pipe.zadd(jobs_key(owner), {job_id: now + i * 1e-6 for i, job_id in enumerate(job_ids)})
        pipe.zremrangebyscore(jobs_key(owner), "-inf", now - self.ttl)
        pipe.expire(jobs_key(owner), self.ttl)
        pipe.sadd(pending_key(owner), *job_ids)
        pipe.expire(pending_key(owner), self.ttl)

    def pending(self, owner: str) -> int:
        """Jobs of `owner` still queued or running, after dropping the ended and expired ones from the set."""
        members: list[bytes] = list(self.redis.smembers(pending_key(owner)))  # type: ignore[arg-type]
        if not members:
            return 0
        with self.redis.pipeline(transaction=False) as pipe:
            for job_id in members:
                pipe.hget(b"rq:job:" + job_id, "status")
            statuses = pipe.execute()
        done = [m for m, s in zip(members, statuses, strict=True) if s is None or s in ENDED]
        if done:
            self.redis.srem(pending_key(owner), *done)
        return len(members) - len(done)

    def check_quota(self, owner: str, adding: int, quota: int, listed: int | None = None) -> None:
        """429 if `adding` more documents would pass the quota; `listed` is SCARD of the pending set if known."""
        if (self.redis.scard(pending_key(owner)) if listed is None else listed) + adding <= quota:
            return
        pending = self.pending(owner)
        if pending + adding > quota:
            raise Problem(429, "Too Many Requests", f"this API key has {pending} documents queued or running and "
                          f"may have {quota} at once; {adding} more do not fit, retry when some have finished",
                          "quota-exceeded", headers={"Retry-After": "30"})

    def page(self, owner: str, limit: int, before: float | None) -> list[tuple[str, float]]:
        """Up to `limit` job ids created strictly before `before` (a Unix time), newest first."""
        top = f"({before}" if before is not None else "+inf"
        rows: list[tuple[bytes, float]] = self.redis.zrevrangebyscore(  # type: ignore[assignment]
            jobs_key(owner), top, "-inf", start=0, num=limit, withscores=True)
        return [(job_id.decode(), score) for job_id, score in rows]
