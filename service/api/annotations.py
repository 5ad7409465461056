"""POST /v1/annotations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from service.api.common import json_body, query, require_object, settings, store
from service.auth import authenticate, current_key, owner
from service.config import Settings
from service.errors import Problem, validation_problem
from service.schemas import AnnotationQuery, AnnotationRequest
from service.webhooks import cached_checker

bp = Blueprint("annotations", __name__)
bp.before_request(authenticate)
_request = AnnotationRequest()
_query = AnnotationQuery()


def check_language(payload: dict[str, Any], installed: list[str]) -> Problem | None:
    if payload["language"] in installed:
        return None
    return validation_problem({"language": [f"No models installed for {payload['language']!r}. "
                                            f"Installed: {', '.join(installed)}."]},
                              detail=f"language {payload['language']!r} is not installed; "
                                     f"installed languages: {', '.join(installed)}")


def check_callback(url: str | None, config: Settings, check: Callable[[str], str | None]) -> Problem | None:
    if not url:
        return None
    # An API key brings its own signing secret; with auth switched off the server-wide one is needed.
    reason = check(url) if config.webhook_secret or current_key() else \
        "Webhooks are not configured on this server (it has no WEBHOOK_SECRET to sign them with)."
    return validation_problem({"callback_url": [reason]}, detail=f"callback_url refused: {reason}") if reason else None


@bp.post("/v1/annotations")
def create_annotation() -> tuple[Response, int] | Response:
    args = query(_query)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key) <= 256:
        raise validation_problem({"Idempotency-Key": ["Length must be between 1 and 256."]})
    payload = _request.load(require_object(json_body(settings().max_annotation_bytes)))
    jobs = store()
    config = settings()
    problem = check_language(payload, jobs.languages([payload["language"]])) or \
        check_callback(payload.get("callback_url"), config, cached_checker(config.allow_private_callbacks))
    if problem:
        raise problem
    if args["include_boilerplate"]:
        payload["include_boilerplate"] = True  # only when set: plain requests keep their idempotency keys
    jobs.check_capacity(1, current_key())
    submission = jobs.submit_many([payload], [key], owner())[0]
    job = submission.job
    if args["wait"] > 0:
        job = jobs.wait(job, args["wait"])
    view = jobs.view(job, args["offsets"])
    done = view["status"] in ("finished", "failed", "canceled")
    response = jsonify(view)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return response, 200 if (done and args["wait"] > 0) or not submission.created else 202
