"""Request helpers shared by the views: JSON bodies, query args, the job store."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, request
from marshmallow import Schema, ValidationError

from service.config import Settings
from service.errors import Problem
from service.jobs import JobStore


def store() -> JobStore:
    return current_app.extensions["store"]  # type: ignore[no-any-return]


def settings() -> Settings:
    return current_app.extensions["settings"]  # type: ignore[no-any-return]


def json_body(limit: int) -> Any:
    if request.content_length is not None and request.content_length > limit:
        raise Problem(413, "Content Too Large", f"the request body exceeds {limit} bytes", "payload-too-large")
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise Problem(415, "Unsupported Media Type", "send the body as application/json", "unsupported-media-type")
    raw = request.get_data(cache=False)
    if len(raw) > limit:
        raise Problem(413, "Content Too Large", f"the request body exceeds {limit} bytes", "payload-too-large")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise Problem(400, "Bad Request", f"the body is not valid JSON: {exc}"[:300], "malformed-json") from exc


def query(schema: Schema) -> dict[str, Any]:
    try:
        return schema.load(request.args.to_dict())  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise Problem(400, "Bad Request", "invalid query parameters", "invalid-parameter",
                      errors=exc.messages_dict) from exc


def require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Problem(422, "Unprocessable Content", "the body must be a JSON object", "validation-error",
                      errors={"_schema": ["Invalid input type."]})
    return body
