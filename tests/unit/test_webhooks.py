"""Webhook logic that needs no network or Redis: signatures, retry schedule, payloads, batch counts, URL checks."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from typing import Any

import pytest

from service.webhooks import callback_url_problem
from tests.openapi_contract import validate_schema
from tests.unit.test_formats import make_result
from workers.config import DAY, backoff
from workers.webhooks import batch_counts, batch_event, job_event, sign, verify

BODY = '{"event":"job.ended","id":"x"}'


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    header = sign("s3cret", BODY, 1_700_000_000)
    expected = hmac.new(b"s3cret", b"1700000000." + BODY.encode(), hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert verify("s3cret", header, BODY, now=1_700_000_100)
    assert not verify("other", header, BODY, now=1_700_000_100)
    assert not verify("s3cret", header, BODY + " ", now=1_700_000_100)
    assert not verify("s3cret", header, BODY, now=1_700_000_000 + 301)  # a replay after the tolerance
    assert not verify("s3cret", "v1=abc", BODY)


def test_default_backoff_is_exponential_and_covers_a_day() -> None:
    intervals = backoff()
    assert sum(intervals) >= DAY and sum(intervals[:-1]) < DAY
    assert all(b >= a for a, b in itertools.pairwise(intervals))
    assert intervals[1] == 2 * intervals[0] and max(intervals) == 6 * 3600
    assert backoff(first=1, factor=3, cap=100, total=10) == (1, 3, 9)


def test_job_event_matches_the_documented_webhook_body() -> None:
    meta = {"document_id": "kompas-1", "batch_id": None, "previous_job_id": "old"}
    finished = job_event("j1", meta, "finished", make_result())
    validate_schema("JobEnded", finished)
    assert finished["summary"]["entities"] == 7 and finished["summary"]["entity_types"] == {"PER": 3, "LOC": 4}
    assert finished["job"] == {"job_id": "j1", "status": "finished", "document_id": "kompas-1", "batch_id": None,
                               "previous_job_id": "old", "url": "/v1/jobs/j1"}
    failed = job_event("j2", {}, "failed", error={"title": "Annotation failed", "detail": "DocumentError: x"})
    validate_schema("JobEnded", failed)
    assert failed["summary"] is None and failed["id"] != finished["id"]


def test_batch_counts_only_once_every_job_ended() -> None:
    docs: list[dict[str, Any]] = [{"id": "a", "job_id": "j1"}, {"id": "b", "job_id": None}, {"id": "c", "job_id": "j2"}]
    assert batch_counts(docs, {"j1": "finished", "j2": None}) is None
    assert batch_counts(docs, {"j1": "finished"}) is None
    counts = batch_counts(docs, {"j1": "finished", "j2": "failed"})
    assert counts == {"queued": 0, "started": 0, "finished": 1, "failed": 1, "canceled": 0, "rejected": 1}
    assert counts is not None
    validate_schema("BatchEnded", batch_event("b1", 3, counts))


def resolver(*addresses: str):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> list[str]:
        if host == "nowhere.invalid":
            raise OSError("Name or service not known")
        return list(addresses)
    return resolve


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254",
                                     "100.64.0.1", "::1", "fe80::1%eth0", "fd00::1", "0.0.0.0", "::ffff:127.0.0.1",
                                     "224.0.0.1"])
def test_non_public_addresses_are_refused_unless_allowed(address: str) -> None:
    reason = callback_url_problem("https://hooks.example.com/x", False, resolver(address))
    assert reason and "hooks.example.com" in reason
    assert callback_url_problem("https://hooks.example.com/x", True, resolver(address)) is None


def test_every_resolved_address_must_be_public() -> None:
    assert callback_url_problem("http://cms.example.com:8080/h", False, resolver("93.184.216.34")) is None
    assert callback_url_problem("http://cms.example.com/h", False, resolver("93.184.216.34", "10.0.0.1"))


@pytest.mark.parametrize(("url", "fragment"), [("http://nowhere.invalid/x", "does not resolve"),
                                               ("ftp://example.com/x", "http or https"),
                                               ("http://user:pw@example.com/x", "credentials"),
                                               ("http://example.com:99999/x", "port")])
def test_unusable_urls_are_refused_even_when_private_ones_are_allowed(url: str, fragment: str) -> None:
    reason = callback_url_problem(url, True, resolver("93.184.216.34"))
    assert reason is not None and fragment in reason


def test_the_documented_shapes_are_strict() -> None:
    entry = {"delivery_id": "d", "event": "job.ended", "attempt": 1, "at": "2024-05-10T02:00:00Z", "url": "http://x",
             "status_code": 204, "error": None, "duration_ms": 3.0, "delivered": True, "next_attempt_in": None}
    validate_schema("Delivery", entry)
    for broken in ({**entry, "attempt": 0}, {**entry, "event": "job.done"}, {k: v for k, v in entry.items()
                                                                             if k != "status_code"}):
        with pytest.raises(AssertionError):
            validate_schema("Delivery", broken)
    event = job_event("j", {}, "finished", make_result())
    with pytest.raises(AssertionError):
        validate_schema("JobEnded", {**event, "job": {**event["job"], "status": "queued"}})
