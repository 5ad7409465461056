"""Raw throughput: the job function (workers.tasks.annotate: Stanza pipeline, sentiment, events, result) with no
service around it, in 1 and 2 processes forked from one loaded parent, as RQ forks job processes from a worker.

The processes take the next article from a shared counter (as workers take the next job from the queue) until
every article of every round is done; articles/s and tokens/s are over the wall time from the common start to
the last article's end.

    python -m bench.raw_throughput [--quick] [--rounds N] [--processes 1,2] [--write]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event, Lock
from typing import Any

from bench import inprocess
from bench.common import Article, CpuMeter, PartResult, base_parser, contention_note, run_part, throughput_articles


@dataclass
class RawRun:
    processes: int
    articles: int
    words: int
    wall_s: float
    cpu_s: float  # CPU time of the processes doing the work
    words_by_article: dict[str, int] = field(default_factory=dict)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.wall_s

    @property
    def tokens_per_s(self) -> float:
        return self.words / self.wall_s


def _child(articles: list[Article], total: int, counter: Synchronized[int], lock: Lock, go: Event,
           out: multiprocessing.Queue[Any]) -> None:
    go.wait()
    cpu0 = time.process_time()
    done, words, words_by_article = 0, 0, {}
    while True:
        with lock:
            k = counter.value
            counter.value += 1
        if k >= total:
            break
        article = articles[k % len(articles)]  # round after round, each in the same order
        _, n = inprocess.annotate(article.id, article.text)
        done, words = done + 1, words + n
        words_by_article[article.id] = n
    out.put((done, words, time.process_time() - cpu0, time.monotonic(), words_by_article))


def measure(articles: list[Article], processes: int, rounds: int) -> RawRun:
    """Run every article `rounds` times across `processes` forked processes; needs inprocess.load() first."""
    inprocess.load()
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0, lock=False)
    lock, go, out = ctx.Lock(), ctx.Event(), ctx.Queue()
    total = len(articles) * rounds
    procs = [ctx.Process(target=_child, args=(articles, total, counter, lock, go, out), daemon=True)
             for _ in range(processes)]
    try:
        for proc in procs:
            proc.start()
        time.sleep(0.5)  # let them reach go.wait()
        started = time.monotonic()
        go.set()
        answers = [out.get(timeout=3600) for _ in procs]
        for proc in procs:
            proc.join(timeout=30)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join()
    if any(p.exitcode != 0 for p in procs):
        raise RuntimeError(f"a raw throughput process failed: exit codes {[p.exitcode for p in procs]}")
    words_by_article: dict[str, int] = {}
    for answer in answers:
        words_by_article.update(answer[4])
    return RawRun(processes, sum(a[0] for a in answers), sum(a[1] for a in answers),
                  max(a[3] for a in answers) - started, sum(a[2] for a in answers), words_by_article)


@dataclass
class Options:
    quick: bool = False
    rounds: int = 2
    processes: tuple[int, ...] = (1, 2)


def run(opts: Options) -> PartResult:
    part = PartResult("raw")
    articles = throughput_articles(opts.quick)
    chars = sum(len(a.text) for a in articles)
    load_s = inprocess.load()
    if load_s:
        part.add("pipeline load + warm-up in the parent (s)", f"{load_s:.1f}")
    cpu = CpuMeter()
    runs = {}
    for n in opts.processes:
        result = measure(articles, n, opts.rounds)
        runs[n] = result
        part.add(f"articles/s, {n} process{'es' if n > 1 else ''}", f"{result.articles_per_s:.2f}")
        part.add(f"tokens/s, {n} process{'es' if n > 1 else ''}", f"{result.tokens_per_s:,.0f}")
        part.add(f"CPU/wall of the {n} process{'es' if n > 1 else ''}",
                 f"{result.cpu_s / result.wall_s:.2f} of {n} (wall {result.wall_s:.1f} s)")
    usage = cpu.stop()
    if 1 in runs and 2 in runs:
        part.add("scaling 2 processes / 1", f"{runs[2].articles_per_s / runs[1].articles_per_s:.2f}x")
    part.notes.append(f"{len(articles)} articles ({chars:,} characters; samples"
                      f"{' and synthetic' if any(a.id.startswith('synthetic') for a in articles) else ''}) x "
                      f"{opts.rounds} round(s), longest first; tasks entities, sentiment, events; "
                      f"TORCH_THREADS={os.environ.get('TORCH_THREADS', '1')}")
    part.notes.append(contention_note(usage))
    part.data["runs"] = runs
    part.data["other_share"] = usage["other_share"]
    return part


def options(args: argparse.Namespace) -> Options:
    return Options(quick=args.quick, rounds=args.rounds or (1 if args.quick else Options.rounds),
                   processes=tuple(int(x) for x in args.processes.split(",")))


def parser() -> argparse.ArgumentParser:
    out = base_parser(__doc__, "bench.raw_throughput")
    out.add_argument("--rounds", type=int, default=None, help="passes over the articles (default 2, quick 1)")
    out.add_argument("--processes", default="1,2", help="process counts to measure (default 1,2)")
    return out


def main() -> None:
    run_part(lambda args: run(options(args)), parser().parse_args())


if __name__ == "__main__":
    main()
