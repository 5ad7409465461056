"""Webhooks, worker side: notice a job (or a whole batch) ending, then deliver a signed summary with retries.

- on_success / on_failure / on_stopped are the RQ callbacks the API sets on every annotation job (by dotted
  path). They run where the job ran and only enqueue: each POST is a `deliver` job of its own on the webhooks
  queue, retried by RQ with exponential backoff (WorkerSettings.webhook_intervals: at least 24 hours).
- Each attempt signs the body afresh: `X-Signature: t=<unix ts>,v1=<hex HMAC-SHA256(secret, "<ts>.<body>")>`,
  and is appended to the delivery log that GET /v1/jobs/{id}/deliveries reads.
- A batch with a callback_url is told once, when its last job ends: every ending job first marks itself in
  the batch's `ended` hash and then checks the whole batch, so of two jobs ending at once the later check
  sees both.

Redis keys shared with the API (service/jobs.py, service/webhooks.py): ann:batch:<id> (hash, callback_url),
ann:batch:<id>:docs (JSON entries with job_id), ann:job:<job id>:batches (batches waiting for the job) and
ann:deliveries:<job|batch>:<id> (the log, one JSON entry per attempt); ann:key:<key id> (service/keys.py:
the submitting API key's webhook_secret signs its deliveries; WEBHOOK_SECRET only when auth is off).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from redis import Redis
from rq import Queue, Retry, get_current_job
from rq.job import Job
from rq.serializers import JSONSerializer

from workers.config import WorkerSettings

log = logging.getLogger("workers.webhooks")
DELIVER = "workers.webhooks.deliver"
# RQ's statuses of an ended job, as the API names them (service/jobs.py STATUS)
ENDED = {"finished": "finished", "failed": "failed", "stopped": "canceled", "canceled": "canceled"}
COUNTED = ("queued", "started", "finished", "failed", "canceled", "rejected")
LOG_LIMIT = 100  # attempts kept per job or batch; a full retry schedule is 14
USER_AGENT = "berita-annotator-webhooks/1"


class DeliveryFailed(RuntimeError):
    """An attempt got no 2xx answer; raising it makes RQ schedule the next attempt."""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ------------------------------------------------------------------------------------------- signatures


def sign(secret: str, body: str, timestamp: int) -> str:
    """The X-Signature header value for `body` sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: str, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does: recompute the HMAC, compare in constant time, refuse stale timestamps (replays)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), f"t={timestamp},v1={parts.get('v1', '')}")


# ---------------------------------------------------------------------------------------------- payloads


def job_event(job_id: str, meta: dict[str, Any], status: str, result: dict[str, Any] | None = None,
              error: dict[str, str] | None = None) -> dict[str, Any]:
    """The body POSTed when a job ends (openapi.yaml, webhooks: JobEnded); the receiver GETs the rest."""
    summary = None
    if status == "finished" and isinstance(result, dict):
        sentiment = result.get("sentiment")
        summary = {"sentences": len(result["sentences"]), "entities": len(result["entities"]),
                   "entity_types": dict(Counter(e["type"] for e in result["entities"])),
                   "events": len(result["events"]), "sentiment": sentiment["label"] if sentiment else None,
                   "warnings": [w["code"] for w in result.get("warnings", [])]}
    return {"id": uuid.uuid4().hex, "event": "job.ended", "created_at": _now(),
            "job": {"job_id": job_id, "status": status, "document_id": meta.get("document_id"),
                    "batch_id": meta.get("batch_id"), "previous_job_id": meta.get("previous_job_id"),
                    "url": f"/v1/jobs/{job_id}"},
            "summary": summary, "error": error}


def batch_event(batch_id: str, count: int, counts: dict[str, int]) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "event": "batch.ended", "created_at": _now(),
            "batch": {"batch_id": batch_id, "count": count, "counts": counts, "url": f"/v1/batches/{batch_id}",
                      "results_url": f"/v1/batches/{batch_id}/results"}}


def batch_counts(docs: list[dict[str, Any]], statuses: dict[str, str | None]) -> dict[str, int] | None:
    """Counts by status once every document's job has ended (None while one has not); rejected ones count too."""
    counts = dict.fromkeys(COUNTED, 0)
    for doc in docs:
        if not doc.get("job_id"):
            counts["rejected"] += 1
            continue
        status = statuses.get(doc["job_id"])
        if status is None:
            return None
        counts[status] += 1
    return counts


def _failure(exc_type: type[BaseException] | None, exc: BaseException | None) -> dict[str, str]:
    name = exc_type.__name__ if exc_type else "Error"
    if name == "AbandonedJobError":
        return {"title": "Worker lost", "detail": "the worker running this job died and the retries were used up"}
    return {"title": "Annotation failed", "detail": f"{name}: {exc}"[:500]}


# ------------------------------------------------------------------------------------------- RQ callbacks


def on_success(job: Job, connection: Redis, result: Any, *args: Any, **kwargs: Any) -> None:
    job_ended(job, connection, "finished", result=result)


def on_failure(job: Job, connection: Redis, exc_type: type[BaseException] | None = None,
               exc: BaseException | None = None, *args: Any, **kwargs: Any) -> None:
    if job.should_retry:
        return  # RQ calls this before re-queueing the job of a dead worker too: not the end yet
    job_ended(job, connection, "failed", error=_failure(exc_type, exc))


def on_stopped(job: Job, connection: Redis, *args: Any, **kwargs: Any) -> None:
    job_ended(job, connection, "canceled")


def _current() -> Job:
    job = get_current_job()
    if job is None:
        raise RuntimeError("this function runs as an RQ job")
    return job


def notify_canceled(job_id: str) -> None:
    """RQ job, enqueued by the API after it canceled a queued job (RQ runs no callback for that)."""
    connection = _current().connection
    job_ended(Job.fetch(job_id, connection=connection, serializer=JSONSerializer), connection, "canceled")


def check_batch(batch_id: str) -> bool:
    """RQ job, enqueued by the API right after creating a batch with a callback_url."""
    return batch_check(_current().connection, batch_id, WorkerSettings.from_env())


def job_ended(job: Job, connection: Redis, status: str, result: Any = None,
              error: dict[str, str] | None = None) -> None:
    settings = WorkerSettings.from_env()
    url = job.meta.get("callback_url")
    if url:
        schedule(connection, settings, "job", job.id, url, job_event(job.id, job.meta, status, result, error),
                 job.meta.get("owner"))
    for raw in connection.smembers(f"ann:job:{job.id}:batches"):
        batch_id = _text(raw)
        ended_key = f"ann:batch:{batch_id}:ended"
        with connection.pipeline() as pipe:
            pipe.hset(ended_key, job.id, status)
            pipe.expire(ended_key, settings.result_ttl)
            pipe.execute()
        batch_check(connection, batch_id, settings)


def batch_check(connection: Redis, batch_id: str, settings: WorkerSettings) -> bool:
    """Schedule the batch's webhook if all its jobs have ended and nobody did so yet; True if this call did."""
    url, owner = connection.hmget(f"ann:batch:{batch_id}", ["callback_url", "owner"])
    if not url:
        return False
    docs = [json.loads(d) for d in connection.lrange(f"ann:batch:{batch_id}:docs", 0, -1)]
    statuses: dict[str, str | None] = {
        _text(k): _text(v) for k, v in connection.hgetall(f"ann:batch:{batch_id}:ended").items()}
    unknown = sorted({d["job_id"] for d in docs if d.get("job_id") and d["job_id"] not in statuses})
    with connection.pipeline(transaction=False) as pipe:
        for job_id in unknown:
            pipe.hget(f"rq:job:{job_id}", "status")
        raw = pipe.execute()
    for job_id, status in zip(unknown, raw, strict=True):
        # A job whose hash is gone expired or was deleted: the API reports it as failed too.
        statuses[job_id] = ENDED.get(_text(status)) if status else "failed"
    counts = batch_counts(docs, statuses)
    if counts is None or not connection.set(f"ann:batch:{batch_id}:notified", _now(), nx=True,
                                            ex=settings.result_ttl):
        return False
    schedule(connection, settings, "batch", batch_id, _text(url), batch_event(batch_id, len(docs), counts),
             _text(owner) if owner else None)
    return True


def schedule(connection: Redis, settings: WorkerSettings, kind: str, ident: str, url: str,
             event: dict[str, Any], owner: str | None) -> Job:
    """Enqueue the delivery job; RQ runs the retries (and the scheduler in every worker releases them)."""
    intervals = list(settings.webhook_intervals)
    delivery = {"kind": kind, "id": ident, "url": url, "event": event["event"], "delivery_id": event["id"],
                "body": json.dumps(event, separators=(",", ":")),  # ASCII: the signed bytes are unambiguous
                "intervals": intervals, "owner": owner}
    options: dict[str, Any] = {
        "retry": Retry(max=len(intervals), interval=intervals) if intervals else None,
        "result_ttl": settings.result_ttl, "failure_ttl": settings.result_ttl,
        "job_timeout": int(settings.webhook_timeout * 2 + 30), "description": f"webhook {event['event']} {ident}"}
    queue = Queue(settings.webhook_queue, connection=connection, serializer=JSONSerializer)
    if settings.webhook_delay > 0:
        return queue.enqueue_in(timedelta(seconds=settings.webhook_delay), DELIVER, delivery, **options)
    return queue.enqueue(DELIVER, delivery, **options)


# --------------------------------------------------------------------------------------------- delivery


def private_address(url: str) -> str | None:
    """Why `url` may not be called (its host resolves to a non-public address), else None.

    The API refused such URLs at submission; this runs again before every attempt because DNS may have
    changed since. (The same rule as service/webhooks.py; workers/ cannot import the Flask side.)
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        return None  # a DNS failure is an ordinary failed attempt: requests reports it and RQ retries
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return f"refused: {host} resolves to the non-public address {address}"
    return None


def signing_secret(connection: Redis, owner: str | None, settings: WorkerSettings) -> str:
    """The submitting key's webhook secret, read at each attempt so that a rotated secret takes effect."""
    if owner:
        secret = connection.hget(f"ann:key:{owner}", "webhook_secret")
        return _text(secret) if secret else ""
    return settings.webhook_secret


def deliver(delivery: dict[str, Any]) -> dict[str, Any]:
    """RQ job on the webhooks queue: one attempt; raises DeliveryFailed so that RQ retries later."""
    return attempt(_current(), delivery, WorkerSettings.from_env())


def attempt(job: Job, delivery: dict[str, Any], settings: WorkerSettings,
            post: Callable[..., requests.Response] = requests.post) -> dict[str, Any]:
    intervals: list[int] = delivery["intervals"]
    number = len(intervals) + 1 - (job.retries_left or 0)
    started = time.monotonic()
    status_code: int | None = None
    error: str | None = None
    final = False
    refused = None if settings.allow_private_callbacks else private_address(delivery["url"])
    secret = signing_secret(job.connection, delivery.get("owner"), settings)
    if refused:
        error, final = refused, True
    elif not secret:
        error = "no signing secret: the API key is gone, or WEBHOOK_SECRET is not set on the worker"
    else:
        body = delivery["body"]
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "X-Signature": sign(secret, body, int(time.time())),
                   "X-Webhook-Id": delivery["delivery_id"], "X-Webhook-Event": delivery["event"]}
        try:
            # stream=True: only the status line is read, so a receiver cannot make us download a huge body.
            with post(delivery["url"], data=body.encode(), headers=headers, timeout=settings.webhook_timeout,
                      allow_redirects=False, stream=True) as response:
                status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
    retry_in = intervals[number - 1] if error and not final and number <= len(intervals) else None
    entry = {"delivery_id": delivery["delivery_id"], "event": delivery["event"], "attempt": number, "at": _now(),
             "url": delivery["url"], "status_code": status_code, "error": error,
             "duration_ms": round((time.monotonic() - started) * 1000, 1), "delivered": error is None,
             "next_attempt_in": retry_in}
    key = f"ann:deliveries:{delivery['kind']}:{delivery['id']}"
    with job.connection.pipeline() as pipe:
        pipe.rpush(key, json.dumps(entry))
        pipe.ltrim(key, -LOG_LIMIT, -1)
        pipe.expire(key, settings.result_ttl)
        pipe.execute()
    if error:
        log.warning("webhook %s %s attempt %d: %s", delivery["event"], delivery["id"], number, error)
        if final:
            job.retries_left = 0  # deterministic: retrying cannot help
        raise DeliveryFailed(f"{delivery['url']}: {error}")
    return entry
