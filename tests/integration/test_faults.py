"""A killed worker's job still finishes; a Redis restart keeps accepted jobs."""

from __future__ import annotations

import time

from tests.conftest import sample_articles
from tests.integration.conftest import Stack


def long_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sample_articles()[:6])


def test_a_job_whose_worker_is_killed_finishes_on_another_worker(stack: Stack) -> None:
    stack.add_worker("w2")
    job_id = stack.submit({"text": long_text(), "id": "kill-me"})["job_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and stack.job(job_id).get_status() != "started":
        time.sleep(0.02)
    running_on = stack.job(job_id).worker_name
    assert running_on in stack.workers, running_on
    stack.kill_worker(running_on)
    job = stack.wait_job(job_id, timeout=240)
    assert job["status"] == "finished", job
    assert job["attempts"] == 2
    assert stack.job(job_id).worker_name != running_on


def test_accepted_jobs_survive_a_redis_restart(stack: Stack) -> None:
    stack.stop_workers()
    texts = [p.read_text(encoding="utf-8") for p in sample_articles()[6:9]]
    job_ids = [stack.submit({"text": t, "tasks": ["entities"]})["job_id"] for t in texts]
    time.sleep(1.5)  # appendfsync everysec
    stack.redis.stop(kill=True)
    started = time.monotonic()
    down = stack.http.post(f"{stack.url}/v1/annotations", json={"text": "x"}, timeout=5)
    assert down.status_code == 503 and time.monotonic() - started < 1.5
    assert down.headers["Content-Type"].startswith("application/problem+json")
    stack.redis.start()
    stack.add_worker("w3")
    for job_id in job_ids:
        assert stack.wait_job(job_id)["status"] == "finished"
