"""GET and DELETE /v1/jobs/{job_id}."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from service.api.common import query, store
from service.schemas import JobQuery

bp = Blueprint("jobs", __name__)
_query = JobQuery()


@bp.get("/v1/jobs/<job_id>")
def get_job(job_id: str) -> Response:
    args = query(_query)
    jobs = store()
    return jsonify(jobs.view(jobs.get(job_id), args["offsets"]))


@bp.delete("/v1/jobs/<job_id>")
def cancel_job(job_id: str) -> Response:
    jobs = store()
    return jsonify(jobs.view(jobs.cancel(jobs.get(job_id))))
