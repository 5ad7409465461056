"""`annotator-worker`: load the pipelines once, then run an RQ worker that forks per job from the warm parent."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import uuid

from redis import Redis
from rq import Queue, Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from workers import pipeline
from workers.config import WorkerSettings
from workers.heartbeat import Heartbeat
from workers.nlp import analyse

log = logging.getLogger("workers")
WARMUP_TEXT = "Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo pada Senin."


class AnnotationWorker(Worker):
    """RQ's forking worker, tuned so a job whose worker was killed is noticed in seconds, not minutes."""

    def get_heartbeat_ttl(self, job: Job) -> int:
        # RQ adds 60 s of slack; a dead worker's job would sit "started" that long before being retried.
        return self.job_monitoring_interval + 10


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default=None, help="worker name (default: host-pid-random)")
    parser.add_argument("--burst", action="store_true", help="exit when the queue is empty")
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

    redis = Redis.from_url(settings.redis_url, health_check_interval=10, socket_connect_timeout=2)
    queue = Queue(settings.queue, connection=redis, serializer=JSONSerializer)
    name = args.name or f"worker-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    first = next(iter(annotators.values()))
    heartbeat = Heartbeat(redis, name, {"languages": sorted(annotators), "model": first.model_name,
                                        "version": first.model_version}, settings.heartbeat_seconds)
    worker = AnnotationWorker([queue], connection=redis, serializer=JSONSerializer, name=name,
                              job_monitoring_interval=5, maintenance_interval=15)
    heartbeat.beat()
    heartbeat.start()
    log.info("worker %s ready: languages %s", name, ", ".join(sorted(annotators)))
    try:
        worker.work(burst=args.burst, with_scheduler=False, logging_level=os.environ.get("LOG_LEVEL", "INFO"))
    finally:
        heartbeat.stop()


if __name__ == "__main__":
    main()
