"""callback_url and include_boilerplate at submission, and the delivery logs (no worker: nothing is delivered)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.serializers import JSONSerializer

from service import create_app
from service.config import Settings
from tests.api.test_annotations import TEXT, assert_problem, post
from tests.conftest import new_key, with_key
from tests.openapi_contract import validate_response

PUBLIC = "http://93.184.216.34/hooks/berita"  # a literal public address: no DNS needed
LOOPBACK = "http://127.0.0.1:9/hook"


@pytest.fixture()
def hooks(settings: Settings, redis: Redis) -> FlaskClient:
    """The API with a webhook secret, refusing private callback addresses as in production."""
    return with_key(create_app(replace(settings, webhook_secret="s3cret")).test_client(), new_key(redis))


def job(redis: Redis, job_id: str) -> Job:
    return Job.fetch(job_id, connection=redis, serializer=JSONSerializer)


def webhook_jobs(redis: Redis) -> list[Job]:
    return Queue("webhooks", connection=redis, serializer=JSONSerializer).get_jobs()


def test_callback_url_is_kept_in_meta_with_end_of_job_callbacks(hooks: FlaskClient, redis: Redis) -> None:
    response = post(hooks, {"text": TEXT, "callback_url": PUBLIC})
    assert response.status_code == 202, response.get_data(as_text=True)
    queued = job(redis, response.get_json()["job_id"])
    assert queued.meta["callback_url"] == PUBLIC and "callback_url" not in queued.args[0]
    assert (queued._success_callback_name, queued._failure_callback_name, queued._stopped_callback_name) == (
        "workers.webhooks.on_success", "workers.webhooks.on_failure", "workers.webhooks.on_stopped")
    # another receiver for the same document is another job: each caller gets its own webhook
    other = post(hooks, {"text": TEXT, "callback_url": PUBLIC + "/2"})
    assert other.status_code == 202 and other.get_json()["job_id"] != queued.id
    assert post(hooks, {"text": TEXT, "callback_url": PUBLIC}).get_json()["job_id"] == queued.id


@pytest.mark.parametrize("url", [LOOPBACK, "http://10.0.0.7/h", "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]:8080/h", "http://localhost:9/h", "ftp://93.184.216.34/h",
                                 "http://hooks.invalid/h"])
def test_callback_urls_to_private_or_unusable_hosts_are_422(hooks: FlaskClient, url: str) -> None:
    problem = assert_problem(post(hooks, {"text": TEXT, "callback_url": url}), 422)
    assert list(problem["errors"]) == ["callback_url"]
    validate_response("post", "/v1/annotations", 422, problem, "application/problem+json")


def test_loopback_is_allowed_by_configuration(settings: Settings, redis: Redis) -> None:
    client = with_key(create_app(replace(settings, webhook_secret="s", allow_private_callbacks=True)).test_client(),
                      new_key(redis))
    assert post(client, {"text": TEXT, "callback_url": LOOPBACK}).status_code == 202


def test_an_api_key_signs_with_its_own_secret_without_a_server_secret(client: FlaskClient) -> None:
    assert post(client, {"text": TEXT, "callback_url": PUBLIC}).status_code == 202


def test_with_auth_off_and_no_server_secret_every_callback_url_is_refused(settings: Settings) -> None:
    client = create_app(replace(settings, auth_disabled=True)).test_client()
    problem = assert_problem(post(client, {"text": TEXT, "callback_url": PUBLIC}), 422)
    assert "WEBHOOK_SECRET" in problem["errors"]["callback_url"][0]
    assert post(client, {"text": TEXT, "callback_url": None}).status_code == 202


def test_include_boilerplate_reaches_the_worker_and_is_another_job(client: FlaskClient, redis: Redis) -> None:
    plain = post(client, {"text": TEXT, "id": "b1"}).get_json()
    assert "include_boilerplate" not in job(redis, plain["job_id"]).args[0]
    flagged = post(client, {"text": TEXT, "id": "b1"}, query_string={"include_boilerplate": "true"})
    assert flagged.status_code == 202 and flagged.get_json()["job_id"] != plain["job_id"]
    assert job(redis, flagged.get_json()["job_id"]).args[0]["include_boilerplate"] is True
    assert "include_boilerplate" in assert_problem(
        post(client, {"text": TEXT}, query_string={"include_boilerplate": "maybe"}), 400)["errors"]
    batch = post(client, {"documents": [{"text": TEXT + " a"}, {"text": TEXT + " b"}]}, "/v1/batches",
                 query_string={"include_boilerplate": "1"}).get_json()
    assert all(job(redis, j["job_id"]).args[0]["include_boilerplate"] for j in batch["jobs"])


def test_job_deliveries_start_empty(hooks: FlaskClient, redis: Redis) -> None:
    job_id = post(hooks, {"text": TEXT, "callback_url": PUBLIC}).get_json()["job_id"]
    response = hooks.get(f"/v1/jobs/{job_id}/deliveries")
    assert response.status_code == 200
    body = response.get_json()
    validate_response("get", "/v1/jobs/{job_id}/deliveries", 200, body)
    assert body == {"job_id": job_id, "callback_url": PUBLIC, "deliveries": []}
    entry = {"delivery_id": "d1", "event": "job.ended", "attempt": 1, "at": "2024-05-10T02:00:00.000Z",
             "url": PUBLIC, "status_code": 500, "error": "HTTP 500", "duration_ms": 12.5, "delivered": False,
             "next_attempt_in": 30}
    redis.rpush(f"ann:deliveries:job:{job_id}", json.dumps(entry))  # as workers/webhooks.py logs an attempt
    body = hooks.get(f"/v1/jobs/{job_id}/deliveries").get_json()
    assert body["deliveries"] == [entry]
    validate_response("get", "/v1/jobs/{job_id}/deliveries", 200, body)
    assert_problem(hooks.get("/v1/jobs/nope/deliveries"), 404)


def test_canceling_a_queued_job_with_a_callback_queues_its_webhook(hooks: FlaskClient, redis: Redis) -> None:
    plain = post(hooks, {"text": TEXT + " tanpa"}).get_json()["job_id"]
    assert hooks.delete(f"/v1/jobs/{plain}").status_code == 200
    assert webhook_jobs(redis) == []  # nobody to tell
    job_id = post(hooks, {"text": TEXT, "callback_url": PUBLIC}).get_json()["job_id"]
    assert hooks.delete(f"/v1/jobs/{job_id}").status_code == 200
    (notify,) = webhook_jobs(redis)
    assert notify.func_name == "workers.webhooks.notify_canceled" and notify.args == [job_id]


def test_batch_callback_registers_the_batch_with_its_jobs(hooks: FlaskClient, redis: Redis) -> None:
    existing = post(hooks, {"text": TEXT, "id": "x"}).get_json()["job_id"]
    documents = [{"id": "x", "text": TEXT}, {"id": "y", "text": TEXT + " y"},
                 {"id": "z", "text": TEXT + " z", "callback_url": LOOPBACK}, {"id": "bad", "text": ""}]
    response = post(hooks, {"documents": documents, "callback_url": PUBLIC}, "/v1/batches")
    assert response.status_code == 202, response.get_data(as_text=True)
    batch = response.get_json()
    by_id = {j["id"]: j for j in batch["jobs"]}
    assert by_id["x"]["job_id"] == existing  # an existing job joins the batch ...
    assert by_id["z"]["status"] == "rejected" and "callback_url" in by_id["z"]["error"]["errors"]
    for doc in ("x", "y"):  # ... and, like the new ones, will tell the batch when it ends
        assert redis.smembers(f"ann:job:{by_id[doc]['job_id']}:batches") == {batch["batch_id"].encode()}
    (check,) = webhook_jobs(redis)
    assert check.func_name == "workers.webhooks.check_batch" and check.args == [batch["batch_id"]]
    deliveries = hooks.get(f"/v1/batches/{batch['batch_id']}/deliveries")
    assert deliveries.status_code == 200
    validate_response("get", "/v1/batches/{batch_id}/deliveries", 200, deliveries.get_json())
    assert deliveries.get_json() == {"batch_id": batch["batch_id"], "callback_url": PUBLIC, "deliveries": []}
    assert_problem(hooks.get("/v1/batches/nope/deliveries"), 404)


def test_a_bad_batch_callback_refuses_the_whole_batch(hooks: FlaskClient, redis: Redis) -> None:
    problem = assert_problem(post(hooks, {"documents": [{"text": TEXT}], "callback_url": LOOPBACK}, "/v1/batches"),
                             422)
    assert "callback_url" in problem["errors"]
    assert Queue("annotations", connection=redis, serializer=JSONSerializer).count == 0
    batch = post(hooks, {"documents": [{"text": TEXT}]}, "/v1/batches").get_json()
    assert webhook_jobs(redis) == [] and not redis.hget(f"ann:batch:{batch['batch_id']}", "callback_url")
