"""Worker heartbeats in one Redis hash: read with one HGETALL however many keys the store holds."""

from __future__ import annotations

import json
import time

from flask.testing import FlaskClient
from redis import Redis

from workers.heartbeat import KEY, Heartbeat, live_workers


def test_live_workers_ignores_expired_entries_and_beats_prune_them(redis: Redis) -> None:
    beat = Heartbeat(redis, "w1", {"languages": ["id"]}, 1)
    beat.beat()
    redis.hset(KEY, "dead", json.dumps({"name": "dead", "expires_at": time.time() - 120}))
    redis.hset(KEY, "dying", json.dumps({"name": "dying", "expires_at": time.time() - 1}))
    assert set(live_workers(redis)) == {"w1"}
    beat.beat()  # entries expired for over a minute are removed; recent ones are kept for inspection
    assert set(redis.hkeys(KEY)) == {b"w1", b"dying"}
    assert set(live_workers(redis, now=time.time() + 10)) == set()
    beat.stop()
    assert not redis.hexists(KEY, "w1")


def test_readiness_and_languages_do_not_scan_the_keyspace(client: FlaskClient, redis: Redis) -> None:
    with redis.pipeline() as pipe:
        for i in range(20_000):
            pipe.set(f"rq:job:filler{i}", "x")
        pipe.execute()
    Heartbeat(redis, "w1", {"languages": ["id"]}, 5).beat()
    assert client.get("/v1/ready").get_json()["workers"] == 1
    info_before = redis.info("commandstats").get("cmdstat_scan", {}).get("calls", 0)
    for _ in range(5):
        assert client.post("/v1/annotations", json={"text": "Presiden tiba di Tokyo."}).status_code in (200, 202)
    assert redis.info("commandstats").get("cmdstat_scan", {}).get("calls", 0) == info_before
