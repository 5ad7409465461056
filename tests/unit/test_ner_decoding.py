"""The NER tagger's batched Viterbi decoding: the same tag sequences as Stanza's per-sentence decoder."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
import torch
from stanza.models.common.crf import CRFLoss, viterbi_decode
from stanza.models.ner import trainer as ner_trainer

import workers.pipeline  # noqa: F401  (installs the decoder)
from workers import ner_decoding


@pytest.mark.parametrize("seed", range(4))
def test_same_paths_as_stanza(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(50):
        count, tags = int(rng.integers(1, 40)), int(rng.integers(2, 20))
        lengths = rng.integers(1, 60, count).tolist()
        scores = (rng.normal(size=(count, max(lengths), tags)) * rng.uniform(0.1, 5)).astype(np.float32)
        transitions = rng.normal(size=(tags, tags)).astype(np.float32)
        if rng.random() < 0.3:  # ties: Stanza's argmax takes the first maximum, so must ours
            scores = np.round(scores)
            transitions = np.round(transitions)
        ours = ner_decoding.viterbi_batch(scores, lengths, transitions)
        theirs = [[int(t) for t in viterbi_decode(scores[i, :n], transitions)[0]] for i, n in enumerate(lengths)]
        assert ours == theirs


def test_installed_in_stanzas_ner_trainer() -> None:
    assert ner_trainer.Trainer.predict is ner_decoding.predict


def test_prediction_skips_the_crf_loss_and_puts_it_back() -> None:
    crf = CRFLoss(5)
    scores, masks, tags = torch.randn(2, 4, 5), torch.zeros(2, 4, dtype=torch.bool), torch.randint(0, 5, (2, 4))
    computed = AssertionError("loss computed")
    with ner_decoding._without_loss([crf]), patch.object(CRFLoss, "crf_log_norm", side_effect=computed):
        loss, transitions = crf(scores, masks, tags)
    assert float(loss) == 0.0 and transitions is crf._transitions
    loss, transitions = crf(scores, masks, tags)  # training's loss is back
    assert loss.item() > 0.0 and transitions is crf._transitions
