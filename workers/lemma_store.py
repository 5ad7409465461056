"""A bound on what the lemmatizer learns while it runs.

With `lemma_store_results` (workers.pipeline.RUN_OPTIONS) Stanza's lemmatizer adds every (word, UPOS) its seq2seq
model answered to its dictionary, so the next occurrence skips the model. A worker re-annotating an archive meets
new names, numbers and typos without end, and the dictionary would grow with them; past `limit` stored entries it
goes back to the shipped one and starts storing again. The lemmas stay the same either way: a stored entry is the
model's own answer for that word and tag.

The reset happens as a batch starts (the processor's `skip_seq2seq` call), never inside one: the processor looks
words up again after the model ran, and words it skipped must still be there.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import stanza


def entries(pos_dict: dict[str, dict[str, str]]) -> int:
    return sum(len(words) for words in pos_dict.values())


class BoundedStore:
    """Stands in for the trainer's `skip_seq2seq`, which the lemma processor calls first in every batch."""

    def __init__(self, trainer: Any, limit: int) -> None:
        self.trainer = trainer
        self.limit = limit
        self.shipped = copy.deepcopy(trainer.pos_dict)
        self.shipped_entries = entries(self.shipped)
        self.resets = 0
        self._skip: Callable[[list[tuple[str, str]]], list[bool]] = trainer.skip_seq2seq

    @property
    def stored(self) -> int:
        return entries(self.trainer.pos_dict) - self.shipped_entries

    def __call__(self, pairs: list[tuple[str, str]]) -> list[bool]:
        if self.stored >= self.limit:
            self.trainer.pos_dict = copy.deepcopy(self.shipped)
            self.resets += 1
        return self._skip(pairs)


def bound(nlp: stanza.Pipeline, limit: int) -> BoundedStore | None:
    """Bound the run-time store of `nlp`'s lemmatizer, if it has one that stores."""
    processor = nlp.processors.get("lemma")
    trainer = getattr(processor, "trainer", None)
    if processor is None or trainer is None or not getattr(processor, "store_results", False):
        return None
    if isinstance(trainer.skip_seq2seq, BoundedStore):  # loaded twice: one bound is enough
        return trainer.skip_seq2seq
    store = BoundedStore(trainer, limit)
    trainer.skip_seq2seq = store
    return store
