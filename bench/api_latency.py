"""API latency under load: POST /v1/annotations and GET /v1/jobs/{id} at 100 and 500 requests/s, p50/p95/p99/max.

An open-loop constant-rate generator on loopback (bench/loadgen.py: latency from the scheduled send time, so
queueing is not hidden) runs each scenario for --duration seconds (10; quick 2) after a 1 s warm-up:

- POST, new job: distinct bodies (a sample article with a unique last line and id), nothing consuming the
  queue (no workers; MAX_QUEUE_DEPTH raised so no 429), so each request validates, checks capacity and enqueues.
- POST, same body again: the idempotent path (an equal request returns the existing job with 200).
- GET, queued job: the jobs the POST scenario queued (small answer, what polling clients get).
- GET, finished job: jobs a worker finished before the run (the answer holds the whole result).

The generator shares the machine's cores with gunicorn and Redis; its own CPU is reported per run, and so are
the API's and Redis's CPU per request and the number of keys Redis held (POST scans the keyspace for worker
heartbeats: --prefill-keys N adds N filler keys first, as a service that keeps 7 days of results has).

    python -m bench.api_latency [--quick] [--rates 100,500] [--duration S] [--api-processes N] [--api-threads N]
                                [--connections N] [--prefill-keys N] [--auth] [--write]
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bench import loadgen
from bench.common import (
    CpuMeter,
    PartResult,
    base_parser,
    contention_note,
    load_samples,
    percentile,
    run_part,
    tree_cpu,
)
from bench.service_stack import BenchStack

GOALS_MS = {"POST": 20.0, "GET": 10.0}  # p99 at 500 requests/s
GOAL_RATE = 500.0
SCENARIOS = ("post-new", "post-same", "get-queued", "get-finished")


@dataclass
class Options:
    quick: bool = False
    rates: tuple[float, ...] = (100.0, 500.0)
    duration: float = 10.0
    max_requests: int = 10_000
    connections: int = 64
    api_processes: int | None = None
    api_threads: int | None = None
    scenarios: tuple[str, ...] = SCENARIOS
    auth: bool = False
    prefill_keys: int = 0


def _finished_jobs(stack: BenchStack, count: int) -> tuple[list[str], int]:
    """Jobs finished by one worker that is stopped afterwards; their ids and the size of a GET answer (bytes)."""
    stack.wait_workers(stack.start_workers(1))
    http = stack.session()
    samples = sorted(load_samples(), key=lambda a: len(a.text))[:count]
    ids, size = [], 0
    for article in samples:
        response = http.post(f"{stack.url}/v1/annotations", params={"wait": 30},
                             json={"id": f"finished-{article.id}", "text": article.text}, timeout=60)
        view = response.json()
        if view.get("status") != "finished":
            raise RuntimeError(f"a job for the GET scenario did not finish: {response.status_code} {view}")
        ids.append(view["job_id"])
        size = max(size, len(http.get(f"{stack.url}/v1/jobs/{view['job_id']}", timeout=10).content))
    stack.stop_workers()
    return ids, size


def _queued_jobs(stack: BenchStack, count: int) -> list[str]:
    raw = stack.redis_client().lrange("rq:queue:annotations", 0, count - 1)
    return [x.decode() for x in raw]  # type: ignore[union-attr]


def prefill(stack: BenchStack, count: int) -> None:
    """Filler keys, so that Redis holds as many keys as a service that has kept a few days of results."""
    redis = stack.redis_client()
    with redis.pipeline(transaction=False) as pipe:
        for i in range(count):
            pipe.set(f"bench:filler:{i}", "x")
            if i % 10_000 == 9_999:
                pipe.execute()
        pipe.execute()


def _wait_idle(pid: int, timeout: float = 60) -> None:
    """Until the API has finished what an earlier overloaded run left in its queues (under 5 % CPU for 0.5 s)."""
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        before = tree_cpu(pid)
        time.sleep(0.5)
        if tree_cpu(pid) - before < 0.025:
            return


def run(opts: Options) -> PartResult:
    part = PartResult("api")
    env = {"MAX_QUEUE_DEPTH": str(10**9)}
    if opts.api_processes:
        env["API_PROCESSES"] = str(opts.api_processes)
    if opts.api_threads:
        env["API_THREADS"] = str(opts.api_threads)
    samples = load_samples()
    run_id = uuid.uuid4().hex[:8]
    with BenchStack("api-latency", env=env, auth=opts.auth) as stack:
        stack.start_api()
        part.notes.append(stack.gunicorn_settings() + f"; AUTH_DISABLED={'0' if opts.auth else '1'}")
        finished: list[str] = []
        finished_bytes = 0
        if "get-finished" in opts.scenarios:
            finished, finished_bytes = _finished_jobs(stack, 2 if opts.quick else 4)
        same = json.dumps({"id": f"{run_id}-same", "text": samples[0].text}).encode()
        stack.session().post(f"{stack.url}/v1/annotations", data=same, timeout=10,
                             headers={"Content-Type": "application/json"})
        queued: list[str] = []

        offset = [0]  # moved on for each run, so that no body repeats one from an earlier rate

        def post_new(i: int) -> loadgen.Request:
            n = offset[0] + i
            article = samples[n % len(samples)]
            body = {"id": f"{run_id}-{n}", "text": f"{article.text}\n(bench {run_id} {n})"}
            return loadgen.Request("POST", "/v1/annotations", json.dumps(body).encode())

        makers: dict[str, tuple[str, Callable[[int], loadgen.Request], tuple[int, ...]]] = {
            "post-new": ("POST /v1/annotations, new job", post_new, (202,)),
            "post-same": ("POST /v1/annotations, same body again (idempotent)",
                          lambda i: loadgen.Request("POST", "/v1/annotations", same), (200,)),
            "get-queued": ("GET /v1/jobs/{id}, queued job",
                           lambda i: loadgen.Request("GET", f"/v1/jobs/{queued[i % len(queued)]}"), (200,)),
            "get-finished": (f"GET /v1/jobs/{{id}}, finished job ({finished_bytes / 1024:.0f} KB answer)",
                             lambda i: loadgen.Request("GET", f"/v1/jobs/{finished[i % len(finished)]}"), (200,)),
        }
        if opts.prefill_keys:
            prefill(stack, opts.prefill_keys)
        redis = stack.redis_client()
        api_pid = stack.api.pid if stack.api else 0
        redis_pid = stack.redis.proc.pid if stack.redis.proc else 0
        for scenario in opts.scenarios:
            if scenario == "get-queued":
                queued = _queued_jobs(stack, 5000)
                if not queued:  # post-new was not run: queue some
                    for i in range(200):
                        stack.session().post(f"{stack.url}/v1/annotations", data=post_new(10**6 + i).body,
                                             headers={"Content-Type": "application/json"}, timeout=10)
                    queued = _queued_jobs(stack, 5000)
            label, make, expect = makers[scenario]
            for rate in opts.rates:
                offset[0] += 10**7
                _wait_idle(api_pid)
                keys0 = redis.dbsize()
                api0, redis0, cpu = tree_cpu(api_pid), tree_cpu(redis_pid), CpuMeter()
                result = loadgen.run(stack.url, make, rate, opts.duration, max_requests=opts.max_requests,
                                     headers=stack.headers, expect=expect, connections=opts.connections)
                usage = cpu.stop()
                answered = max(1, len(result.latencies_ms))
                api_ms = (tree_cpu(api_pid) - api0) * 1000 / answered
                redis_ms = (tree_cpu(redis_pid) - redis0) * 1000 / answered
                method = label.split()[0]
                goal = GOALS_MS[method] if rate == GOAL_RATE and scenario in ("post-new", "get-queued",
                                                                              "get-finished") else None
                p99 = percentile(result.latencies_ms, 99)
                met = None if goal is None else (p99 < goal and not result.errors
                                                 and result.achieved_rate >= 0.95 * rate)
                part.add(f"{label} @ {rate:.0f}/s", result.summary(),
                         f"p99 < {goal:.0f} ms" if goal else "", met)
                part.notes.append(
                    f"{label} @ {rate:.0f}/s: CPU per request: API {api_ms:.2f} ms, Redis {redis_ms:.2f} ms, "
                    f"generator {1000 * result.generator_cpu_s / answered:.2f} ms "
                    f"({100 * result.generator_cpu_s / result.elapsed_s:.0f} % of a core); generator send lag "
                    f"p99 {percentile(result.send_lag_ms, 99):.1f} ms; Redis held {keys0:,} -> {redis.dbsize():,} "
                    f"keys; {contention_note(usage)}")
    return part


def options(args: argparse.Namespace) -> Options:
    return Options(quick=args.quick, rates=tuple(float(x) for x in args.rates.split(",")),
                   duration=args.duration or (2.0 if args.quick else Options.duration),
                   max_requests=args.max_requests, connections=args.connections, api_processes=args.api_processes,
                   api_threads=args.api_threads, scenarios=tuple(args.scenarios.split(",")), auth=args.auth,
                   prefill_keys=args.prefill_keys)


def parser() -> argparse.ArgumentParser:
    out = base_parser(__doc__, "bench.api_latency", stack=True)
    out.add_argument("--rates", default="100,500", help="requests per second (default 100,500)")
    out.add_argument("--duration", type=float, default=None, help="seconds per rate (default 10, quick 2)")
    out.add_argument("--max-requests", type=int, default=10_000, help="at most this many requests per rate")
    out.add_argument("--connections", type=int, default=64, help="keep-alive connections at most (default 64)")
    out.add_argument("--api-processes", type=int, default=None, help="API_PROCESSES for gunicorn")
    out.add_argument("--api-threads", type=int, default=None, help="API_THREADS for gunicorn")
    out.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"some of {','.join(SCENARIOS)}")
    out.add_argument("--prefill-keys", type=int, default=0,
                     help="filler keys written to Redis first, as in a service holding days of results (default 0)")
    return out


def main() -> None:
    run_part(lambda args: run(options(args)), parser().parse_args())


if __name__ == "__main__":
    main()
