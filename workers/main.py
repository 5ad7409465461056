"""`annotator-worker`: load the pipelines once, then run RQ workers that fork per job from the warm parent.

With --processes N the loaded process forks N RQ workers and supervises them (workers/prefork.py): the model
weights are loaded once and shared copy-on-write by every worker and every job process.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import time
import uuid
from types import FrameType

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.exceptions import AbandonedJobError, StopRequested
from rq.job import Job
from rq.serializers import JSONSerializer

from workers import pipeline, webhooks
from workers.config import WorkerSettings
from workers.heartbeat import Heartbeat
from workers.nlp import analyse
from workers.prefork import Prefork

log = logging.getLogger("workers")
WARMUP_TEXT = "Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo pada Senin."


class AnnotationWorker(Worker):
    """RQ's forking worker, tuned so a job whose worker was killed is noticed in seconds, not minutes."""

    stopping = False  # a shutdown was asked for (SIGTERM/SIGINT), as opposed to RQ giving up on Redis

    def get_heartbeat_ttl(self, job: Job) -> int:
        # RQ adds 60 s of slack; a dead worker's job would sit "started" that long before being retried.
        return self.job_monitoring_interval + 10

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker blocks this long for a job before it runs maintenance again, and maintenance is what
        # re-queues the job of a killed worker: RQ's default (worker_ttl - 15 = 405 s) would leave it for minutes.
        return int(self.maintenance_interval)

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        super().request_stop(signum, frame)

    def handle_work_horse_killed(self, job: Job, retpid: int, ret_val: int, rusage: object) -> None:
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        # RQ runs no failure callback when only the forked job process dies (the OOM killer): without this, a
        # job failing that way would never send its webhook. on_failure ignores it while retries remain.
        if job.failure_callback is webhooks.on_failure:
            webhooks.on_failure(job, self.connection, AbandonedJobError, AbandonedJobError(), None)


def _outlive_redis_outage(worker: AnnotationWorker, redis: Redis) -> bool:
    """After RQ quit its work loop: wait for Redis to come back and return True to start over, or False to exit.

    RQ retries Redis only while idle; an outage during a job makes it quit, which would leave the jobs that
    Redis keeps (AOF) to nobody once it is back.
    """
    if worker.stopping:
        return False
    try:
        redis.ping()
        return False  # Redis is fine: RQ stopped for another reason (it logged it), exit as before
    except RedisError:
        pass
    log.warning("worker %s lost Redis; waiting for it to come back", worker.name)
    try:
        while not worker.stopping:
            try:
                redis.ping()
                worker.register_death()  # frees the name: RQ refuses a new worker under a live-looking one
                return True
            except RedisError:
                time.sleep(1)
    except StopRequested:
        pass
    return False


def serve(settings: WorkerSettings, annotators: dict[str, pipeline.Annotator], name: str, burst: bool) -> None:
    """Run one RQ worker (forking a job process per job) with its readiness heartbeat, until told to stop."""
    # A connection of its own: a socket inherited across fork() would be shared with the siblings.
    redis = Redis.from_url(settings.redis_url, health_check_interval=10, socket_connect_timeout=2)
    # Webhook deliveries first: they are short, and a busy annotation queue must not hold them back for hours.
    queues = [Queue(n, connection=redis, serializer=JSONSerializer) for n in (settings.webhook_queue, settings.queue)]
    first = next(iter(annotators.values()))
    heartbeat = Heartbeat(redis, name, {"languages": sorted(annotators), "model": first.model_name,
                                        "version": first.model_version}, settings.heartbeat_seconds)
    heartbeat.beat()
    heartbeat.start()
    log.info("worker %s ready: languages %s", name, ", ".join(sorted(annotators)))
    try:
        while True:
            worker = AnnotationWorker(queues, connection=redis, serializer=JSONSerializer, name=name,
                                      job_monitoring_interval=5, maintenance_interval=15)
            with contextlib.suppress(RedisError):  # RQ's teardown may fail too when Redis is gone
                # The scheduler (one per fleet, elected by lock) releases delayed webhook retries.
                worker.work(burst=burst, with_scheduler=True, logging_level=os.environ.get("LOG_LEVEL", "INFO"))
            if burst or not _outlive_redis_outage(worker, redis):
                break
    finally:
        heartbeat.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default=None, help="worker name (default: host-pid-random)")
    parser.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    parser.add_argument("--processes", type=int, default=int(os.environ.get("WORKER_PROCESSES", "1")),
                        help="RQ workers forked from this process after the models are loaded, so that they "
                             "share the weights (env WORKER_PROCESSES; default 1: this process is the worker)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = WorkerSettings.from_env()
    annotators = pipeline.load(settings)
    for annotator in annotators.values():
        analyse(annotator, WARMUP_TEXT, ["entities", "sentiment", "events"])
    # Keep the loaded weights out of the collector's reach so forked children don't dirty (copy) their pages.
    gc.collect()
    gc.freeze()
    name = args.name or f"worker-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    if args.processes <= 1:
        serve(settings, annotators, name, args.burst)
    else:
        Prefork(lambda child: serve(settings, annotators, child, args.burst), name, args.processes,
                restart=not args.burst).run()


if __name__ == "__main__":
    main()
