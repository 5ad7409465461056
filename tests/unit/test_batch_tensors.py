"""Batch padding in numpy: the same tensors as Stanza's get_long_tensor, and Stanza's own code where it differs."""

from __future__ import annotations

import random

import pytest
import torch
from stanza.models.common.data import get_long_tensor
from stanza.models.pos import data as pos_data

import workers.pipeline  # noqa: F401  (installs the padding)
from workers.batch_tensors import padded_long_tensor, stanza_get_long_tensor


@pytest.mark.parametrize("seed", range(5))
def test_same_tensors_as_stanza(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        rows = [[rng.randrange(5000) for _ in range(rng.randrange(0 if r else 1, 40))]
                for r in range(rng.randrange(1, 60))]
        batch_size = len(rows) + rng.randrange(3)  # Stanza pads whole rows past the data as well
        pad = rng.choice([0, 1, 7])
        ours = padded_long_tensor(rows, batch_size, pad)
        theirs = get_long_tensor(rows, batch_size, pad)
        assert ours.dtype == theirs.dtype == torch.long
        assert torch.equal(ours, theirs)


def test_nested_feature_lists_go_to_stanza() -> None:
    feats = [[[1, 2], [3, 4]], [[5, 6]]]  # per-word lists: three dimensions
    assert torch.equal(padded_long_tensor(feats, 3), get_long_tensor(feats, 3))
    assert padded_long_tensor(feats, 3).shape == (3, 2, 2)


def test_installed_where_stanza_imported_it() -> None:
    assert pos_data.get_long_tensor is padded_long_tensor
    assert stanza_get_long_tensor is get_long_tensor
