"""Newsroom features through the real stack (gunicorn, Redis, a worker with the real models): webhooks to a
local receiver, include_boilerplate, the export formats on real output, and revision diffs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.integration.conftest import Stack, eventually
from tests.integration.test_end_to_end import TRICKY
from tests.integration.webhook_receiver import Receiver
from tests.openapi_contract import validate_response, validate_schema
from tests.unit.test_formats import parse_brat, parse_conllu, parse_webannotation
from workers.webhooks import verify

ARTICLE = ("Seoul (ANTARA) - Korea Utara mengecam latihan militer gabungan Amerika Serikat dan Korea Selatan.\n"
           "Baca juga: Presiden Joko Widodo bertemu Perdana Menteri Jepang Fumio Kishida di Tokyo\n"
           "Menteri Luar Negeri Retno Marsudi menyerukan dialog di Semenanjung Korea.\n"
           "Pewarta: Budi Santoso\n")


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def get(stack: Stack, path: str, **params: Any) -> requests.Response:
    return stack.http.get(f"{stack.url}{path}", params=params, timeout=30)


def test_a_job_webhook_survives_a_receiver_failing_twice(stack: Stack, receiver: Receiver) -> None:
    receiver.fail_first = 2
    job = stack.wait_job(stack.submit({"text": ARTICLE, "id": "hook-1", "callback_url": receiver.url})["job_id"])
    assert job["status"] == "finished", job
    # RQ's scheduler releases the delayed retries. When an earlier test killed the worker that held the scheduler's
    # lock (tests/integration/test_faults.py), another worker takes it over only at its next try, up to 120 s later
    # (rq.defaults.DEFAULT_SCHEDULER_FALLBACK_PERIOD), so the retries may wait that long.
    eventually(lambda: len(receiver.requests) >= 3, timeout=200)
    for request in receiver.requests:
        assert verify(stack.webhook_secret, request.headers["X-Signature"], request.body)
    event = json.loads(receiver.requests[-1].body)
    validate_schema("JobEnded", event)
    assert event["job"]["job_id"] == job["job_id"] and event["job"]["status"] == "finished"
    assert event["summary"]["entities"] == len(job["result"]["entities"])
    log = get(stack, f"/v1/jobs/{job['job_id']}/deliveries").json()
    validate_response("get", "/v1/jobs/{job_id}/deliveries", 200, log)
    assert [a["status_code"] for a in log["deliveries"]] == [500, 500, 204]
    time.sleep(2)
    assert len(receiver.requests) == 3


def test_a_batch_webhook_comes_once_when_every_document_ended(stack: Stack, receiver: Receiver) -> None:
    documents = [{"id": "hb-1", "text": ARTICLE}, {"id": "hb-2", "text": TRICKY}, {"id": "hb-bad", "text": ""}]
    batch = stack.http.post(f"{stack.url}/v1/batches", json={"documents": documents, "tasks": ["entities"],
                                                          "callback_url": receiver.url}, timeout=30).json()
    eventually(lambda: len(receiver.requests) >= 1)
    time.sleep(2)
    (request,) = receiver.requests
    assert verify(stack.webhook_secret, request.headers["X-Signature"], request.body)
    event = json.loads(request.body)
    assert event["event"] == "batch.ended" and event["batch"]["batch_id"] == batch["batch_id"]
    assert event["batch"]["counts"]["finished"] == 2 and event["batch"]["counts"]["rejected"] == 1
    status = get(stack, f"/v1/batches/{batch['batch_id']}").json()
    assert status["counts"]["finished"] == 2  # the webhook came after the jobs' own status was stored


def inside(span: dict[str, Any], spans: list[dict[str, Any]]) -> bool:
    return any(b["start"] <= span["start"] and span["end"] <= b["end"] for b in spans)


def test_include_boilerplate_annotates_the_page_furniture_too(stack: Stack) -> None:
    story = stack.submit({"text": ARTICLE, "tasks": ["entities"]}, wait=30)
    full = stack.submit({"text": ARTICLE, "tasks": ["entities"]}, wait=30, include_boilerplate="true")
    assert story["status"] == full["status"] == "finished" and story["job_id"] != full["job_id"]
    boilerplate = story["result"]["boilerplate"]
    assert {b["kind"] for b in boilerplate} >= {"dateline", "related_link", "credit"}
    assert not [e for e in story["result"]["entities"] if inside(e, boilerplate)]
    extra = [e for e in full["result"]["entities"] if inside(e, boilerplate)]
    assert {"Joko Widodo", "Tokyo"} & {e["text"] for e in extra}, full["result"]["entities"]
    for entity in full["result"]["entities"]:
        assert ARTICLE[entity["start"]:entity["end"]] == entity["text"]
    assert full["result"]["boilerplate"] == boilerplate


def test_every_format_round_trips_real_output(stack: Stack) -> None:
    job = stack.submit({"text": TRICKY, "id": "fmt-1", "tasks": ["entities", "events", "syntax"]}, wait=30)
    assert job["status"] == "finished", job
    result = job["result"]
    assert result["entities"]
    entities = {e["id"]: (e["start"], e["end"]) for e in result["entities"]}
    conllu = get(stack, f"/v1/jobs/{job['job_id']}", format="conllu")
    assert conllu.status_code == 200 and conllu.headers["Content-Type"] == "text/plain; charset=utf-8"
    spans, _ = parse_conllu(conllu.text, TRICKY)
    assert {k: v for k, v in spans.items() if k in entities} == entities
    brat = get(stack, f"/v1/jobs/{job['job_id']}", format="brat").text
    assert {k: v for k, v in parse_brat(brat, TRICKY).items() if k in entities} == entities
    web = get(stack, f"/v1/jobs/{job['job_id']}", format="webannotation", offsets="utf16")
    validate_response("get", "/v1/jobs/{job_id}", 200, web.json(), web.headers["Content-Type"])
    spans = parse_webannotation(web.json(), TRICKY, utf16=True)
    assert {k: v for k, v in spans.items() if k in entities} == entities
    no_syntax = stack.submit({"text": TRICKY, "tasks": ["entities"]}, wait=30)
    assert get(stack, f"/v1/jobs/{no_syntax['job_id']}", format="conllu").status_code == 409


def test_a_revision_links_the_previous_job_and_diffs_against_it(stack: Stack) -> None:
    first = stack.submit({"id": "rev-1", "text": "Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo."},
                         wait=30)
    second = stack.submit({"id": "rev-1", "text": "Presiden Joko Widodo bertemu Presiden Korea Selatan di Seoul."},
                          wait=30)
    assert first["status"] == second["status"] == "finished"
    assert second["previous_job_id"] == first["job_id"]
    response = get(stack, f"/v1/jobs/{second['job_id']}/diff")
    assert response.status_code == 200, response.text
    diff = response.json()
    validate_response("get", "/v1/jobs/{job_id}/diff", 200, diff)
    old = {(e["text"], e["type"]) for e in first["result"]["entities"]}
    new = {(e["text"], e["type"]) for e in second["result"]["entities"]}
    assert {(e["text"], e["type"]) for e in diff["entities"]["added"]} == new - old
    assert {(e["text"], e["type"]) for e in diff["entities"]["removed"]} == old - new
    assert ("Tokyo", "LOC") in old - new
