"""Worker cold start and memory: 1, 2 and 4 workers (annotator-worker processes) started together.

- Cold start: from the worker's process start to its readiness heartbeat in the Redis hash `ann:workers`
  (models loaded, warm-up done); split by the worker's own log lines into interpreter start + imports + model
  load, and warm-up + gc.freeze.
- Memory, from /proc/<pid>/smaps_rollup: RSS, PSS (shared pages divided among the processes sharing them) and
  USS (private pages) of each idle worker; then one long article per worker, and while those jobs run, the
  forked job processes too (their private dirty pages are what copy-on-write copied from the worker, or what
  the job allocated). "Each extra worker adds" compares the total PSS of n workers (and of their job
  processes) with one worker's. The worker holding RQ's scheduler lock has one more child, the scheduler
  (forked from the loaded worker, so it shares nearly all its pages); it is reported apart, one per fleet.

    python -m bench.worker_memory [--quick] [--workers 1,2,4] [--article-chars N] [--auth] [--write]
"""

from __future__ import annotations

import argparse
import time
import uuid
from dataclasses import dataclass
from statistics import mean

from bench.common import (
    CpuMeter,
    Memory,
    PartResult,
    base_parser,
    children,
    contention_note,
    descendants,
    load_samples,
    memory,
    run_part,
    synthetic,
)
from bench.service_stack import BenchStack

GOAL_READY_S = 10.0
GOAL_EXTRA_MB = 300.0
ENDED = {b"finished", b"failed", b"stopped", b"canceled"}


@dataclass
class Sample:
    workers: int
    ready_s: dict[str, float]  # per worker: process start -> heartbeat
    loaded_s: dict[str, float]  # per worker: process start -> "pipelines loaded" log line
    idle: dict[str, Memory]  # per worker, before any job
    idle_total: Memory  # the workers (and RQ's scheduler), summed, before any job
    busy_total: Memory  # workers + job processes, summed, at the sample with the highest total PSS
    job_peak: Memory  # the job process with the highest PSS seen
    job_seen: int  # job processes seen while sampling
    scheduler: Memory | None  # RQ's scheduler process, when one of these workers runs it


def _total(memories: list[Memory]) -> Memory:
    return Memory(sum(m.rss for m in memories), sum(m.pss for m in memories), sum(m.uss for m in memories),
                  sum(m.private_dirty for m in memories))


@dataclass
class Snapshot:
    workers: dict[str, Memory]
    jobs: dict[int, Memory]  # job process pid -> memory
    scheduler: Memory | None
    parents: list[Memory]  # the process that loaded the models and forked the workers (when there are several)

    @property
    def total(self) -> Memory:
        """The workers, their job processes and RQ's scheduler if one of them runs it.

        PSS adds up to the memory really used; the scheduler shares nearly all its pages with its worker, so
        counting it keeps the sum right whether or not this set of workers holds the scheduler lock.
        """
        return _total([*self.parents, *self.workers.values(), *self.jobs.values(),
                       *([self.scheduler] if self.scheduler else [])])


def snapshot(stack: BenchStack, names: list[str]) -> Snapshot:
    workers: dict[str, Memory] = {}
    jobs: dict[int, Memory] = {}
    scheduler = None
    for name in names:
        pid = stack.worker_pid(name)
        if (m := memory(pid)) is not None:
            workers[name] = m
        job_pids = stack.job_processes(name)
        for child in children(pid):
            if (m := memory(child)) is not None:
                if child in job_pids:
                    jobs[child] = m
                else:
                    scheduler = m
    parents = [m for pid in stack.parent_pids() if (m := memory(pid)) is not None]
    return Snapshot(workers, jobs, scheduler, parents)


def measure(stack: BenchStack, count: int, text: str) -> Sample:
    names = stack.start_workers(count, prefix=f"n{count}w")
    try:
        ready = stack.wait_workers(names)
        loaded = {n: t["loaded"] - stack.started_epoch[n] for n in names
                  if "loaded" in (t := stack.worker_log_times(n))}
        time.sleep(1)
        idle = snapshot(stack, names)
        http = stack.session()
        run = uuid.uuid4().hex[:8]
        job_ids = []
        for i in range(count):  # one job per worker, all at once
            response = http.post(f"{stack.url}/v1/annotations", timeout=30,
                                 json={"id": f"{run}-{i}", "text": f"{text}\n{run} {i}"})
            job_ids.append(response.json()["job_id"])
        redis = stack.redis_client()
        busy, peak, seen = Memory(0, 0, 0, 0), Memory(0, 0, 0, 0), set[int]()
        scheduler = idle.scheduler
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            now = snapshot(stack, names)
            seen.update(now.jobs)
            peak = max([peak, *now.jobs.values()], key=lambda m: m.pss)
            busy = max(busy, now.total, key=lambda m: m.pss)
            scheduler = scheduler or now.scheduler
            if all(redis.hget(f"rq:job:{j}", "status") in ENDED for j in job_ids):
                break
            time.sleep(0.1)
        return Sample(count, ready, loaded, idle.workers, idle.total, busy, peak, len(seen), scheduler)
    finally:
        stack.stop_workers()


@dataclass
class Options:
    quick: bool = False
    workers: tuple[int, ...] = (1, 2, 4)
    article_chars: int = 20_000
    auth: bool = False


def _mb(m: Memory) -> str:
    return f"RSS {m.rss:,.0f} / PSS {m.pss:,.0f} / USS {m.uss:,.0f}"


def run(opts: Options) -> PartResult:
    part = PartResult("workers")
    text = synthetic(load_samples(), opts.article_chars).text
    samples: dict[int, Sample] = {}
    cpu = CpuMeter()
    with BenchStack("worker-memory", auth=opts.auth) as stack:
        stack.start_api()
        if stack.api is not None:
            api = [m for p in descendants(stack.api.pid) if (m := memory(p)) is not None]
            part.add("API (gunicorn master + workers), MB", _mb(_total(api)))
        for count in opts.workers:
            samples[count] = s = measure(stack, count, text)
            slowest = max(s.ready_s.values())
            label = "1 worker" if count == 1 else f"{count} workers started together"
            goal = f"<= {GOAL_READY_S:.0f} s" if count == 1 else ""
            part.add(f"cold start, process start -> ready, {label} (slowest)", f"{slowest:.1f} s", goal,
                     slowest <= GOAL_READY_S if count == 1 else None)
            if s.loaded_s:
                name = max(s.ready_s, key=lambda n: s.ready_s[n])
                if name in s.loaded_s:
                    part.add(f"  of which start + imports + model load / warm-up + freeze, {label}",
                             f"{s.loaded_s[name]:.1f} s / {s.ready_s[name] - s.loaded_s[name]:.1f} s")
            idle = list(s.idle.values())
            if idle:
                part.add(f"idle worker, mean MB, {count} running",
                         _mb(Memory(mean(m.rss for m in idle), mean(m.pss for m in idle), mean(m.uss for m in idle),
                                    mean(m.private_dirty for m in idle))))
            part.add(f"job process peak, MB ({s.job_seen} seen), {count} running",
                     f"{_mb(s.job_peak)}; private dirty {s.job_peak.private_dirty:,.0f}")
            part.add(f"total of {count} idle worker(s) (+ scheduler), MB", _mb(s.idle_total))
            part.add(f"total of workers + job processes (+ scheduler) while {count} job(s) run, MB",
                     _mb(s.busy_total))
        if 1 in samples:
            one = samples[1]
            for count, s in samples.items():
                if count == 1:
                    continue
                for state, mine, base in (("idle", s.idle_total, one.idle_total),
                                          ("busy", s.busy_total, one.busy_total)):
                    extra = (mine.pss - base.pss) / (count - 1)
                    part.add(f"each extra worker adds (total PSS), {count} vs 1, {state}", f"{extra:,.0f} MB",
                             f"<= {GOAL_EXTRA_MB:.0f} MB", extra <= GOAL_EXTRA_MB)
    part.notes.append(f"one {len(text):,}-character article per worker for the job figures; memory sampled every 0.1 s "
                      "while the jobs ran (peak by PSS); n workers are one annotator-worker --processes n, which loads "
                      "the models once and forks the workers (totals include that parent): they share the weights "
                      "copy-on-write, as do the job processes each worker forks and RQ's scheduler; RSS counts "
                      "shared pages in every process, so RSS totals overstate")
    scheduler = next((s.scheduler for s in samples.values() if s.scheduler), None)
    if scheduler:
        part.add("RQ scheduler process (one per fleet, forked by one worker), MB", _mb(scheduler))
    part.notes.append(contention_note(cpu.stop()))
    part.data["samples"] = samples
    return part


def options(args: argparse.Namespace) -> Options:
    workers = args.workers or ("1,2" if args.quick else "1,2,4")
    return Options(quick=args.quick, workers=tuple(int(x) for x in workers.split(",")),
                   article_chars=args.article_chars or (5000 if args.quick else Options.article_chars), auth=args.auth)


def parser() -> argparse.ArgumentParser:
    out = base_parser(__doc__, "bench.worker_memory", stack=True)
    out.add_argument("--workers", default=None, help="worker counts (default 1,2,4; quick 1,2)")
    out.add_argument("--article-chars", type=int, default=None,
                        help="length of each job's article (20000; quick 5000)")
    return out


def main() -> None:
    run_part(lambda args: run(options(args)), parser().parse_args())


if __name__ == "__main__":
    main()
