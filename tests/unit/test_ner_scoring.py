from __future__ import annotations

from training.evaluate import f1, spans


def test_spans_from_bio_and_bioes() -> None:
    assert spans(["B-PER", "I-PER", "O", "B-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}
    assert spans(["S-ORG", "B-PER", "E-PER", "I-LOC"]) == {(0, 1, "ORG"), (1, 3, "PER"), (3, 4, "LOC")}
    assert spans(["B-PER", "I-LOC"]) == {(0, 1, "PER"), (1, 2, "LOC")}


def test_f1_is_exact_span_and_type() -> None:
    gold = [{(0, 2, "PER"), (3, 4, "LOC")}]
    assert f1(gold, [{(0, 2, "PER"), (3, 4, "LOC")}]) == 100
    assert round(f1(gold, [{(0, 2, "PER"), (3, 4, "ORG")}]), 1) == 50.0
