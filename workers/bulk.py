"""Bulk processing: short articles a worker claimed together are parsed in one Stanza call.

The worker (workers/rq_worker.py) claims a group of queued jobs, hands their payloads to `hold()`, and then runs
each job as usual. The first of them to reach workers.tasks parses the whole group at once (`take()`); the
others find their analysis ready. Stanza batches the sentences of all the articles together, which on short
articles is about 1.3x faster than one call each (bench/RESULTS.md, "batches").

A payload joins a group only when it would be analysed exactly as alone: the same language, tasks and
boilerplate choice, a valid published_at, and a short text. Should the shared call fail, nothing is kept and
every job parses its own article, so a bad document fails alone with its own error.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rq.exceptions import StopRequested
from rq.timeouts import BaseTimeoutException

from workers import pipeline
from workers.nlp import Analysis, analyse_many

log = logging.getLogger("workers.bulk")

DEFAULT_TASKS = ("entities", "sentiment", "events")


@dataclass(frozen=True)
class Plan:
    """How a payload will be analysed; payloads with equal plans can share one Stanza call."""

    language: str
    tasks: tuple[str, ...]
    include_boilerplate: bool


def published(value: str | None) -> date | None:
    """published_at as a date; ValueError when it is not ISO 8601."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def plan(payload: Any, max_chars: int) -> Plan | None:
    """The payload's plan, or None when it should be analysed alone (long, invalid, or an unknown language)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        return None
    if len(payload["text"]) > max_chars:
        return None
    try:
        published(payload.get("published_at"))
    except (TypeError, ValueError):
        return None
    language = payload.get("language") or "id"
    if language not in pipeline.installed():
        return None
    return Plan(language, tuple(payload.get("tasks") or DEFAULT_TASKS), bool(payload.get("include_boilerplate")))


@dataclass
class _Group:
    """The one group a worker process holds at a time."""

    plan: Plan | None = None
    waiting: dict[str, dict[str, Any]] = field(default_factory=dict)  # job id -> payload, before the shared parse
    ready: dict[str, Analysis] = field(default_factory=dict)  # job id -> its analysis from the shared parse


_held = _Group()


def hold(group_plan: Plan, payloads: dict[str, dict[str, Any]]) -> None:
    """Group these jobs' payloads (job id -> payload, all of `group_plan`) for one parse; forgets any earlier group."""
    global _held
    _held = _Group(group_plan, dict(payloads) if len(payloads) > 1 else {})


def release(job_id: str) -> None:
    """The job will not run here after all (canceled meanwhile): drop it from the group."""
    _held.waiting.pop(job_id, None)
    _held.ready.pop(job_id, None)


def take(job_id: str) -> Analysis | None:
    """The job's analysis from its group's shared parse (made now, if the job is the group's first to run)."""
    group = _held
    if job_id in group.waiting and group.plan is not None:
        payloads, group.waiting = group.waiting, {}  # whatever happens below, no job waits for this parse any more
        ids, plan = list(payloads), group.plan
        started = time.perf_counter()
        try:
            analyses = analyse_many(pipeline.get(plan.language), [payloads[i]["text"] for i in ids], list(plan.tasks),
                                    [published(payloads[i].get("published_at")) for i in ids],
                                    plan.include_boilerplate)
        except (BaseTimeoutException, StopRequested):
            raise  # the job's own time is up, or the worker must stop: not a reason to parse one by one
        except Exception:
            # Each job parses its own article instead; the one at fault then fails alone, with its own error.
            log.warning("bulk parse of %d articles failed; parsing them one by one", len(ids), exc_info=True)
            return None
        log.info("bulk: %d articles in one Stanza call, %.0f ms", len(ids), (time.perf_counter() - started) * 1000)
        group.ready.update(zip(ids, analyses, strict=True))
    return group.ready.pop(job_id, None)
