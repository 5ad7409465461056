from __future__ import annotations

import json

from flask.testing import FlaskClient

from tests.api.test_annotations import TEXT, assert_problem, post
from tests.openapi_contract import validate_response


def test_one_bad_document_is_reported_not_the_whole_batch(client: FlaskClient) -> None:
    documents = [{"id": "ok-1", "text": TEXT}, {"id": "bad", "text": ""}, "not an object",
                 {"id": "ok-2", "text": TEXT + " Kedua.", "language": "xx"}, {"text": TEXT + " Ketiga."}]
    response = post(client, {"documents": documents, "tasks": ["entities"]}, "/v1/batches")
    assert response.status_code == 202, response.get_data(as_text=True)
    body = response.get_json()
    validate_response("post", "/v1/batches", 202, body)
    assert body["count"] == 5
    by_id = {j["id"]: j for j in body["jobs"]}
    assert by_id["ok-1"]["status"] == "queued" and by_id["ok-1"]["job_id"]
    assert by_id["bad"]["status"] == "rejected" and "text" in by_id["bad"]["error"]["errors"]
    assert by_id["2"]["status"] == "rejected" and by_id["2"]["job_id"] is None
    assert by_id["ok-2"]["status"] == "rejected" and "'xx'" in by_id["ok-2"]["error"]["detail"]
    assert by_id["4"]["status"] == "queued"
    job = client.get(f"/v1/jobs/{by_id['ok-1']['job_id']}").get_json()
    assert job["batch_id"] == body["batch_id"]

    status = client.get(f"/v1/batches/{body['batch_id']}", query_string={"per_page": 2, "page": 2})
    assert status.status_code == 200
    page = status.get_json()
    validate_response("get", "/v1/batches/{batch_id}", 200, page)
    assert page["counts"] == {"queued": 2, "started": 0, "finished": 0, "failed": 0, "canceled": 0, "rejected": 3}
    assert [d["id"] for d in page["documents"]] == ["2", "ok-2"]

    results = client.get(f"/v1/batches/{body['batch_id']}/results")
    assert results.status_code == 200 and results.mimetype == "application/x-ndjson"
    assert results.get_data(as_text=True) == ""


def test_batch_envelope_errors(client: FlaskClient) -> None:
    assert_problem(post(client, {"documents": []}, "/v1/batches"), 422)
    assert_problem(post(client, {"documents": [{"text": "x"}] * 1001}, "/v1/batches"), 422)
    assert_problem(post(client, {"docs": []}, "/v1/batches"), 422)
    assert_problem(client.post("/v1/batches", data="[", content_type="application/json"), 400)
    assert_problem(client.get("/v1/batches/unknown"), 404)
    assert_problem(client.get("/v1/batches/unknown/results"), 404)


def test_batch_over_queue_depth_is_refused_whole(client: FlaskClient) -> None:
    documents = [{"id": str(i), "text": f"{TEXT} {i}"} for i in range(51)]
    response = post(client, {"documents": documents}, "/v1/batches")
    assert_problem(response, 429)
    assert json.loads(client.get("/v1/ready").get_data())["status"] == 503
