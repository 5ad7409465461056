"""Webhook delivery against a real local receiver, with a real Redis and RQ's own worker and scheduler.

No Stanza here: the annotation job's end is signalled by calling the RQ callbacks the API attached to it (as
RQ's worker does), and the webhooks queue is run by an in-process RQ SimpleWorker with the scheduler that
releases the delayed retries. The full stack (real annotation worker) is in test_newsroom.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job
from rq.serializers import JSONSerializer

from scripts.stack import RedisServer
from service import create_app
from service.config import Settings
from tests.api.helpers import finish
from tests.integration.webhook_receiver import Receiver
from tests.openapi_contract import validate_response, validate_schema
from tests.unit.test_formats import TEXT, make_result
from workers import webhooks

SECRET = "test-secret"


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's webhook settings: short retry intervals, loopback receivers allowed."""
    for key, value in {"WEBHOOK_SECRET": SECRET, "WEBHOOK_RETRY_INTERVALS": "1,1,1", "WEBHOOK_DELAY": "0",
                       "ALLOW_PRIVATE_CALLBACKS": "1", "WEBHOOK_TIMEOUT": "5"}.items():
        monkeypatch.setenv(key, value)


@pytest.fixture()
def api(redis_server: RedisServer, redis: Redis) -> FlaskClient:
    # Auth switched off: this file covers the server-wide WEBHOOK_SECRET; per-key secrets: test_newsroom.py.
    settings = Settings(redis_url=redis_server.url, webhook_secret=SECRET, allow_private_callbacks=True,
                        auth_disabled=True)
    return create_app(settings).test_client()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def submit(api: FlaskClient, body: dict[str, Any], path: str = "/v1/annotations") -> dict[str, Any]:
    response = api.post(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def fetch(redis: Redis, job_id: str) -> Job:
    return Job.fetch(job_id, connection=redis, serializer=JSONSerializer)


def run_webhooks(redis: Redis, until: Callable[[], bool], timeout: float = 30) -> None:
    """Run the webhooks queue (and RQ's scheduler, for the delayed retries) until `until()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queue = Queue("webhooks", connection=redis, serializer=JSONSerializer)
        SimpleWorker([queue], connection=redis, serializer=JSONSerializer).work(burst=True, with_scheduler=True)
        if until():
            return
        time.sleep(0.25)
    raise AssertionError("the webhook condition did not hold in time")


def test_a_finished_job_is_delivered_signed_after_two_failed_attempts(
        env: None, api: FlaskClient, redis: Redis, receiver: Receiver) -> None:
    receiver.fail_first = 2
    job_id = submit(api, {"text": TEXT, "id": "doc-1", "callback_url": receiver.url})["job_id"]
    job = fetch(redis, job_id)
    webhooks.on_success(job, redis, make_result())  # what RQ's worker calls when the job returns
    finish(redis, job_id, make_result())
    run_webhooks(redis, lambda: len(receiver.requests) >= 3)

    assert [r.path for r in receiver.requests] == ["/hooks/berita"] * 3
    bodies = {r.body for r in receiver.requests}
    assert len(bodies) == 1  # the same delivery every time; only the signature's timestamp changes
    for request in receiver.requests:
        assert webhooks.verify(SECRET, request.headers["X-Signature"], request.body)
        assert request.headers["Content-Type"] == "application/json"
    event = json.loads(receiver.requests[0].body)
    validate_schema("JobEnded", event)
    assert receiver.requests[0].headers["X-Webhook-Id"] == event["id"]
    assert event["job"]["job_id"] == job_id and event["job"]["status"] == "finished"
    assert event["summary"]["entities"] == len(make_result()["entities"])

    log = api.get(f"/v1/jobs/{job_id}/deliveries").get_json()
    validate_response("get", "/v1/jobs/{job_id}/deliveries", 200, log)
    attempts = log["deliveries"]
    assert [a["attempt"] for a in attempts] == [1, 2, 3]
    assert [a["status_code"] for a in attempts] == [500, 500, 204]
    assert [a["delivered"] for a in attempts] == [False, False, True]
    assert [a["next_attempt_in"] for a in attempts] == [1, 1, None]
    assert attempts[0]["error"] == "HTTP 500" and attempts[2]["error"] is None
    assert all(a["delivery_id"] == event["id"] and a["duration_ms"] >= 0 for a in attempts)
    time.sleep(1.2)
    run_webhooks(redis, lambda: True)
    assert len(receiver.requests) == 3  # delivered: no further attempt


def test_retries_stop_after_the_schedule(env: None, api: FlaskClient, redis: Redis, receiver: Receiver) -> None:
    receiver.fail_first = 100
    job_id = submit(api, {"text": TEXT, "callback_url": receiver.url})["job_id"]
    job = fetch(redis, job_id)
    job.retries_left = 0  # as annotate() marks a deterministic failure
    webhooks.on_failure(job, redis, ValueError, ValueError("bad document"))
    run_webhooks(redis, lambda: len(receiver.requests) >= 4)
    time.sleep(1.5)
    run_webhooks(redis, lambda: True)
    assert len(receiver.requests) == 4  # the first attempt and the 3 retries of WEBHOOK_RETRY_INTERVALS
    event = json.loads(receiver.requests[0].body)
    assert event["job"]["status"] == "failed" and event["error"]["detail"] == "ValueError: bad document"
    attempts = api.get(f"/v1/jobs/{job_id}/deliveries").get_json()["deliveries"]
    assert [a["next_attempt_in"] for a in attempts] == [1, 1, 1, None]


def test_a_job_that_will_be_retried_sends_nothing(env: None, api: FlaskClient, redis: Redis,
                                                  receiver: Receiver) -> None:
    job_id = submit(api, {"text": TEXT, "callback_url": receiver.url})["job_id"]
    job = fetch(redis, job_id)
    assert job.retries_left == 2  # a dead worker's job: RQ calls on_failure, then re-queues it
    webhooks.on_failure(job, redis, webhooks.DeliveryFailed, None)
    assert Queue("webhooks", connection=redis, serializer=JSONSerializer).count == 0


def test_a_private_receiver_is_refused_at_delivery_unless_allowed(
        env: None, api: FlaskClient, redis: Redis, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = submit(api, {"text": TEXT, "callback_url": receiver.url})["job_id"]  # the API allowed it ...
    monkeypatch.delenv("ALLOW_PRIVATE_CALLBACKS")  # ... but this worker does not: DNS may have changed since
    webhooks.on_stopped(fetch(redis, job_id), redis)
    run_webhooks(redis, lambda: bool(redis.llen(f"ann:deliveries:job:{job_id}")))
    (attempt,) = api.get(f"/v1/jobs/{job_id}/deliveries").get_json()["deliveries"]
    assert attempt["error"].startswith("refused: 127.0.0.1 resolves to the non-public address")
    assert attempt["next_attempt_in"] is None and receiver.requests == []


def test_a_batch_is_delivered_once_when_its_last_job_ends(
        env: None, api: FlaskClient, redis: Redis, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_DELAY", "1")  # the production path: enqueue_in, released by the scheduler
    documents = [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT + " b"}, {"id": "bad", "text": ""}]
    batch = submit(api, {"documents": documents, "callback_url": receiver.url}, "/v1/batches")
    job_a, job_b = (fetch(redis, j["job_id"]) for j in batch["jobs"][:2])
    run_webhooks(redis, lambda: True)  # the API's check_batch: jobs still queued, nothing to send
    webhooks.on_success(job_a, redis, make_result())
    finish(redis, job_a.id, make_result())
    webhooks.on_success(job_a, redis, make_result())  # a repeated signal must not count twice
    run_webhooks(redis, lambda: True)
    assert receiver.requests == []
    job_b.retries_left = 0  # failed for good, as annotate() marks a deterministic failure
    webhooks.on_failure(job_b, redis, ValueError, ValueError("x"))
    webhooks.on_failure(job_b, redis, ValueError, ValueError("x"))
    run_webhooks(redis, lambda: len(receiver.requests) >= 1)
    time.sleep(1.2)
    run_webhooks(redis, lambda: True)
    (request,) = receiver.requests
    event = json.loads(request.body)
    validate_schema("BatchEnded", event)
    assert event["batch"]["batch_id"] == batch["batch_id"]
    assert event["batch"]["counts"] == {"queued": 0, "started": 0, "finished": 1, "failed": 1, "canceled": 0,
                                        "rejected": 1}
    log = api.get(f"/v1/batches/{batch['batch_id']}/deliveries").get_json()
    validate_response("get", "/v1/batches/{batch_id}/deliveries", 200, log)
    assert [a["status_code"] for a in log["deliveries"]] == [204]


def test_a_batch_whose_jobs_had_all_ended_is_delivered_by_the_api_check(
        env: None, api: FlaskClient, redis: Redis, receiver: Receiver) -> None:
    job_id = submit(api, {"text": TEXT, "id": "a"})["job_id"]
    finish(redis, job_id, make_result())
    batch = submit(api, {"documents": [{"id": "a", "text": TEXT}], "callback_url": receiver.url}, "/v1/batches")
    assert batch["jobs"][0]["job_id"] == job_id and batch["jobs"][0]["status"] == "finished"
    run_webhooks(redis, lambda: len(receiver.requests) >= 1)
    assert json.loads(receiver.requests[0].body)["batch"]["counts"]["finished"] == 1
