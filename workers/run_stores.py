"""What a pipeline learns while it runs, saved and put back: the lemmatizer's stored answers
(workers/lemma_store.py) and the character models' word stores (workers/char_cache.py).

Benchmarks time several runs over one text. Each run has to start from the same warm state, or every run after
the first would find all its words already stored and look faster than a worker meeting new text.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import stanza

from workers import char_cache


def saved(nlp: stanza.Pipeline) -> Callable[[], None]:
    """A function that puts `nlp`'s run-time stores back to how they are now."""
    trainer = getattr(nlp.processors.get("lemma"), "trainer", None)
    lemmas = copy.deepcopy(trainer.pos_dict) if trainer is not None else None
    words = char_cache.snapshot(nlp)

    def restore() -> None:
        if trainer is not None:
            trainer.pos_dict = copy.deepcopy(lemmas)
        char_cache.restore(nlp, words)

    return restore
