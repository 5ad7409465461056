"""openapi.yaml is a valid OpenAPI 3.1 document, consistent in its conventions, and tests/openapi_contract.py
accepts real-looking payloads and rejects broken ones."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) does not put the repo root on sys.path
    sys.path.insert(0, str(ROOT))

from tests.openapi_contract import load_spec, validate_response, validate_schema  # noqa: E402

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
MISMATCH = r"does not match openapi\.yaml"

EXPECTED_OPERATIONS = {
    ("post", "/v1/annotations"): "createAnnotation",
    ("get", "/v1/jobs"): "listJobs",
    ("get", "/v1/jobs/{job_id}"): "getJob",
    ("delete", "/v1/jobs/{job_id}"): "cancelJob",
    ("get", "/v1/jobs/{job_id}/deliveries"): "getJobDeliveries",
    ("get", "/v1/jobs/{job_id}/diff"): "getJobDiff",
    ("post", "/v1/batches"): "createBatch",
    ("get", "/v1/batches/{batch_id}"): "getBatch",
    ("get", "/v1/batches/{batch_id}/results"): "getBatchResults",
    ("get", "/v1/batches/{batch_id}/deliveries"): "getBatchDeliveries",
    ("get", "/v1/health"): "health",
    ("get", "/v1/ready"): "ready",
    ("get", "/v1/models"): "listModels",
}
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


# --------------------------------------------------------------------------- the spec itself


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate(spec)
    assert spec["servers"][0]["url"] == "http://127.0.0.1:8000"


def test_operations_and_ids(spec: dict[str, Any]) -> None:
    found = {(method, path): operation.get("operationId") for method, path, operation in _operations(spec)}
    assert found == EXPECTED_OPERATIONS
    assert all(found.values()), "every operation needs an operationId"
    assert len(set(found.values())) == len(found), "operationIds must be unique"


def test_errors_are_problem_json(spec: dict[str, Any]) -> None:
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        errors = [code for code in responses if code[0] in "45"]
        assert errors, f"{method} {path} documents no 4xx/5xx response"
        assert "500" in responses, f"{method} {path} must document 500"
        for code in errors:
            response = _resolve(spec, responses[code])
            assert set(response["content"]) == {PROBLEM_JSON}, f"{method} {path} {code}"
            assert response["content"][PROBLEM_JSON]["schema"] == {"$ref": PROBLEM_REF}, f"{method} {path} {code}"
        if "requestBody" in operation:
            for code in ("400", "413", "415", "422", "429", "503"):
                assert code in responses, f"{method} {path} takes a body and must document {code}"
        params = operation.get("parameters", []) + spec["paths"][path].get("parameters", [])
        if any(_resolve(spec, p)["in"] == "path" for p in params):
            assert "404" in responses, f"{method} {path} has a path parameter and must document 404"
        if "429" in responses:
            assert "Retry-After" in _resolve(spec, responses["429"])["headers"]


def test_successes_have_schemas(spec: dict[str, Any]) -> None:
    for method, path, operation in _operations(spec):
        successes = [code for code in operation["responses"] if code.startswith("2")]
        assert successes, f"{method} {path}"
        for code in successes:
            content = _resolve(spec, operation["responses"][code])["content"]
            for media_type, media in content.items():
                assert "schema" in media, f"{method} {path} {code} {media_type}"
    accepted = spec["paths"]["/v1/annotations"]["post"]["responses"]["202"]
    assert "Location" in accepted["headers"]


def test_fixed_shapes_are_closed(spec: dict[str, Any]) -> None:
    """Every object schema with declared properties forbids unknown ones (unless it is a free-form map)."""
    for name, schema in spec["components"]["schemas"].items():
        if schema.get("type") == "object" and "properties" in schema:
            assert schema.get("additionalProperties") is False, name


def test_embedded_examples_are_valid(spec: dict[str, Any]) -> None:
    checked = 0
    media_types = [
        media
        for item in [*spec["paths"].values(), {"x": {"responses": spec["components"]["responses"]}}]
        for operation in item.values()
        if isinstance(operation, dict)
        for holder in [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
        for media in holder.get("content", {}).values()
    ]
    for media in media_types:
        for example in media.get("examples", {}).values():
            validate_schema(media["schema"]["$ref"].rsplit("/", 1)[-1], example["value"])
            checked += 1
    assert checked >= 2


def test_plover_enums(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert len(schemas["PloverType"]["enum"]) == 16
    assert schemas["QuadClass"]["enum"] == [
        "verbal cooperation",
        "material cooperation",
        "verbal conflict",
        "material conflict",
    ]
    mapped = [t for rule in schemas["Event"]["allOf"] for t in rule["if"]["properties"]["type"]["enum"]]
    assert sorted(mapped) == sorted(schemas["PloverType"]["enum"]), "each type maps to exactly one quad class"


# --------------------------------------------------------------------------- example payloads

TEXT = (
    "SEOUL, KOMPAS.com - Korea Utara mengecam latihan militer gabungan Amerika Serikat dan Korea Selatan, "
    "Sabtu (11/11/2023). \u201cIni provokasi \U0001f525,\u201d kata Menteri Luar Negeri Korea Utara Choe Son Hui."
)


def _span(piece: str, start_at: int = 0) -> dict[str, Any]:
    start = TEXT.index(piece, start_at)
    return {"text": piece, "start": start, "end": start + len(piece)}


def _problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"https://berita-annotator.dev/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }


def _result() -> dict[str, Any]:
    first_end = TEXT.index("). ") + 2
    korut = _span("Korea Utara")
    as_ = _span("Amerika Serikat")
    korsel = _span("Korea Selatan")
    choe = _span("Choe Son Hui")
    scores = {"positive": 0.04, "neutral": 0.21, "negative": 0.75}
    return {
        "schema_version": "1.0",
        "document": {
            "id": "kompas-2023-11-11-0001",
            "language": "id",
            "title": "Korut kecam latihan militer AS dan Korsel",
            "url": "https://example.com/berita/2023/11/11/korut-kecam",
            "published_at": "2023-11-11T09:30:00+07:00",
            "char_count": len(TEXT),
            "sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
            "dateline": {"place": "SEOUL", "outlet": "KOMPAS.com", "start": 0, "end": 19},
        },
        "model": {"name": "berita-id", "version": "2025.11.1", "components": ["tokenize", "pos", "ner", "events"]},
        "offsets": "codepoint",
        "sentences": [
            {"index": 0, "start": 20, "end": first_end, "sentiment": {"label": "negative", "scores": scores}},
            {"index": 1, "start": first_end + 1, "end": len(TEXT)},
        ],
        "entities": [
            {"id": "e1", "type": "LOC", "sentence": 0, **korut},
            {"id": "e2", "type": "LOC", "sentence": 0, **as_},
            {"id": "e3", "type": "LOC", "sentence": 0, **korsel},
            {"id": "e4", "type": "PER", "sentence": 1, **choe},
        ],
        "sentiment": {"label": "negative", "scores": scores},
        "events": [
            {
                "id": f"ev{i}",
                "type": "DISAPPROVE",
                "quad_class": "verbal conflict",
                "mode": None,
                "trigger": _span("mengecam"),
                "source": {
                    **korut,
                    "entity_id": "e1",
                    "actor": {"name": "Korea Utara", "country": "PRK", "igo": None, "sector": None},
                },
                "target": {
                    **target,
                    "entity_id": entity_id,
                    "actor": {"name": target["text"], "country": country, "igo": None, "sector": None},
                },
                "location": None,
                "date": {**_span("Sabtu (11/11/2023)"), "resolved": "2023-11-11"},
                "sentence": 0,
                "negated": False,
                "hypothetical": False,
                "reported_by": None,
                "confidence": 0.91,
                "evidence": TEXT[20:first_end],
            }
            for i, (target, entity_id, country) in enumerate([(as_, "e2", "USA"), (korsel, "e3", "KOR")], start=1)
        ],
        "boilerplate": [{"start": 0, "end": 19, "kind": "dateline"}],
        "tokens": [
            {
                "sentence": 0,
                "index": 1,
                "lemma": "Korea",
                "upos": "PROPN",
                "feats": "",
                "head": 3,
                "deprel": "nsubj",
                **_span("Korea"),
            },
            {
                "sentence": 0,
                "index": 3,
                "lemma": "kecam",
                "upos": "VERB",
                "feats": "Voice=Act",
                "head": 0,
                "deprel": "root",
                **_span("mengecam"),
            },
        ],
        "warnings": [{"code": "emoji_in_text", "message": "The text contains emoji."}],
        "timings_ms": {"pipeline": 812.4, "events": 20.1, "total": 850.3},
    }


def _finished_job() -> dict[str, Any]:
    return {
        "job_id": "5f0c6c1e-8a3b-4d0e-9a57-2f4b7d9c1a20",
        "status": "finished",
        "created_at": "2023-11-11T02:30:00.123456+00:00",
        "started_at": "2023-11-11T02:30:00.500000+00:00",
        "ended_at": "2023-11-11T02:30:01.400000Z",
        "document_id": "kompas-2023-11-11-0001",
        "batch_id": None,
        "previous_job_id": None,
        "attempts": 1,
        "result": _result(),
    }


def _failed_job() -> dict[str, Any]:
    job = _finished_job()
    del job["result"]
    job.update(
        status="failed",
        attempts=3,
        error=_problem(
            500,
            "worker-died",
            "Worker died",
            "The worker running this job died 3 times; giving up after 2 retries.",
            instance="/v1/jobs/5f0c6c1e-8a3b-4d0e-9a57-2f4b7d9c1a20",
        ),
    )
    return job


def _queued_job() -> dict[str, Any]:
    job = _finished_job()
    del job["result"]
    job.update(status="queued", started_at=None, ended_at=None, attempts=0)
    return job


def _validation_problem() -> dict[str, Any]:
    return _problem(
        422,
        "validation-error",
        "Unprocessable Content",
        "Invalid fields: language, tasks. Installed languages: id.",
        errors={
            "language": ["No models installed for language 'ms'. Installed languages: id."],
            "tasks": {"1": ["Must be one of: entities, sentiment, events, syntax."]},
        },
    )


def _batch() -> dict[str, Any]:
    return {
        "batch_id": "b-7d1e",
        "count": 3,
        "jobs": [
            {"id": "kompas-1", "job_id": "j-1", "status": "queued"},
            {"id": "1", "job_id": "j-2", "status": "finished"},
            {
                "id": "2",
                "job_id": None,
                "status": "rejected",
                "error": _problem(
                    422,
                    "validation-error",
                    "Unprocessable Content",
                    "Invalid fields: text.",
                    errors={"text": ["Missing data for required field."]},
                ),
            },
        ],
    }


def _batch_status() -> dict[str, Any]:
    documents = _batch()["jobs"]
    documents[0]["status"] = "started"
    return {
        "batch_id": "b-7d1e",
        "created_at": "2023-11-11T02:30:00+00:00",
        "count": 3,
        "counts": {"queued": 0, "started": 1, "finished": 1, "failed": 0, "canceled": 0, "rejected": 1},
        "page": 1,
        "per_page": 100,
        "documents": documents,
    }


def _ndjson() -> str:
    line = {"id": "1", "job_id": "j-2", "result": _result()}
    return json.dumps(line, ensure_ascii=False) + "\n" + json.dumps({**line, "id": "kompas-1", "job_id": "j-1"}) + "\n"


def test_example_offsets_are_consistent() -> None:
    """The examples below are real: every span is a slice of TEXT in code points."""
    result = _result()
    spans = [*result["entities"], *result["tokens"]]
    for event in result["events"]:
        spans += [event["trigger"], event["source"], event["target"], event["date"]]
    for span in spans:
        assert TEXT[span["start"] : span["end"]] == span["text"]


VALID: list[tuple[str, str, int, Callable[[], object], str]] = [
    ("post", "/v1/annotations", 202, _queued_job, "application/json"),
    ("post", "/v1/annotations", 200, _finished_job, "application/json"),
    ("post", "/v1/annotations", 422, _validation_problem, PROBLEM_JSON),
    (
        "post",
        "/v1/annotations",
        429,
        lambda: _problem(429, "rate-limited", "Too Many Requests", "Queue full."),
        PROBLEM_JSON,
    ),
    ("get", "/v1/jobs/{job_id}", 200, _finished_job, "application/json; charset=utf-8"),
    ("get", "/v1/jobs/{job_id}", 200, _failed_job, "application/json"),
    ("get", "/v1/jobs/{job_id}", 200, _queued_job, "application/json"),
    (
        "get",
        "/v1/jobs/{job_id}",
        404,
        lambda: {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No job 'x'."},
        PROBLEM_JSON,
    ),
    (
        "delete",
        "/v1/jobs/{job_id}",
        200,
        lambda: {**_queued_job(), "status": "canceled", "ended_at": "2023-11-11T02:31:00+00:00"},
        "application/json",
    ),
    ("post", "/v1/batches", 202, _batch, "application/json"),
    ("get", "/v1/batches/{batch_id}", 200, _batch_status, "application/json"),
    ("get", "/v1/batches/{batch_id}/results", 200, _ndjson, "application/x-ndjson"),
    ("get", "/v1/batches/{batch_id}/results", 200, lambda: _ndjson().encode(), "application/x-ndjson"),
    ("get", "/v1/batches/{batch_id}/results", 200, lambda: "", "application/x-ndjson"),
    ("get", "/v1/health", 200, lambda: {"status": "ok"}, "application/json"),
    ("get", "/v1/ready", 200, lambda: {"status": "ready", "redis": True, "workers": 2}, "application/json"),
    (
        "get",
        "/v1/ready",
        503,
        lambda: _problem(503, "service-unavailable", "Service Unavailable", "No worker has its models loaded."),
        PROBLEM_JSON,
    ),
    (
        "get",
        "/v1/models",
        200,
        lambda: {
            "languages": [
                {
                    "language": "id",
                    "name": "berita-id",
                    "version": "2025.11.1",
                    "components": ["tokenize", "ner"],
                    "scores": {"ner": {"f1": 0.87}, "tokenize": 0.99, "note": "dev set"},
                }
            ]
        },
        "application/json",
    ),
]


@pytest.mark.parametrize(("method", "path", "status", "make", "content_type"), VALID)
def test_valid_examples(method: str, path: str, status: int, make: Callable[[], object], content_type: str) -> None:
    validate_response(method, path, status, make(), content_type)


def test_validate_schema_on_a_bare_result() -> None:
    validate_schema("Result", _result())
    without_layers = {**_result(), "entities": [], "events": [], "sentiment": None}
    del without_layers["tokens"]
    validate_schema("Result", without_layers)


# --------------------------------------------------------------------------- broken payloads must fail


def _mutated(make: Callable[[], dict[str, Any]], mutate: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    payload = copy.deepcopy(make())
    mutate(payload)
    return payload


def _event(job: dict[str, Any]) -> dict[str, Any]:
    event: dict[str, Any] = job["result"]["events"][0]
    return event


BROKEN_JOBS: dict[str, Callable[[dict[str, Any]], object]] = {
    "finished without result": lambda j: j.pop("result"),
    "unknown top-level field": lambda j: j.update(progress=0.5),
    "unknown status": lambda j: j.update(status="done"),
    "created_at not a date-time": lambda j: j.update(created_at="yesterday"),
    "timestamp without offset": lambda j: j.update(ended_at="2023-11-11T02:30:01"),
    "negative attempts": lambda j: j.update(attempts=-1),
    "wrong schema_version": lambda j: j["result"].update(schema_version="1.1"),
    "uppercase sha256": lambda j: j["result"]["document"].update(sha256="A" * 64),
    "missing document.dateline": lambda j: j["result"]["document"].pop("dateline"),
    "bad offsets unit": lambda j: j["result"].update(offsets="bytes"),
    "negative entity offset": lambda j: j["result"]["entities"][0].update(start=-1),
    "entity offset as string": lambda j: j["result"]["entities"][0].update(end="31"),
    "sentiment score above 1": lambda j: j["result"]["sentiment"]["scores"].update(negative=1.5),
    "sentiment missing": lambda j: j["result"].pop("sentiment"),
    "bad boilerplate kind": lambda j: j["result"]["boilerplate"][0].update(kind="ad"),
    "token without lemma": lambda j: j["result"]["tokens"][0].pop("lemma"),
    "non-UD upos": lambda j: j["result"]["tokens"][0].update(upos="NNP"),
    "timing not a number": lambda j: j["result"]["timings_ms"].update(total="850"),
    "unknown event type": lambda j: _event(j).update(type="CRITICIZE"),
    "non-PLOVER-16 type": lambda j: _event(j).update(type="INVESTIGATE"),
    "quad class mismatch": lambda j: _event(j).update(quad_class="material conflict"),
    "quad class with underscore": lambda j: _event(j).update(quad_class="verbal_conflict"),
    "alpha-2 country": lambda j: _event(j)["source"]["actor"].update(country="KP"),
    "confidence above 1": lambda j: _event(j).update(confidence=1.2),
    "event missing negated": lambda j: _event(j).pop("negated"),
    "event location omitted instead of null": lambda j: _event(j).pop("location"),
    "trigger missing end": lambda j: _event(j)["trigger"].pop("end"),
    "unresolvable date format": lambda j: _event(j)["date"].update(resolved="11/11/2023"),
    "actor without sector": lambda j: _event(j)["source"]["actor"].pop("sector"),
}


@pytest.mark.parametrize("mutation", list(BROKEN_JOBS), ids=list(BROKEN_JOBS))
def test_broken_finished_job_fails(mutation: str) -> None:
    job = _mutated(_finished_job, BROKEN_JOBS[mutation])
    with pytest.raises(AssertionError, match=MISMATCH):
        validate_response("get", "/v1/jobs/{job_id}", 200, job)


BROKEN_OTHERS: list[tuple[str, str, str, int, Callable[[], object], str]] = [
    (
        "queued job with result",
        "get",
        "/v1/jobs/{job_id}",
        200,
        lambda: {**_queued_job(), "result": _result()},
        "application/json",
    ),
    (
        "failed job without error",
        "get",
        "/v1/jobs/{job_id}",
        200,
        lambda: _mutated(_failed_job, lambda j: j.pop("error")),
        "application/json",
    ),
    (
        "finished job with error",
        "get",
        "/v1/jobs/{job_id}",
        200,
        lambda: {**_finished_job(), "error": _validation_problem()},
        "application/json",
    ),
    (
        "job error not a problem",
        "get",
        "/v1/jobs/{job_id}",
        200,
        lambda: {**_failed_job(), "error": "worker died"},
        "application/json",
    ),
    ("cancel answers a queued job", "delete", "/v1/jobs/{job_id}", 200, _queued_job, "application/json"),
    (
        "problem without detail",
        "get",
        "/v1/jobs/{job_id}",
        404,
        lambda: {"type": "about:blank", "title": "Not Found", "status": 404},
        PROBLEM_JSON,
    ),
    (
        "problem type not a URI",
        "post",
        "/v1/annotations",
        422,
        lambda: {**_validation_problem(), "type": "validation error"},
        PROBLEM_JSON,
    ),
    (
        "problem status as string",
        "post",
        "/v1/annotations",
        422,
        lambda: {**_validation_problem(), "status": "422"},
        PROBLEM_JSON,
    ),
    (
        "problem with unknown member",
        "post",
        "/v1/annotations",
        422,
        lambda: {**_validation_problem(), "hint": "x"},
        PROBLEM_JSON,
    ),
    (
        "problem errors with a bare string",
        "post",
        "/v1/annotations",
        422,
        lambda: {**_validation_problem(), "errors": {"text": "Missing data."}},
        PROBLEM_JSON,
    ),
    (
        "rejected document with a job",
        "post",
        "/v1/batches",
        202,
        lambda: _mutated(_batch, lambda b: b["jobs"][2].update(job_id="j-3")),
        "application/json",
    ),
    (
        "rejected document without error",
        "post",
        "/v1/batches",
        202,
        lambda: _mutated(_batch, lambda b: b["jobs"][2].pop("error")),
        "application/json",
    ),
    (
        "queued document without job",
        "post",
        "/v1/batches",
        202,
        lambda: _mutated(_batch, lambda b: b["jobs"][0].update(job_id=None)),
        "application/json",
    ),
    (
        "batch counts missing rejected",
        "get",
        "/v1/batches/{batch_id}",
        200,
        lambda: _mutated(_batch_status, lambda b: b["counts"].pop("rejected")),
        "application/json",
    ),
    (
        "per_page above 1000",
        "get",
        "/v1/batches/{batch_id}",
        200,
        lambda: {**_batch_status(), "per_page": 5000},
        "application/json",
    ),
    (
        "ndjson line without result",
        "get",
        "/v1/batches/{batch_id}/results",
        200,
        lambda: _ndjson() + json.dumps({"id": "3", "job_id": "j-3"}) + "\n",
        "application/x-ndjson",
    ),
    (
        "ready without workers",
        "get",
        "/v1/ready",
        200,
        lambda: {"status": "ready", "redis": True, "workers": 0},
        "application/json",
    ),
    ("health says something else", "get", "/v1/health", 200, lambda: {"status": "fine"}, "application/json"),
    (
        "models without scores",
        "get",
        "/v1/models",
        200,
        lambda: {"languages": [{"language": "id", "name": "m", "version": "1", "components": []}]},
        "application/json",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "status", "make", "content_type"),
    [pytest.param(*case[1:], id=case[0]) for case in BROKEN_OTHERS],
)
def test_broken_payloads_fail(
    method: str, path: str, status: int, make: Callable[[], object], content_type: str
) -> None:
    with pytest.raises(AssertionError, match=MISMATCH):
        validate_response(method, path, status, make(), content_type)


@pytest.mark.parametrize(
    ("method", "path", "status", "body", "content_type", "message"),
    [
        pytest.param(
            "get",
            "/v1/jobs/{job_id}",
            418,
            {},
            "application/json",
            "status 418 is not documented",
            id="undocumented status",
        ),
        pytest.param("get", "/v1/health", 503, {}, PROBLEM_JSON, "status 503 is not documented", id="health never 503"),
        pytest.param(
            "get",
            "/v1/jobs/{job_id}",
            200,
            _finished_job(),
            "text/html",
            "'text/html' is not documented",
            id="undocumented content type",
        ),
        pytest.param(
            "get", "/v1/jobs/{job_id}", 404, {}, "application/json", "is not documented", id="error as plain json"
        ),
        pytest.param("get", "/v1/jobs/{id}", 200, {}, "application/json", "is not a path", id="unknown path"),
        pytest.param(
            "put",
            "/v1/jobs/{job_id}",
            200,
            {},
            "application/json",
            "PUT /v1/jobs/{job_id} is not documented",
            id="unknown method",
        ),
        pytest.param(
            "get",
            "/v1/batches/{batch_id}/results",
            200,
            "{not json}\n",
            "application/x-ndjson",
            "NDJSON line 1 is not JSON",
            id="ndjson garbage",
        ),
        pytest.param(
            "get",
            "/v1/batches/{batch_id}/results",
            200,
            "\n\n",
            "application/x-ndjson",
            "NDJSON line 1 is blank",
            id="ndjson blank line",
        ),
    ],
)
def test_contract_mismatches_fail(
    method: str, path: str, status: int, body: object, content_type: str, message: str
) -> None:
    with pytest.raises(AssertionError, match=re.escape(message)):
        validate_response(method, path, status, body, content_type)


def test_error_message_points_at_the_field() -> None:
    job = _mutated(_finished_job, lambda j: _event(j).update(type="CRITICIZE"))
    with pytest.raises(AssertionError) as excinfo:
        validate_response("get", "/v1/jobs/{job_id}", 200, job)
    message = str(excinfo.value)
    assert "GET /v1/jobs/{job_id} (getJob) -> 200" in message
    assert "$.result.events[0].type" in message
    assert "CRITICIZE" in message


def test_ndjson_error_names_the_line() -> None:
    body = _ndjson() + json.dumps({"id": "3", "job_id": "j-3"}) + "\n"
    with pytest.raises(AssertionError, match=r"line 3: \$ \[required\]"):
        validate_response("get", "/v1/batches/{batch_id}/results", 200, body, "application/x-ndjson")


def test_job_operations_need_a_key_and_probes_do_not(spec: dict[str, Any]) -> None:
    assert spec["security"] == [{"apiKey": []}]
    scheme = spec["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for method, path, operation in _operations(spec):
        public = path in ("/v1/health", "/v1/ready", "/v1/models")
        assert (operation.get("security") == []) is public, (method, path)
        assert ("401" in operation["responses"]) is not public, (method, path)
        assert public or "429" in operation["responses"], (method, path)
