"""The problem+json envelope (RFC 9457) and the one place where errors become HTTP responses."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json
from marshmallow import ValidationError
from redis.exceptions import RedisError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

PROBLEM_BASE = "https://berita-annotator.dev/problems/"
PROBLEM_MIME = "application/problem+json"


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str, slug: str | None = None,
                 errors: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.slug, self.errors, self.headers = slug, errors, headers or {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": PROBLEM_BASE + self.slug if self.slug else "about:blank",
                                "title": self.title, "status": self.status, "detail": self.detail}
        if self.errors:
            body["errors"] = self.errors
        return body


def problem_response(problem: Problem) -> Response:
    response = Response(json.dumps(problem.to_dict()), status=problem.status, mimetype=PROBLEM_MIME)
    for key, value in problem.headers.items():
        response.headers[key] = value
    return response


def validation_problem(errors: dict[str, Any], detail: str = "the request body has invalid fields") -> Problem:
    return Problem(422, "Unprocessable Content", detail, "validation-error", errors=errors)


def register(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(exc: Problem) -> Response:
        return problem_response(exc)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> Response:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return problem_response(validation_problem(messages))

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        return problem_response(Problem(413, "Content Too Large", "the request body exceeds the size limit",
                                        "payload-too-large"))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        # Keep werkzeug's own headers but its HTML content type: 405 must name the allowed methods (RFC 9110).
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        return problem_response(Problem(status, exc.name, exc.description or exc.name, headers=headers))

    @app.errorhandler(RedisError)
    def _redis(exc: RedisError) -> Response:
        app.logger.warning("redis unavailable: %s", type(exc).__name__)
        return problem_response(Problem(503, "Service Unavailable", "the job store (Redis) is unreachable; retry later",
                                        "service-unavailable", headers={"Retry-After": "5"}))
