"""The shipped parser labels the chosen arcs only (workers/arc_labels.py): same trees and relations as
Stanza's own GraphParser.predict on every word of the sample articles."""

from __future__ import annotations

import copy

import torch
from stanza.models.depparse.model import GraphParser

from tests.conftest import sample_articles
from workers import arc_labels, pipeline
from workers.config import WorkerSettings


def test_same_heads_and_relations_as_stanzas_predict() -> None:
    if not pipeline.installed():
        pipeline.load(WorkerSettings.from_env())
    nlp = pipeline.get("id").nlp
    assert GraphParser.predict is arc_labels.predict  # installed by workers.pipeline
    tagged = [nlp(p.read_text(encoding="utf-8"), processors="tokenize,mwt,pos,lemma") for p in sample_articles()]
    parser = nlp.processors["depparse"]

    def parse(predict: object) -> list[tuple[int, str]]:
        GraphParser.predict = predict  # type: ignore[method-assign]
        try:
            with torch.no_grad():
                docs = [parser.process(copy.deepcopy(doc)) for doc in tagged]
        finally:
            GraphParser.predict = arc_labels.predict  # type: ignore[method-assign]
        return [(w.head, w.deprel) for doc in docs for s in doc.sentences for w in s.words]

    ours, stanzas = parse(arc_labels.predict), parse(arc_labels.stanza_predict)
    assert len(ours) > 5000
    assert ours == stanzas
