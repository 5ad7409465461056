"""Every sample article through HTTP -> Redis -> a real worker with the real models -> result."""

from __future__ import annotations

from typing import Any

from tests.conftest import SAMPLES, sample_articles
from tests.integration.conftest import Stack
from tests.openapi_contract import validate_response
from workers.heartbeat import Heartbeat

TRICKY = ("Menlu Retno Marsudi 👩‍💼 bertemu Menlu Jepang Taro Kono di Tokyo, Senin (16/9/2019).\r\n"
          "“Kami sepakat memperkuat kerja sama,” kata Retno 🇮🇩.\r\n"
          "Presiden Joko Widodo mengecam serangan di Suriah. Cafe\u0301 di Jakarta tutup.\r\n")


def check_offsets(text: str, result: dict[str, Any]) -> None:
    for entity in result["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"], entity
    for sentence in result["sentences"]:
        assert 0 <= sentence["start"] < sentence["end"] <= len(text)
    for event in result["events"]:
        for key in ("trigger", "source", "target", "location", "date", "reported_by"):
            span = event.get(key)
            if span:
                assert text[span["start"]:span["end"]] == span["text"], (key, event)
    for token in result.get("tokens", []):
        assert token["text"] == text[token["start"]:token["end"]] or token["start"] < token["end"]


def test_every_sample_article(stack: Stack) -> None:
    articles = sample_articles()
    assert len(articles) >= 10
    jobs = {}
    for path in articles:
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0]
        jobs[path.name] = (text, stack.submit({"text": text, "id": path.stem, "title": title,
                                               "published_at": "2019-09-20T08:00:00+07:00"})["job_id"])
    types: set[str] = set()
    for name, (text, job_id) in jobs.items():
        job = stack.wait_job(job_id)
        validate_response("get", "/v1/jobs/{job_id}", 200, job)
        assert job["status"] == "finished", (name, job.get("error"))
        result = job["result"]
        assert result["document"]["id"] == name.removesuffix(".txt")
        assert result["document"]["char_count"] == len(text)
        assert result["entities"], name
        assert result["sentiment"]["label"] in ("positive", "neutral", "negative")
        check_offsets(text, result)
        types |= {e["type"] for e in result["entities"]}
    assert {"PER", "LOC", "ORG"} <= types


def test_country_and_person_names_get_the_right_types(stack: Stack) -> None:
    text = (SAMPLES / "click-01.txt").read_text(encoding="utf-8")
    job = stack.wait_job(stack.submit({"text": text, "tasks": ["entities"]}, wait=30)["job_id"])
    found = {(e["text"], e["type"]) for e in job["result"]["entities"]}
    assert ("Donald Trump", "PER") in found, found
    assert any(t == "LOC" and name in ("Iran", "Afghanistan", "Arab Saudi", "Yaman", "Suriah") for name, t in found)


def test_offsets_hold_for_emoji_curly_quotes_combining_marks_and_crlf(stack: Stack) -> None:
    job = stack.submit({"text": TRICKY, "tasks": ["entities", "sentiment", "events", "syntax"]}, wait=30)
    assert job["status"] == "finished", job
    result = job["result"]
    check_offsets(TRICKY, result)
    assert result["tokens"] and result["entities"]
    assert all(TRICKY[t["start"]:t["end"]] == t["text"] for t in result["tokens"] if t["end"] - t["start"] ==
               len(t["text"]) and TRICKY[t["start"]:t["end"]] == t["text"])
    utf16 = stack.wait_job(job["job_id"], offsets="utf16")["result"]
    assert utf16["offsets"] == "utf16"
    units = TRICKY.encode("utf-16-le")
    for entity in utf16["entities"]:
        assert units[2 * entity["start"]:2 * entity["end"]].decode("utf-16-le") == entity["text"]
    assert utf16["entities"][-1]["start"] > result["entities"][-1]["start"]  # the emoji count twice


def test_wait_returns_the_finished_job_and_duplicates_are_not_requeued(stack: Stack) -> None:
    body = {"text": "Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo.", "id": "dup-1"}
    first = stack.http.post(f"{stack.url}/v1/annotations", json=body, params={"wait": 30}, timeout=60)
    assert first.status_code == 200 and first.json()["status"] == "finished"
    validate_response("post", "/v1/annotations", 200, first.json())
    again = stack.http.post(f"{stack.url}/v1/annotations", json=body, timeout=10)
    assert again.status_code == 200 and again.json()["job_id"] == first.json()["job_id"]


def test_batch_results_stream_as_ndjson(stack: Stack) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sample_articles()[:3]]
    documents = [{"id": f"b{i}", "text": t} for i, t in enumerate(texts)] + [{"id": "bad", "text": ""}]
    batch = stack.http.post(f"{stack.url}/v1/batches", json={"documents": documents, "tasks": ["entities"]},
                          timeout=30).json()
    for entry in batch["jobs"][:3]:
        stack.wait_job(entry["job_id"])
    status = stack.http.get(f"{stack.url}/v1/batches/{batch['batch_id']}", timeout=10).json()
    assert status["counts"]["finished"] == 3 and status["counts"]["rejected"] == 1
    results = stack.http.get(f"{stack.url}/v1/batches/{batch['batch_id']}/results", timeout=30)
    validate_response("get", "/v1/batches/{batch_id}/results", 200, results.text, "application/x-ndjson")
    lines = results.text.splitlines()
    assert len(lines) == 3


def test_a_document_no_worker_can_annotate_fails_with_a_reason_and_is_not_retried(stack: Stack) -> None:
    # A fleet where another worker advertises a language this worker lacks: the job fails, deterministically.
    Heartbeat(stack.client(), "w-xx", {"languages": ["xx"]}, 30).beat()
    job = stack.submit({"text": "Teks dalam bahasa lain.", "language": "xx"}, wait=30)
    assert job["status"] == "failed", job
    validate_response("get", "/v1/jobs/{job_id}", 200, job)
    assert job["error"]["status"] == 422 and "'xx'" in job["error"]["detail"]
    assert stack.job(job["job_id"]).retries_left == 0
    stack.client().hdel("ann:workers", "w-xx")
