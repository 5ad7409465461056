"""Schemathesis against openapi.yaml on the real Flask app (in-process WSGI) with a real Redis.

Every operation, positive and negative generation, all of Schemathesis's checks: no 5xx, every response
(status, content type, headers, body) as documented, schema-valid requests accepted, invalid ones refused.
No worker runs, so jobs stay queued; a fake readiness heartbeat makes /v1/ready and the language check see
one installed language ("id"), as with a real worker.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from redis import Redis
from schemathesis.checks import CheckContext
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import positive_data_acceptance

from scripts.stack import RedisServer
from service import create_app
from service.config import Settings
from tests.conftest import new_key
from tests.openapi_contract import SPEC_PATH
from workers.heartbeat import Heartbeat

# Per operation; operations without parameters exhaust their input space after a handful of cases.
MAX_EXAMPLES = 200
MIN_CASES = 1000

schema = schemathesis.openapi.from_path(SPEC_PATH)
schema.config.generation.update(max_examples=MAX_EXAMPLES, modes=[schemathesis.GenerationMode.POSITIVE,
                                                                 schemathesis.GenerationMode.NEGATIVE])
LOADED = list(schema.get_all_operations())
OPERATIONS = {result.ok().label for result in LOADED if isinstance(result, Ok)}

# Cases tried and response times, per operation, for the figures in docs/RELIABILITY.md.
CASES: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}
STATUSES: defaultdict[str, Counter[int]] = defaultdict(Counter)
# Ids the POST operations created: random ids only ever reach the 404 path, these reach the real views.
CREATED: dict[str, list[str]] = {"job_id": [], "batch_id": []}
# The API key every case sends (created with the app). Given as an auth provider, it lets Schemathesis's
# ignored_auth check probe each operation without a key and with a wrong one, expecting 401.
AUTH: dict[str, str] = {}
PENDING = "key-not-created-yet"


@schema.auth()
class BearerKey:
    def get(self, case: schemathesis.Case, ctx: schemathesis.AuthContext) -> str:
        # Explicit examples are built at collection, before the app and its key exist: see _current_key.
        return AUTH.get("key", PENDING)

    def set(self, case: schemathesis.Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(scope="module")
def wsgi_app(redis_server: RedisServer) -> Iterator[Flask]:
    redis = Redis.from_url(redis_server.url)
    redis.flushdb()
    # An hour-long heartbeat: the test never depends on a real worker staying alive.
    Heartbeat(redis, "schemathesis", {"languages": ["id"], "model": "test", "version": "test"}, 1200).beat()
    AUTH["key"] = new_key(redis, "schemathesis", 10**7, 10**7)
    yield create_app(Settings(redis_url=redis_server.url))
    redis.flushdb()
    redis.close()


@pytest.fixture(scope="module", autouse=True)
def enough_cases() -> Iterator[None]:
    """After the module: the run as a whole must have tried at least MIN_CASES cases over every operation."""
    yield
    if set(CASES) == OPERATIONS:  # the whole module ran, not a -k selection
        total = sum(CASES.values())
        print(f"\nschemathesis: {total} cases over {len(CASES)} operations: {dict(CASES)}; "
              f"slowest response per operation (s): { {k: round(v, 3) for k, v in SLOWEST.items()} }; "
              f"statuses: { {k: dict(sorted(v.items())) for k, v in STATUSES.items()} }")
        assert total >= MIN_CASES, (total, dict(CASES))


# Fields whose validity depends on the deployment, not on the request: which languages the workers have models
# for, and whether webhooks are configured (this app has no WEBHOOK_SECRET). A 422 for them alone is no contract
# violation; the markers keep any other 422 for these fields (a real validation mismatch) a failure.
DEPLOYMENT_DEPENDENT = {"language": ("No models installed",),
                        # the network decides what a host resolves to; ALLOW_PRIVATE_CALLBACKS what may be called
                        "callback_url": ("Webhooks are not configured", "does not resolve", "private, loopback")}


def _refused_by_deployment(response: Response) -> bool:
    if response.status_code != 422:
        return False
    body = response.json()
    errors = body.get("errors") if isinstance(body, dict) else None
    return isinstance(errors, dict) and bool(errors) and all(
        field in DEPLOYMENT_DEPENDENT and any(marker in str(messages) for marker in DEPLOYMENT_DEPENDENT[field])
        for field, messages in errors.items())


def accepts_valid_data(ctx: CheckContext, response: Response, case: schemathesis.Case) -> bool | None:
    """Schemathesis's positive_data_acceptance, except for DEPLOYMENT_DEPENDENT refusals."""
    if _refused_by_deployment(response):
        return None
    return positive_data_acceptance(ctx, response, case)


def _fast_wait(case: schemathesis.Case) -> None:
    """?wait=S blocks up to S seconds for a job no worker will run; keep valid values valid but short."""
    wait = (case.query or {}).get("wait")
    if isinstance(wait, bool) or not isinstance(wait, int | float | str):
        return
    try:
        seconds = float(wait)
    except ValueError:
        return
    if 0 < seconds <= 30:
        case.query["wait"] = seconds / 1000  # type: ignore[index]


def _current_key(case: schemathesis.Case) -> None:
    if case.headers and case.headers.get("Authorization") == f"Bearer {PENDING}":
        case.headers["Authorization"] = f"Bearer {AUTH['key']}"


def _existing_ids(case: schemathesis.Case) -> None:
    """Every other schema-valid case of a path with an id reads (or cancels) a job or batch that exists."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or CASES[case.operation.label] % 2:
        return
    for name, created in CREATED.items():
        if created and name in (case.path_parameters or {}):
            case.path_parameters[name] = created[CASES[case.operation.label] // 2 % len(created)]  # type: ignore[index]


def _remember_ids(case: schemathesis.Case, response: Response) -> None:
    if case.method == "POST" and response.status_code in (200, 202):
        body = response.json()
        for name, created in CREATED.items():
            if isinstance(body.get(name), str) and len(created) < 50:
                created.append(body[name])


@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                HealthCheck.data_too_large])
def test_api_matches_openapi(case: schemathesis.Case, wsgi_app: Flask) -> None:
    _fast_wait(case)
    _current_key(case)
    _existing_ids(case)
    CASES[case.operation.label] += 1
    started = time.perf_counter()
    # The app, also for the ignored_auth check's probes (sent without a key and with a wrong one).
    case.operation.app = case.operation.schema.app = wsgi_app
    response = case.call(app=wsgi_app)
    elapsed = time.perf_counter() - started
    SLOWEST[case.operation.label] = max(elapsed, SLOWEST.get(case.operation.label, 0.0))
    STATUSES[case.operation.label][response.status_code] += 1
    case.validate_response(response, excluded_checks=[positive_data_acceptance],
                           additional_checks=[accepts_valid_data])
    _remember_ids(case, response)


def test_every_operation_is_fuzzed() -> None:
    """Every operation of openapi.yaml loads into Schemathesis (a broken one would be silently left out)."""
    assert len(OPERATIONS) == len(LOADED) >= 9, [result.err() for result in LOADED if not isinstance(result, Ok)]
