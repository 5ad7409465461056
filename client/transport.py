"""HTTP with retries: 429 honouring Retry-After, 5xx and connection errors with exponential backoff."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class AnnotatorError(Exception):
    """The service refused a request (or could not be reached); `problem` is its RFC 9457 body when it sent one."""

    def __init__(self, message: str, status: int | None = None, problem: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.problem = problem or {}


class JobFailed(AnnotatorError):
    """A job ended without a result (failed or canceled); `job` is the job as the service returned it."""

    def __init__(self, job: dict[str, Any]) -> None:
        problem = job.get("error") or {}
        detail = problem.get("detail") or job.get("status", "failed")
        super().__init__(f"job {job.get('job_id')} {job.get('status')}: {detail}", problem.get("status"), problem)
        self.job = job


class JobTimeout(AnnotatorError, TimeoutError):
    """A job did not end within the time the caller was prepared to wait."""


class Stopped(AnnotatorError):
    """The caller gave up (its stop event was set) while a request was backing off."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to back off. A server's Retry-After wins over the computed delay (up to a cap)."""

    max_retries: int = 6
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 300.0
    jitter: Callable[[float], float] = field(default=lambda d: d * random.uniform(0.5, 1.0))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds before retry number `attempt` (0-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return self.jitter(min(self.max_backoff, self.backoff * 2 ** attempt))


def _problem(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def raise_for_problem(response: requests.Response) -> None:
    if response.status_code < 400:
        return
    problem = _problem(response)
    detail = problem.get("detail") or response.reason or "request failed"
    raise AnnotatorError(f"{response.request.method} {response.url}: {response.status_code} {detail}",
                         response.status_code, problem)


class Transport:
    """A requests session per thread (sessions are not thread-safe) plus the retry loop."""

    def __init__(self, url: str, key: str | None, timeout: float, policy: RetryPolicy,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.policy = policy
        self.sleep = sleep
        self.headers = {"Accept": "application/json", "User-Agent": "berita-annotator-client/0.1"}
        if key:
            self.headers["Authorization"] = f"Bearer {key}"
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers.update(self.headers)
        return session

    def _pause(self, seconds: float, stop: threading.Event | None) -> None:
        if stop is None:
            self.sleep(seconds)
        elif stop.wait(seconds):
            raise Stopped("stopped while waiting to retry")

    def request(self, method: str, path: str, *, timeout: float | None = None, stop: threading.Event | None = None,
                **kwargs: Any) -> requests.Response:
        """Send, retrying what may succeed later; any other error status raises AnnotatorError.

        With `stop`, a back-off ends early (raising Stopped) when the event is set: a batch being closed
        must not sit out a five-minute Retry-After.
        """
        attempt = 0
        while True:
            try:
                response = self._session().request(method, self.url + path, timeout=timeout or self.timeout,
                                                   **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= self.policy.max_retries:
                    raise AnnotatorError(f"{method} {self.url}{path}: cannot reach the service after "
                                         f"{attempt + 1} attempts ({type(exc).__name__}: {exc})") from exc
                self._pause(self.policy.delay(attempt), stop)
            else:
                if response.status_code not in RETRY_STATUSES or attempt >= self.policy.max_retries:
                    raise_for_problem(response)
                    return response
                self._pause(self.policy.delay(attempt, parse_retry_after(response.headers.get("Retry-After"))), stop)
            attempt += 1
