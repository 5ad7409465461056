"""POST /v1/batches, GET /v1/batches/{id}, GET /v1/batches/{id}/results (NDJSON)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import ValidationError

from service.api.annotations import check_callback, check_language
from service.api.common import json_body, query, require_object, settings, store
from service.auth import authenticate, current_key, owner
from service.errors import validation_problem
from service.schemas import AnnotationRequest, BatchQuery, BatchRequest, PageQuery
from service.webhooks import cached_checker, read_deliveries

bp = Blueprint("batches", __name__)
bp.before_request(authenticate)
_batch = BatchRequest()
_document = AnnotationRequest()
_page = PageQuery()
_query = BatchQuery()
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
COUNTED = ("queued", "started", "finished", "failed", "canceled", "rejected")


def _doc_id(raw: Any, index: int) -> str:
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and value else str(index)


@bp.post("/v1/batches")
def create_batch() -> tuple[Response, int]:
    args = query(_query)
    config = settings()
    body = _batch.load(require_object(json_body(config.max_batch_bytes)))
    jobs = store()
    check = cached_checker(config.allow_private_callbacks)
    problem = check_callback(body.get("callback_url"), config, check)
    if problem:
        raise problem
    installed = jobs.languages()
    looked_up: set[str] = set()  # languages missing from the cached list, looked up afresh once each
    entries: list[dict[str, Any]] = []
    valid: list[tuple[int, dict[str, Any]]] = []
    for index, raw in enumerate(body["documents"]):
        entry: dict[str, Any] = {"id": _doc_id(raw, index), "job_id": None, "status": "rejected"}
        try:
            if not isinstance(raw, dict):
                raise ValidationError({"_schema": ["Invalid input type."]})
            payload = _document.load({"tasks": body["tasks"], **raw} if "tasks" in body else raw)
        except ValidationError as exc:
            entry["error"] = validation_problem(exc.messages_dict, "this document has invalid fields").to_dict()
        else:
            if payload["language"] not in installed and payload["language"] not in looked_up:
                looked_up.add(payload["language"])
                installed = jobs.languages([payload["language"]])
            problem = check_language(payload, installed) or check_callback(payload.get("callback_url"), config, check)
            if problem:
                entry["error"] = problem.to_dict()
            else:
                if args["include_boilerplate"]:
                    payload["include_boilerplate"] = True
                valid.append((index, payload))
        entries.append(entry)
    jobs.check_capacity(len(valid), current_key())
    batch_id = jobs.create_batch_id()
    submissions = jobs.submit_many([p for _, p in valid], [None] * len(valid), owner(), batch_id=batch_id)
    for (index, _), submission in zip(valid, submissions, strict=True):
        entries[index]["job_id"] = submission.job.id
        entries[index]["status"] = "queued" if submission.created else jobs.view(submission.job)["status"]
    jobs.create_batch(batch_id, entries, owner(), body.get("callback_url"))
    response = jsonify({"batch_id": batch_id, "count": len(entries), "jobs": entries})
    response.headers["Location"] = f"/v1/batches/{batch_id}"
    return response, 202


@bp.get("/v1/batches/<batch_id>")
def get_batch(batch_id: str) -> Response:
    page = query(_page)
    jobs = store()
    meta, docs = jobs.batch_documents(batch_id, owner())
    with_jobs = [d for d in docs if d.get("job_id")]
    for doc, status in zip(with_jobs, jobs.statuses([d["job_id"] for d in with_jobs]), strict=True):
        doc["status"] = status
    counts = Counter(d["status"] for d in docs)
    first = (page["page"] - 1) * page["per_page"]
    return jsonify({"batch_id": batch_id, "created_at": meta["created_at"], "count": len(docs),
                    "counts": {k: counts.get(k, 0) for k in COUNTED}, "page": page["page"],
                    "per_page": page["per_page"], "documents": docs[first:first + page["per_page"]]})


@bp.get("/v1/batches/<batch_id>/results")
def batch_results(batch_id: str) -> Response:
    jobs = store()
    _, docs = jobs.batch_documents(batch_id, owner())

    def lines() -> Iterator[str]:
        for item in jobs.finished_results(docs):
            # The body is UTF-8: lone surrogates (legal in submitted JSON, echoed in results) must stay escapes.
            yield LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(item, ensure_ascii=False)) + "\n"

    return Response(lines(), mimetype="application/x-ndjson")


@bp.get("/v1/batches/<batch_id>/deliveries")
def batch_deliveries(batch_id: str) -> Response:
    jobs = store()
    meta, _ = jobs.batch_documents(batch_id, owner())
    return jsonify({"batch_id": batch_id, "callback_url": meta.get("callback_url"),
                    "deliveries": read_deliveries(jobs.redis, "batch", batch_id)})
