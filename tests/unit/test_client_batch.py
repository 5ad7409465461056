"""AnnotatorClient and `annotator batch` against an in-memory fake of the service (the real one: integration)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from client import AnnotatorClient, JobFailed, RetryPolicy
from client.cli import main
from tests.conftest import ROOT

FAST = RetryPolicy(max_retries=3, backoff=0.01, max_retry_after=0.05)


class FakeService(ThreadingHTTPServer):
    """Jobs end `delay` s after submission; text "GAGAL" fails, empty text or language "xx" is rejected."""

    def __init__(self, delay: float = 0.05) -> None:
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.delay = delay
        self.lock = threading.Lock()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, list[dict[str, Any]]] = {}
        self.unread: dict[str, set[str]] = {}  # batch -> jobs whose result nobody fetched yet
        self.max_open = 0
        self.busy = 0  # answer the next POSTs with 429

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def job(self, job_id: str) -> dict[str, Any]:
        job = self.jobs[job_id]
        view = {"job_id": job_id, "status": "queued", "document_id": job["doc"].get("id")}
        if time.monotonic() - job["created"] >= self.delay:
            if job["doc"]["text"] == "GAGAL":
                view.update(status="failed", error={"title": "Annotation failed", "detail": "boom", "status": 500})
            else:
                view.update(status="finished", result={"document": {"id": job["doc"].get("id")},
                                                       "entities": [], "tasks": job["doc"].get("tasks")})
        return view

    def submit(self, doc: dict[str, Any]) -> str:
        """Like the service, the same document again gets the existing job."""
        key = json.dumps(doc, sort_keys=True)
        for job_id, job in self.jobs.items():
            if job["key"] == key:
                return job_id
        job_id = uuid.uuid4().hex
        self.jobs[job_id] = {"doc": doc, "key": key, "created": time.monotonic()}
        return job_id

    def create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        batch_id = uuid.uuid4().hex
        entries = []
        for i, doc in enumerate(body["documents"]):
            entry: dict[str, Any] = {"id": doc.get("id") or str(i), "job_id": None, "status": "rejected"}
            if not doc.get("text") or doc.get("language", "id") != "id":
                entry["error"] = {"detail": "this document has invalid fields",
                                  "errors": {"text" if not doc.get("text") else "language": ["invalid"]}}
            else:
                entry.update(job_id=self.submit({"tasks": body.get("tasks"), **doc}), status="queued")
            entries.append(entry)
        with self.lock:
            self.batches[batch_id] = entries
            self.unread[batch_id] = {e["job_id"] for e in entries if e["job_id"]}
            self.max_open = max(self.max_open, sum(bool(u) for u in self.unread.values()))
        return {"batch_id": batch_id, "count": len(entries), "jobs": entries}

    def read(self, job_id: str) -> dict[str, Any]:
        view = self.job(job_id)
        if view["status"] != "queued":
            with self.lock:
                for unread in self.unread.values():
                    unread.discard(job_id)
        return view


class FakeHandler(BaseHTTPRequestHandler):
    server: FakeService

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        fake = self.server
        if fake.busy:
            fake.busy -= 1
            return self._send(429, {"detail": "queue full"}, {"Retry-After": "1"})
        url = urlsplit(self.path)
        if url.path == "/v1/batches":
            return self._send(202, fake.create_batch(body))
        job_id = fake.submit(body)
        wait = float(parse_qs(url.query).get("wait", ["0"])[0])
        time.sleep(min(wait, fake.delay * 1.5))
        view = fake.read(job_id)
        return self._send(200 if view["status"] != "queued" else 202, view)

    def do_GET(self) -> None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        fake = self.server
        if parts[1] == "jobs":
            return self._send(200, fake.read(parts[2]))
        docs = [dict(e, status=fake.job(e["job_id"])["status"]) if e["job_id"] else e
                for e in fake.batches[parts[2]]]
        return self._send(200, {"batch_id": parts[2], "documents": docs})

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture()
def fake() -> Iterator[FakeService]:
    server = FakeService()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def client(fake: FakeService) -> AnnotatorClient:
    return AnnotatorClient(fake.url, retry=FAST)


def test_annotate_answers_from_wait_or_falls_back_to_polling(fake: FakeService) -> None:
    assert client(fake).annotate("Jokowi di Tokyo.", id="a")["document"]["id"] == "a"
    fake.delay = 0.5  # longer than the fake's ?wait: a 202, then polling
    assert client(fake).annotate("Jokowi di Tokyo.", id="b", tasks=["entities"])["tasks"] == ["entities"]
    with pytest.raises(JobFailed, match="boom"):
        client(fake).annotate("GAGAL")


def test_submit_then_wait(fake: FakeService) -> None:
    api = client(fake)
    job_id = api.submit("Jokowi di Tokyo.", id="c")
    assert api.wait(job_id, timeout=5)["document"]["id"] == "c"


def test_batch_yields_every_document_once_with_bounded_concurrency(fake: FakeService) -> None:
    docs: list[Any] = [{"id": f"d{i}", "text": f"Berita {i}."} for i in range(45)]
    docs += ["teks tanpa id", {"id": "kosong", "text": ""}, {"id": "gagal", "text": "GAGAL"}, "teks tanpa id"]
    fake.busy = 2
    records = list(client(fake).batch(docs, concurrency=2, chunk_size=10, tasks=["entities"], poll=0.01))
    assert sorted(r["index"] for r in records) == list(range(49))  # the repeated text shares its job
    by_id = {r["id"]: r for r in records}
    assert by_id["d7"]["status"] == "finished" and by_id["d7"]["result"]["tasks"] == ["entities"]
    assert [r["status"] for r in records if r["id"] is None] == ["finished", "finished"]  # plain strings: no id
    assert by_id["kosong"]["status"] == "rejected" and by_id["kosong"]["job_id"] is None
    assert by_id["gagal"]["status"] == "failed" and by_id["gagal"]["error"]["detail"] == "boom"
    assert fake.max_open <= 2


def test_closing_the_batch_early_stops_submitting(fake: FakeService) -> None:
    records = client(fake).batch(({"id": str(i), "text": "x"} for i in range(1000)), concurrency=2, chunk_size=5,
                                 poll=0.01)
    first = next(records)
    records.close()
    assert first["status"] == "finished"
    assert len(fake.batches) <= 3  # two in flight, perhaps one more started as the first ended


def test_an_unreachable_service_fails_the_documents_not_the_run() -> None:
    from scripts.stack import free_port

    records = list(AnnotatorClient(f"http://127.0.0.1:{free_port()}", retry=FAST).batch(["a", "b"], poll=0.01))
    assert [r["status"] for r in records] == ["error", "error"]
    assert "POST http://127.0.0.1" in records[0]["error"]["detail"]


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def output_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_batch_resumes_and_reports_failures(fake: FakeService, tmp_path: Path) -> None:
    docs = [{"id": f"d{i}", "text": f"Berita {i}.", "desk": "politik"} for i in range(30)]
    docs += [{"id": "kosong", "text": ""}, {"id": "d3", "text": "repeated id"}]
    source, out = write_jsonl(tmp_path / "in.jsonl", docs), tmp_path / "out.jsonl"
    args = ["--url", fake.url, "batch", str(source), "-o", str(out), "--chunk-size", "4", "--concurrency", "2",
            "--tasks", "entities"]

    first = CliRunner().invoke(main, [*args, "--limit", "10"])
    assert first.exit_code == 0, first.output
    assert "stopped at --limit" in first.stderr and len(output_ids(out)) == 10

    second = CliRunner().invoke(main, [*args, "--progress-every", "0"])
    assert second.exit_code == 1, second.output
    assert "32 documents in" in second.stderr and "10 already in" in second.stderr
    assert "1 repeated ids skipped, 21 to annotate" in second.stderr
    assert "repeated ids (only the first document with each is annotated): d3\n" in second.stderr
    assert "21/21  done 20  failed 1" in second.stderr
    assert "kosong: rejected: this document has invalid fields (text: invalid)" in second.stderr
    ids = output_ids(out)
    assert sorted(ids) == sorted(f"d{i}" for i in range(30)) and len(ids) == len(set(ids))
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(line) == {"id", "job_id", "result"} and line["result"]["tasks"] == ["entities"]

    third = CliRunner().invoke(main, args)
    assert third.exit_code == 1 and "1 to annotate" in third.stderr
    assert len(output_ids(out)) == 30


def test_cli_batch_reads_the_url_from_the_environment(fake: FakeService, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "artikel-1.txt").write_text("Jokowi di Tokyo.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner(env={"ANNOTATOR_URL": fake.url}).invoke(main, ["batch", str(tmp_path / "in"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert output_ids(out) == ["artikel-1"]


def test_cli_batch_refuses_a_bad_input_before_submitting(fake: FakeService, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "no id"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--url", fake.url, "batch", str(source), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and "in.jsonl:1: missing id" in result.stderr
    assert not fake.batches


def test_cli_annotate_prints_json_or_a_summary(fake: FakeService) -> None:
    result = CliRunner().invoke(main, ["--url", fake.url, "annotate", "-", "--id", "x1"], input="Jokowi di Tokyo.")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["id"] == "x1"
    pretty = CliRunner().invoke(main, ["--url", fake.url, "annotate", "-", "--pretty"], input="Jokowi.")
    assert pretty.stdout.startswith("Document -:") and "Entities: none" in pretty.stdout
    failed = CliRunner().invoke(main, ["--url", fake.url, "annotate", "-"], input="GAGAL")
    assert failed.exit_code == 1 and "the annotation failed: boom" in failed.stderr


def test_the_client_imports_without_stanza_flask_or_the_service() -> None:
    blocked = ("stanza", "torch", "flask", "rq", "redis", "workers", "service")
    code = (f"import sys\nfor m in {blocked!r}: sys.modules[m] = None\n"
            "import client, client.cli\nfrom client.cli import main\nmain(['--help'])")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "batch" in done.stdout and "local" in done.stdout
