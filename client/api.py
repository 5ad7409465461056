"""AnnotatorClient: the Python client of the annotation service (standard library + requests only)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Generator, Iterable
from typing import Any

from client.batching import BatchRunner, Document
from client.transport import AnnotatorError, JobFailed, JobTimeout, RetryPolicy, Transport

ENDED = frozenset({"finished", "failed", "canceled"})
MAX_WAIT = 30.0  # the API's own limit on ?wait=


class AnnotatorClient:
    """Annotate Indonesian news through a running service.

    >>> client = AnnotatorClient("http://127.0.0.1:8000")
    >>> result = client.annotate("Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo.")
    >>> [e["text"] for e in result["entities"]]
    """

    def __init__(self, url: str = "http://127.0.0.1:8000", key: str | None = None, timeout: float = 30.0,
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.transport = Transport(url, key, timeout, retry or RetryPolicy(), sleep)
        self.sleep = sleep

    @property
    def url(self) -> str:
        return self.transport.url

    # -- single documents ---------------------------------------------------------------------------
    def _post(self, text: str, fields: dict[str, Any], wait: float) -> dict[str, Any]:
        body = {"text": text, **{k: v for k, v in fields.items() if v is not None}}
        # One key per logical call: a retry after a lost response gets the same job instead of a second one.
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        response = self.transport.request("POST", "/v1/annotations", params={"wait": wait} if wait else None,
                                          json=body, headers=headers, timeout=self.transport.timeout + wait)
        return response.json()  # type: ignore[no-any-return]

    def submit(self, text: str, **fields: Any) -> str:
        """Queue one document (fields: id, title, url, published_at, language, tasks); returns the job id."""
        return str(self._post(text, fields, 0)["job_id"])

    def annotate(self, text: str, timeout: float = 300.0, **fields: Any) -> dict[str, Any]:
        """Annotate one document and return its result; raises JobFailed, JobTimeout or AnnotatorError."""
        started = time.monotonic()
        job = self._post(text, fields, min(MAX_WAIT, timeout))
        if job["status"] in ENDED:
            return _result(job)
        return self.wait(job["job_id"], max(0.0, timeout - (time.monotonic() - started)))

    def job(self, job_id: str, offsets: str | None = None) -> dict[str, Any]:
        """The job as the service reports it (status, timestamps, and `result` or `error` once ended)."""
        params = {"offsets": offsets} if offsets else None
        return self.transport.request("GET", f"/v1/jobs/{job_id}", params=params).json()  # type: ignore[no-any-return]

    def wait(self, job_id: str, timeout: float = 300.0, poll: float = 0.2) -> dict[str, Any]:
        """Poll a job until it ends and return its result; raises JobFailed or JobTimeout."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["status"] in ENDED:
                return _result(job)
            if time.monotonic() >= deadline:
                raise JobTimeout(f"job {job_id} still {job['status']} after {timeout:.0f} s")
            self.sleep(min(poll, max(0.0, deadline - time.monotonic())))
            poll = min(poll * 1.5, 5.0)

    def cancel(self, job_id: str) -> dict[str, Any]:
        return self.transport.request("DELETE", f"/v1/jobs/{job_id}").json()  # type: ignore[no-any-return]

    # -- many documents -----------------------------------------------------------------------------
    def batch(self, documents: Iterable[Document], concurrency: int = 4, chunk_size: int = 100,
              tasks: list[str] | None = None, poll: float = 0.5) -> Generator[dict[str, Any], None, None]:
        """Annotate many documents through /v1/batches, yielding one record per document as it ends.

        `documents` are texts or dicts shaped like the body of POST /v1/annotations; they are read lazily,
        `chunk_size` per batch, with at most `concurrency` batches in flight. A record is
        `{"index", "id", "job_id", "status": "finished", "result"}` or, for a document that did not make it,
        the same with `status` failed / canceled / rejected / error and an RFC 9457 `error` instead of `result`.
        Records come in completion order, not input order. Closing the iterator early stops the polling.
        """
        if not 1 <= chunk_size <= 1000:
            raise ValueError("chunk_size must be between 1 and 1000 (the API's batch limit)")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        runner = BatchRunner(self.transport, tasks, poll)
        return runner.run(documents, concurrency, chunk_size)


def _result(job: dict[str, Any]) -> dict[str, Any]:
    if job["status"] != "finished":
        raise JobFailed(job)
    result = job.get("result")
    if not isinstance(result, dict):
        raise AnnotatorError(f"job {job.get('job_id')} finished without a result")
    return result
