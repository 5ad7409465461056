"""The character models' word stores: the same vectors as Stanza's CharacterModel.forward, fewer LSTM runs."""

from __future__ import annotations

import random
from typing import Any

import pytest
import torch
from stanza.models.common.char_model import CharacterModel
from torch.nn.utils.rnn import PackedSequence

from workers import char_cache

ARGS = {"char_emb_dim": 8, "char_hidden_dim": 6, "char_num_layers": 1, "dropout": 0.5, "char_rec_dropout": 0}


def _model(seed: int, bidirectional: bool, attention: bool, pad: bool) -> CharacterModel:
    torch.manual_seed(seed)
    model = CharacterModel(ARGS, {"char": list(range(30))}, pad=pad, bidirectional=bidirectional, attention=attention)
    for p in model.parameters():
        torch.nn.init.normal_(p)  # Stanza zeroes the attention weights and initial states; these must matter too
    return model.eval()


def _vocabulary(rng: random.Random, size: int) -> list[list[int]]:
    """Random words, and as many again that extend one of them ("rumah", "rumahnya"): forms sharing a prefix."""
    words = [[rng.randrange(1, 30) for _ in range(rng.randrange(1, 10))] for _ in range(size)]
    return words + [w + [rng.randrange(1, 30) for _ in range(rng.randrange(1, 3))] for w in words]


def _batch(rng: random.Random, vocabulary: list[list[int]]) -> tuple[Any, ...]:
    """Sentences of words drawn (with repeats) from `vocabulary`, laid out as Stanza's data loader lays them out."""
    sentences = [[rng.choice(vocabulary) for _ in range(rng.randrange(1, 9))] for _ in range(rng.randrange(1, 6))]
    sentences.sort(key=len, reverse=True)  # Stanza's batches hold sentences longest first
    words = [w for s in sentences for w in s]
    order = sorted(range(len(words)), key=lambda i: -len(words[i]))  # longest first, as Stanza sorts them
    longest = len(words[order[0]])
    chars = torch.zeros(len(words), longest, dtype=torch.long)
    for row, i in enumerate(order):
        chars[row, :len(words[i])] = torch.tensor(words[i])
    return chars, chars == 0, order, [len(s) for s in sentences], [len(words[i]) for i in order]


def _same(ours: Any, theirs: Any) -> None:
    if isinstance(theirs, PackedSequence):
        assert torch.equal(ours.batch_sizes, theirs.batch_sizes)
        ours, theirs = ours.data, theirs.data
    assert ours.shape == theirs.shape
    torch.testing.assert_close(ours, theirs, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(("bidirectional", "attention", "pad"), [(False, True, False), (True, False, False),
                                                                 (True, True, True)])
def test_same_vectors_as_stanza(bidirectional: bool, attention: bool, pad: bool) -> None:
    rng = random.Random(7)
    vocabulary = _vocabulary(rng, 20)
    model = _model(1, bidirectional, attention, pad)
    [store] = char_cache.attach_to([model], limit=1000)
    char_cache.install()
    with torch.no_grad():
        for _ in range(30):
            batch = _batch(rng, vocabulary)
            _same(char_cache.forward(model, *batch), char_cache.stanza_forward(model, *batch))
    assert 0 < len(store) <= len(vocabulary)


def test_a_full_store_starts_again_and_training_bypasses_it() -> None:
    rng = random.Random(3)
    vocabulary = _vocabulary(rng, 100)
    model = _model(2, True, False, False)
    [store] = char_cache.attach_to([model], limit=20)
    with torch.no_grad():
        for _ in range(20):
            batch = _batch(rng, vocabulary)
            _same(char_cache.forward(model, *batch), char_cache.stanza_forward(model, *batch))
            assert len(store) <= max(20, len(batch[0]))
    assert store.resets > 0
    model.train()
    before = len(store)
    char_cache.forward(model, *_batch(rng, vocabulary))
    assert len(store) == before


def test_snapshot_and_restore_put_the_store_back() -> None:
    rng = random.Random(5)
    vocabulary = _vocabulary(rng, 25)
    model = _model(3, False, True, False)
    [store] = char_cache.attach_to([model], limit=1000)
    with torch.no_grad():
        char_cache.forward(model, *_batch(rng, vocabulary))
        saved = char_cache.copies([model])
        known = dict(store.rows)
        for _ in range(10):
            char_cache.forward(model, *_batch(rng, vocabulary))
    assert len(model.__dict__[char_cache.ATTRIBUTE]) > len(known)
    char_cache.put_back([model], saved)
    assert model.__dict__[char_cache.ATTRIBUTE].rows == known
