"""Queueing annotation jobs by dotted path, reading them back, idempotency, and batch bookkeeping."""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from redis.typing import EncodableT, FieldT
from rq import Callback, Queue, Retry
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from service import revisions
from service.config import Settings
from service.errors import Problem
from service.keys import ApiKey
from service.offsets import to_utf16
from service.owners import Owners, pending_key
from service.webhooks import batch_waiters_key

TASK = "workers.tasks.annotate"  # by dotted path: the API never imports workers/
# Every job gets the end-of-job callbacks, not only those with a callback_url: a batch with a callback may
# later include an existing job (idempotency), and the callbacks are what tells that batch the job ended.
ON_SUCCESS = Callback("workers.webhooks.on_success")
ON_FAILURE = Callback("workers.webhooks.on_failure")
ON_STOPPED = Callback("workers.webhooks.on_stopped")
NOTIFY_CANCELED = "workers.webhooks.notify_canceled"  # RQ runs no callback when a queued job is canceled
CHECK_BATCH = "workers.webhooks.check_batch"
WORKERS = "ann:workers"  # hash of readiness heartbeats, written by workers/heartbeat.py
STATUS = {"queued": "queued", "deferred": "queued", "scheduled": "queued", "started": "started",
          "finished": "finished", "failed": "failed", "stopped": "canceled", "canceled": "canceled"}
ENDED = {"finished", "failed", "canceled"}
# RQ's own job id alphabet; anything else (";", ":" which RQ reads as "<job>:<execution>") is an unknown job.
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
LANGUAGES_TTL = 2.0  # a language whose last worker is gone is still accepted this long at worst
ANONYMOUS = "_"  # whose jobs GET /v1/jobs lists when auth is switched off


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


def doc_key(owner: str | None, document_id: str) -> bytes:
    """The latest job for a document id of one API key, for revisions (bytes: an id may hold a lone surrogate).

    Document ids are each client's own namespace: two newsrooms may both send id "123".
    """
    return b"ann:doc:" + (f"{owner}:".encode() if owner else b"") + _utf8(document_id)


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
        self.webhooks = Queue(settings.webhook_queue, connection=redis, serializer=JSONSerializer)
        self.owners = Owners(redis, settings.result_ttl)
        self._languages: tuple[float, list[str]] | None = None

    # -- workers and languages -------------------------------------------------------------------
    def workers(self) -> list[dict[str, Any]]:
        """Workers with a live heartbeat: one HGETALL, whatever the size of the keyspace."""
        now = time.time()
        entries = [json.loads(v) for v in self.redis.hgetall(WORKERS).values()]
        return [e for e in entries if e.get("expires_at", 0) > now]

    def languages(self, wanted: Iterable[str] = ()) -> list[str]:
        """Languages some live worker has models for. Every POST asks, so a list holding all of `wanted` is
        reused for LANGUAGES_TTL s; a language missing from it is looked up afresh before it is refused."""
        cached = self._languages
        if cached is not None and time.monotonic() - cached[0] < LANGUAGES_TTL and set(wanted) <= set(cached[1]):
            return cached[1]
        installed = {lang for w in self.workers() for lang in w.get("languages", [])}
        languages = sorted(installed or {self.settings.default_language})
        self._languages = (time.monotonic(), languages)
        return languages

    # -- submitting ------------------------------------------------------------------------------
    def check_capacity(self, adding: int, key: ApiKey | None) -> None:
        """429 when the queue is full, or when the key's own pending documents would pass its quota."""
        with self.redis.pipeline(transaction=False) as pipe:  # one round trip for both counts
            pipe.llen(self.queue.key)
            if key is not None:
                pipe.scard(pending_key(key.id))
            depth, *pending = pipe.execute()
        if depth + adding > self.settings.max_queue_depth:
            retry = max(5, min(300, depth // max(1, len(self.workers()) * 2)))
            raise Problem(429, "Too Many Requests", f"the queue holds {depth} jobs (limit "
                          f"{self.settings.max_queue_depth}); retry later", "rate-limited",
                          headers={"Retry-After": str(retry)})
        if key is not None:
            self.owners.check_quota(key.id, adding, key.queue_quota, pending[0])

    def dedupe_key(self, payload: dict[str, Any], idempotency_key: str | None, owner: str | None = None) -> str:
        """Equal requests of one API key share a job; another key's equal request gets its own."""
        if idempotency_key:
            material = "key\x00" + idempotency_key
        else:
            text_hash = hashlib.sha256(payload["text"].encode("utf-8", "surrogatepass")).hexdigest()
            parts = [payload.get("id") or "", text_hash, ",".join(sorted(payload["tasks"])),
                     payload.get("language") or "", self.model_version]
            # Only when set, so that the keys of plain requests stay what they were.
            if payload.get("include_boilerplate"):
                parts.append("boilerplate")
            if payload.get("callback_url"):
                parts.append("callback " + payload["callback_url"])
            material = "\x00".join(parts)
        if owner:
            material = f"owner {owner}\x00{material}"
        return "ann:idem:" + hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()

    def _prepare(self, payload: dict[str, Any], batch_id: str | None, job_id: str, previous: str | None,
                 owner: str | None) -> Any:
        args = {k: v for k, v in payload.items() if k != "callback_url"}  # the worker's callbacks read it from meta
        return Queue.prepare_data(
            TASK, args=(args,), job_id=job_id, timeout=self.settings.job_timeout(len(payload["text"])),
            result_ttl=self.settings.result_ttl, failure_ttl=self.settings.result_ttl, ttl=None,
            retry=Retry(max=self.settings.max_retries), on_success=ON_SUCCESS, on_failure=ON_FAILURE,
            on_stopped=ON_STOPPED,
            # Redis strings are UTF-8: a lone surrogate in the client's id must not make the enqueue fail.
            description=f"annotate {_text(_utf8(payload.get('id') or ''))} ({len(payload['text'])} chars)",
            meta={"document_id": payload.get("id"), "batch_id": batch_id, "previous_job_id": previous,
                  "callback_url": payload.get("callback_url"), "owner": owner},
        )

    def _previous_revisions(self, payloads: list[dict[str, Any]], job_ids: list[str],
                            owner: str | None) -> list[str | None]:
        """For each payload about to become job_ids[i]: the latest earlier job for the same document id.

        A failed or canceled revision has no result to compare with, so it is skipped in favour of the one it
        followed. Payloads of one batch with the same id follow each other in submission order.
        """
        ids = sorted({p["id"] for p in payloads if p.get("id")})
        stored = self.redis.mget([doc_key(owner, i) for i in ids]) if ids else []
        latest: dict[str, str | None] = {}
        candidates = [(doc_id, _text(v)) for doc_id, v in zip(ids, stored, strict=True) if v]
        found = Job.fetch_many([c[1] for c in candidates], connection=self.redis, serializer=JSONSerializer)
        for (doc_id, job_id), job in zip(candidates, found, strict=True):
            if job is None:
                continue
            ended_badly = STATUS.get(job.get_status(refresh=False) or "", "") in ("failed", "canceled")
            latest[doc_id] = job.meta.get("previous_job_id") if ended_badly else job_id
        out: list[str | None] = []
        for payload, job_id in zip(payloads, job_ids, strict=True):
            doc_id = payload.get("id")
            out.append(latest.get(doc_id) if doc_id else None)
            if doc_id:
                latest[doc_id] = job_id
        return out

    def submit_many(self, payloads: list[dict[str, Any]], keys: list[str | None], owner: str | None = None,
                    batch_id: str | None = None) -> list[Submission]:
        """Enqueue each payload unless an equal one (or one with the same Idempotency-Key) already exists.

        The dedupe entry holds "<job id> <body hash>": an Idempotency-Key reused for another body is a 409.
        """
        dedupe = [self.dedupe_key(p, k, owner) for p, k in zip(payloads, keys, strict=True)]
        bodies = [_body_hash(p) for p in payloads]
        existing = self.redis.mget(dedupe) if dedupe else []
        out: list[Submission | None] = [None] * len(payloads)
        fresh: list[int] = []
        for i, entry in enumerate(existing):
            job_id, _, body = _text(entry).partition(" ") if entry else ("", "", "")
            job = self.fetch(job_id) if job_id else None
            if job is not None and not self.visible(job, owner):
                job = None  # a job from before the keys changed hands: never share it
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
            job_ids = [uuid.uuid4().hex for _ in fresh]
            previous = self._previous_revisions([payloads[i] for i in fresh], job_ids, owner)
            jobs = self.queue.enqueue_many([self._prepare(payloads[i], batch_id, job_id, prev, owner)
                                            for i, job_id, prev in zip(fresh, job_ids, previous, strict=True)])
            with self.redis.pipeline() as pipe:
                for i, job in zip(fresh, jobs, strict=True):
                    pipe.set(dedupe[i], f"{job.id} {bodies[i]}", ex=self.settings.result_ttl)
                    if payloads[i].get("id"):
                        pipe.set(doc_key(owner, payloads[i]["id"]), job.id, ex=self.settings.result_ttl)
                    out[i] = Submission(job, created=True)
                self.owners.record(pipe, owner or ANONYMOUS, [job.id for job in jobs])
                pipe.execute()
        return [s for s in out if s is not None]

    # -- reading ---------------------------------------------------------------------------------
    def fetch(self, job_id: str) -> Job | None:
        try:
            return Job.fetch(job_id, connection=self.redis, serializer=JSONSerializer)
        except NoSuchJobError:
            return None

    def visible(self, job: Job, owner: str | None) -> bool:
        """Whether the API key `owner` may see the job; with auth switched off, everyone sees everything."""
        return self.settings.auth_disabled or job.meta.get("owner") == owner

    def get(self, job_id: str, owner: str | None) -> Job:
        """The job, or 404 when it is unknown, expired or another key's (its existence is not revealed)."""
        job = self.fetch(job_id) if JOB_ID.fullmatch(job_id) else None
        if job is None or job.func_name != TASK or not self.visible(job, owner):
            raise Problem(404, "Not Found", f"no job {job_id!r} (unknown, or its result expired)", "not-found")
        return job

    def view(self, job: Job, offsets: str = "codepoint") -> dict[str, Any]:
        status = STATUS.get(job.get_status(refresh=False) or "queued", "queued")
        retries_left = job.retries_left if job.retries_left is not None else self.settings.max_retries
        view: dict[str, Any] = {
            "job_id": job.id, "status": status, "created_at": _iso(job.created_at),
            "started_at": _iso(job.started_at), "ended_at": _iso(job.ended_at),
            "document_id": job.meta.get("document_id"), "batch_id": job.meta.get("batch_id"),
            "previous_job_id": job.meta.get("previous_job_id"),
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

    def list_jobs(self, owner: str | None, limit: int, before: float | None) -> dict[str, Any]:
        """One page of the key's jobs, newest first; `next_before` continues the listing (null at the end)."""
        rows = self.owners.page(owner or ANONYMOUS, limit + 1, before)
        more = len(rows) > limit
        rows = rows[:limit]
        found = Job.fetch_many([job_id for job_id, _ in rows], connection=self.redis, serializer=JSONSerializer)
        items = []
        for job in found:
            if job is None:
                continue  # expired before the index noticed
            status = STATUS.get(job.get_status(refresh=False) or "queued", "queued")
            items.append({"job_id": job.id, "status": status, "created_at": _iso(job.created_at),
                          "ended_at": _iso(job.ended_at), "document_id": job.meta.get("document_id"),
                          "batch_id": job.meta.get("batch_id")})
        return {"jobs": items, "next_before": rows[-1][1] if more and rows else None}

    def finished_result(self, job: Job) -> dict[str, Any]:
        status = STATUS.get(job.get_status(refresh=False) or "queued", "queued")
        result = job.return_value(refresh=False) if status == "finished" else None
        if not isinstance(result, dict):
            raise Problem(409, "Conflict", f"job {job.id} is {status}; only a finished job has a result", "conflict")
        return result

    def diff(self, job: Job) -> dict[str, Any]:
        """Entities and events added and removed since the previous revision of the same document id."""
        previous_id = job.meta.get("previous_job_id")
        if not previous_id:
            raise Problem(404, "Not Found", f"job {job.id} has no previous revision (no earlier job for its "
                          "document id)", "not-found")
        previous = self.fetch(previous_id)
        if previous is None:
            raise Problem(404, "Not Found", f"the previous revision {previous_id} has expired", "not-found")
        new, old = self.finished_result(job), self.finished_result(previous)
        return {"job_id": job.id, "previous_job_id": previous.id,
                **revisions.diff(old, new, previous.args[0]["tasks"], job.args[0]["tasks"])}

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
                send_stop_job_command(self.redis, job.id, serializer=JSONSerializer)  # -> on_stopped callback
            else:
                job.cancel()
                if job.meta.get("callback_url") or self.redis.exists(batch_waiters_key(job.id)):
                    self.webhooks.enqueue(NOTIFY_CANCELED, job.id, result_ttl=self.settings.result_ttl)
        except InvalidJobOperation as exc:
            raise Problem(409, "Conflict", str(exc), "conflict") from exc
        job.refresh()
        return job

    # -- batches ---------------------------------------------------------------------------------
    def create_batch_id(self) -> str:
        return uuid.uuid4().hex

    def create_batch(self, batch_id: str, entries: list[dict[str, Any]], owner: str | None,
                     callback_url: str | None = None) -> None:
        ttl = self.settings.result_ttl
        meta: dict[FieldT, EncodableT] = {"created_at": _iso(datetime.now(UTC)) or "", "count": len(entries),
                                          "owner": owner or ""}
        if callback_url:
            meta["callback_url"] = callback_url
        with self.redis.pipeline() as pipe:
            pipe.hset(f"ann:batch:{batch_id}", mapping=meta)
            pipe.rpush(f"ann:batch:{batch_id}:docs", *[json.dumps(e) for e in entries])
            pipe.expire(f"ann:batch:{batch_id}", ttl)
            pipe.expire(f"ann:batch:{batch_id}:docs", ttl)
            if callback_url:
                # Each job's end-of-job callback looks here for batches to tell (workers/webhooks.py).
                for job_id in {e["job_id"] for e in entries if e.get("job_id")}:
                    pipe.sadd(batch_waiters_key(job_id), batch_id)
                    pipe.expire(batch_waiters_key(job_id), ttl)
            pipe.execute()
        if callback_url:
            # The jobs that ended before the lines above (or a batch of only rejected documents) will never tell
            # this batch: one check now closes that gap.
            self.webhooks.enqueue(CHECK_BATCH, batch_id, result_ttl=ttl)

    def batch_documents(self, batch_id: str, owner: str | None) -> tuple[dict[str, str], list[dict[str, Any]]]:
        meta = {_text(k): _text(v) for k, v in self.redis.hgetall(f"ann:batch:{batch_id}").items()}
        if not meta or not (self.settings.auth_disabled or meta.get("owner") == (owner or "")):
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
