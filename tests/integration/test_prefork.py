"""`annotator-worker --processes 2`: one model load, two RQ workers forked from it, supervised."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from rq import Queue
from rq.serializers import JSONSerializer

from scripts.stack import ROOT, start_worker, stop
from service.config import Settings
from service.jobs import JobStore
from service.schemas import AnnotationRequest
from tests.integration.conftest import Stack, eventually
from workers.heartbeat import live_workers


def parent_of(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1])


def test_forked_workers_share_one_load_are_replaced_when_killed_and_stop_together(stack: Stack) -> None:
    proc = start_worker(stack.env, stack.root / "pf.log", "pf", processes=2)
    try:
        eventually(lambda: {"pf-1", "pf-2"} <= set(live_workers(stack.client())), timeout=240)
        fleet = live_workers(stack.client())
        pids = {name: int(fleet[name]["pid"]) for name in ("pf-1", "pf-2")}
        assert all(parent_of(pid) == proc.pid for pid in pids.values()), pids
        assert (stack.root / "pf.log").read_text().count("pipelines loaded") == 1  # one load for both

        os.kill(pids["pf-1"], signal.SIGKILL)
        eventually(lambda: "pf-1-r1" in live_workers(stack.client()), timeout=60)
        pids["pf-1-r1"] = int(live_workers(stack.client())["pf-1-r1"]["pid"])
        assert parent_of(pids["pf-1-r1"]) == proc.pid

        jobs = [stack.submit({"text": f"Menteri Luar Negeri tiba di Seoul, hari ke-{i}.", "tasks": ["entities"]})
                for i in range(4)]
        assert all(stack.wait_job(j["job_id"])["status"] == "finished" for j in jobs)
    finally:
        stop(proc)
    assert proc.returncode == 0
    alive = [pid for pid in pids.values() if Path(f"/proc/{pid}").exists()]
    assert alive == []
    # Stopped workers remove their heartbeat; the killed one's expires a few seconds after its last beat.
    assert not {"pf-2", "pf-1-r1"} & set(live_workers(stack.client()))
    eventually(lambda: "pf-1" not in live_workers(stack.client()), timeout=15)


def test_in_process_workers_run_jobs_and_retire_after_max_jobs(stack: Stack) -> None:
    """A queue of its own, so that this worker is the only one taking the jobs."""
    env = {**stack.env, "WORKER_IN_PROCESS": "1", "WORKER_MAX_JOBS": "2", "QUEUE_NAME": "in-process"}
    proc = start_worker(env, stack.root / "ip.log", "ip", processes=1)
    try:
        eventually(lambda: "ip" in live_workers(stack.client()), timeout=240)
        store = JobStore(stack.client(), Settings(redis_url=stack.redis.url, queue_name="in-process"), "test")
        payloads = [AnnotationRequest().load({"text": f"Presiden tiba di Jakarta, kunjungan ke-{i}.",
                                              "tasks": ["entities"]}) for i in range(3)]
        jobs = [s.job for s in store.submit_many(payloads, [None] * 3)]
        eventually(lambda: all(j.get_status(refresh=True) == "finished" for j in jobs), timeout=120)
        assert all(any(e["type"] == "LOC" for e in j.return_value()["entities"]) for j in jobs)  # type: ignore[index]
        log = (stack.root / "ip.log").read_text()
        assert log.count("Successfully completed") == 3 and "retired" in log
        done_by = [line.rsplit(" ", 1)[1] for line in log.splitlines() if "Successfully completed" in line]
        assert sorted(done_by) == ["ip", "ip", "ip-r1"], done_by
    finally:
        stop(proc)
    assert proc.returncode == 0


def test_a_killed_in_process_worker_s_job_is_retried_by_its_successor(stack: Stack) -> None:
    env = {**stack.env, "WORKER_IN_PROCESS": "1", "QUEUE_NAME": "in-process-kill"}
    proc = start_worker(env, stack.root / "ipk.log", "ipk", processes=1)
    try:
        eventually(lambda: "ipk" in live_workers(stack.client()), timeout=240)
        store = JobStore(stack.client(), Settings(redis_url=stack.redis.url, queue_name="in-process-kill"), "test")
        text = " ".join(f"Menteri Luar Negeri bertemu Duta Besar Jepang di Jakarta pada hari ke-{i}."
                        for i in range(300))
        (job,) = [s.job for s in store.submit_many([AnnotationRequest().load({"text": text})], [None])]
        eventually(lambda: job.get_status(refresh=True) == "started", timeout=60)
        os.kill(int(live_workers(stack.client())["ipk"]["pid"]), signal.SIGKILL)
        started = time.monotonic()
        eventually(lambda: job.get_status(refresh=True) == "finished", timeout=120)
        assert time.monotonic() - started < 90  # noticed through the job's 15 s heartbeat, not timeout + 60 s
        job.refresh()
        assert job.retries_left == 1  # one attempt was lost with the worker
        log = (stack.root / "ipk.log").read_text()
        assert [line.rsplit(" ", 1)[1] for line in log.splitlines() if "Successfully completed" in line] == \
            ["ipk-r1"]
    finally:
        stop(proc)


def test_the_watchdog_kills_an_in_process_worker_stuck_past_its_job_timeout(stack: Stack) -> None:
    env = {**stack.env, "QUEUE_NAME": "hang", "WORKER_WATCHDOG_GRACE": "1", "PYTHONPATH": str(ROOT)}
    proc = start_worker(env, stack.root / "wd.log", "wd", processes=1)
    try:
        eventually(lambda: "wd" in live_workers(stack.client()), timeout=240)
        queue = Queue("hang", connection=stack.client(), serializer=JSONSerializer)
        job = queue.enqueue("tests.integration.hang_job.hang", 300, job_timeout=2)
        started = time.monotonic()
        eventually(lambda: "wd-r1" in live_workers(stack.client()), timeout=60)
        assert time.monotonic() - started < 30  # timeout 2 s + grace 1 s + one watchdog round of 5 s, roughly
        assert "past its job's timeout" in (stack.root / "wd.log").read_text()
        eventually(lambda: job.get_status(refresh=True) == "failed", timeout=90)  # abandoned, no retries left
    finally:
        stop(proc)
