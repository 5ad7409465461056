"""Authorization: Bearer <API key> on every request that creates or reads jobs and batches."""

from __future__ import annotations

from flask import current_app, g, request

from service.config import Settings
from service.errors import Problem
from service.keys import ApiKey, KeyStore

CHALLENGE = 'Bearer realm="berita-annotator"'


def keystore() -> KeyStore:
    return current_app.extensions["keys"]  # type: ignore[no-any-return]


def _unauthorized(detail: str, error: str | None = None) -> Problem:
    challenge = f'{CHALLENGE}, error="{error}"' if error else CHALLENGE
    return Problem(401, "Unauthorized", detail, "unauthorized", headers={"WWW-Authenticate": challenge})


def authenticate() -> None:
    """before_request of the job blueprints: sets g.api_key, or answers 401 / 429 (rate limit)."""
    settings: Settings = current_app.extensions["settings"]
    g.api_key = None
    if settings.auth_disabled:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("send an API key: 'Authorization: Bearer <key>' (keys come from `flask keys create`)")
    check = keystore().check(token)
    if check.key is None:
        raise _unauthorized("the API key is unknown or revoked", "invalid_token")
    if check.count > check.key.rate_limit:
        raise Problem(429, "Too Many Requests", f"this API key may make {check.key.rate_limit} requests per "
                      f"{settings.rate_window} s; retry after {check.retry_after} s", "rate-limited",
                      headers={"Retry-After": str(check.retry_after)})
    g.api_key = check.key


def current_key() -> ApiKey | None:
    return g.get("api_key")


def owner() -> str | None:
    """The id of the key making this request (None when auth is switched off)."""
    key = current_key()
    return key.id if key else None
