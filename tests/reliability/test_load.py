"""10,000 short documents through /v1/batches with 2 real workers: every one finished exactly once, the batch
counts match, and Redis memory stays bounded because results expire after RESULT_TTL.

Minutes long, so it runs under `make test-reliability` (which sets RELIABILITY_LOAD=1) and not in `make test`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from redis import Redis

from scripts.stack import wait_ready
from tests.integration.conftest import Stack
from tests.openapi_contract import validate_response
from tests.reliability.conftest import LOAD_ENV, completions, load_enabled, start_stack

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not load_enabled(), reason=f"minutes long: set {LOAD_ENV}=1 (make test-reliability)")]

DOCUMENTS = 10_000
BATCH = 1000
IN_FLIGHT = 2  # batches queued at once, as a client that keeps its workers busy without flooding the queue
RESULT_TTL = 300  # a batch lives ~2,000 jobs from creation to check, well within; short enough to watch expiry
# Bytes of Redis memory per document above the empty-stack baseline, at the peak. With bulk processing the whole
# run takes well under RESULT_TTL, so every job and result is alive at the end (about 8 KB each).
MAX_GROWTH_PER_DOCUMENT = 12 * 2**10
EXPIRED_SLACK = 4 * 2**20  # after expiry, Redis must be back within this of its baseline
PATTERNS = ("rq:job:*", "rq:results:*", "ann:batch:*", "ann:idem:*")


@dataclass
class Run:
    batches: dict[str, list[str]] = field(default_factory=dict)  # batch id -> its job ids
    created_at: dict[str, float] = field(default_factory=dict)
    finished_at: dict[str, float] = field(default_factory=dict)
    peak_memory: int = 0
    polls: int = 0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = start_stack(tmp_path_factory.mktemp("load"), RESULT_TTL=str(RESULT_TTL), MAX_QUEUE_DEPTH="5000")
    try:
        for name in ("w1", "w2"):
            stack.add_worker(name, wait=False)
        for name in ("w1", "w2"):
            stack.wait_worker(name)
        wait_ready(stack.url, 60, [stack.api])
        yield stack
    finally:
        stack.close()


def memory(redis: Redis) -> int:
    return int(redis.info("memory")["used_memory"])


def keys(redis: Redis) -> dict[str, int]:
    return {pattern: sum(1 for _ in redis.scan_iter(match=pattern, count=1000)) for pattern in PATTERNS}


def document(i: int) -> dict[str, Any]:
    return {"id": f"load-{i:05d}", "text": f"Menteri {i} bertemu Gubernur Jawa Barat di Bandung pada Senin.",
            "tasks": ["entities"]}


def check_batch(stack: Stack, batch_id: str, job_ids: list[str]) -> bool:
    """True once every document of the batch has finished; then its status and results are checked in full."""
    status = stack.http.get(f"{stack.url}/v1/batches/{batch_id}", params={"per_page": BATCH}, timeout=30).json()
    counts = status["counts"]
    assert counts["failed"] == counts["canceled"] == counts["rejected"] == 0, counts
    if counts["finished"] < BATCH:
        assert sum(counts.values()) == status["count"] == BATCH, counts
        return False
    validate_response("get", "/v1/batches/{batch_id}", 200, status)
    assert [d["job_id"] for d in status["documents"]] == job_ids
    assert all(d["status"] == "finished" for d in status["documents"])
    response = stack.http.get(f"{stack.url}/v1/batches/{batch_id}/results", timeout=60)
    lines = [line for line in response.text.split("\n") if line]
    assert len(lines) == BATCH
    validate_response("get", "/v1/batches/{batch_id}/results", 200, response.text, response.headers["Content-Type"])
    return True


def test_ten_thousand_documents_each_finish_exactly_once_in_bounded_memory(stack: Stack) -> None:
    redis = Redis.from_url(stack.redis.url, socket_timeout=30)  # a busy Redis may pause for seconds (AOF fsync)
    baseline = memory(redis)
    run = Run()
    pending = list(range(0, DOCUMENTS, BATCH))
    in_flight: list[str] = []
    started = time.monotonic()
    deadline = started + 3600
    while (pending or in_flight) and time.monotonic() < deadline:
        while pending and len(in_flight) < IN_FLIGHT:
            first = pending.pop(0)
            documents = [document(i) for i in range(first, first + BATCH)]
            response = stack.http.post(f"{stack.url}/v1/batches", json={"documents": documents}, timeout=120)
            assert response.status_code == 202, response.text[:500]
            body = response.json()
            assert body["count"] == BATCH and all(j["status"] == "queued" for j in body["jobs"])
            run.batches[body["batch_id"]] = [j["job_id"] for j in body["jobs"]]
            run.created_at[body["batch_id"]] = time.monotonic()
            in_flight.append(body["batch_id"])
        time.sleep(2)
        run.polls += 1
        run.peak_memory = max(run.peak_memory, memory(redis))
        for batch_id in list(in_flight):
            age = time.monotonic() - run.created_at[batch_id]
            assert age < RESULT_TTL - 30, f"batch {batch_id} still running after {age:.0f} s: raise RESULT_TTL"
            if check_batch(stack, batch_id, run.batches[batch_id]):
                run.finished_at[batch_id] = time.monotonic()
                in_flight.remove(batch_id)
    elapsed = time.monotonic() - started
    assert not pending and not in_flight, f"{len(run.finished_at)} of {DOCUMENTS // BATCH} batches in {elapsed:.0f} s"

    job_ids = [job_id for ids in run.batches.values() for job_id in ids]
    assert len(set(job_ids)) == DOCUMENTS
    ran = Counter(completions(stack))
    assert set(ran) == set(job_ids) and set(ran.values()) == {1}, Counter(ran.values())
    assert run.peak_memory - baseline < MAX_GROWTH_PER_DOCUMENT * DOCUMENTS, (run.peak_memory, baseline)

    # Nothing is kept for ever: every job, result, batch and idempotency key expires RESULT_TTL after it was written.
    expire_by = max(run.finished_at.values()) + RESULT_TTL + 60
    left = keys(redis)
    while any(left.values()) and time.monotonic() < expire_by:
        time.sleep(5)
        left = keys(redis)
    after = memory(redis)
    lifetime = max(run.finished_at[b] - run.created_at[b] for b in run.finished_at)
    print(f"\nload: {DOCUMENTS} documents in {DOCUMENTS // BATCH} batches, {elapsed:.0f} s "
          f"({DOCUMENTS / elapsed:.1f} docs/s) with 2 workers, longest batch {lifetime:.0f} s; "
          f"Redis baseline {baseline / 2**20:.1f} MiB, "
          f"peak {run.peak_memory / 2**20:.1f} MiB, after expiry {after / 2**20:.1f} MiB "
          f"({time.monotonic() - started:.0f} s in all); keys left {left}")
    assert not any(left.values()), left
    assert after - baseline < EXPIRED_SLACK, (after, baseline)
