"""Title-case headlines through the real models: the truecaser (workers/truecase.py) lowers the headline's
common words before the models read them, so names come out as names and verbs are not run into them, and every
word keeps the spelling and the offsets of the article."""

from __future__ import annotations

import dataclasses

import pytest

from workers import pipeline
from workers.config import WorkerSettings
from workers.nlp import analyse
from workers.pipeline import Annotator

HEADLINE = "Kim Jong-un Undang Trump ke Pyongyang Melalui Surat Terbarunya"


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    if not pipeline.installed():
        pipeline.load(WorkerSettings.from_env())
    return pipeline.get("id")


def entities(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.type) for e in analyse(annotator, text, ["entities", "events", "syntax"]).doc.entities}


def test_the_shipped_models_come_with_a_truecaser(annotator: Annotator) -> None:
    assert annotator.truecaser is not None
    assert annotator.model_text(HEADLINE) != HEADLINE and annotator.model_text(HEADLINE).lower() == HEADLINE.lower()


def test_a_headline_verb_is_not_read_into_the_names_around_it(annotator: Annotator) -> None:
    found = entities(annotator, HEADLINE)
    assert {("Kim Jong-un", "PER"), ("Trump", "PER"), ("Pyongyang", "LOC")} <= found
    assert not any("Undang" in text for text, _ in found)


def test_headline_words_keep_the_articles_spelling_and_offsets(annotator: Annotator) -> None:
    text = f"{HEADLINE}\n\nPemimpin Korea Utara Kim Jong-un mengundang Presiden AS Donald Trump ke Pyongyang."
    doc = analyse(annotator, text, ["entities", "events", "syntax"]).doc
    words = [w for s in doc.sentences for w in s.words]
    assert [w.text for w in words[:4]] == ["Kim", "Jong-un", "Undang", "Trump"]
    assert all(w.text == text[w.start:w.end] for w in words)
    assert next(w for w in words if w.text == "Undang").upos != "PROPN"
    assert {(e.start, e.end) for e in doc.entities} == {(text.find(e.text, e.start), text.find(e.text, e.start)
                                                         + len(e.text)) for e in doc.entities}


def test_without_the_truecaser_the_same_headline_reads_as_one_name(annotator: Annotator) -> None:
    """Why the truecaser is there: the models alone read the capitalised verb as part of a name."""
    plain = dataclasses.replace(annotator, truecaser=None)
    assert ("Kim Jong-un", "PER") not in entities(plain, HEADLINE)
