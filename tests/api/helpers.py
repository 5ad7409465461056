"""Helpers for API tests, which run no worker: finish a queued job by hand as a worker would."""

from __future__ import annotations

from typing import Any

from redis import Redis
from rq.job import Job
from rq.serializers import JSONSerializer


def finish(redis: Redis, job_id: str, result: dict[str, Any]) -> None:
    """Store `result` and mark the job finished, exactly as RQ's worker does after a successful run."""
    job = Job.fetch(job_id, connection=redis, serializer=JSONSerializer)
    job._result = result
    with redis.pipeline() as pipe:
        job._handle_success(job.result_ttl, pipeline=pipe)
        pipe.execute()
