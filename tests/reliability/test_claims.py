"""A job taken off the queue by a worker that dies (or whose Redis dies) before it starts is not lost.

RQ pops with BLPOP when a worker listens on several queues, and only later enters the job in the started
registry: a kill in between left the job "queued" in no list (seen in test_faults). Our workers claim instead
(workers/claims.py). These tests stop right after the dequeue, where the job used to be lost, on a real
redis-server of their own and real RQ workers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Retry
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer
from rq.utils import current_timestamp

from scripts.stack import RedisServer, free_port
from workers.rq_worker import AnnotationWorker, InProcessWorker

WORKER_KINDS = [InProcessWorker, AnnotationWorker]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path / "redis").start()
    yield server
    server.stop()


def connect(server: RedisServer) -> Redis:
    return Redis.from_url(server.url)


def queues(redis: Redis) -> list[Queue]:
    """As workers/main.py listens: webhook deliveries first, then annotations."""
    return [Queue(name, connection=redis, serializer=JSONSerializer) for name in ("webhooks", "annotations")]


def enqueue(redis: Redis, text: str, retries: int = 1) -> Job:
    return queues(redis)[1].enqueue("builtins.len", text, retry=Retry(max=retries) if retries else None)


def worker(kind: type, redis: Redis, name: str) -> InProcessWorker | AnnotationWorker:
    return kind(queues(redis), connection=redis, serializer=JSONSerializer, name=name,
                job_monitoring_interval=5, maintenance_interval=15)


def expire_claims(redis: Redis) -> None:
    """What any live worker's maintenance does once the dead worker's claim has expired (15 s later)."""
    StartedJobRegistry("annotations", connection=redis, serializer=JSONSerializer).cleanup(
        timestamp=current_timestamp() + 60)


@pytest.mark.parametrize("kind", WORKER_KINDS, ids=lambda k: k.__name__)
def test_a_dequeued_job_is_held_in_the_started_registry_before_it_runs(server: RedisServer, kind: type) -> None:
    redis = connect(server)
    job = enqueue(redis, "satu")
    found = worker(kind, redis, "w1").dequeue_job_and_maintain_ttl(timeout=None)
    assert found is not None and found[0].id == job.id and found[1].name == "annotations"
    assert redis.llen("rq:queue:annotations") == 0
    assert job.id in StartedJobRegistry("annotations", connection=redis).get_job_ids()


@pytest.mark.parametrize("kind", WORKER_KINDS, ids=lambda k: k.__name__)
def test_a_worker_dying_between_dequeue_and_start_leaves_its_job_to_be_retried(server: RedisServer,
                                                                               kind: type) -> None:
    redis = connect(server)
    job = enqueue(redis, "empat")
    dying = worker(kind, redis, "dying")
    assert dying.dequeue_job_and_maintain_ttl(timeout=None) is not None
    del dying  # it never reaches prepare_execution
    expire_claims(redis)
    assert job.get_status(refresh=True) == JobStatus.QUEUED and redis.llen("rq:queue:annotations") == 1
    assert worker(kind, redis, "next").work(burst=True)
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED and job.return_value() == 5


def test_redis_killed_right_after_a_dequeue_keeps_the_job(server: RedisServer) -> None:
    redis = connect(server)
    job = enqueue(redis, "tiga")
    assert worker(InProcessWorker, redis, "w1").dequeue_job_and_maintain_ttl(timeout=None) is not None
    redis.close()
    server.stop(kill=True)  # the AOF keeps every acknowledged write when only the process dies
    server.start()
    redis = connect(server)
    assert job.id in StartedJobRegistry("annotations", connection=redis).get_job_ids()
    expire_claims(redis)
    assert worker(InProcessWorker, redis, "w2").work(burst=True)
    assert Job.fetch(job.id, connection=redis, serializer=JSONSerializer).return_value() == 4


def test_without_retries_left_a_dead_workers_claim_fails_with_a_reason(server: RedisServer) -> None:
    redis = connect(server)
    job = enqueue(redis, "dua", retries=0)
    assert worker(InProcessWorker, redis, "dying").dequeue_job_and_maintain_ttl(timeout=None) is not None
    expire_claims(redis)
    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert "AbandonedJobError" in (job.latest_result().exc_string or "")  # type: ignore[union-attr]


def test_webhook_deliveries_are_claimed_before_annotations(server: RedisServer) -> None:
    redis = connect(server)
    annotation = enqueue(redis, "nanti")
    delivery = queues(redis)[0].enqueue("builtins.len", "dulu")
    idle = worker(InProcessWorker, redis, "w1")
    first, second = (idle.dequeue_job_and_maintain_ttl(timeout=None) for _ in range(2))
    assert first is not None and second is not None
    assert [first[0].id, second[0].id] == [delivery.id, annotation.id]
    assert idle.dequeue_job_and_maintain_ttl(timeout=None) is None  # burst: nothing left


def test_an_idle_worker_waits_for_a_job_and_takes_it_when_queued(server: RedisServer) -> None:
    redis = connect(server)
    idle = worker(InProcessWorker, redis, "w1")
    started = time.monotonic()
    assert idle.dequeue_job_and_maintain_ttl(timeout=5, max_idle_time=1) is None
    assert 0.9 <= time.monotonic() - started < 5  # it waited for work, then gave up after its idle time
    later = threading.Timer(0.5, enqueue, args=(redis, "lima"))
    later.start()
    found = idle.dequeue_job_and_maintain_ttl(timeout=5, max_idle_time=10)
    later.join()
    assert found is not None and found[0].args == ["lima"]
