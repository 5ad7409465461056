"""API tests on create_app(Settings) with a real Redis and no worker: jobs stay queued."""

from __future__ import annotations

import json
import time
from typing import Any

from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

from scripts.stack import free_port
from service import create_app
from service.config import Settings
from tests.conftest import with_key
from tests.openapi_contract import validate_response
from workers.heartbeat import Heartbeat

TEXT = "Menteri Luar Negeri Retno Marsudi bertemu Menlu Jepang di Tokyo, Senin (16/9/2019)."


def post(client: FlaskClient, body: Any, path: str = "/v1/annotations", **kw: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **kw)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


def test_create_queues_a_job_by_dotted_path(client: FlaskClient, redis: Redis) -> None:
    response = post(client, {"text": TEXT, "id": "a1", "published_at": "2019-09-16"})
    assert response.status_code == 202
    body = response.get_json()
    validate_response("post", "/v1/annotations", 202, body)
    assert response.headers["Location"] == f"/v1/jobs/{body['job_id']}"
    assert body["status"] == "queued" and body["document_id"] == "a1"
    queue = Queue("annotations", connection=redis, serializer=JSONSerializer)
    job = queue.fetch_job(body["job_id"])
    assert job is not None and job.func_name == "workers.tasks.annotate"
    assert job.args[0]["text"] == TEXT and job.args[0]["tasks"] == ["entities", "sentiment", "events"]
    assert job.result_ttl == 7 * 24 * 3600 and job.retries_left == 2

    got = client.get(body["Location"] if "Location" in body else f"/v1/jobs/{body['job_id']}")
    assert got.status_code == 200
    validate_response("get", "/v1/jobs/{job_id}", 200, got.get_json())


def test_same_document_or_idempotency_key_returns_the_existing_job(client: FlaskClient) -> None:
    first = post(client, {"text": TEXT, "id": "a1"}).get_json()
    again = post(client, {"text": TEXT, "id": "a1"})
    assert again.status_code == 200 and again.get_json()["job_id"] == first["job_id"]
    other_tasks = post(client, {"text": TEXT, "id": "a1", "tasks": ["entities"]}).get_json()
    assert other_tasks["job_id"] != first["job_id"]
    keyed = post(client, {"text": TEXT}, headers={"Idempotency-Key": "k-1"}).get_json()
    same_key = post(client, {"text": TEXT + " lagi"}, headers={"Idempotency-Key": "k-1"})
    assert same_key.status_code == 409
    replay = post(client, {"text": TEXT}, headers={"Idempotency-Key": "k-1"})
    assert replay.status_code == 200 and replay.get_json()["job_id"] == keyed["job_id"]


def test_wait_answers_202_when_the_job_does_not_finish(client: FlaskClient) -> None:
    started = time.monotonic()
    response = post(client, {"text": TEXT}, query_string={"wait": "0.3"})
    assert response.status_code == 202 and 0.3 <= time.monotonic() - started < 2


def test_bad_input_gets_problem_json(client: FlaskClient, settings: Settings) -> None:
    assert_problem(client.post("/v1/annotations", data="{bad", content_type="application/json"), 400)
    assert_problem(client.post("/v1/annotations", data="text=x", content_type="application/x-www-form-urlencoded"),
                   415)
    deep = "[" * 100000 + "]" * 100000
    assert_problem(client.post("/v1/annotations", data=deep, content_type="application/json"), 400)
    big = json.dumps({"text": "a" * (settings.max_annotation_bytes + 1)})
    assert_problem(client.post("/v1/annotations", data=big, content_type="application/json"), 413)
    cases = [
        ({}, "text"), ({"text": ""}, "text"), ({"text": "x" * 200_001}, "text"), ({"text": 5}, "text"),
        ({"text": "x", "tasks": ["parse"]}, "tasks"), ({"text": "x", "tasks": []}, "tasks"),
        ({"text": "x", "tasks": ["entities", "entities"]}, "tasks"),
        ({"text": "x", "published_at": "kemarin"}, "published_at"), ({"text": "x", "url": "not a url"}, "url"),
        ({"text": "x", "colour": "red"}, "colour"), ([TEXT], "_schema"),
    ]
    for body, field in cases:
        problem = assert_problem(post(client, body), 422)
        assert field in problem["errors"], (body, problem)
        validate_response("post", "/v1/annotations", 422, problem, "application/problem+json")


def test_uninstalled_language_names_the_installed_ones(client: FlaskClient, redis: Redis) -> None:
    problem = assert_problem(post(client, {"text": TEXT, "language": "xx"}), 422)
    assert "'xx'" in problem["detail"] and "id" in problem["detail"]
    Heartbeat(redis, "w1", {"languages": ["en", "id"]}, 5).beat()
    assert post(client, {"text": "The president met.", "language": "en"}).status_code == 202


def test_bad_query_parameters_are_400(client: FlaskClient) -> None:
    problem = assert_problem(post(client, {"text": TEXT}, query_string={"wait": "31"}), 400)
    assert "wait" in problem["errors"]
    assert "offsets" in assert_problem(client.get("/v1/jobs/x", query_string={"offsets": "bytes"}), 400)["errors"]


def test_unknown_job_404_and_cancel(client: FlaskClient) -> None:
    assert_problem(client.get("/v1/jobs/nope"), 404)
    assert_problem(client.delete("/v1/jobs/nope"), 404)
    job_id = post(client, {"text": TEXT}).get_json()["job_id"]
    canceled = client.delete(f"/v1/jobs/{job_id}")
    assert canceled.status_code == 200 and canceled.get_json()["status"] == "canceled"
    validate_response("delete", "/v1/jobs/{job_id}", 200, canceled.get_json())
    assert_problem(client.delete(f"/v1/jobs/{job_id}"), 409)


def test_full_queue_answers_429_with_retry_after(client: FlaskClient, settings: Settings) -> None:
    for i in range(settings.max_queue_depth):
        assert post(client, {"text": f"{TEXT} {i}"}).status_code == 202
    response = post(client, {"text": TEXT + " satu lagi"})
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_redis_down_answers_503_fast() -> None:
    app = create_app(Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    # A well-formed key: checking it needs Redis, so the answer is 503, not 401.
    client = with_key(app.test_client(), "bk_0123456789ab_" + "x" * 43)
    for call in (lambda: post(client, {"text": TEXT}), lambda: client.get("/v1/jobs/abc"),
                 lambda: client.get("/v1/ready")):
        started = time.monotonic()
        assert_problem(call(), 503)
        assert time.monotonic() - started < 1.0
    assert client.get("/v1/health").status_code == 200


def test_ready_needs_a_worker_heartbeat(client: FlaskClient, redis: Redis) -> None:
    assert_problem(client.get("/v1/ready"), 503)
    Heartbeat(redis, "w1", {"languages": ["id"]}, 5).beat()
    response = client.get("/v1/ready")
    assert response.status_code == 200 and response.get_json()["workers"] == 1
    validate_response("get", "/v1/ready", 200, response.get_json())


def test_models_lists_the_manifest(client: FlaskClient) -> None:
    response = client.get("/v1/models")
    assert response.status_code == 200
    body = response.get_json()
    validate_response("get", "/v1/models", 200, body)
    (indonesian,) = [x for x in body["languages"] if x["language"] == "id"]
    assert "ner" in indonesian["components"] and indonesian["version"]
