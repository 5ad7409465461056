"""Service throughput: the raw part's articles through HTTP -> Redis -> RQ workers -> result, W = 1 and 2 workers on
the same cores as the API and Redis, end-to-end articles/s and the ratio to raw throughput with as many processes.

The clock starts before the first POST /v1/annotations and stops when the client holds the last result (GET
/v1/jobs/{id}); jobs are submitted in the raw part's order, round after round, with distinct document ids. The
client polls only the oldest unfinished job (every 0.2 s, then at once the next), so polling costs a few
requests per second. Per job, the job timestamps (started_at, ended_at) and the pipeline's own time (the
result's timings_ms.total) split the workers' wall time into pipeline, per-job overhead and gaps between jobs.

    python -m bench.service_throughput [--quick] [--rounds N] [--workers 1,2] [--auth] [--write]

Standalone it measures raw throughput first (bench.raw_throughput) for the ratio.
"""

from __future__ import annotations

import argparse
import itertools
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from statistics import mean
from typing import Any

from bench import raw_throughput
from bench.common import (
    Article,
    CpuMeter,
    PartResult,
    base_parser,
    contention_note,
    percentile,
    run_part,
    throughput_articles,
    tree_cpu,
)
from bench.service_stack import BenchStack, job_details

ENDED = {"finished", "failed", "canceled"}
POLL_S = 0.2
GOAL_RATIO = 0.9


@dataclass
class ServiceRun:
    workers: int
    articles: int
    failed: int
    wall_s: float
    pipeline_s: float  # sum of the jobs' own pipeline time (timings_ms.total)
    # (sum of job times - sum of pipeline times) / jobs: per job it would mislead, since a job parsed in a group
    # (workers/bulk.py) carries its share of the group's Stanza call while the group's first job runs it all
    job_overhead_ms: float
    gaps_ms: list[float]  # per worker, from one job's end to the next one's start
    first_start_s: float  # from the first POST to the first job's start
    tail_s: float  # from the last job's end to the client holding its result
    submit_s: float  # time to POST every job
    words: int
    worker_cpu_s: float  # CPU of the worker processes and their job processes in the timed window
    other_share: float  # share of the machine other processes used in the timed window

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.wall_s


def _ts(value: str | None) -> float:
    return datetime.fromisoformat(value).timestamp() if value else float("nan")


def measure(articles: list[Article], workers: int, rounds: int, words_by_article: dict[str, int],
            auth: bool = False, in_process: bool = False) -> ServiceRun:
    env = {"WORKER_IN_PROCESS": "1" if in_process else "0"}
    with BenchStack(f"service-w{workers}{'-inproc' if in_process else ''}", env=env, auth=auth) as stack:
        stack.start_api()
        stack.wait_workers(stack.start_workers(workers))
        stack.wait_ready()
        http = stack.session()
        run = uuid.uuid4().hex[:8]
        order = [(r, a) for r in range(rounds) for a in articles]
        pending: list[str] = []
        views: dict[str, dict[str, Any]] = {}
        worker_pids = [p.pid for p in stack.workers.values()]
        worker_cpu0 = sum(tree_cpu(pid) for pid in worker_pids)
        cpu = CpuMeter()
        t0_epoch, t0 = time.time(), time.monotonic()
        for r, article in order:
            response = http.post(f"{stack.url}/v1/annotations", json={"id": f"{run}-{r}-{article.id}",
                                                                        "text": article.text}, timeout=30)
            if response.status_code != 202:
                raise RuntimeError(f"POST /v1/annotations answered {response.status_code}: {response.text[:300]}")
            pending.append(response.json()["job_id"])
        submit_s = time.monotonic() - t0
        job_ids = list(pending)
        deadline = time.monotonic() + 3600
        while pending and time.monotonic() < deadline:
            response = http.get(f"{stack.url}/v1/jobs/{pending[0]}", timeout=30)
            view = response.json()
            if response.status_code == 200 and view["status"] in ENDED:
                views[pending.pop(0)] = view
                continue
            # The oldest is still running: look at the others that may have ended (W > 1), then wait.
            for job_id in pending[1:workers]:
                other = http.get(f"{stack.url}/v1/jobs/{job_id}", timeout=30)
                if other.status_code == 200 and other.json()["status"] in ENDED:
                    views[job_id] = other.json()
                    pending.remove(job_id)
            time.sleep(POLL_S)
        wall = time.monotonic() - t0
        end_epoch = time.time()
        usage = cpu.stop()
        worker_cpu = sum(tree_cpu(pid) for pid in worker_pids) - worker_cpu0
        if pending:
            raise RuntimeError(f"{len(pending)} jobs did not end within an hour")
        details = dict(zip(job_ids, job_details(stack.redis_client(), job_ids), strict=True))
    finished = [j for j in job_ids if views[j]["status"] == "finished"]
    pipeline_s = sum(views[j]["result"]["timings_ms"]["total"] for j in finished) / 1000
    job_time_s = sum(_ts(views[j]["ended_at"]) - _ts(views[j]["started_at"]) for j in finished)
    overhead = (job_time_s - pipeline_s) * 1000 / len(finished) if finished else 0.0
    gaps: list[float] = []
    by_worker: dict[str, list[tuple[float, float]]] = {}
    for j in job_ids:
        by_worker.setdefault(details[j]["worker"], []).append((_ts(views[j]["started_at"]), _ts(views[j]["ended_at"])))
    for spans in by_worker.values():
        spans.sort()
        gaps += [(b[0] - a[1]) * 1000 for a, b in itertools.pairwise(spans)]
    starts = [_ts(views[j]["started_at"]) for j in job_ids]
    ends = [_ts(views[j]["ended_at"]) for j in job_ids]
    words = sum(words_by_article.get(a.id, 0) for _, a in order)
    return ServiceRun(workers, len(job_ids), len(job_ids) - len(finished), wall, pipeline_s, overhead, gaps,
                      min(starts) - t0_epoch, end_epoch - max(ends), submit_s, words, worker_cpu,
                      usage["other_share"])


@dataclass
class Options:
    quick: bool = False
    rounds: int = 2
    workers: tuple[int, ...] = (1, 2)
    auth: bool = False
    # in-process: jobs run in the worker process (the default, workers/rq_worker.py); fork: a process forked per
    # job, as RQ's Worker does (WORKER_IN_PROCESS=0)
    modes: tuple[str, ...] = ("in-process", "fork")


def run(opts: Options, raw: PartResult | None = None) -> PartResult:
    part = PartResult("service")
    articles = throughput_articles(opts.quick)
    if raw is None:
        raw = raw_throughput.run(raw_throughput.Options(opts.quick, opts.rounds, opts.workers))
        part.rows += raw.rows
        part.notes += [f"raw: {n}" for n in raw.notes]
    raw_runs: dict[int, raw_throughput.RawRun] = raw.data.get("runs", {})
    words_by_article: dict[str, int] = {}
    for r in raw_runs.values():
        words_by_article.update(r.words_by_article)
    cpu = CpuMeter()
    runs = {}
    for w, mode in [(w, m) for w in opts.workers for m in opts.modes]:
        result = measure(articles, w, opts.rounds, words_by_article, opts.auth, in_process=mode == "in-process")
        if mode == "in-process":
            runs[w] = result
        label = f"W={w}" if mode == "in-process" else f"W={w}, fork per job"
        part.add(f"articles/s end to end, {label}", f"{result.articles_per_s:.2f}")
        if result.words:
            part.add(f"tokens/s end to end, {label}", f"{result.words / result.wall_s:,.0f}")
        if w in raw_runs:
            ratio = result.articles_per_s / raw_runs[w].articles_per_s
            part.add(f"service / raw, {label} vs {w} process{'es' if w > 1 else ''}", f"{ratio:.2f}",
                     f">= {GOAL_RATIO}", ratio >= GOAL_RATIO)
        part.add(f"pipeline share of the workers' wall time, {label}",
                 f"{100 * result.pipeline_s / (w * result.wall_s):.0f} %")
        part.add(f"CPU/wall of the workers and job processes, {label}",
                 f"{result.worker_cpu_s / result.wall_s:.2f} of {w} (wall {result.wall_s:.1f} s; other processes "
                 f"{100 * result.other_share:.0f} % of the machine)")
        if result.articles > result.failed:
            part.add(f"per-job overhead (job time - pipeline), mean, {label}", f"{result.job_overhead_ms:.1f} ms")
        if result.gaps_ms:
            part.add(f"gap between a worker's jobs p50/max, {label}",
                     f"{percentile(result.gaps_ms, 50):.0f} / {max(result.gaps_ms):.0f} ms (mean "
                     f"{mean(result.gaps_ms):.0f})")
        part.add(f"first POST -> first job start; last job end -> result held, {label}",
                 f"{1000 * result.first_start_s:.0f} ms; {1000 * result.tail_s:.0f} ms")
        if result.failed:
            part.add(f"failed jobs, {label}", str(result.failed), "0", False)
    usage = cpu.stop()
    if 1 in runs and 2 in runs:
        part.add("scaling W=2 / W=1", f"{runs[2].articles_per_s / runs[1].articles_per_s:.2f}x")
    part.notes.append(f"{len(articles)} articles x {opts.rounds} round(s) as in the raw part; POSTs took "
                      + ", ".join(f"{r.submit_s:.2f} s (W={w})" for w, r in runs.items())
                      + f"; completion polled every {POLL_S} s; AUTH_DISABLED={'0' if opts.auth else '1'}")
    part.notes.append(contention_note(usage))
    part.data["runs"] = runs
    return part


def options(args: argparse.Namespace) -> Options:
    return Options(quick=args.quick, rounds=args.rounds or (1 if args.quick else Options.rounds),
                   workers=tuple(int(x) for x in args.workers.split(",")), auth=args.auth)


def parser() -> argparse.ArgumentParser:
    out = base_parser(__doc__, "bench.service_throughput", stack=True)
    out.add_argument("--rounds", type=int, default=None, help="passes over the articles (default 2, quick 1)")
    out.add_argument("--workers", default="1,2", help="worker counts W to measure (default 1,2)")
    return out


def main() -> None:
    run_part(lambda args: run(options(args)), parser().parse_args())


if __name__ == "__main__":
    main()
