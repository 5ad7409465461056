"""GET /v1/jobs; GET and DELETE /v1/jobs/{job_id}; GET /v1/jobs/{job_id}/deliveries and /diff."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from service import formats
from service.api.common import query, store
from service.auth import authenticate, owner
from service.errors import Problem
from service.schemas import JobQuery, ListQuery
from service.webhooks import read_deliveries

bp = Blueprint("jobs", __name__)
bp.before_request(authenticate)
_query = JobQuery()
_list = ListQuery()


@bp.get("/v1/jobs")
def list_jobs() -> Response:
    """The calling key's jobs, newest first; pass next_before as ?before= for the next page."""
    args = query(_list)
    return jsonify(store().list_jobs(owner(), args["limit"], args["before"]))


@bp.get("/v1/jobs/<job_id>")
def get_job(job_id: str) -> Response:
    args = query(_query)
    jobs = store()
    job = jobs.get(job_id, owner())
    if args["format"] == "json":
        return jsonify(jobs.view(job, args["offsets"]))
    result = jobs.finished_result(job)
    try:
        body = formats.render(args["format"], result, job.args[0]["text"], f"{request.host_url}v1/jobs/{job.id}",
                              utf16=args["offsets"] == "utf16")
    except formats.FormatUnavailable as exc:
        raise Problem(409, "Conflict", str(exc), "conflict") from exc
    response = Response(body, content_type=formats.MEDIA_TYPES[args["format"]])
    response.headers["Content-Disposition"] = f'inline; filename="{job.id}.{formats.EXTENSIONS[args["format"]]}"'
    return response


@bp.delete("/v1/jobs/<job_id>")
def cancel_job(job_id: str) -> Response:
    jobs = store()
    return jsonify(jobs.view(jobs.cancel(jobs.get(job_id, owner()))))


@bp.get("/v1/jobs/<job_id>/deliveries")
def job_deliveries(job_id: str) -> Response:
    jobs = store()
    job = jobs.get(job_id, owner())
    return jsonify({"job_id": job.id, "callback_url": job.meta.get("callback_url"),
                    "deliveries": read_deliveries(jobs.redis, "job", job.id)})


@bp.get("/v1/jobs/<job_id>/diff")
def job_diff(job_id: str) -> Response:
    jobs = store()
    return jsonify(jobs.diff(jobs.get(job_id, owner())))
