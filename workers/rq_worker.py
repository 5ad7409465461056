"""The RQ worker classes: forking per job (the default) or running jobs in the worker process itself."""

from __future__ import annotations

import logging
import resource
import threading
from types import FrameType

from redis.exceptions import RedisError
from rq import SimpleWorker, Worker
from rq.exceptions import AbandonedJobError
from rq.job import Job
from rq.queue import Queue

from workers import webhooks

log = logging.getLogger("workers")


class _Tuned:
    """What both kinds share: a job whose worker was killed is noticed in seconds, and a stop is remembered."""

    stopping = False  # a shutdown was asked for (SIGTERM/SIGINT), as opposed to RQ giving up on Redis

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker blocks this long for a job before it runs maintenance again, and maintenance is what
        # re-queues the job of a killed worker: RQ's default (worker_ttl - 15 = 405 s) would leave it for minutes.
        return int(self.maintenance_interval)  # type: ignore[attr-defined]

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        super().request_stop(signum, frame)  # type: ignore[misc]


class AnnotationWorker(_Tuned, Worker):
    """RQ's forking worker: each job runs in a process forked from the warm worker."""

    def get_heartbeat_ttl(self, job: Job) -> int:
        # The worker renews the job's heartbeat while it waits for the job process; RQ adds 60 s of slack on top,
        # so a dead worker's job would sit "started" that long before being retried.
        return self.job_monitoring_interval + 10

    def handle_work_horse_killed(self, job: Job, retpid: int, ret_val: int, rusage: object) -> None:
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        # RQ runs no failure callback when only the forked job process dies (the OOM killer): without this, a
        # job failing that way would never send its webhook. on_failure ignores it while retries remain.
        if job.failure_callback is webhooks.on_failure:
            webhooks.on_failure(job, self.connection, AbandonedJobError, AbandonedJobError(), None)


class InProcessWorker(_Tuned, SimpleWorker):
    """Runs each job in the worker process: no fork, no copy-on-write faults, no job process to reap.

    Saves tens of milliseconds per job (bench/RESULTS.md). A thread renews the job's heartbeat while it runs,
    as the forking worker does while it waits for its job process, so a killed worker's job is retried as
    soon (about 15 s). The job timeout is a signal in this process, which cannot interrupt a long C call: the
    supervising parent's watchdog (workers/watchdog.py) kills such a worker past timeout + grace. Memory a
    big article made the process take stays taken, so the worker stops itself (and workers/prefork.py forks
    a fresh one from the loaded parent) once its resident memory passes `max_rss_mb`; it can also stop after
    a number of jobs (RQ's max_jobs).
    """

    max_rss_mb = 2048

    def get_heartbeat_ttl(self, job: Job) -> int:
        return self.job_monitoring_interval + 10  # renewed every job_monitoring_interval by _renew

    def _renew(self, job: Job, done: threading.Event) -> None:
        while not done.wait(self.job_monitoring_interval):
            try:
                self.maintain_heartbeats(job)
            except RedisError:
                continue  # Redis is away: the job's own end will fail the same way and be handled there

    def execute_job(self, job: Job, queue: Queue) -> None:
        done = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(job, done), name="job-heartbeat", daemon=True)
        renewer.start()
        try:
            super().execute_job(job, queue)
        finally:
            done.set()
            renewer.join()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if rss_mb > self.max_rss_mb:
            log.info("worker %s reached %.0f MB resident; stopping so that a fresh one takes over", self.name,
                     rss_mb)
            self._stop_requested = True
