"""Dev-set evaluation of the event tagger: precision / recall / F1 over (type, source, target) tuples.

    python -m workers.events.evaluate [--dev tests/data/events_dev.jsonl] [--dump predictions.jsonl]

Each document's dev sentences are joined and parsed once with workers.nlp.parse (the real Stanza models),
tagged, and every predicted event is assigned to the dev sentence holding its trigger. Negated and
hypothetical events are not claims that something happened, so they are left out of the comparison, as
the guide (docs/event-annotation-guide.md) leaves them out of the gold. Tuples are matched as multisets
per document; "strict" compares the full actor codes ("PRK GOV"), "country" only their country / IGO part.
The scoring below is pure and unit-tested without any model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from workers.events.actors import actor_code

Tuple3 = tuple[str, str, str | None]  # (type, source code, target code or None)
NONE = "-"
DEFAULT_DEV = Path(__file__).resolve().parents[2] / "tests" / "data" / "events_dev.jsonl"


@dataclass(frozen=True)
class DevSentence:
    id: str
    doc: str
    text: str
    published_at: date | None
    events: tuple[Tuple3, ...]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    total: Counts = field(default_factory=Counts)
    by_doc: dict[str, Counts] = field(default_factory=dict)
    by_type: dict[str, Counts] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)


def load_dev(path: Path) -> list[DevSentence]:
    """The dev set: one JSON object per line, {"id", "doc", "text", "published_at", "events"}."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        published = date.fromisoformat(row["published_at"]) if row.get("published_at") else None
        events = tuple((e["type"], e["source"], e.get("target")) for e in row["events"])
        items.append(DevSentence(row["id"], row["doc"], row["text"], published, events))
    return items


def by_document(items: Iterable[DevSentence]) -> dict[str, list[DevSentence]]:
    docs: dict[str, list[DevSentence]] = {}
    for item in items:
        docs.setdefault(item.doc, []).append(item)
    return docs


def join_document(items: Sequence[DevSentence]) -> tuple[str, list[tuple[int, int]]]:
    """The document text for the parser and each sentence's (start, end) in it."""
    text, spans = "", []
    for item in items:
        if text:
            text += "\n"
        spans.append((len(text), len(text) + len(item.text)))
        text += item.text
    return text, spans


def relax(code: str | None) -> str | None:
    """Country-level code: "USA GOV" -> "USA", "IGO UN" stays, sector-only codes ("CVL") stay."""
    if code is None or code.startswith("IGO "):
        return code
    return code.split()[0]


def event_tuple(event: Mapping[str, Any]) -> Tuple3:
    target = event.get("target")
    return (event["type"], actor_code(event["source"]["actor"]) or "UNK",
            actor_code(target["actor"]) if target else None)


def assign(events: Iterable[Mapping[str, Any]], spans: Sequence[tuple[int, int]]) -> list[list[Tuple3]]:
    """Asserted events (not negated, not hypothetical) per dev sentence, by the position of their trigger."""
    out: list[list[Tuple3]] = [[] for _ in spans]
    for event in events:
        if event.get("negated") or event.get("hypothetical"):
            continue
        start = event["trigger"]["start"]
        for k, (a, b) in enumerate(spans):
            if a <= start < b:
                out[k].append(event_tuple(event))
                break
    return out


def match(gold: Iterable[Tuple3], pred: Iterable[Tuple3]) -> Counts:
    """Multiset match of tuples."""
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    return Counts(tp, sum(p.values()) - tp, sum(g.values()) - tp)


def confusion(gold: Iterable[Tuple3], pred: Iterable[Tuple3]) -> Counter[tuple[str, str]]:
    """(gold type, predicted type) counts: exact tuples first, then the same (source, target) with another
    type; what is left is a miss (type, "-") or a spurious event ("-", type)."""
    g, p = Counter(gold), Counter(pred)
    table: Counter[tuple[str, str]] = Counter()
    both = g & p
    for (etype, _, _), n in both.items():
        table[etype, etype] += n
    g, p = g - both, p - both
    rest_p = list(p.elements())
    for etype, src, tgt in g.elements():
        other = next((x for x in rest_p if x[1:] == (src, tgt)), None)
        if other is not None:
            rest_p.remove(other)
            table[etype, other[0]] += 1
        else:
            table[etype, NONE] += 1
    for etype, _, _ in rest_p:
        table[NONE, etype] += 1
    return table


def score(docs: Mapping[str, tuple[Sequence[Tuple3], Sequence[Tuple3]]],
          code: Callable[[str | None], str | None] = lambda c: c) -> Report:
    """Report over documents given as doc -> (gold tuples, predicted tuples)."""
    report = Report()
    for doc, (gold_raw, pred_raw) in docs.items():
        gold = [(t, code(s) or "UNK", code(g)) for t, s, g in gold_raw]
        pred = [(t, code(s) or "UNK", code(g)) for t, s, g in pred_raw]
        counts = match(gold, pred)
        report.by_doc[doc] = counts
        report.total.add(counts)
        for etype in {t for t, _, _ in gold} | {t for t, _, _ in pred}:
            report.by_type.setdefault(etype, Counts()).add(
                match([x for x in gold if x[0] == etype], [x for x in pred if x[0] == etype]))
        report.confusion.update(confusion(gold, pred))
    return report


def _row(name: str, c: Counts) -> str:
    return (f"{name:<22} {c.tp + c.fn:>5} {c.tp + c.fp:>5} {c.tp:>5} "
            f"{c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}")


def format_report(report: Report, title: str, brief: bool = False) -> str:
    """Totals and per-type rows; unless brief, also per-document rows and the confusion table."""
    head = f"{'':<22} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6}"
    lines = [f"== {title}", head, _row("TOTAL (micro)", report.total), "", "-- per type", head]
    lines += [_row(t, report.by_type[t]) for t in sorted(report.by_type)]
    if brief:
        return "\n".join(lines)
    lines += ["", "-- per document", head]
    lines += [_row(d, report.by_doc[d]) for d in sorted(report.by_doc)]
    types = [*sorted(({a for a, _ in report.confusion} | {b for _, b in report.confusion}) - {NONE}), NONE]
    width = max(len(t) for t in types) + 1
    lines += ["", "-- confusion (rows gold, columns predicted; '-' = none)",
              " " * width + "".join(f"{t[:6]:>7}" for t in types)]
    for g in types:
        lines.append(f"{g:<{width}}" + "".join(f"{report.confusion.get((g, p), 0) or '.':>7}" for p in types))
    return "\n".join(lines)


def run(dev: Path, dump: Path | None = None,
        timings: dict[str, float] | None = None) -> dict[str, tuple[list[Tuple3], list[Tuple3]]]:
    """Parse and tag every dev document; doc -> (gold tuples, predicted tuples). Adds the seconds spent
    parsing and tagging to `timings`."""
    from workers.events import tag_events  # the real pipeline is only needed here, not for scoring
    from workers.nlp import parse

    results: dict[str, tuple[list[Tuple3], list[Tuple3]]] = {}
    timings = timings if timings is not None else {}
    out = dump.open("w", encoding="utf-8") if dump else None
    try:
        parse("Pemanasan.", None)  # load the models outside the timing
        for doc, items in by_document(load_dev(dev)).items():
            text, spans = join_document(items)
            t0 = time.perf_counter()
            parsed = parse(text, items[0].published_at)
            t1 = time.perf_counter()
            events = tag_events(parsed)
            timings["parse"] = timings.get("parse", 0.0) + t1 - t0
            timings["tag"] = timings.get("tag", 0.0) + time.perf_counter() - t1
            per_sentence = assign(events, spans)
            results[doc] = ([e for item in items for e in item.events], [e for p in per_sentence for e in p])
            if out is not None:
                for item, pred in zip(items, per_sentence, strict=True):
                    out.write(json.dumps({"id": item.id, "text": item.text, "gold": item.events, "pred": pred},
                                         ensure_ascii=False) + "\n")
    finally:
        if out is not None:
            out.close()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="dev set JSONL")
    parser.add_argument("--dump", type=Path, help="write gold and predicted tuples per sentence here")
    args = parser.parse_args(argv)
    timings: dict[str, float] = {}
    results = run(args.dev, args.dump, timings)
    print(format_report(score(results), "strict: type + full actor codes"))
    print()
    print(format_report(score(results, relax), "country: type + country / IGO of the actors", brief=True))
    parse_s, tag_s = timings.get("parse", 0.0), timings.get("tag", 0.0)
    print(f"\ntime: parsing {parse_s:.2f} s, event tagging {tag_s:.3f} s "
          f"({100 * tag_s / parse_s if parse_s else 0:.1f}% of parsing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
