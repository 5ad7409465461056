from __future__ import annotations

from training.evaluate import f1, fold_mean, keep_from_card, spans, table


def test_spans_from_bio_and_bioes() -> None:
    assert spans(["B-PER", "I-PER", "O", "B-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}
    assert spans(["S-ORG", "B-PER", "E-PER", "I-LOC"]) == {(0, 1, "ORG"), (1, 3, "PER"), (3, 4, "LOC")}
    assert spans(["B-PER", "I-LOC"]) == {(0, 1, "PER"), (1, 2, "LOC")}


def test_f1_is_exact_span_and_type() -> None:
    gold = [{(0, 2, "PER"), (3, 4, "LOC")}]
    assert f1(gold, [{(0, 2, "PER"), (3, 4, "LOC")}]) == 100
    assert round(f1(gold, [{(0, 2, "PER"), (3, 4, "ORG")}]), 1) == 50.0


def test_fold_mean_uses_the_shipped_model_as_fold_one_and_every_fold_scored() -> None:
    scores = {"ner.nerui": 90.0, "ner.nerui.fold2": 88.0, "ner.nerui.fold4": 86.0, "ner.nergrit": 70.0}
    assert fold_mean(scores) == {"ner.nerui.folds": 3, "ner.nerui.mean": 88.0}
    assert fold_mean({"ner.nergrit": 70.0}) == {}


def test_fold_means_are_kept_apart_per_corpus() -> None:
    scores = {"ner.nerui": 90.0, "ner.nerui.fold2": 88.0, "ner.nerugm": 82.0, "ner.nerugm.fold2": 79.0,
              "ner.nerugm.fold3": 79.0}
    assert fold_mean(scores) == {"ner.nerui.folds": 2, "ner.nerui.mean": 89.0,
                                 "ner.nerugm.folds": 3, "ner.nerugm.mean": 80.0}


def test_table_marks_targets_to_reach_and_limits_to_stay_under() -> None:
    rows = {row.split(" | ")[0].strip("| "): row for row in table(
        {"gsd.las": 70.87, "gsd.upos": 93.0, "speed.tokens_per_s": 1400, "size_mb.total": 61.0, "load_s": 1.3,
         "gsd.lemma": 81.4}).splitlines()}
    assert "70.87 ✗ | ≥ 75" in rows["gsd.las"]
    assert "93.0 ✓ | ≥ 92" in rows["gsd.upos"]
    assert "1400 ✗ | ≥ 1500" in rows["speed.tokens_per_s"]
    assert "61.0 ✗ | ≤ 60" in rows["size_mb.total"]
    assert "1.3 ✓ | ≤ 10" in rows["load_s"]
    assert rows["gsd.lemma"] == "| gsd.lemma | 81.4 |  |  |"


def test_a_full_run_keeps_only_the_fold_scores_it_could_not_measure() -> None:
    card = {"ner.nerui": 89.0, "ner.nerui.fold2": 88.0, "size_mb.old_model.pt": 3.0, "ner.nerui.mean": 88.5,
            "ner.nerui.folds": 2, "ner.nerugm.fold3": 80.0}
    assert keep_from_card(card, full_run=True) == {"ner.nerui.fold2": 88.0, "ner.nerugm.fold3": 80.0}
    assert keep_from_card(card, full_run=False) == card
