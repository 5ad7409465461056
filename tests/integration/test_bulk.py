"""Bulk processing with the real models: queued short articles share one Stanza call, with the same results as
one by one, and a worker killed while it holds a group loses none of its jobs."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rq.results import Result

from tests.conftest import sample_articles
from tests.integration.conftest import Stack, eventually, start_stack
from workers import pipeline
from workers.config import WorkerSettings
from workers.nlp import Analysis, analyse, analyse_many

GROUPED = re.compile(r"bulk: (\d+) articles in one Stanza call")
DONE = re.compile(r"workers\.jobs job (\S+) doc=")
TASKS = ["entities", "sentiment", "events"]


def texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sample_articles() if len(p.read_text(encoding="utf-8")) <= 5000]


def summary(analysis: Analysis) -> dict[str, Any]:
    doc = analysis.doc
    return {
        "sentences": [(s.start, s.end) for s in doc.sentences],
        "words": [(w.start, w.end, w.upos, w.lemma, w.head, w.deprel) for s in doc.sentences for w in s.words],
        "entities": [(e.start, e.end, e.type) for e in doc.entities],
        "sentiment": [max(s, key=lambda k: s[k]) for s in analysis.sentence_scores or []],
    }


def test_articles_parsed_together_come_out_as_parsed_alone() -> None:
    if not pipeline.installed():
        pipeline.load(WorkerSettings.from_env())
    annotator = pipeline.get("id")
    articles = texts()[:6]
    together = analyse_many(annotator, articles, TASKS, [None] * len(articles))
    for text, shared in zip(articles, together, strict=True):
        alone = analyse(annotator, text, TASKS)
        assert summary(shared) == summary(alone)
        assert shared.doc.text == text and shared.sentence_scores is not None
        assert shared.timings_ms["stanza"] > 0
    assert sum(len(a.doc.entities) for a in together) > 10


@pytest.fixture(scope="module")
def bulk_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own whose worker claims up to 4 jobs at a time; no worker until a test adds one."""
    stack = start_stack(tmp_path_factory.mktemp("bulk"), WORKER_BULK="4")
    try:
        yield stack
    finally:
        stack.close()


def worker_logs(root: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in root.glob("w*.log"))


def queue_articles(stack: Stack, label: str, count: int) -> list[str]:
    articles = texts()
    return [stack.submit({"id": f"{label}-{i}", "text": f"{articles[i % len(articles)]}\n{label} nomor {i}."})["job_id"]
            for i in range(count)]


def test_a_deep_queue_is_parsed_in_groups_and_every_job_finishes_once(bulk_stack: Stack) -> None:
    job_ids = queue_articles(bulk_stack, "antrean", 12)
    bulk_stack.add_worker("w1")
    jobs = [bulk_stack.wait_job(job_id) for job_id in job_ids]
    assert [job["status"] for job in jobs] == ["finished"] * len(jobs)
    assert all(job["result"]["entities"] for job in jobs)
    logs = worker_logs(bulk_stack.root)
    groups = [int(n) for n in GROUPED.findall(logs)]
    assert groups and max(groups) > 1 and max(groups) <= 4, groups
    ran = Counter(DONE.findall(logs))
    assert all(ran[job_id] == 1 for job_id in job_ids), ran
    bulk_stack.stop_workers()


def successes(stack: Stack, job_id: str) -> int:
    return sum(1 for result in stack.job(job_id).results() if result.type == Result.Type.SUCCESSFUL)


def test_a_worker_killed_holding_a_group_loses_none_of_it(bulk_stack: Stack) -> None:
    job_ids = queue_articles(bulk_stack, "mati", 8)
    bulk_stack.add_worker("w2", wait=False)
    redis = bulk_stack.client()
    # The first job of a group runs while the others wait in the started registry under the worker's claim.
    eventually(lambda: redis.zcard("rq:wip:annotations") >= 3, timeout=240)
    bulk_stack.kill_worker("w2")
    time.sleep(0.5)
    bulk_stack.add_worker("w3")
    jobs = {job_id: bulk_stack.wait_job(job_id, timeout=300) for job_id in job_ids}
    assert {job_id: job["status"] for job_id, job in jobs.items()} == dict.fromkeys(job_ids, "finished")
    retried = [job_id for job_id, job in jobs.items() if job["attempts"] == 2]
    assert len(retried) >= 3, {job_id: job["attempts"] for job_id, job in jobs.items()}
    assert all(successes(bulk_stack, job_id) == 1 for job_id in job_ids)
    bulk_stack.stop_workers()


def test_a_claimed_job_canceled_before_its_turn_is_not_run(bulk_stack: Stack) -> None:
    body = "\n".join(texts())
    # Near the length limit, so the group's shared parse takes seconds: time to cancel a claimed job.
    job_ids = [bulk_stack.submit({"id": f"batal-{i}", "text": f"{body[i * 300:i * 300 + 4800]}\nbatal {i}."})["job_id"]
               for i in range(8)]
    bulk_stack.add_worker("w4", wait=False)
    redis = bulk_stack.client()
    eventually(lambda: redis.zcard("rq:wip:annotations") >= 3, timeout=240)
    claimed = [m.decode().split(":")[0] for m in redis.zrange("rq:wip:annotations", 0, -1)]
    victim = next(j for j in claimed if bulk_stack.job(j).get_status(refresh=True) == "queued")
    response = bulk_stack.http.delete(f"{bulk_stack.url}/v1/jobs/{victim}", timeout=10)
    assert response.status_code == 200 and response.json()["status"] == "canceled", response.text
    jobs = {job_id: bulk_stack.wait_job(job_id, timeout=300) for job_id in job_ids}
    assert jobs.pop(victim)["status"] == "canceled"
    assert {job["status"] for job in jobs.values()} == {"finished"}
    assert victim not in DONE.findall(worker_logs(bulk_stack.root))
    assert redis.zcard("rq:wip:annotations") == 0  # no claim left behind to be "retried" later
    bulk_stack.stop_workers()
