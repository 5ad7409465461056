"""Corpus markers around each sentence for a multi-corpus NER model (workers/ner_convention.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from workers import ner_convention


def test_markers_stand_at_both_ends_of_a_sentence() -> None:
    word = ner_convention.marker("nerui")
    assert ner_convention.wrap(["Jokowi", "datang"], word) == ["<nerui>", "Jokowi", "datang", "<nerui>"]
    assert ner_convention.wrap([], word) == []


@pytest.mark.parametrize(("tags", "expected"), [
    (["O", "S-PER", "O", "O"], ["S-PER", "O"]),
    (["O", "B-LOC", "E-LOC", "O"], ["B-LOC", "E-LOC"]),
    # an entity the model ran into a marker is closed at the sentence's edge
    (["O", "O", "B-ORG", "E-ORG"], ["O", "S-ORG"]),
    (["B-PER", "E-PER", "O", "O"], ["S-PER", "O"]),
    ([], []),
])
def test_the_markers_tags_are_dropped(tags: list[str], expected: list[str]) -> None:
    assert ner_convention.unwrap(tags) == expected


def test_sentences_are_marked_only_when_a_convention_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [[["Jokowi", ("O",)], ["datang", ("O",)]]]
    monkeypatch.setattr(ner_convention, "stanza_load_doc", lambda self, doc, scheme: [list(s) for s in sentences])
    marked = ner_convention._load_doc(SimpleNamespace(args={"convention": "nergrit"}), None, None)
    assert [w[0] for w in marked[0]] == ["<nergrit>", "Jokowi", "datang", "<nergrit>"]
    plain = ner_convention._load_doc(SimpleNamespace(args={}), None, None)
    assert [w[0] for w in plain[0]] == ["Jokowi", "datang"]
