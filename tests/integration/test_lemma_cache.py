"""The lemmatizer stores what its seq2seq model predicts (workers.pipeline.RUN_OPTIONS): the same lemmas come
out whether a (word, UPOS) is answered by the model or, the next time, by the dictionary; and the store is bounded
(workers/lemma_store.py)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import sample_articles
from workers import lemma_store, pipeline
from workers.config import WorkerSettings


@pytest.fixture(scope="module")
def lemmatizer() -> Iterator[Any]:
    if not pipeline.installed():
        pipeline.load(WorkerSettings.from_env())
    processor = pipeline.get("id").nlp.processors["lemma"]
    store = processor.trainer.skip_seq2seq
    saved = copy.deepcopy(processor.trainer.pos_dict), store.limit
    yield processor
    processor.trainer.pos_dict, store.limit = saved
    processor.store_results = True


@pytest.fixture(scope="module")
def tagged(lemmatizer: Any) -> list[Any]:  # the lemmatizer fixture loads the pipelines
    nlp = pipeline.get("id").nlp
    return [nlp(p.read_text(encoding="utf-8"), processors="tokenize,mwt,pos") for p in sample_articles()]


def lemmas(lemmatizer: Any, tagged: list[Any]) -> list[tuple[str, str, str]]:
    docs = [lemmatizer.process(copy.deepcopy(doc)) for doc in tagged]
    return [(w.text, w.upos, w.lemma) for doc in docs for s in doc.sentences for w in s.words]


def without_samples(lemmatizer: Any, tagged: list[Any]) -> dict[str, dict[str, str]]:
    """The dictionary as it is, minus every (word, UPOS) of the samples: earlier tests in this process may have
    stored them, and the model must answer them here."""
    pairs = {(w.text, w.upos) for doc in tagged for s in doc.sentences for w in s.words}
    return {pos: {w: lemma for w, lemma in words.items() if (w, pos) not in pairs}
            for pos, words in lemmatizer.trainer.pos_dict.items()}


def test_stored_lemmas_are_the_ones_the_model_gives(lemmatizer: Any, tagged: list[Any]) -> None:
    assert lemmatizer.store_results
    pristine = without_samples(lemmatizer, tagged)
    lemmatizer.trainer.pos_dict = copy.deepcopy(pristine)
    first = lemmas(lemmatizer, tagged)  # the model answers the pairs the dictionary lacks, and they are stored
    assert lemma_store.entries(lemmatizer.trainer.pos_dict) > lemma_store.entries(pristine)
    again = lemmas(lemmatizer, tagged)  # now the dictionary answers them
    lemmatizer.store_results = False
    lemmatizer.trainer.pos_dict = copy.deepcopy(pristine)
    unstored = lemmas(lemmatizer, tagged)  # the model again, storing nothing
    lemmatizer.store_results = True
    assert len(first) > 5000
    assert first == again == unstored


def test_the_store_goes_back_to_the_shipped_dictionary_past_its_limit(lemmatizer: Any, tagged: list[Any]) -> None:
    store = lemmatizer.trainer.skip_seq2seq
    assert isinstance(store, lemma_store.BoundedStore)
    lemmatizer.trainer.pos_dict = copy.deepcopy(store.shipped)
    unbounded = lemmas(lemmatizer, tagged)
    grown = store.stored
    assert grown > 100
    lemmatizer.trainer.pos_dict = copy.deepcopy(store.shipped)
    store.limit = 20
    resets = store.resets
    bounded = lemmas(lemmatizer, tagged)
    assert store.resets > resets
    assert store.stored < grown  # the limit plus at most one batch's new pairs: it is checked as a batch starts
    assert bounded == unbounded
