"""Faults on a real stack (redis-server with AOF, gunicorn, two RQ workers with the real models).

tests/integration/test_faults.py already shows one killed job finishing on another worker and queued jobs
surviving a Redis restart with the workers stopped. Here: kills in the middle of a batch with exactly-once
accounting, a job whose every attempt is killed, Redis killed and frozen under running workers, every endpoint
during the outage, pathological texts, and logs free of submitted text.
"""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from rq.job import Job
from rq.results import Result
from rq.serializers import JSONSerializer

from scripts.stack import wait_ready
from tests.conftest import sample_articles
from tests.integration.conftest import Stack
from tests.openapi_contract import validate_response
from tests.reliability.conftest import completions, logs, start_stack

pytestmark = pytest.mark.integration

WORKERS = 2
# Words no log line may ever contain: every document this module submits carries one.
MARKERS = ("Zebrafalkon", "Kuskuslaut", "Tarsiusbiru")


@pytest.fixture(scope="module", params=["in-process", "fork-per-job"])
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Every fault twice: with jobs run in the worker process (the default) and in a process forked per job."""
    mode = "1" if request.param == "in-process" else "0"
    stack = start_stack(tmp_path_factory.mktemp("faults"), ACCESS_LOG="1", WORKER_IN_PROCESS=mode)
    try:
        ensure_workers(stack)
        wait_ready(stack.url, 60, [stack.api])
        yield stack
    finally:
        stack.close()


def new_worker(stack: Stack) -> str:
    """Start a worker under a fresh name: RQ refuses a name whose killed owner has not expired yet."""
    name = f"w{len(list(stack.root.glob('w*.log'))) + 1}"
    stack.add_worker(name, wait=False)
    return name


def ensure_workers(stack: Stack) -> None:
    """Back to WORKERS live workers with their models loaded, whatever a test killed."""
    for name, proc in list(stack.workers.items()):
        if proc.poll() is not None:
            del stack.workers[name]
    while len(stack.workers) < WORKERS:
        new_worker(stack)
    for name in list(stack.workers):
        stack.wait_worker(name)


def article(i: int) -> str:
    texts = sample_articles()
    return f"{texts[i % len(texts)].read_text(encoding='utf-8')}\n{MARKERS[i % len(MARKERS)]} menutup laporan."


def submit_batch(stack: Stack, documents: list[dict[str, Any]]) -> dict[str, Any]:
    response = stack.http.post(f"{stack.url}/v1/batches", json={"documents": documents}, timeout=60)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


def running(stack: Stack, job_ids: list[str], skip: set[str], timeout: float = 120) -> tuple[str, str]:
    """(job id, worker name) of a job a live worker is running now, other than those in skip."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for job_id in job_ids:
            if job_id in skip:
                continue
            job = stack.job(job_id)
            if job.get_status() == "started" and job.worker_name in stack.workers:
                return job_id, job.worker_name
        time.sleep(0.05)
    raise AssertionError(f"no job of {len(job_ids)} started within {timeout} s")


def successes(stack: Stack, job_id: str) -> int:
    """Successful executions RQ recorded for the job: a duplicate run would leave two."""
    job = Job.fetch(job_id, connection=stack.client(), serializer=JSONSerializer)
    return sum(1 for result in job.results() if result.type == Result.Type.SUCCESSFUL)


def wait_all(stack: Stack, job_ids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    done: dict[str, dict[str, Any]] = {}
    for job_id in job_ids:
        done[job_id] = stack.wait_job(job_id, timeout=max(1.0, deadline - time.monotonic()))
    return done


def test_killing_workers_mid_batch_loses_and_duplicates_nothing(stack: Stack) -> None:
    documents = [{"id": f"kill-{i}", "text": article(i)} for i in range(12)]
    batch = submit_batch(stack, documents)
    job_ids = [entry["job_id"] for entry in batch["jobs"]]
    killed: list[str] = []
    for _ in range(2):  # two kill -9, each of the worker running some job at that moment
        job_id, worker = running(stack, job_ids, set(killed))
        stack.kill_worker(worker)
        killed.append(job_id)
        new_worker(stack)
    jobs = wait_all(stack, job_ids, timeout=600)

    assert {job_id: job["status"] for job_id, job in jobs.items() if job["status"] != "finished"} == {}
    for job_id in killed:
        assert jobs[job_id]["attempts"] >= 2, jobs[job_id]
    assert all(successes(stack, job_id) == 1 for job_id in job_ids)
    status = stack.http.get(f"{stack.url}/v1/batches/{batch['batch_id']}", timeout=10).json()
    validate_response("get", "/v1/batches/{batch_id}", 200, status)
    assert status["counts"]["finished"] == len(documents) == status["count"]
    lines = stack.http.get(f"{stack.url}/v1/batches/{batch['batch_id']}/results", timeout=30).text.splitlines()
    assert sorted(json.loads(line)["job_id"] for line in lines) == sorted(job_ids)  # one result line per job
    ran = Counter(completions(stack))
    assert all(ran[job_id] == 1 for job_id in job_ids), {j: ran[j] for j in job_ids}
    ensure_workers(stack)


def test_a_job_whose_every_attempt_is_killed_fails_with_a_reason(stack: Stack) -> None:
    """Three kill -9 (the first run and both retries): the job fails as worker-died, it is not lost or rerun."""
    stack.stop_workers()
    job_id = stack.submit({"text": article(3) * 3, "id": "always-killed"})["job_id"]
    for attempt in range(3):
        new_worker(stack)
        _, worker = running(stack, [job_id], set(), timeout=240)
        assert stack.job(job_id).retries_left == 2 - attempt
        stack.kill_worker(worker)
    stack.wait_worker(new_worker(stack))  # its maintenance finds the abandoned job with no retries left
    job = stack.wait_job(job_id, timeout=180)
    validate_response("get", "/v1/jobs/{job_id}", 200, job)
    assert job["status"] == "failed" and job["attempts"] == 3, job
    assert job["error"]["type"].endswith("/worker-died") and job["error"]["status"] == 500, job
    assert successes(stack, job_id) == 0
    later = stack.submit({"text": f"Presiden tiba di Jakarta. {MARKERS[0]}.", "tasks": ["entities"]}, wait=30)
    assert later["status"] == "finished", later  # the worker that found it keeps working
    ensure_workers(stack)


def endpoints(stack: Stack) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(method, path as sent, path template, JSON body) for every operation that needs Redis."""
    return [
        ("post", "/v1/annotations", "/v1/annotations", {"text": "Saat Redis mati."}),
        ("post", "/v1/batches", "/v1/batches", {"documents": [{"text": "Saat Redis mati."}]}),
        ("get", "/v1/jobs/abc", "/v1/jobs/{job_id}", None),
        ("delete", "/v1/jobs/abc", "/v1/jobs/{job_id}", None),
        ("get", "/v1/batches/abc", "/v1/batches/{batch_id}", None),
        ("get", "/v1/batches/abc/results", "/v1/batches/{batch_id}/results", None),
        ("get", "/v1/ready", "/v1/ready", None),
    ]


def check_unavailable(stack: Stack, limit: float) -> float:
    """Every Redis-backed endpoint answers 503 problem+json within `limit` seconds; returns the slowest."""
    slowest = 0.0
    for method, path, template, body in endpoints(stack):
        started = time.perf_counter()
        response = stack.http.request(method, f"{stack.url}{path}", json=body, timeout=10)
        took = time.perf_counter() - started
        slowest = max(slowest, took)
        assert response.status_code == 503, (path, response.status_code, response.text)
        assert took < limit, (path, took)
        validate_response(method, template, 503, response.json(), response.headers["Content-Type"])
        assert response.headers.get("Retry-After"), path
    for path in ("/v1/health", "/v1/models"):  # no Redis needed: still answered
        assert stack.http.get(f"{stack.url}{path}", timeout=10).status_code == 200, path
    return slowest


def recover(stack: Stack, timeout: float = 30) -> float:
    """Seconds until the same API process accepts work again, with nothing restarted but Redis."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            response = stack.http.post(f"{stack.url}/v1/annotations", json={"text": f"Pulih. {MARKERS[1]}"},
                                     timeout=5)
            if response.status_code in (200, 202):
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the API did not recover within {timeout} s")


def test_redis_killed_under_running_workers_loses_no_accepted_job(stack: Stack) -> None:
    documents = [{"id": f"redis-{i}", "text": article(i), "tasks": ["entities"]} for i in range(8)]
    job_ids = [entry["job_id"] for entry in submit_batch(stack, documents)["jobs"]]
    job_ids.append(stack.submit({"text": article(5) * 2, "id": "redis-single"})["job_id"])
    running(stack, job_ids, set())
    # No pause for appendfsync: killing the process loses no acknowledged write, only a machine crash could.
    stack.redis.stop(kill=True)
    slowest = check_unavailable(stack, limit=1.0)
    time.sleep(3)  # the workers notice the outage while it lasts
    stack.redis.start()
    recovered = recover(stack)
    jobs = wait_all(stack, job_ids, timeout=600)
    assert {job_id: job["status"] for job_id, job in jobs.items() if job["status"] != "finished"} == {}
    assert all(successes(stack, job_id) == 1 for job_id in job_ids)
    alive = {name: proc.poll() is None for name, proc in stack.workers.items()}
    print(f"\nredis killed: slowest 503 {slowest:.3f} s, API recovered {recovered:.2f} s after restart, "
          f"workers alive {alive}")
    assert all(alive.values()), alive
    ensure_workers(stack)


def test_frozen_redis_is_answered_503_and_recovers(stack: Stack) -> None:
    """A Redis that accepts connections but never answers (SIGSTOP): bounded by the 2 s socket timeout."""
    assert stack.redis.proc is not None
    stack.redis.proc.send_signal(signal.SIGSTOP)
    try:
        slowest = check_unavailable(stack, limit=2.5)
    finally:
        stack.redis.proc.send_signal(signal.SIGCONT)
    recovered = recover(stack)
    print(f"\nredis frozen: slowest 503 {slowest:.3f} s, recovered {recovered:.2f} s after SIGCONT")
    job = stack.submit({"text": f"Setelah Redis beku. {MARKERS[2]}.", "tasks": ["entities"]}, wait=30)
    assert job["status"] == "finished", job
    assert all(proc.poll() is None for proc in stack.workers.values())


# Sizes keep the module within minutes: a token costs the same everywhere, and punctuation is one token per
# character, so 200,000 characters of it take minutes (well within their 17-minute timeout; docs/RELIABILITY.md).
PATHOLOGICAL = {
    "200k characters without spaces": "a" * 200_000,
    "one giant sentence": " ".join(["kata", "Presiden", "Jakarta"] * 3_000),  # 9,000 words, no full stop
    "only punctuation": ".,;:!?-()\"'" * 1_000,
    "mixed scripts": "Jakarta 中文 مرحبا שלום 한국어 Ωμέγα हिन्दी 😀 \u202eغزة\u202c " * 1_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_text_finishes_or_fails_cleanly_and_the_worker_survives(stack: Stack, name: str) -> None:
    text = PATHOLOGICAL[name]
    started = time.monotonic()
    job_id = stack.submit({"text": text, "id": f"patho-{name}"})["job_id"]
    timeout = stack.job(job_id).timeout or 0
    job = stack.wait_job(job_id, timeout=timeout * 3 + 120)  # at most the first run and two retries
    took = time.monotonic() - started
    validate_response("get", "/v1/jobs/{job_id}", 200, job)
    print(f"\n{name}: {job['status']} in {took:.1f} s (timeout {timeout} s, attempts {job['attempts']})")
    if job["status"] == "finished":
        result = job["result"]
        for entity in result["entities"]:
            assert text[entity["start"]:entity["end"]] == entity["text"], entity
        assert all(0 <= s["start"] < s["end"] <= len(text) for s in result["sentences"])
    else:
        assert job["status"] == "failed" and job["error"]["type"].endswith(("/job-timeout", "/document-error")), job
    ensure_workers(stack)
    later = stack.submit({"text": f"Menteri tiba di Bandung. {MARKERS[0]} {name}.", "tasks": ["entities"]}, wait=30)
    assert later["status"] == "finished", later


def test_no_log_holds_submitted_text(stack: Stack) -> None:
    """gunicorn (with its access log), worker and Redis logs name jobs and document ids, never the text nor the
    API key or its webhook secret (runs last in the module)."""
    written = logs(stack)
    assert any(name.startswith("w") for name in written) and "api.log" in written, sorted(written)
    secrets = (*MARKERS, stack.api_key, stack.api_key.split("_", 2)[2], stack.webhook_secret)
    leaks = {name: marker for name, text in written.items() for marker in secrets if marker in text}
    assert leaks == {}, leaks
    assert not any("Presiden Joko Widodo" in text for text in written.values())
