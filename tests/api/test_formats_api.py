"""GET /v1/jobs/{id}?format=conllu|webannotation|brat on a finished job (finished by hand: no worker here)."""

from __future__ import annotations

from flask.testing import FlaskClient
from redis import Redis

from tests.api.helpers import finish
from tests.api.test_annotations import assert_problem, post
from tests.openapi_contract import validate_response
from tests.unit.test_formats import TEXT, make_result, parse_brat, parse_conllu, spans_of_result

PATH = "/v1/jobs/{job_id}"


def finished_job(client: FlaskClient, redis: Redis, syntax: bool = True) -> str:
    tasks = ["entities", "events", "syntax"] if syntax else ["entities", "events"]
    job_id: str = post(client, {"text": TEXT, "id": "doc-1", "tasks": tasks}).get_json()["job_id"]
    finish(redis, job_id, make_result(syntax=syntax))
    return job_id


def test_each_format_answers_with_its_media_type_and_round_trips(client: FlaskClient, redis: Redis) -> None:
    job_id = finished_job(client, redis)
    expected = spans_of_result(make_result())

    conllu = client.get(f"/v1/jobs/{job_id}", query_string={"format": "conllu"})
    assert conllu.status_code == 200 and conllu.content_type == "text/plain; charset=utf-8"
    assert conllu.headers["Content-Disposition"] == f'inline; filename="{job_id}.conllu"'
    validate_response("get", PATH, 200, conllu.get_data(as_text=True), conllu.content_type)
    assert parse_conllu(conllu.get_data(as_text=True))[0] == expected

    brat = client.get(f"/v1/jobs/{job_id}", query_string={"format": "brat"})
    assert brat.status_code == 200 and brat.content_type == "text/plain; charset=utf-8"
    assert parse_brat(brat.get_data(as_text=True)) == expected

    web = client.get(f"/v1/jobs/{job_id}", query_string={"format": "webannotation", "offsets": "utf16"})
    assert web.status_code == 200 and web.mimetype == "application/ld+json"
    assert 'profile="http://www.w3.org/ns/anno.jsonld"' in web.content_type
    body = web.get_json(force=True)
    validate_response("get", PATH, 200, body, web.content_type)
    assert body["id"] == f"http://localhost/v1/jobs/{job_id}?format=webannotation"

    as_json = client.get(f"/v1/jobs/{job_id}", query_string={"format": "json"})
    assert as_json.status_code == 200 and as_json.get_json()["result"]["entities"] == make_result()["entities"]


def test_formats_need_a_finished_job_and_conllu_needs_syntax(client: FlaskClient, redis: Redis) -> None:
    queued = post(client, {"text": TEXT, "tasks": ["entities", "syntax"]}).get_json()["job_id"]
    problem = assert_problem(client.get(f"/v1/jobs/{queued}", query_string={"format": "brat"}), 409)
    assert "queued" in problem["detail"]
    validate_response("get", PATH, 409, problem, "application/problem+json")

    without_syntax = finished_job(client, redis, syntax=False)
    problem = assert_problem(client.get(f"/v1/jobs/{without_syntax}", query_string={"format": "conllu"}), 409)
    assert "syntax" in problem["detail"]
    assert client.get(f"/v1/jobs/{without_syntax}", query_string={"format": "brat"}).status_code == 200


def test_bad_format_parameters_are_400(client: FlaskClient, redis: Redis) -> None:
    job_id = finished_job(client, redis)
    assert "format" in assert_problem(client.get(f"/v1/jobs/{job_id}", query_string={"format": "xml"}),
                                      400)["errors"]
    assert "offsets" in assert_problem(client.get(f"/v1/jobs/{job_id}", query_string={"format": "brat",
                                                                                       "offsets": "bytes"}),
                                       400)["errors"]
    assert_problem(client.get("/v1/jobs/nope", query_string={"format": "conllu"}), 404)
