"""Revisions: a new job for a known document id links the previous one; /diff compares their results."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from redis import Redis

from tests.api.helpers import finish
from tests.api.test_annotations import TEXT, assert_problem, post
from tests.openapi_contract import validate_response
from tests.unit.test_formats import make_result


def submit(client: FlaskClient, text: str, doc_id: str | None = "kompas-1", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text, **extra}
    if doc_id is not None:
        body["id"] = doc_id
    response = post(client, body)
    assert response.status_code in (200, 202), response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def test_a_new_text_for_the_same_id_links_the_previous_job(client: FlaskClient) -> None:
    first = submit(client, TEXT)
    assert first["previous_job_id"] is None
    second = submit(client, TEXT + " Ralat: pertemuan diundur.")
    assert second["previous_job_id"] == first["job_id"]
    validate_response("post", "/v1/annotations", 202, second)
    got = client.get(f"/v1/jobs/{second['job_id']}").get_json()
    assert got["previous_job_id"] == first["job_id"]
    validate_response("get", "/v1/jobs/{job_id}", 200, got)
    # the same document again is the same job (idempotency), not a revision of itself
    again = submit(client, TEXT + " Ralat: pertemuan diundur.")
    assert again["job_id"] == second["job_id"] and again["previous_job_id"] == first["job_id"]
    assert submit(client, TEXT, doc_id="other")["previous_job_id"] is None
    assert submit(client, TEXT + " tanpa id", doc_id=None)["previous_job_id"] is None


def test_a_canceled_revision_is_skipped(client: FlaskClient) -> None:
    first = submit(client, TEXT)
    second = submit(client, TEXT + " v2")
    assert client.delete(f"/v1/jobs/{second['job_id']}").status_code == 200
    third = submit(client, TEXT + " v3")
    assert third["previous_job_id"] == first["job_id"]


def test_batch_documents_with_one_id_chain_in_order(client: FlaskClient) -> None:
    first = submit(client, TEXT)
    documents = [{"id": "kompas-1", "text": TEXT + " v2"}, {"id": "kompas-1", "text": TEXT + " v3"}]
    batch = post(client, {"documents": documents}, "/v1/batches").get_json()
    v2, v3 = (client.get(f"/v1/jobs/{j['job_id']}").get_json() for j in batch["jobs"])
    assert v2["previous_job_id"] == first["job_id"] and v3["previous_job_id"] == v2["job_id"]


def test_diff_lists_entities_and_events_added_and_removed(client: FlaskClient, redis: Redis) -> None:
    first = submit(client, TEXT)
    second = submit(client, TEXT + " v2")
    problem = assert_problem(client.get(f"/v1/jobs/{second['job_id']}/diff"), 409)  # neither has finished
    validate_response("get", "/v1/jobs/{job_id}/diff", 409, problem, "application/problem+json")
    old, new = make_result(), make_result()
    new["entities"] = [e for e in new["entities"] if e["text"] != "Jakarta"]
    new["entities"].append({**new["entities"][0], "id": "e9", "text": "Retno", "type": "ORG"})
    new["events"][0]["target"] = None
    finish(redis, second["job_id"], new)
    assert_problem(client.get(f"/v1/jobs/{second['job_id']}/diff"), 409)  # the previous one is still queued
    finish(redis, first["job_id"], old)
    response = client.get(f"/v1/jobs/{second['job_id']}/diff")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    validate_response("get", "/v1/jobs/{job_id}/diff", 200, body)
    assert body["job_id"] == second["job_id"] and body["previous_job_id"] == first["job_id"]
    assert body["entities"] == {"added": [{"text": "Retno", "type": "ORG"}],
                                "removed": [{"text": "Jakarta", "type": "LOC"}]}
    assert body["events"] == {"added": [{"type": "CONSULT", "source": "Retno Marsudi", "target": None}],
                              "removed": [{"type": "CONSULT", "source": "Retno Marsudi", "target": "Taro Kono"}]}


def test_diff_without_a_previous_revision_is_404(client: FlaskClient, redis: Redis) -> None:
    first = submit(client, TEXT)
    problem = assert_problem(client.get(f"/v1/jobs/{first['job_id']}/diff"), 404)
    assert "no previous revision" in problem["detail"]
    validate_response("get", "/v1/jobs/{job_id}/diff", 404, problem, "application/problem+json")
    assert_problem(client.get("/v1/jobs/unknown/diff"), 404)
    second = submit(client, TEXT + " v2")
    redis.delete(f"rq:job:{first['job_id']}")  # the previous revision expired
    assert "expired" in assert_problem(client.get(f"/v1/jobs/{second['job_id']}/diff"), 404)["detail"]
