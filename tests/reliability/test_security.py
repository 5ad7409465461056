"""Security over real HTTP (gunicorn with 2 processes, Redis): keys isolate clients, limits hold across processes.

Key storage (digests only) and constant-time comparison are checked in tests/api/test_api_keys.py; logs free
of keys and texts in test_faults.py; callback URLs to private ranges in tests/api/test_webhooks_api.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from service.keys import KeyStore
from tests.integration.conftest import Stack
from tests.reliability.conftest import fake_worker, start_stack

pytestmark = pytest.mark.integration
TEXT = "Menteri Luar Negeri bertemu Duta Besar Jepang di Jakarta, Senin."


@pytest.fixture(scope="module")
def two_process_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """No worker: jobs stay queued, which is what the isolation checks need. Two API processes, one Redis."""
    stack = start_stack(tmp_path_factory.mktemp("security"), API_PROCESSES="2")
    fake_worker(stack.client())
    try:
        yield stack
    finally:
        stack.close()


def session(stack: Stack, name: str, rate_limit: int = 1000, queue_quota: int = 1000) -> requests.Session:
    key, _ = KeyStore(stack.client()).create(name, rate_limit, queue_quota)
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {key}"
    return http


def test_one_key_cannot_read_cancel_or_list_another_keys_work(two_process_stack: Stack) -> None:
    url = two_process_stack.url
    alice, mallory = session(two_process_stack, "alice"), session(two_process_stack, "mallory")
    job = alice.post(f"{url}/v1/annotations", json={"text": TEXT, "id": "a-1"}, timeout=10).json()
    batch = alice.post(f"{url}/v1/batches", json={"documents": [{"text": TEXT + " Lagi."}]}, timeout=10).json()
    attempts = [mallory.get(f"{url}/v1/jobs/{job['job_id']}", timeout=10),
                mallory.delete(f"{url}/v1/jobs/{job['job_id']}", timeout=10),
                mallory.get(f"{url}/v1/jobs/{job['job_id']}/diff", timeout=10),
                mallory.get(f"{url}/v1/jobs/{job['job_id']}/deliveries", timeout=10),
                mallory.get(f"{url}/v1/batches/{batch['batch_id']}", timeout=10),
                mallory.get(f"{url}/v1/batches/{batch['batch_id']}/results", timeout=10)]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    # A 404 for someone else's job reads exactly like one for a job that never existed.
    assert attempts[0].json()["title"] == mallory.get(f"{url}/v1/jobs/{'0' * 32}", timeout=10).json()["title"]
    assert mallory.get(f"{url}/v1/jobs", timeout=10).json()["jobs"] == []
    mine = alice.get(f"{url}/v1/jobs", timeout=10).json()["jobs"]
    assert {j["job_id"] for j in mine} == {job["job_id"], batch["jobs"][0]["job_id"]}
    assert alice.get(f"{url}/v1/jobs/{job['job_id']}", timeout=10).json()["status"] == "queued"


def test_the_rate_limit_holds_across_api_processes(two_process_stack: Stack) -> None:
    http = session(two_process_stack, "burst", rate_limit=20)
    # Many connections, so that both gunicorn processes answer; the counter lives in Redis.
    codes = [requests.get(f"{two_process_stack.url}/v1/jobs", headers=http.headers, timeout=10).status_code
             for _ in range(30)]
    window_edge = codes.count(200) > 20  # a minute boundary fell inside the burst: a fresh window began
    assert codes.count(200) == 20 or window_edge, codes
    assert codes.count(429) == 30 - codes.count(200)


def test_a_request_without_a_key_is_refused_before_its_body_is_read(two_process_stack: Stack) -> None:
    body = b'{"text": "' + b"a" * (20 * 1024 * 1024) + b'"}'
    started = time.perf_counter()
    try:
        response = requests.post(f"{two_process_stack.url}/v1/annotations", data=body, timeout=30,
                                 headers={"Content-Type": "application/json"})
        status = response.status_code
    except requests.ConnectionError:
        status = 401  # the server answered and closed before the client finished sending: also a refusal
    assert status == 401 and time.perf_counter() - started < 5


def test_revoking_a_key_takes_effect_on_every_process(two_process_stack: Stack) -> None:
    store = KeyStore(two_process_stack.client())
    key, record = store.create("leaving", 1000, 1000)
    headers = {"Authorization": f"Bearer {key}"}
    assert requests.get(f"{two_process_stack.url}/v1/jobs", headers=headers, timeout=10).status_code == 200
    store.revoke(record.id)
    codes = {requests.get(f"{two_process_stack.url}/v1/jobs", headers=headers, timeout=10).status_code
             for _ in range(10)}
    assert codes == {401}
