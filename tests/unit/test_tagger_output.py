"""The POS tagger's tag lookup: the words' tags as Stanza's unmap gives them, without the batch's padding."""

from __future__ import annotations

import random

import pytest
from stanza.models.common.vocab import BaseVocab
from stanza.models.pos import trainer as pos_trainer
from stanza.models.pos.vocab import FeatureVocab, WordVocab

import workers.pipeline  # noqa: F401  (installs the tagger's predict)
from workers import tagger_output

SENTENCE = [["a", "NOUN", "NN", "Number=Sing|Person=3"], ["b", "VERB", "VB", "_"], ["c", "ADJ", "JJ", "Degree=Pos"],
            ["d", "PRON", "PRP", "Number=Plur|Person=1"]]


@pytest.mark.parametrize("vocab", [WordVocab([SENTENCE], "id", idx=1), FeatureVocab([SENTENCE], "id", idx=3)])
def test_same_tags_as_stanzas_unmap(vocab: BaseVocab) -> None:
    rng = random.Random(0)
    ids = [vocab.unit2id(word[1 if isinstance(vocab, WordVocab) else 3]) for word in SENTENCE]
    rows = [[rng.choice(ids) for _ in range(12)] for _ in range(30)]
    lengths = [rng.randint(1, 12) for _ in rows]
    expected = [vocab.unmap(row)[:n] for row, n in zip(rows, lengths, strict=True)]
    assert tagger_output.unmap_rows(vocab, rows, lengths) == expected


def test_installed_in_stanzas_pos_trainer() -> None:
    assert pos_trainer.Trainer.predict is tagger_output.predict
