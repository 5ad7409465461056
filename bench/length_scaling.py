"""How cost grows with article length: time per article at 1k, 5k, 20k and 100k characters, per stage.

Synthetic articles built from the sample articles (bench.common.synthetic: one headline, then the samples'
paragraphs in turn) run through the job function (workers.tasks.annotate) in a child forked from the loaded
parent, as RQ runs a job; one child per length, so its peak RSS is that length's. Short lengths are repeated
(at least 20k characters, at most 5 times) and the median is kept. The exponent between two lengths is
log(t2 / t1) / log(L2 / L1): 1 is linear, 2 quadratic; it is shown for the whole job and for each stage
(segment, stanza, sentiment, events, and result building, which is the job time outside timings_ms.total).

    python -m bench.length_scaling [--quick] [--lengths 1000,5000,20000,100000] [--write]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import time
from dataclasses import dataclass
from statistics import median
from typing import Any

from bench import inprocess
from bench.common import CpuMeter, PartResult, base_parser, contention_note, load_samples, run_part, synthetic

STAGES = ("segment", "stanza", "sentiment", "events", "build")
GOAL_EXPONENT = 1.15  # up to this counts as linear (noise, and sentence lengths vary)


@dataclass
class LengthRun:
    label: str  # the length asked for ("20k")
    chars: int  # the text's length (the cut at a space makes it a few characters shorter)
    words: int
    sentences: int
    seconds: float  # median job time
    stages_ms: dict[str, float]  # median per stage
    result_kb: float
    peak_rss_mb: float  # of the forked child


def _job(text: str, repeat: int) -> dict[str, Any]:
    times, stages, words, sentences, size = [], [], 0, 0, 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result, words = inprocess.annotate("length", text)
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        timing = dict(result["timings_ms"])
        timing["build"] = max(0.0, elapsed * 1000 - timing.get("total", 0.0))
        stages.append(timing)
        sentences = len(result["sentences"])
        size = len(json.dumps(result))
    return {"times": times, "stages": stages, "words": words, "sentences": sentences, "size": size}


def measure(label: str, text: str) -> LengthRun:
    repeat = max(1, min(5, math.ceil(20_000 / len(text))))
    out, peak = inprocess.in_fork(lambda: _job(text, repeat))
    stages = {s: median(t.get(s, 0.0) for t in out["stages"]) for s in STAGES}
    return LengthRun(label, len(text), out["words"], out["sentences"], median(out["times"]), stages, out["size"] / 1024,
                     peak)


def exponent(a: float, b: float, la: int, lb: int) -> float:
    return math.log(b / a) / math.log(lb / la) if a > 0 and b > 0 else math.nan


@dataclass
class Options:
    quick: bool = False
    lengths: tuple[int, ...] = (1_000, 5_000, 20_000, 100_000)


def run(opts: Options) -> PartResult:
    part = PartResult("length")
    samples = load_samples()
    inprocess.load()
    cpu = CpuMeter()
    runs: list[LengthRun] = []
    for chars in opts.lengths:
        r = measure(f"{chars / 1000:g}k", synthetic(samples, chars).text)
        runs.append(r)
        part.add(f"{r.label} characters: time per article",
                 f"{r.seconds:.2f} s ({1000 * r.seconds / r.chars * 1000:.0f} ms per 1k chars; {r.words:,} words, "
                 f"{r.sentences} sentences; peak RSS {r.peak_rss_mb:,.0f} MB; result {r.result_kb:,.0f} KB)")
        part.add(f"{r.label} characters: stages (ms)",
                 ", ".join(f"{s} {r.stages_ms[s]:,.0f}" for s in STAGES))
    for a, b in itertools.pairwise(runs):
        whole = exponent(a.seconds, b.seconds, a.chars, b.chars)
        by_stage = {s: exponent(a.stages_ms[s], b.stages_ms[s], a.chars, b.chars) for s in STAGES}
        worst = max((s for s in STAGES if not math.isnan(by_stage[s]) and b.stages_ms[s] >= 0.05 * b.seconds * 1000),
                    key=lambda s: by_stage[s], default=None)
        detail = ", ".join(f"{s} {by_stage[s]:.2f}" for s in STAGES if not math.isnan(by_stage[s]))
        part.add(f"growth exponent {a.label} -> {b.label} (1 = linear)",
                 f"{whole:.2f} (stages: {detail})", f"<= {GOAL_EXPONENT}", whole <= GOAL_EXPONENT)
        if worst and by_stage[worst] > GOAL_EXPONENT:
            part.notes.append(f"{a.label} -> {b.label}: {worst} grows with exponent "
                              f"{by_stage[worst]:.2f} ({a.stages_ms[worst]:,.0f} -> {b.stages_ms[worst]:,.0f} ms)")
    part.notes.append("synthetic articles: a sample headline, then the samples' paragraphs in turn (longer ones repeat "
                      "paragraphs); tasks entities, sentiment, events; one forked child per length")
    part.notes.append(contention_note(cpu.stop()))
    part.data["runs"] = runs
    return part


def options(args: argparse.Namespace) -> Options:
    lengths = args.lengths or ("1000,5000,20000" if args.quick else "1000,5000,20000,100000")
    return Options(quick=args.quick, lengths=tuple(int(x) for x in lengths.split(",")))


def parser() -> argparse.ArgumentParser:
    out = base_parser(__doc__, "bench.length_scaling")
    out.add_argument("--lengths", default=None, help="characters (default 1000,5000,20000,100000; quick "
                                                       "1000,5000,20000)")
    return out


def main() -> None:
    run_part(lambda args: run(options(args)), parser().parse_args())


if __name__ == "__main__":
    main()
