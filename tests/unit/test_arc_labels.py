"""Relation labels scored for the chosen arcs only: the same argmax as Stanza's scores over every word pair."""

from __future__ import annotations

import torch
from stanza.models.common.biaffine import DeepBiaffineScorer

from workers.arc_labels import arc_labels


def test_labels_of_chosen_arcs_match_the_full_pairwise_scores() -> None:
    torch.manual_seed(7)
    scorer = DeepBiaffineScorer(12, 12, 9, 17, pairwise=True).eval()
    torch.nn.init.normal_(scorer.scorer.W_bilin.weight)  # Stanza zero-initialises it
    torch.nn.init.normal_(scorer.scorer.W_bilin.bias)
    lstm = torch.randn(3, 8, 12)  # 3 sentences padded to 8 positions (position 0 is the root)
    lengths = [8, 5, 2]
    heads = [torch.randint(0, n, (n - 1,)) for n in lengths]
    sentence = torch.cat([torch.full((n - 1,), i) for i, n in enumerate(lengths)])
    dependent = torch.cat([torch.arange(1, n) for n in lengths])
    with torch.no_grad():
        full = scorer(lstm, lstm).argmax(3)  # [sentence, dependent, head]
        ours = arc_labels(scorer, lstm, sentence, dependent, torch.cat(heads))
    expected = torch.cat([full[i, 1:n][torch.arange(n - 1), heads[i]] for i, n in enumerate(lengths)])
    assert ours.tolist() == expected.tolist()
    assert len(set(ours.tolist())) > 3  # random weights: the labels vary, so a wrong gather would show


def test_no_arcs_give_no_labels() -> None:
    scorer = DeepBiaffineScorer(4, 4, 3, 5, pairwise=True).eval()
    empty = torch.zeros(0, dtype=torch.long)
    assert arc_labels(scorer, torch.randn(1, 1, 4), empty, empty, empty).tolist() == []
