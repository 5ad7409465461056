"""Queueing annotation jobs by dotted path, reading them back, idempotency, and batch bookkeeping."""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from service.config import Settings
from service.errors import Problem
from service.offsets import to_utf16

TASK = "workers.tasks.annotate"  # by dotted path: the API never imports workers/
WORKER_KEYS = "ann:workers:*"
STATUS = {"queued": "queued", "deferred": "queued", "scheduled": "queued", "started": "started",
          "finished": "finished", "failed": "failed", "stopped": "canceled", "canceled": "canceled"}
ENDED = {"finished", "failed", "canceled"}
# RQ's own job id alphabet; anything else (";", ":" which RQ reads as "<job>:<execution>") is an unknown job.
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _utf8(value: str) -> bytes:
    return value.encode("utf-8", "backslashreplace")


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat().replace("+00:00", "Z")


def _failure(exc_string: str | None, timeout: float | None) -> dict[str, Any]:
    """A failed job's reason as a problem object, without the traceback."""
    text = (exc_string or "").strip()
    last = text.splitlines()[-1] if text else ""
    if "DocumentError" in last:
        return {"type": "https://berita-annotator.dev/problems/document-error", "title": "Document cannot be annotated",
                "status": 422, "detail": last.split(":", 1)[-1].strip()}
    if "JobTimeoutException" in text:
        return {"type": "https://berita-annotator.dev/problems/job-timeout", "title": "Annotation timed out",
                "status": 504, "detail": f"annotation exceeded its time limit of {int(timeout or 0)} s"}
    if "AbandonedJobError" in text or "terminated unexpectedly" in text or "Work-horse" in text:
        return {"type": "https://berita-annotator.dev/problems/worker-died", "title": "Worker lost",
                "status": 500, "detail": "the worker running this job died and the retries were used up"}
    return {"type": "https://berita-annotator.dev/problems/annotation-failed", "title": "Annotation failed",
            "status": 500, "detail": last or "the annotation failed without a reason"}


def _body_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass
class Submission:
    job: Job
    created: bool


class JobStore:
    def __init__(self, redis: Redis, settings: Settings, model_version: str) -> None:
        self.redis, self.settings, self.model_version = redis, settings, model_version
        self.queue = Queue(settings.queue_name, connection=redis, serializer=JSONSerializer)

    # -- workers and languages -------------------------------------------------------------------
    def workers(self) -> list[dict[str, Any]]:
        keys = list(self.redis.scan_iter(match=WORKER_KEYS, count=100))
        values = self.redis.mget(keys) if keys else []
        return [json.loads(v) for v in values if v]

    def languages(self) -> list[str]:
        installed = {lang for w in self.workers() for lang in w.get("languages", [])}
        return sorted(installed or {self.settings.default_language})

    # -- submitting ------------------------------------------------------------------------------
    def check_capacity(self, adding: int) -> None:
        depth = self.queue.count
        if depth + adding > self.settings.max_queue_depth:
            retry = max(5, min(300, depth // max(1, len(self.workers()) * 2)))
            raise Problem(429, "Too Many Requests", f"the queue holds {depth} jobs (limit "
                          f"{self.settings.max_queue_depth}); retry later", "rate-limited",
                          headers={"Retry-After": str(retry)})

    def dedupe_key(self, payload: dict[str, Any], idempotency_key: str | None) -> str:
        if idempotency_key:
            material = "key\x00" + idempotency_key
        else:
            text_hash = hashlib.sha256(payload["text"].encode("utf-8", "surrogatepass")).hexdigest()
            material = "\x00".join([payload.get("id") or "", text_hash, ",".join(sorted(payload["tasks"])),
                                    payload.get("language") or "", self.model_version])
        return "ann:idem:" + hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()

    def _prepare(self, payload: dict[str, Any], batch_id: str | None) -> Any:
        return Queue.prepare_data(
            TASK, args=(payload,), job_id=uuid.uuid4().hex, timeout=self.settings.job_timeout(len(payload["text"])),
            result_ttl=self.settings.result_ttl, failure_ttl=self.settings.result_ttl, ttl=None,
            retry=Retry(max=self.settings.max_retries),
            # Redis strings are UTF-8: a lone surrogate in the client's id must not make the enqueue fail.
            description=f"annotate {_text(_utf8(payload.get('id') or ''))} ({len(payload['text'])} chars)",
            meta={"document_id": payload.get("id"), "batch_id": batch_id},
        )

    def submit_many(self, payloads: list[dict[str, Any]], keys: list[str | None],
                    batch_id: str | None = None) -> list[Submission]:
        """Enqueue each payload unless an equal one (or one with the same Idempotency-Key) already exists.

        The dedupe entry holds "<job id> <body hash>": an Idempotency-Key reused for another body is a 409.
        """
        dedupe = [self.dedupe_key(p, k) for p, k in zip(payloads, keys, strict=True)]
        bodies = [_body_hash(p) for p in payloads]
        existing = self.redis.mget(dedupe) if dedupe else []
        out: list[Submission | None] = [None] * len(payloads)
        fresh: list[int] = []
        for i, entry in enumerate(existing):
            job_id, _, body = _text(entry).partition(" ") if entry else ("", "", "")
            job = self.fetch(job_id) if job_id else None
            keyed = keys[i] is not None
            if job is not None and keyed and body != bodies[i]:
                raise Problem(409, "Conflict", "this Idempotency-Key was used for a different request body",
                              "conflict")
            if job is not None and (keyed or STATUS.get(job.get_status(refresh=False) or "", "") not in
                                    ("failed", "canceled")):
                out[i] = Submission(job, created=False)
            else:
                fresh.append(i)
        if fresh:
            jobs = self.queue.enqueue_many([self._prepare(payloads[i], batch_id) for i in fresh])
            with self.redis.pipeline() as pipe:
                for i, job in zip(fresh, jobs, strict=True):
                    pipe.set(dedupe[i], f"{job.id} {bodies[i]}", ex=self.settings.result_ttl)
                    out[i] = Submission(job, created=True)
                pipe.execute()
        return [s for s in out if s is not None]

    # -- reading ---------------------------------------------------------------------------------
    def fetch(self, job_id: str) -> Job | None:
        try:
            return Job.fetch(job_id, connection=self.redis, serializer=JSONSerializer)
        except NoSuchJobError:
            return None

    def get(self, job_id: str) -> Job:
        job = self.fetch(job_id) if JOB_ID.fullmatch(job_id) else None
        if job is None or job.func_name != TASK:
            raise Problem(404, "Not Found", f"no job {job_id!r} (unknown, or its result expired)", "not-found")
        return job

    def view(self, job: Job, offsets: str = "codepoint") -> dict[str, Any]:
        status = STATUS.get(job.get_status(refresh=False) or "queued", "queued")
        retries_left = job.retries_left if job.retries_left is not None else self.settings.max_retries
        view: dict[str, Any] = {
            "job_id": job.id, "status": status, "created_at": _iso(job.created_at),
            "started_at": _iso(job.started_at), "ended_at": _iso(job.ended_at),
            "document_id": job.meta.get("document_id"), "batch_id": job.meta.get("batch_id"),
            "attempts": self.settings.max_retries - retries_left + (0 if status == "queued" else 1),
        }
        if status == "finished":
            result = job.return_value(refresh=False)
            if isinstance(result, dict):
                view["result"] = to_utf16(result, job.args[0]["text"]) if offsets == "utf16" else result
        elif status == "failed":
            latest = job.latest_result()
            view["error"] = _failure(latest.exc_string if latest else job.exc_info, job.timeout)
        return view

    def wait(self, job: Job, seconds: float) -> Job:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if STATUS.get(job.get_status(refresh=True) or "", "") in ENDED:
                job.refresh()
                break
            time.sleep(0.05)
        return job

    def cancel(self, job: Job) -> Job:
        status = STATUS.get(job.get_status(refresh=True) or "", "queued")
        if status in ENDED:
            raise Problem(409, "Conflict", f"job {job.id} already {status}", "conflict")
        try:
            if status == "started":
                send_stop_job_command(self.redis, job.id, serializer=JSONSerializer)
            else:
                job.cancel()
        except InvalidJobOperation as exc:
            raise Problem(409, "Conflict", str(exc), "conflict") from exc
        job.refresh()
        return job

    # -- batches ---------------------------------------------------------------------------------
    def create_batch_id(self) -> str:
        return uuid.uuid4().hex

    def create_batch(self, batch_id: str, entries: list[dict[str, Any]]) -> None:
        ttl = self.settings.result_ttl
        with self.redis.pipeline() as pipe:
            pipe.hset(f"ann:batch:{batch_id}", mapping={"created_at": _iso(datetime.now(UTC)) or "",
                                                          "count": len(entries)})
            pipe.rpush(f"ann:batch:{batch_id}:docs", *[json.dumps(e) for e in entries])
            pipe.expire(f"ann:batch:{batch_id}", ttl)
            pipe.expire(f"ann:batch:{batch_id}:docs", ttl)
            pipe.execute()

    def batch_documents(self, batch_id: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
        meta = {_text(k): _text(v) for k, v in self.redis.hgetall(f"ann:batch:{batch_id}").items()}
        if not meta:
            raise Problem(404, "Not Found", f"no batch {batch_id!r} (unknown, or expired)", "not-found")
        docs = [json.loads(d) for d in self.redis.lrange(f"ann:batch:{batch_id}:docs", 0, -1)]
        return meta, docs

    def statuses(self, job_ids: list[str]) -> list[str]:
        with self.redis.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.hget(f"rq:job:{job_id}", "status")
            raw = pipe.execute()
        return [STATUS.get(_text(s), "queued") if s else "failed" for s in raw]

    def finished_results(self, docs: list[dict[str, Any]], chunk: int = 50) -> Iterator[dict[str, Any]]:
        ids = [d for d in docs if d.get("job_id")]
        for i in range(0, len(ids), chunk):
            part = ids[i:i + chunk]
            jobs = Job.fetch_many([d["job_id"] for d in part], connection=self.redis, serializer=JSONSerializer)
            for doc, job in zip(part, jobs, strict=True):
                if job is not None and job.get_status(refresh=False) == JobStatus.FINISHED:
                    yield {"id": doc["id"], "job_id": job.id, "result": job.return_value(refresh=False)}
