"""The RQ worker classes: forking per job (the default) or running jobs in the worker process itself."""

from __future__ import annotations

import logging
import resource
import threading
import time
from types import FrameType
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from rq import SimpleWorker, Worker
from rq.exceptions import AbandonedJobError
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.worker import WorkerStatus

from workers import bulk, webhooks
from workers.claims import Claimer

log = logging.getLogger("workers")
ANNOTATE = "workers.tasks.annotate"


class _Tuned:
    """What both kinds share: jobs are claimed, never popped bare; a job whose worker was killed is noticed in
    seconds; a stop is remembered."""

    stopping = False  # a shutdown was asked for (SIGTERM/SIGINT), as opposed to RQ giving up on Redis
    # An idle worker looks for work this often: a claim cannot block the way BLPOP does (workers/claims.py).
    poll_interval = 0.05

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker: Any = self
        self._reserved: dict[str, tuple[Job, Execution]] = {}  # claimed, not yet started
        self._claimer = Claimer(worker.connection, worker.name, worker.job_class, worker.serializer)

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker waits this long for a job before it runs maintenance again, and maintenance is what
        # re-queues the job of a killed worker: RQ's default (worker_ttl - 15 = 405 s) would leave it for minutes.
        return int(self.maintenance_interval)  # type: ignore[attr-defined]

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        super().request_stop(signum, frame)  # type: ignore[misc]

    def get_heartbeat_ttl(self, job: Job | None = None) -> int:
        # Renewed every job_monitoring_interval (by the forking worker while it waits for its job process, by
        # _renew in process); RQ adds 60 s of slack on top, so a dead worker's job would sit "started" that long.
        return int(self.job_monitoring_interval) + 10  # type: ignore[attr-defined]

    def _claim(self, queues: list[Queue]) -> tuple[Job, Queue] | None:
        claim = self._claimer.claim(queues, self.get_heartbeat_ttl())
        if claim is None:
            return None
        self._reserved[claim.job.id] = (claim.job, claim.reservation)
        return claim.job, claim.queue

    def _wait_for_job(self, timeout: int | None) -> tuple[Job, Queue] | None:
        deadline = time.monotonic() + (timeout or 0)
        while True:
            found = self._claim(self._ordered_queues)  # type: ignore[attr-defined]
            left = deadline - time.monotonic()
            if found is not None or timeout is None or left <= 0:
                return found
            time.sleep(min(self.poll_interval, left))

    def dequeue_job_and_maintain_ttl(self, timeout: int | None,
                                     max_idle_time: int | None = None) -> tuple[Job, Queue] | None:
        """RQ's idle loop (heartbeat, maintenance, back off while Redis is away) around a claim, not a BLPOP."""
        worker: Any = self
        worker.set_state(WorkerStatus.IDLE)
        worker.procline("Listening on " + ",".join(worker.queue_names()))
        connection_wait_time = 1.0
        idle_since = time.monotonic()
        while True:
            try:
                worker.heartbeat()
                if worker.should_run_maintenance_tasks:
                    worker.run_maintenance_tasks()
                wait = timeout
                if wait is not None and max_idle_time is not None:
                    wait = max(0, min(wait, int(max_idle_time - (time.monotonic() - idle_since))))
                found = self._wait_for_job(wait)
                if found is not None:
                    job, queue = found
                    worker.reorder_queues(reference_queue=queue)
                    job.redis_server_version = worker.get_redis_server_version()
                    log.info("Worker %s: %s: %s", worker.name, queue.name, job.id)
                    worker.heartbeat()
                    return found
                if timeout is None:  # burst: the queues are empty
                    return None
                if max_idle_time is not None and time.monotonic() - idle_since >= max_idle_time:
                    return None
            except RedisConnectionError as error:
                log.error("Worker %s: could not connect to Redis: %s; retrying in %.0f s", worker.name, error,
                          connection_wait_time)
                time.sleep(connection_wait_time)
                connection_wait_time = min(connection_wait_time * worker.exponential_backoff_factor,
                                           worker.max_connection_wait_time)

    def prepare_execution(self, job: Job) -> Execution:
        execution: Execution = super().prepare_execution(job)  # type: ignore[misc]
        held = self._reserved.pop(job.id, None)
        if held is not None:  # registered under its own execution now: the reservation has served
            with self.connection.pipeline() as pipe:  # type: ignore[attr-defined]
                held[1].delete(job, pipe)
                pipe.execute()
        return execution


class AnnotationWorker(_Tuned, Worker):
    """RQ's forking worker: each job runs in a process forked from the warm worker."""

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
    a number of jobs (RQ's max_jobs). With a deep queue it claims several short articles at once and parses
    them in one Stanza call (workers/bulk.py); each still runs as a job of its own.
    """

    max_rss_mb = 2048
    bulk_size = 1  # jobs claimed together for one Stanza call when the queue is deep (workers/bulk.py)
    bulk_max_chars = 5000  # longer articles are parsed alone

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ran = 0  # jobs run, a group's too (RQ's max_jobs counts one per dequeue)
        self._max_jobs: int | None = None

    def work(self, *args: Any, **kwargs: Any) -> bool:
        self._max_jobs = kwargs.get("max_jobs")
        return super().work(*args, **kwargs)

    def _renew(self, job: Job, done: threading.Event) -> None:
        while not done.wait(self.job_monitoring_interval):
            try:
                self.maintain_heartbeats(job)
                with self.connection.pipeline() as pipe:
                    for held, reservation in list(self._reserved.values()):
                        reservation.heartbeat(held.started_job_registry, self.get_heartbeat_ttl(held), pipe)
                    pipe.execute()
            except RedisError:
                continue  # Redis is away: the job's own end will fail the same way and be handled there

    def _claim_group(self, job: Job, queue: Queue) -> None:
        """With a deep queue, claim more short articles to parse with this one in one Stanza call."""
        if self.bulk_size <= 1 or job.func_name != ANNOTATE or not job.args:
            return
        first = bulk.plan(job.args[0], self.bulk_max_chars)
        if first is None:
            return
        # Leave at least half of what is queued to the other workers: a group only pays when the queue is deep.
        wanted = min(self.bulk_size - 1, queue.count // 2)
        if self._max_jobs:
            wanted = min(wanted, self._max_jobs - self._ran - 1)
        payloads = {job.id: job.args[0]}
        for _ in range(wanted):
            claimed = self._claim([queue])
            if claimed is None:
                break
            extra = claimed[0]
            if extra.func_name != ANNOTATE or not extra.args or bulk.plan(extra.args[0], self.bulk_max_chars) != first:
                break  # it runs alone after the group
            payloads[extra.id] = extra.args[0]
        bulk.hold(first, payloads)

    def _release(self, job: Job, reservation: Execution) -> None:
        with self.connection.pipeline() as pipe:
            reservation.delete(job, pipe)
            pipe.execute()
        bulk.release(job.id)

    def _execute_one(self, job: Job, queue: Queue) -> None:
        done = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(job, done), name="job-heartbeat", daemon=True)
        renewer.start()
        try:
            super().execute_job(job, queue)
        finally:
            done.set()
            renewer.join()
            self._ran += 1

    def execute_job(self, job: Job, queue: Queue) -> None:
        self._claim_group(job, queue)
        self._execute_one(job, queue)
        while self._reserved:
            extra, reservation = next(iter(self._reserved.values()))
            if extra.get_status(refresh=True) != JobStatus.QUEUED:  # canceled (or deleted) while held here
                del self._reserved[extra.id]
                self._release(extra, reservation)
                continue
            self._execute_one(extra, queue)
        if self._max_jobs and self._ran >= self._max_jobs:
            self._stop_requested = True  # RQ would only count this call as one job
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if rss_mb > self.max_rss_mb:
            log.info("worker %s reached %.0f MB resident; stopping so that a fresh one takes over", self.name,
                     rss_mb)
            self._stop_requested = True
