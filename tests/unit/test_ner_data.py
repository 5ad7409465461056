"""The NER recipe's data preparation (training/ner.py): label mapping and the news corpora's copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training import ner
from training.common import MODELS
from workers import ner_convention
from workers.models import Manifest


def bio(path: Path, *sentences: list[tuple[str, str]]) -> Path:
    path.write_text("\n\n".join("\n".join(f"{w}\t{t}" for w, t in s) for s in sentences) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def corpora(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    parts = {}
    for name, word, label in (("nerui", "Jokowi", "B-PERSON"), ("nerugm", "Tempo", "B-ORGANIZATION"),
                              ("nergrit", "Bandung", "B-PLACE")):
        parts[name] = {split: bio(tmp_path / f"{name}.{split}.tsv", [(word, label), ("datang", "O")])
                       for split in ("train", "dev", "test")}
    monkeypatch.setattr(ner, "splits", lambda fold: parts)
    monkeypatch.setattr(ner, "WORK", tmp_path / "work")
    return tmp_path


def test_read_bio_maps_labels_to_one_scheme(tmp_path: Path) -> None:
    path = bio(tmp_path / "x.tsv", [("Kota", "B-LOCATION"), ("Bandung", "I-LOCATION"), ("2019", "B-TIME")])
    assert [w["ner"] for w in ner.read_bio(path)[0]] == ["B-LOC", "I-LOC", "O"]


def test_prepare_keeps_each_corpus_once_when_asked(corpora: Path) -> None:
    train, dev = ner.prepare(1, news_copies=1, markers=False)
    firsts = [s[0]["text"] for s in json.loads(train.read_text(encoding="utf-8"))]
    assert sorted(firsts) == ["Bandung", "Jokowi", "Tempo"]
    assert len(json.loads(dev.read_text(encoding="utf-8"))) == 3


def test_prepare_repeats_the_news_corpora_in_training_only(corpora: Path) -> None:
    train, dev = ner.prepare(1, markers=False)  # the shipped recipe: nerui and nerugm twice
    firsts = [s[0]["text"] for s in json.loads(train.read_text(encoding="utf-8"))]
    assert sorted(firsts) == ["Bandung", "Jokowi", "Jokowi", "Tempo", "Tempo"]
    assert [s[0]["ner"] for s in json.loads(dev.read_text(encoding="utf-8"))] == ["B-PER", "B-ORG", "B-LOC"]


def test_prepare_repeats_only_the_corpora_asked_for(corpora: Path) -> None:
    train, _ = ner.prepare(1, news_copies=3, copied=("nerui",), markers=False)
    firsts = [s[0]["text"] for s in json.loads(train.read_text(encoding="utf-8"))]
    assert sorted(firsts) == ["Bandung", "Jokowi", "Jokowi", "Jokowi", "Tempo"]


def test_prepare_marks_each_sentence_with_its_corpus(corpora: Path) -> None:
    train, dev = ner.prepare(1, news_copies=1, markers=True)
    for path in (train, dev):
        sentences = json.loads(path.read_text(encoding="utf-8"))
        assert sorted((s[0]["text"], s[1]["text"], s[-1]["text"]) for s in sentences) == [
            ("<nergrit>", "Bandung", "<nergrit>"), ("<nerugm>", "Tempo", "<nerugm>"), ("<nerui>", "Jokowi", "<nerui>")]
        assert {s[0]["ner"] for s in sentences} == {s[-1]["ner"] for s in sentences} == {"O"}


def test_prepare_marks_nothing_when_told_not_to(corpora: Path) -> None:
    train, _ = ner.prepare(1, markers=False)
    assert not any(w["text"].startswith("<") for s in json.loads(train.read_text(encoding="utf-8")) for w in s)


def test_the_shipped_convention_is_one_the_recipe_marks() -> None:
    convention = Manifest.load(MODELS).languages["id"].ner_convention
    assert convention in ner.splits(1), "models/manifest.json names a corpus the NER recipe does not train on"
    assert ner_convention.marker(convention) == f"<{convention}>"
