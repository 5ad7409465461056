from __future__ import annotations

from training.evaluate import f1, fold_mean, spans


def test_spans_from_bio_and_bioes() -> None:
    assert spans(["B-PER", "I-PER", "O", "B-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}
    assert spans(["S-ORG", "B-PER", "E-PER", "I-LOC"]) == {(0, 1, "ORG"), (1, 3, "PER"), (3, 4, "LOC")}
    assert spans(["B-PER", "I-LOC"]) == {(0, 1, "PER"), (1, 2, "LOC")}


def test_f1_is_exact_span_and_type() -> None:
    gold = [{(0, 2, "PER"), (3, 4, "LOC")}]
    assert f1(gold, [{(0, 2, "PER"), (3, 4, "LOC")}]) == 100
    assert round(f1(gold, [{(0, 2, "PER"), (3, 4, "ORG")}]), 1) == 50.0


def test_fold_mean_uses_the_shipped_model_as_fold_one_and_every_fold_scored() -> None:
    scores = {"ner.nerui": 90.0, "ner.nerui.fold2": 88.0, "ner.nerui.fold4": 86.0, "ner.nerugm": 82.0}
    assert fold_mean(scores) == {"ner.nerui.folds": 3, "ner.nerui.mean": 88.0}
    assert fold_mean({"ner.nerugm": 82.0}) == {}
