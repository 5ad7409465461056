"""The only function the queue calls: annotate(payload) -> result dict."""

from __future__ import annotations

import logging
import time
from datetime import date, datetime
from typing import Any

from rq import get_current_job

from workers import pipeline
from workers.errors import DocumentError
from workers.events import tag_events
from workers.nlp import analyse
from workers.result import build

log = logging.getLogger("workers.jobs")


def _published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise DocumentError(f"published_at is not an ISO 8601 date: {value!r}") from exc


def annotate(payload: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    job = get_current_job()
    try:
        result = _annotate(payload)
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


def _annotate(payload: dict[str, Any]) -> dict[str, Any]:
    text = payload["text"]
    tasks = payload.get("tasks") or ["entities", "sentiment", "events"]
    payload = {**payload, "tasks": tasks}
    try:
        annotator = pipeline.get(payload.get("language") or "id")
    except pipeline.LanguageNotInstalled as exc:
        raise DocumentError(str(exc)) from exc
    total = time.perf_counter()
    analysis = analyse(annotator, text, tasks, _published(payload.get("published_at")),
                       include_boilerplate=bool(payload.get("include_boilerplate")))
    timings = dict(analysis.timings_ms)
    events: list[dict[str, Any]] = []
    if "events" in tasks:
        t0 = time.perf_counter()
        events = tag_events(analysis.doc)
        timings["events"] = (time.perf_counter() - t0) * 1000
    timings["total"] = (time.perf_counter() - total) * 1000
    return build(payload, annotator, analysis, events, timings)
