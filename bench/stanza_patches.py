"""Our replacements of Stanza internals against Stanza's own, A/B in one process with one thread.

`python -m bench.stanza_patches [--rounds 3] [--text FILE]` parses GSD test (or FILE) with the shipped models,
alternating between Stanza's code and ours (workers/tree_decoding.py, workers/arc_labels.py,
workers/batch_tensors.py, workers/ner_decoding.py, workers/tagger_output.py, workers/char_cache.py, the
lemmatizer's run-time store),
and prints tokens/s and seconds per processor of each variant (best round) and whether both gave the same words,
tags, heads, relations, lemmas and entities. One process and alternating rounds: a noisy machine slows both
alike. The lemmatizer's extended dictionary (training/lemma_dict.py) is part of the model file, in both variants.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import stanza
import torch
from stanza.models.common.chuliu_edmonds import chuliu_edmonds_one_root
from stanza.models.depparse import model as depparse_model
from stanza.models.ner import trainer as ner_trainer
from stanza.models.pos import trainer as pos_trainer

from training import ud_data
from training.common import WORK
from training.evaluate import full_pipeline
from workers import arc_labels, batch_tensors, char_cache, ner_decoding, run_stores, tagger_output, tree_decoding
from workers.pipeline import WARMUP_TEXT

GSD_TEST = WORK / "data" / "tokenize" / f"{ud_data.SHORT}.test.txt"


@contextmanager
def stanzas_code(nlp: stanza.Pipeline) -> Iterator[None]:
    """Stanza's decoder, pairwise labels, batch padding, and no lemma or word store, for the duration."""
    lemma = nlp.processors["lemma"]
    depparse_model.chuliu_edmonds_one_root = chuliu_edmonds_one_root
    depparse_model.GraphParser.predict = arc_labels.stanza_predict  # type: ignore[method-assign]
    lemma.store_results = False
    batch_tensors.uninstall()
    char_cache.uninstall()
    ner_trainer.Trainer.predict = ner_decoding.stanza_predict  # type: ignore[method-assign]
    pos_trainer.Trainer.predict = tagger_output.stanza_predict  # type: ignore[method-assign]
    try:
        yield
    finally:
        depparse_model.chuliu_edmonds_one_root = tree_decoding.one_root_tree
        depparse_model.GraphParser.predict = arc_labels.predict  # type: ignore[method-assign]
        lemma.store_results = True
        batch_tensors.install()
        char_cache.install()
        ner_trainer.Trainer.predict = ner_decoding.predict  # type: ignore[method-assign]
        pos_trainer.Trainer.predict = tagger_output.predict  # type: ignore[method-assign]


def timed_run(nlp: stanza.Pipeline, text: str) -> tuple[float, dict[str, float], Any]:
    spent: dict[str, float] = defaultdict(float)
    originals = {name: proc.process for name, proc in nlp.processors.items()}

    def wrap(name: str, process: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def timed(doc: Any) -> Any:
            started = time.perf_counter()
            try:
                return process(doc)
            finally:
                spent[name] += time.perf_counter() - started
        return timed

    for name, proc in nlp.processors.items():
        proc.process = wrap(name, originals[name])
    try:
        started = time.perf_counter()
        doc = nlp(text)
        return time.perf_counter() - started, dict(spent), doc
    finally:
        for name, proc in nlp.processors.items():
            proc.process = originals[name]


def annotated(doc: Any) -> list[tuple[str, ...]]:
    """Every word's text, UPOS, XPOS, features, head, relation and lemma, and every entity."""
    words = [(w.text, w.upos, str(w.xpos), str(w.feats), str(w.head), w.deprel, w.lemma)
             for s in doc.sentences for w in s.words]
    return words + [(e.text, e.type, str(e.start_char)) for e in doc.ents]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--text", type=Path, default=GSD_TEST)
    args = parser.parse_args()
    torch.set_num_threads(1)
    nlp = full_pipeline()
    text = args.text.read_text(encoding="utf-8")
    nlp(WARMUP_TEXT)
    back_to_warm = run_stores.saved(nlp)
    best: dict[str, tuple[float, dict[str, float]]] = {}
    output: dict[str, list[tuple[str, ...]]] = {}
    for _ in range(args.rounds):
        for variant in ("stanza", "ours"):
            back_to_warm()  # no lemmas or word vectors kept across runs
            if variant == "stanza":
                with stanzas_code(nlp):
                    elapsed, spent, doc = timed_run(nlp, text)
            else:
                elapsed, spent, doc = timed_run(nlp, text)
            output[variant] = annotated(doc)
            if variant not in best or elapsed < best[variant][0]:
                best[variant] = (elapsed, spent)
    tokens = doc.num_tokens
    print(f"{args.text.name}: {tokens:,} tokens, best of {args.rounds} rounds, one thread")
    print("| variant | tokens/s | " + " | ".join(best["ours"][1]) + " |")
    print("|---|---|" + "---|" * len(best["ours"][1]))
    for variant, (elapsed, spent) in best.items():
        print(f"| {variant} | {tokens / elapsed:,.0f} | " + " | ".join(f"{s:.2f} s" for s in spent.values()) + " |")
    same = output["stanza"] == output["ours"]
    print(f"same words, tags, heads, relations, lemmas and entities: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
