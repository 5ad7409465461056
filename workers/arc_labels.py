"""The parser's relation labels, scored for the chosen arcs only.

Stanza's graph parser scores every relation for every (dependent, head) pair of every sentence padded to its
batch's longest: a [sentences x longest x longest x relations] tensor (53 relations here), then takes its
argmax and a log-softmax over all of it, and keeps one label per word, the one at the word's chosen head. That
tensor was 35 % of the whole pipeline's time on the sample articles. `predict` below decodes the heads first,
from the same unlabeled scores, and scores relations for the n chosen arcs alone: the same bilinear form, the
same argmax, the same trees and labels (tests/integration/test_arc_labels.py compares it with Stanza's predict).
Training, head-constraint repair and arc-embedding models keep Stanza's own code.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from stanza.models.common.biaffine import DeepBiaffineScorer
from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
from stanza.models.depparse.model import GraphParser

from workers.tree_decoding import one_root_tree

stanza_predict = GraphParser.predict


def _unlabeled_scores(model: GraphParser, lstm: torch.Tensor) -> torch.Tensor:
    """forward_scores' arc scores (eval mode: dropout is the identity), without the relation scores."""
    scores = model.unlabeled(lstm, lstm).squeeze(3)
    if model.args["linearization"] or model.args["distance"]:
        positions = torch.arange(lstm.size(1), device=lstm.device)
        offset = (positions.view(1, 1, -1) - positions.view(1, -1, 1)).expand(lstm.size(0), -1, -1)
    if model.args["linearization"]:
        lin_scores = model.linearization(lstm, lstm).squeeze(3)
        scores += F.logsigmoid(lin_scores * torch.sign(offset).float())
    if model.args["distance"]:
        dist_pred = 1 + F.softplus(model.distance(lstm, lstm).squeeze(3))
        scores += -torch.log((torch.abs(offset).float() - dist_pred) ** 2 / 2 + 1)
    diag = torch.eye(lstm.size(1), dtype=torch.bool, device=lstm.device).unsqueeze(0)
    return scores.masked_fill_(diag, -float("inf"))


def arc_labels(scorer: DeepBiaffineScorer, lstm: torch.Tensor, sentence: torch.Tensor, dependent: torch.Tensor,
               head: torch.Tensor) -> torch.Tensor:
    """The best relation id of each arc (sentence[k], dependent[k] <- head[k]), as the pairwise scorer gives it."""
    def side(linear: torch.nn.Linear, rows: torch.Tensor) -> torch.Tensor:
        hidden = scorer.hidden_func(linear(lstm[sentence, rows]))
        return torch.cat([hidden, hidden.new_ones(hidden.size(0), 1)], 1)

    bilinear = scorer.scorer.W_bilin
    weight = getattr(bilinear, "relation_major_weight", None)
    if weight is None:  # F.bilinear wants [relation, input1, input2]: a copy made once per loaded model
        weight = bilinear.relation_major_weight = bilinear.weight.detach().permute(2, 0, 1).contiguous()
    scores = F.bilinear(side(scorer.W1, dependent), side(scorer.W2, head), weight, bilinear.bias)
    return scores.argmax(1)


def predict(self: GraphParser, word: torch.Tensor, word_mask: torch.Tensor, wordchars: torch.Tensor,
            wordchars_mask: torch.Tensor, upos: torch.Tensor, xpos: torch.Tensor, ufeats: torch.Tensor,
            pretrained: torch.Tensor, lemma: torch.Tensor, head: torch.Tensor, deprel: torch.Tensor,
            word_orig_idx: Any, sentlens: list[int], wordlens: Any, text: Any,
            resolve_head_constraints: bool = False) -> list[list[list[Any]]]:
    """GraphParser.predict: [[head, relation] per word] per sentence."""
    args = (word, word_mask, wordchars, wordchars_mask, upos, xpos, ufeats, pretrained, lemma, head, deprel,
            word_orig_idx, sentlens, wordlens, text)
    if self.training or resolve_head_constraints or self.args.get("use_arc_embedding"):
        return stanza_predict(self, *args, resolve_head_constraints=resolve_head_constraints)
    with torch.no_grad():
        lstm = self.embed(*args)
        log_probs = F.log_softmax(_unlabeled_scores(self, lstm), 2).cpu().numpy()
        heads = [one_root_tree(log_probs[i][:n, :n])[1:] for i, n in enumerate(sentlens)]
        sentence = torch.tensor([i for i, hs in enumerate(heads) for _ in hs], dtype=torch.long)
        dependent = torch.tensor([j + 1 for hs in heads for j in range(len(hs))], dtype=torch.long)
        head_ids = torch.tensor([h for hs in heads for h in hs], dtype=torch.long)
        labels = (arc_labels(self.deprel, lstm, sentence, dependent, head_ids) + VOCAB_PREFIX_SIZE).tolist()
    deprels = self.vocab["deprel"].unmap(labels)
    out, k = [], 0
    for hs in heads:
        out.append([[int(h), deprels[k + j]] for j, h in enumerate(hs)])
        k += len(hs)
    return out
