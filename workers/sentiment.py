"""Sentence and document sentiment with probabilities, from the Stanza classifier's logits.

Stanza's SentimentProcessor keeps only the argmax label; newsrooms want scores, so we call the loaded
classifier ourselves on the sentences of the processed documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from stanza.models.classifiers.data import update_text

LABELS = ("negative", "neutral", "positive")
# Official Stanza sentiment models name their classes 0/1/2.
_ALIASES = {"0": "negative", "1": "neutral", "2": "positive"}
BATCH = 64

Scores = dict[str, float]


def classifier(nlp: Any) -> Any | None:
    proc = nlp.processors.get("sentiment")
    return getattr(proc, "_model", None)


def score_sentences(model: Any, sentences: Sequence[list[str]]) -> list[Scores]:
    """Probabilities per sentence, each a dict over LABELS.

    Words get the preprocessing the classifier was trained with (Stanza's pipeline skips it: hyphens and
    slashes split, lowercase). Sentences are batched only with others of the same length: the classifier
    pads a batch to its longest item and its predictions shift with the padding (Stanza's own evaluation
    batches the same way).
    """
    names = [_ALIASES.get(str(label), str(label)) for label in model.labels]
    sentences = [update_text(list(s), model.config.wordvec_type) if s else ["."] for s in sentences]
    by_length: dict[int, list[int]] = {}
    for i, sentence in enumerate(sentences):
        by_length.setdefault(len(sentence), []).append(i)
    out: list[Scores] = [dict.fromkeys(LABELS, 0.0) for _ in sentences]
    model.eval()
    with torch.no_grad():
        for indices in by_length.values():
            for start in range(0, len(indices), BATCH):
                chunk = indices[start:start + BATCH]
                probs = torch.softmax(model([sentences[i] for i in chunk]), dim=1).tolist()
                for i, row in zip(chunk, probs, strict=True):
                    for name, p in zip(names, row, strict=True):
                        out[i][name] = round(p, 4)
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
