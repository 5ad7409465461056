"""`annotator-worker`: load the pipelines once, then fork RQ workers that share them and supervise them.

With --processes N the loaded process forks N RQ workers (workers/prefork.py): the model weights are loaded
once and shared copy-on-write. Each worker runs its jobs in its own process (workers/rq_worker.py,
InProcessWorker); --fork-per-job (WORKER_IN_PROCESS=0) forks a process per job instead, as RQ's Worker does.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import time
import uuid

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import StopRequested
from rq.serializers import JSONSerializer

from workers import pipeline, watchdog
from workers.config import WorkerSettings
from workers.heartbeat import Heartbeat
from workers.nlp import analyse
from workers.prefork import Prefork
from workers.rq_worker import AnnotationWorker, InProcessWorker

log = logging.getLogger("workers")


def _outlive_redis_outage(worker: AnnotationWorker | InProcessWorker, redis: Redis) -> bool:
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


def serve(settings: WorkerSettings, annotators: dict[str, pipeline.Annotator], name: str, burst: bool,
          in_process: bool = False, max_jobs: int | None = None) -> None:
    """Run one RQ worker with its readiness heartbeat until told to stop (or, in process, until recycled)."""
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
            kind = InProcessWorker if in_process else AnnotationWorker
            worker = kind(queues, connection=redis, serializer=JSONSerializer, name=name,
                          job_monitoring_interval=5, maintenance_interval=15)
            if isinstance(worker, InProcessWorker):
                worker.bulk_size, worker.bulk_max_chars = settings.bulk_size, settings.bulk_max_chars
            with contextlib.suppress(RedisError):  # RQ's teardown may fail too when Redis is gone
                # The scheduler (one per fleet, elected by lock) releases delayed webhook retries.
                worker.work(burst=burst, with_scheduler=True, logging_level=os.environ.get("LOG_LEVEL", "INFO"),
                            max_jobs=max_jobs)
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
                             "share the weights (env WORKER_PROCESSES; default 1)")
    parser.add_argument("--fork-per-job", action="store_true", default=os.environ.get("WORKER_IN_PROCESS") == "0",
                        help="run each job in a process forked for it, as RQ's Worker does, instead of in the "
                             "worker process: slower (bench/RESULTS.md), but a job stuck in a long C call is killed "
                             "from outside at its timeout (env WORKER_IN_PROCESS=0)")
    parser.add_argument("--max-jobs", type=int, default=int(os.environ.get("WORKER_MAX_JOBS", "0")) or None,
                        help="in process: replace a worker by a fresh fork after this many jobs "
                             "(env WORKER_MAX_JOBS)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = WorkerSettings.from_env()
    annotators = pipeline.load(settings)
    for annotator in annotators.values():
        analyse(annotator, pipeline.WARMUP_TEXT, ["entities", "sentiment", "events"])
    # Keep the loaded weights out of the collector's reach so forked children don't dirty (copy) their pages.
    gc.collect()
    gc.freeze()
    name = args.name or f"worker-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    in_process = not args.fork_per_job
    if args.processes <= 1 and not in_process:
        serve(settings, annotators, name, args.burst)
    else:
        # In process, a worker recycles itself, so it always runs under the supervisor that forks its successor.
        # The watchdog only for in-process workers: a forking worker kills its own job process at the timeout.
        grace = float(os.environ.get("WORKER_WATCHDOG_GRACE", "30"))
        Prefork(lambda child: serve(settings, annotators, child, args.burst, in_process, args.max_jobs), name,
                max(1, args.processes), restart=not args.burst,
                overdue=watchdog.checker(settings.redis_url, grace) if in_process else None).run()


if __name__ == "__main__":
    main()
