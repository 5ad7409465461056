"""API keys on a real Redis: authentication, one key against another, rate limits, quotas, the keys CLI."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from scripts.stack import RedisServer, dev_key
from service import create_app
from service import keys as key_module
from service.config import Settings
from service.keys import KeyStore
from tests.api.helpers import finish
from tests.api.test_annotations import TEXT, assert_problem, post
from tests.conftest import new_key, with_key
from tests.openapi_contract import validate_response
from tests.unit.test_formats import make_result


def client_for(app: Flask, key: str | None) -> FlaskClient:
    client = app.test_client()
    return with_key(client, key) if key else client


def test_requests_without_a_valid_key_are_401_with_a_challenge(app: Flask, redis: Redis) -> None:
    valid = new_key(redis)
    tampered = valid[:-1] + ("A" if valid[-1] != "A" else "B")
    for header in (None, "Basic dXNlcjpwdw==", "Bearer ", "Bearer nonsense", f"Bearer {tampered}",
                   "Bearer bk_0123456789ab_" + "x" * 43):
        headers = {"Authorization": header} if header else {}
        for response in (app.test_client().post("/v1/annotations", json={"text": TEXT}, headers=headers),
                         app.test_client().get("/v1/jobs/abc", headers=headers),
                         app.test_client().get("/v1/jobs", headers=headers),
                         app.test_client().get("/v1/batches/abc", headers=headers)):
            problem = assert_problem(response, 401)
            assert problem["type"].endswith("/unauthorized")
            assert response.headers["WWW-Authenticate"].startswith('Bearer realm="berita-annotator"')
    validate_response("post", "/v1/annotations", 401, problem, "application/problem+json")
    assert client_for(app, valid).get("/v1/jobs").status_code == 200


def test_probes_and_models_need_no_key(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/v1/health").status_code == 200
    assert client.get("/v1/models").status_code == 200


def test_keys_are_stored_as_digests_only(redis: Redis) -> None:
    plaintext, record = KeyStore(redis).create("cms", 10, 10)
    assert plaintext.startswith(f"bk_{record.id}_")
    stored = {k.decode(): v.decode() for k, v in redis.hgetall(f"ann:key:{record.id}").items()}  # type: ignore[union-attr]
    assert stored["digest"] == hashlib.sha256(plaintext.encode()).hexdigest()
    secret_part = plaintext.split("_", 2)[2]  # the secret itself may hold "_"
    dump = b"".join(redis.dump(k) or b"" for k in redis.keys("*"))
    assert secret_part.encode() not in dump and plaintext.encode() not in dump
    assert "digest" not in record.public() and "webhook_secret" not in record.public()


def test_keys_are_compared_in_constant_time(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every check goes through hmac.compare_digest, also for an unknown key id (against a dummy digest)."""
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(key_module.hmac, "compare_digest", spy)
    store = KeyStore(redis)
    plaintext, _ = store.create("cms", 10, 10)
    assert store.check(plaintext).key is not None
    assert store.check("bk_0123456789ab_" + "x" * 43).key is None
    assert store.check("garbage").key is None
    assert len(calls) == 3 and all(len(a) == len(b) == 64 for a, b in calls)


def test_one_key_cannot_read_cancel_list_or_diff_another_keys_jobs(app: Flask, redis: Redis) -> None:
    alice, bob = client_for(app, new_key(redis, "alice")), client_for(app, new_key(redis, "bob"))
    first = post(alice, {"text": TEXT, "id": "doc-1"}).get_json()
    finish(redis, first["job_id"], make_result())
    second = post(alice, {"text": TEXT + " Lagi.", "id": "doc-1"}).get_json()
    batch = post(alice, {"documents": [{"text": TEXT}]}, "/v1/batches").get_json()
    job_id, batch_id = second["job_id"], batch["batch_id"]
    assert second["previous_job_id"] == first["job_id"]

    for path in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/deliveries", f"/v1/jobs/{job_id}/diff",
                 f"/v1/jobs/{first['job_id']}?format=brat", f"/v1/batches/{batch_id}",
                 f"/v1/batches/{batch_id}/results", f"/v1/batches/{batch_id}/deliveries"):
        problem = assert_problem(bob.get(path), 404)
        assert problem["type"].endswith("/not-found")
    assert_problem(bob.delete(f"/v1/jobs/{job_id}"), 404)
    assert bob.get("/v1/jobs").get_json() == {"jobs": [], "next_before": None}
    assert alice.get(f"/v1/jobs/{job_id}").get_json()["status"] == "queued"  # bob's cancel did nothing

    # The same document from bob is bob's own job: no shared idempotency, no revision link to alice's.
    bobs = post(bob, {"text": TEXT, "id": "doc-1"})
    assert bobs.status_code == 202 and bobs.get_json()["job_id"] != first["job_id"]
    assert bobs.get_json()["previous_job_id"] is None
    keyed = post(alice, {"text": TEXT}, headers={"Idempotency-Key": "same"}).get_json()
    assert post(bob, {"text": TEXT}, headers={"Idempotency-Key": "same"}).get_json()["job_id"] != keyed["job_id"]


def test_listing_pages_through_the_keys_jobs_newest_first(client: FlaskClient) -> None:
    ids = [post(client, {"text": f"{TEXT} {i}", "id": f"l{i}"}).get_json()["job_id"] for i in range(3)]
    ids += [j["job_id"] for j in post(client, {"documents": [{"text": f"{TEXT} b{i}"} for i in range(4)]},
                                      "/v1/batches").get_json()["jobs"]]
    seen: list[str] = []
    before: float | None = None
    while True:
        page = client.get("/v1/jobs", query_string={"limit": 3, **({"before": before} if before else {})})
        body = page.get_json()
        validate_response("get", "/v1/jobs", 200, body)
        seen += [j["job_id"] for j in body["jobs"]]
        before = body["next_before"]
        if before is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert seen[-3:] == ids[:3][::-1]  # the single jobs came first, so they are listed last, newest first
    assert_problem(client.get("/v1/jobs", query_string={"limit": 0}), 400)


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(app: Flask, redis: Redis) -> None:
    client = client_for(app, new_key(redis, "busy", rate_limit=5))
    assert [client.get("/v1/jobs").status_code for _ in range(5)] == [200] * 5
    response = client.get("/v1/jobs")
    problem = assert_problem(response, 429)
    assert problem["type"].endswith("/rate-limited")
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    validate_response("get", "/v1/jobs", 429, problem, "application/problem+json")
    assert client_for(app, new_key(redis, "calm")).get("/v1/jobs").status_code == 200  # per key


def test_a_key_over_its_queue_quota_gets_429_until_its_jobs_end(app: Flask, redis: Redis) -> None:
    client = client_for(app, new_key(redis, "archive", queue_quota=3))
    ids = [post(client, {"text": f"{TEXT} {i}"}).get_json()["job_id"] for i in range(3)]
    response = post(client, {"text": TEXT + " lagi"})
    problem = assert_problem(response, 429)
    assert problem["type"].endswith("/quota-exceeded") and response.headers["Retry-After"]
    too_big = post(client, {"documents": [{"text": "a"}, {"text": "b"}]}, "/v1/batches")
    assert_problem(too_big, 429)
    finish(redis, ids[0], make_result())
    assert post(client, {"text": TEXT + " lagi"}).status_code == 202  # a slot freed when a job ended
    assert post(client_for(app, new_key(redis, "other")), {"text": TEXT + " x"}).status_code == 202


def test_a_revoked_key_is_refused_at_once(app: Flask, redis: Redis) -> None:
    plaintext, record = KeyStore(redis).create("old", 100, 100)
    client = client_for(app, plaintext)
    assert client.get("/v1/jobs").status_code == 200
    assert KeyStore(redis).revoke(record.id)
    assert_problem(client.get("/v1/jobs"), 401)
    assert not KeyStore(redis).revoke("000000000000") and not KeyStore(redis).revoke("../etc")


def test_auth_is_off_only_when_switched_off(settings: Settings, redis: Redis) -> None:
    assert not Settings.from_env().auth_disabled  # the default, when AUTH_DISABLED is unset
    open_app = create_app(replace(settings, auth_disabled=True))
    created = post(open_app.test_client(), {"text": TEXT})
    assert created.status_code == 202
    assert open_app.test_client().get(f"/v1/jobs/{created.get_json()['job_id']}").status_code == 200
    assert open_app.test_client().get("/v1/jobs").get_json()["jobs"][0]["job_id"] == created.get_json()["job_id"]


def test_keys_cli_creates_lists_and_revokes(app: Flask, redis: Redis) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(args=["keys", "create", "--name", "cms", "--rate-limit", "50"])
    assert created.exit_code == 0, created.output
    plaintext = created.stdout.strip()
    assert plaintext.startswith("bk_") and "webhook signing secret" in created.stderr
    key_id = plaintext.split("_")[1]
    assert client_for(app, plaintext).get("/v1/jobs").status_code == 200
    listed = runner.invoke(args=["keys", "list"])
    assert f'"id": "{key_id}"' in listed.stdout and '"rate_limit": 50' in listed.stdout
    assert plaintext not in listed.stdout and "digest" not in listed.stdout
    assert runner.invoke(args=["keys", "revoke", key_id]).exit_code == 0
    assert client_for(app, plaintext).get("/v1/jobs").status_code == 401
    assert runner.invoke(args=["keys", "revoke", "ffffffffffff"]).exit_code != 0


def test_make_run_reuses_its_development_key_while_redis_knows_it(redis_server: RedisServer, redis: Redis,
                                                                  tmp_path: Path) -> None:
    saved = tmp_path / "dev-api-key"
    first = dev_key(redis_server.url, saved)
    assert KeyStore(redis).check(first).key is not None and saved.stat().st_mode & 0o077 == 0
    assert dev_key(redis_server.url, saved) == first
    redis.flushdb()  # a new Redis (or one that lost its data): the saved key is dead, a new one is made
    second = dev_key(redis_server.url, saved)
    assert second != first and saved.read_text().strip() == second
