"""The loop of `annotator batch`: records from AnnotatorClient.batch into OUTPUT, the progress line, the report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from client.api import AnnotatorClient
from client.pretty import problem_text
from client.progress import Progress, clock_text
from client.resume import ResultWriter

INTERRUPTED = 130  # the shell's code for Ctrl-C


@dataclass
class Outcome:
    written: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    stopped: str | None = None  # "limit" or "interrupted"
    elapsed: float = 0.0

    def report(self, stream: TextIO, todo: int) -> int:
        """Print the summary and the failed documents; the exit code."""
        left = todo - self.written - len(self.failures)
        stream.write(f"{self.written} results written, {len(self.failures)} failed, "
                     f"in {clock_text(self.elapsed)}\n")
        if self.failures:
            stream.write(f"{len(self.failures)} documents failed:\n")
            for record in self.failures:
                stream.write(f"  {record['id']}: {record['status']}: {problem_text(record.get('error') or {})}\n")
        if self.stopped == "limit":
            stream.write(f"stopped at --limit; {left} documents left: run the same command again to continue\n")
        elif self.stopped == "interrupted":
            stream.write(f"interrupted; {left} documents left: run the same command again to resume\n")
        elif self.failures:
            stream.write("run the same command again to retry the failed documents (finished ones are skipped)\n")
        stream.flush()
        if self.stopped == "interrupted":
            return INTERRUPTED
        return 1 if self.failures else 0


def run_batch(client: AnnotatorClient, documents: Iterable[dict[str, Any]], writer: ResultWriter,
              progress: Progress, *, tasks: list[str] | None, concurrency: int, chunk_size: int,
              limit: int | None) -> Outcome:
    outcome = Outcome()
    records = client.batch(documents, concurrency=concurrency, chunk_size=chunk_size, tasks=tasks)
    try:
        for record in records:
            if record["status"] == "finished":
                writer.write({"id": record["id"], "job_id": record["job_id"], "result": record["result"]})
                outcome.written += 1
                progress.update(True)
            else:
                outcome.failures.append(record)
                progress.update(False)
            if limit is not None and progress.count >= limit:
                outcome.stopped = "limit"
                break
    except KeyboardInterrupt:
        outcome.stopped = "interrupted"
    finally:
        records.close()  # stops the polling threads; jobs already queued finish on the server for next time
        outcome.elapsed = progress.clock() - progress.started
        progress.close()
    return outcome
