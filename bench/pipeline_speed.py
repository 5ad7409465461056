"""`make bench`: pipeline load time, tokens/s of the full pipeline on one core, and the event tagger's share.

Runs the same code path as a worker job (workers.nlp.analyse + workers.events.tag_events) over the sample
articles in ../shared/samples/articles.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import torch

from workers import pipeline, run_stores
from workers.config import WorkerSettings
from workers.events import tag_events
from workers.nlp import analyse

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "articles"
TASKS = ["entities", "sentiment", "events"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--samples", type=Path, default=Path(os.environ.get("SAMPLES_DIR", SAMPLES)))
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()
    annotator = pipeline.load(WorkerSettings.from_env())["id"]
    load_s = time.perf_counter() - started
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.samples.glob("*.txt")) if p.name != "SOURCE.txt"]
    analyse(annotator, texts[0], TASKS)  # warm-up
    back_to_warm = run_stores.saved(annotator.nlp)
    tokens = 0
    nlp_s = events_s = 0.0
    for _ in range(args.rounds):
        back_to_warm()  # every round meets the articles as new text, as the first one did
        for text in texts:
            t0 = time.perf_counter()
            analysis = analyse(annotator, text, TASKS)
            t1 = time.perf_counter()
            tag_events(analysis.doc)
            t2 = time.perf_counter()
            nlp_s += t1 - t0
            events_s += t2 - t1
            tokens += sum(len(s.words) for s in analysis.doc.sentences)
    total = nlp_s + events_s
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| measure | value |\n|---|---|")
    print(f"| pipeline load (s) | {load_s:.2f} |")
    print(f"| articles x rounds | {len(texts)} x {args.rounds} |")
    print(f"| tokens/s, full pipeline + events, 1 thread | {tokens / total:,.0f} |")
    print(f"| articles/s, 1 thread | {len(texts) * args.rounds / total:.2f} |")
    print(f"| event tagging share of job time | {100 * events_s / total:.1f} % |")
    print(f"| peak RSS (MB) | {rss_mb:,.0f} |")


if __name__ == "__main__":
    main()
