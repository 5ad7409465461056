"""Corpus markers: one NER model that has learned three corpora's conventions apart, asked for one of them.

The three NER corpora disagree on what a name is: nerui leaves titles ("Bu", "Pangeran") and "Pemkot" outside
its spans and labels the region in "Gubernur Jabar" LOC, nerugm mostly leaves such regions unlabelled, nergrit
puts "kota" and "Provinsi" inside LOC spans and calls bands and clubs ORG. Trained on all three as one, the model
has to guess which corpus a sentence comes from. Trained with each sentence between two copies of a word naming
its corpus (`marker("nerui")`, training/ner.py), it learns each convention on its own; at run time every sentence
gets the marker of the convention the manifest names (`ner_convention`), and the marker's tags are dropped again.
A model trained without markers is given none (no `ner_convention` in the manifest).
"""

from __future__ import annotations

from typing import Any

import torch
from stanza.models.common import doc as stanza_doc
from stanza.models.ner import data as ner_data
from stanza.models.ner import trainer as ner_trainer
from stanza.pipeline import ner_processor

# The pipeline option (stanza.Pipeline(ner_convention=...)) that Stanza hands the NER data loader as args.
OPTION = "convention"
CORPORA = ("nerui", "nerugm", "nergrit")

stanza_load_doc = ner_data.DataLoader._load_doc


def marker(corpus: str) -> str:
    """The word that names a corpus: it stands before and after each of that corpus's sentences."""
    return f"<{corpus}>"


def wrap(sentence: list[Any], word: Any) -> list[Any]:
    """The sentence between two copies of its marker: both directions of the BiLSTM read the marker first."""
    return [word, *sentence, word] if sentence else sentence


def _load_doc(self: Any, doc: Any, scheme: Any) -> list[list[Any]]:
    data: list[list[Any]] = stanza_load_doc(self, doc, scheme)
    corpus = self.args.get(OPTION)
    if not corpus:
        return data
    return [wrap(sentence, [marker(corpus), ("O",)]) for sentence in data]


def unwrap(tags: list[str]) -> list[str]:
    """A marked sentence's tags without the markers' own, an entity cut at a marker closed again."""
    return ner_trainer.fix_singleton_tags(tags[1:-1]) if tags else tags


def process(self: Any, document: Any) -> Any:
    """NERProcessor.process of Stanza 1.15, with each marked sentence's marker tags dropped."""
    with torch.no_grad():
        all_preds = []
        for trainer, config in zip(self.trainers, self.configs, strict=True):
            batch = ner_data.DataLoader(document, config["batch_size"], config, vocab=trainer.vocab, evaluation=True,
                                        preprocess_tags=False, bert_tokenizer=trainer.model.bert_tokenizer)
            preds = [tags for b in batch for tags in trainer.predict(b)]
            all_preds.append([unwrap(tags) for tags in preds] if config.get(OPTION) else preds)
    preds = [ner_processor.merge_tags(*x) for x in zip(*all_preds, strict=True)]
    batch.doc.set([stanza_doc.NER], [y for x in preds for y in x], to_token=True)
    multi = [tuple(y) for x in zip(*all_preds, strict=True) for y in zip(*x, strict=True)]
    batch.doc.set([stanza_doc.MULTI_NER], multi, to_token=True)
    batch.doc.build_ents()
    return batch.doc


def install() -> None:
    ner_data.DataLoader._load_doc = _load_doc  # type: ignore[method-assign]
    ner_processor.NERProcessor.process = process  # type: ignore[method-assign]
