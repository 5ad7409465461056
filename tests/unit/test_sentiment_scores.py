from __future__ import annotations

import pytest

from workers.sentiment import document_scores, label


def test_document_scores_weight_sentences_by_length() -> None:
    neutral = {"negative": 0.1, "neutral": 0.8, "positive": 0.1}
    negative = {"negative": 0.9, "neutral": 0.05, "positive": 0.05}
    scores = document_scores([neutral, negative], [30, 10])
    assert scores is not None
    assert scores["neutral"] == pytest.approx((0.8 * 30 + 0.05 * 10) / 40, abs=1e-4)
    assert label(scores) == "neutral"
    assert document_scores([neutral, negative], [1, 10]) is not None
    assert label(document_scores([neutral, negative], [1, 10]) or {}) == "negative"


def test_no_sentences_no_document_sentiment() -> None:
    assert document_scores([], []) is None
