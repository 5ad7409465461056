"""Batch sizes: time and peak memory of the job function as each processor's batch size changes, and whether
bulk processing (several short articles in one Stanza call) pays.

Each setting runs in a child forked from the loaded parent (as RQ runs a job), on one synthetic article of
`--chars` characters (bench.common.synthetic); the best of `--repeat` runs is kept, with the child's peak RSS.
The settings shipped are workers.pipeline.BATCH_SIZES; every other processor keeps them while one changes.

Bulk: the first paragraphs of every sample article (short news items) parsed one by one, then 4, 8 and 16 at a
time in one Stanza call (workers.nlp.analyse_many), as a worker does with the queued jobs it claims together.

    python -m bench.batch_sizes [--quick] [--chars 20000] [--repeat 2] [--write]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from bench import inprocess
from bench.common import Article, CpuMeter, PartResult, base_parser, contention_note, load_samples, run_part, synthetic

# processor -> the batch sizes tried (pos and lemma count sentences, depparse words, ner sentences)
SWEEP: dict[str, tuple[int, ...]] = {
    "depparse": (5000, 3000, 1000, 500, 200),
    "pos": (3000, 1000, 100, 20),
    "lemma": (5000, 1000, 100),
    "ner": (256, 64, 16),
}
BULK = (1, 4, 8, 16)
SHORT_PARAGRAPHS = 4  # a short news item: headline and three paragraphs


@dataclass(frozen=True)
class Options:
    chars: int
    repeat: int
    sweep: dict[str, tuple[int, ...]]


def _processors() -> dict[str, Any]:
    from workers import pipeline

    return dict(pipeline.get("id").nlp.processors)


def _timed(text: str, processor: str, size: int, repeat: int) -> float:
    """In the forked child: set one processor's batch size and time the job function on the text."""
    _processors()[processor].config["batch_size"] = size
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        inprocess.annotate("batch", text)
        best = min(best, time.perf_counter() - started)
    return best


def _bulk(texts: list[str], size: int, repeat: int) -> float:
    """The job's parse (workers.nlp.analyse_many, as workers/bulk.py calls it) over `size` articles at a time."""
    from workers import pipeline
    from workers.nlp import analyse_many

    annotator = pipeline.get("id")
    tasks = ["entities", "sentiment", "events"]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for i in range(0, len(texts), size):
            group = texts[i:i + size]
            analyse_many(annotator, group, tasks, [None] * len(group))
        best = min(best, time.perf_counter() - started)
    return best


def _short(samples: list[Article]) -> list[str]:
    return ["\n".join([line for line in a.text.splitlines() if line.strip()][:SHORT_PARAGRAPHS]) for a in samples]


def run(opts: Options) -> PartResult:
    from workers.pipeline import BATCH_SIZES

    result = PartResult("batches")
    inprocess.load()
    samples = load_samples()
    text = synthetic(samples, opts.chars).text
    shipped = {proc: BATCH_SIZES[f"{proc}_batch_size"] for proc in opts.sweep}
    meter = CpuMeter()
    for proc, sizes in opts.sweep.items():
        for size in sizes:
            seconds, peak = inprocess.in_fork(partial(_timed, text, proc, size, opts.repeat))
            mark = " (shipped)" if size == shipped[proc] else ""
            result.add(f"{proc} batch {size}{mark}", f"{seconds:.2f} s, peak RSS {peak:.0f} MB")
    texts = _short(samples)
    chars = sum(map(len, texts)) // len(texts)
    one = 0.0
    for size in BULK:
        seconds, _ = inprocess.in_fork(partial(_bulk, texts, size, opts.repeat))
        one = one or seconds
        result.add(f"{len(texts)} short articles ({chars} chars), {size} per Stanza call",
                   f"{seconds:.2f} s ({one / seconds:.2f}x one by one)")
    result.notes.append(f"one {len(text):,}-character article per setting, best of {opts.repeat}, one torch thread; "
                        "the other processors at workers.pipeline.BATCH_SIZES")
    result.notes.append(contention_note(meter.stop()))
    return result


def options(args: argparse.Namespace) -> Options:
    sweep = {proc: sizes[:2] for proc, sizes in SWEEP.items()} if args.quick else SWEEP
    return Options(chars=args.chars or (5_000 if args.quick else 20_000), repeat=args.repeat, sweep=sweep)


def parser() -> argparse.ArgumentParser:
    p = base_parser(__doc__, "bench.batch_sizes")
    p.add_argument("--chars", type=int, default=0, help="length of the article (20000; quick 5000)")
    p.add_argument("--repeat", type=int, default=2, help="runs per setting; the best is kept")
    return p


def main() -> None:
    run_part(lambda args: run(options(args)), parser().parse_args())


if __name__ == "__main__":
    main()
