"""The only function the queue calls: annotate(payload) -> result dict."""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from rq import get_current_job

from workers import bulk, pipeline
from workers.errors import DocumentError
from workers.events import tag_events
from workers.nlp import analyse
from workers.result import build

log = logging.getLogger("workers.jobs")


def _published(value: str | None) -> date | None:
    try:
        return bulk.published(value)
    except ValueError as exc:
        raise DocumentError(f"published_at is not an ISO 8601 date: {value!r}") from exc


def annotate(payload: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    job = get_current_job()
    try:
        result = _annotate(payload, job.id if job is not None else None)
    except Exception:
        # An exception from the job itself is deterministic: only a dead worker earns a retry.
        if job is not None:
            job.retries_left = 0
        raise
    elapsed = (time.perf_counter() - started) * 1000
    log.info("job %s doc=%s chars=%d sentences=%d entities=%d events=%d %.0f ms",
             job.id if job else "-", payload.get("id"), len(payload["text"]), len(result["sentences"]),
             len(result["entities"]), len(result["events"]), elapsed)
    return result


def _annotate(payload: dict[str, Any], job_id: str | None = None) -> dict[str, Any]:
    text = payload["text"]
    tasks = payload.get("tasks") or list(bulk.DEFAULT_TASKS)
    payload = {**payload, "tasks": tasks}
    try:
        annotator = pipeline.get(payload.get("language") or "id")
    except pipeline.LanguageNotInstalled as exc:
        raise DocumentError(str(exc)) from exc
    # Parsed with other queued articles in one Stanza call (workers/bulk.py), or alone.
    analysis = bulk.take(job_id) if job_id is not None else None
    if analysis is None:
        analysis = analyse(annotator, text, tasks, _published(payload.get("published_at")),
                           include_boilerplate=bool(payload.get("include_boilerplate")))
    total = time.perf_counter()
    timings = dict(analysis.timings_ms)
    events: list[dict[str, Any]] = []
    if "events" in tasks:
        t0 = time.perf_counter()
        events = tag_events(analysis.doc)
        timings["events"] = (time.perf_counter() - t0) * 1000
    # A shared parse counts with this article's share of it.
    timings["total"] = sum(analysis.timings_ms.values()) + (time.perf_counter() - total) * 1000
    return build(payload, annotator, analysis, events, timings)
