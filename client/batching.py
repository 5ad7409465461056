"""The engine behind AnnotatorClient.batch: chunks through /v1/batches, a few in flight, records as jobs end."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from client.transport import AnnotatorError, Transport

Document = str | Mapping[str, Any]
ENDED = frozenset({"finished", "failed", "canceled"})
MAX_POLL = 5.0
_DONE = object()  # a chunk thread's last message


def as_body(doc: Document) -> dict[str, Any]:
    return {"text": doc} if isinstance(doc, str) else dict(doc)


def chunked(documents: Iterable[Document], size: int) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(index of the first document, documents) per chunk, reading the input lazily."""
    it = iter(documents)
    start = 0
    while chunk := [as_body(d) for d in itertools.islice(it, size)]:
        yield start, chunk
        start += len(chunk)


def failure(problem: dict[str, Any] | None, detail: str) -> dict[str, Any]:
    return problem or {"type": "about:blank", "title": "Request failed", "detail": detail}


def job_record(job: dict[str, Any]) -> dict[str, Any]:
    if job["status"] == "finished":
        return {"job_id": job["job_id"], "status": "finished", "result": job.get("result")}
    error = job.get("error") or failure(None, f"the job was {job['status']}")
    return {"job_id": job["job_id"], "status": job["status"], "error": error}


class BatchRunner:
    def __init__(self, transport: Transport, tasks: list[str] | None, poll: float) -> None:
        self.transport, self.tasks, self.poll = transport, tasks, poll
        self.stop = threading.Event()

    def run(self, documents: Iterable[Document], concurrency: int,
            chunk_size: int) -> Generator[dict[str, Any], None, None]:
        out: queue.Queue[Any] = queue.Queue()
        chunks = chunked(documents, chunk_size)
        pool = ThreadPoolExecutor(concurrency, thread_name_prefix="annotator-batch")
        futures: list[Future[None]] = []
        running = 0  # chunks started minus _DONE messages received; a future may not be done() yet after _DONE

        def fill() -> None:
            nonlocal running
            while running < concurrency and not self.stop.is_set():
                chunk = next(chunks, None)
                if chunk is None:
                    return
                futures.append(pool.submit(self._chunk, chunk[0], chunk[1], out))
                running += 1

        try:
            fill()
            while running:
                item = out.get()
                if item is not _DONE:
                    yield item
                    continue
                running -= 1
                for future in [f for f in futures if f.done()]:
                    future.result()  # an unexpected error in a chunk thread surfaces here
                    futures.remove(future)
                fill()
            for future in futures:
                future.result()
        finally:
            # Also runs when the consumer stops early: stop polling, don't start queued chunks.
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)

    def _chunk(self, start: int, docs: list[dict[str, Any]], out: queue.Queue[Any]) -> None:
        reported: set[int] = set()

        def emit(i: int, record: dict[str, Any]) -> None:
            reported.add(i)
            out.put({"index": start + i, "id": docs[i].get("id"), **record})

        try:
            self._submit_and_poll(docs, emit)
        except AnnotatorError as exc:
            # The service stayed unreachable or refused the whole chunk: report its documents, go on with others.
            for i in range(len(docs)):
                if i not in reported and not self.stop.is_set():
                    emit(i, {"job_id": None, "status": "error", "error": failure(exc.problem, str(exc))})
        finally:
            out.put(_DONE)

    def _submit_and_poll(self, docs: list[dict[str, Any]], emit: Callable[[int, dict[str, Any]], None]) -> None:
        body: dict[str, Any] = {"documents": docs}
        if self.tasks:
            body["tasks"] = self.tasks
        # Retrying this POST after a lost answer is harmless: the service dedupes documents by content, so a
        # second batch points at the same jobs.
        batch = self.transport.request("POST", "/v1/batches", json=body, stop=self.stop).json()
        pending: dict[str, list[int]] = {}  # the same document twice in a chunk shares one job
        for i, entry in enumerate(batch["jobs"]):
            if entry["job_id"] is None:
                emit(i, {"job_id": None, "status": "rejected", "error": entry.get("error") or failure(None, "")})
            else:
                pending.setdefault(entry["job_id"], []).append(i)
        interval = self.poll
        while pending and not self.stop.is_set():
            status = self.transport.request("GET", f"/v1/batches/{batch['batch_id']}",
                                            params={"per_page": 1000}, stop=self.stop).json()
            # dict.fromkeys: a document repeated in the chunk lists its shared job twice.
            ended = list(dict.fromkeys(d["job_id"] for d in status["documents"]
                                       if d["job_id"] in pending and d["status"] in ENDED))
            for job_id in ended:
                if self.stop.is_set():
                    return
                record = self._fetch(job_id)
                for i in pending.pop(job_id):
                    emit(i, record)
            interval = self.poll if ended else min(MAX_POLL, interval * 1.5)
            if pending:
                self.stop.wait(interval)

    def _fetch(self, job_id: str) -> dict[str, Any]:
        try:
            return job_record(self.transport.request("GET", f"/v1/jobs/{job_id}", stop=self.stop).json())
        except AnnotatorError as exc:
            if exc.status != 404:
                raise
            return {"job_id": job_id, "status": "error", "error": failure(exc.problem, str(exc))}
