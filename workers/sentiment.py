"""Sentence and document sentiment with probabilities, from the Stanza classifier's logits.

Stanza's SentimentProcessor keeps only the argmax label; newsrooms want scores, so we call the loaded
classifier ourselves on the sentences of the processed documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

LABELS = ("negative", "neutral", "positive")
# Official Stanza sentiment models name their classes 0/1/2.
_ALIASES = {"0": "negative", "1": "neutral", "2": "positive"}
BATCH = 64

Scores = dict[str, float]


def classifier(nlp: Any) -> Any | None:
    proc = nlp.processors.get("sentiment")
    return getattr(proc, "_model", None)


def score_sentences(model: Any, sentences: Sequence[list[str]]) -> list[Scores]:
    """Probabilities per sentence, each a dict over LABELS."""
    names = [_ALIASES.get(str(label), str(label)) for label in model.labels]
    out: list[Scores] = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(sentences), BATCH):
            batch = [s or ["."] for s in sentences[i:i + BATCH]]
            probs = torch.softmax(model(batch), dim=1).tolist()
            for row in probs:
                scores = dict.fromkeys(LABELS, 0.0)
                for name, p in zip(names, row, strict=True):
                    scores[name] = round(p, 4)
                out.append(scores)
    return out


def label(scores: Scores) -> str:
    return max(LABELS, key=lambda k: scores[k])


def document_scores(sentence_scores: Sequence[Scores], weights: Sequence[int]) -> Scores | None:
    """Token-weighted mean of the sentence probabilities; None for a text without sentences."""
    total = sum(weights)
    if not sentence_scores or total == 0:
        return None
    return {k: round(sum(s[k] * w for s, w in zip(sentence_scores, weights, strict=True)) / total, 4)
            for k in LABELS}
