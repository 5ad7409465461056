"""Runs the Stanza pipeline over an article's story blocks and maps everything back to original offsets."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import stanza

from workers import pipeline
from workers.article import Article, Span, segment
from workers.config import WorkerSettings
from workers.document import Entity, ParsedDocument, Sentence, Word
from workers.models import processors_for
from workers.sentiment import Scores, classifier, score_sentences


@dataclass
class Analysis:
    doc: ParsedDocument
    article: Article
    sentence_scores: list[Scores] | None
    timings_ms: dict[str, float] = field(default_factory=dict)


def _locate(text: str, piece: str, start: int, end: int, cursor: int) -> tuple[int, int]:
    """Stanza's character offsets, checked against the original text; re-found from the cursor if they drift."""
    if text[start:end] == piece:
        return start, end
    found = text.find(piece, cursor)
    if found >= 0:
        return found, found + len(piece)
    return start, end


def _words(sent: Any, text: str, offset: int, cursor: int) -> tuple[list[Word], int]:
    words: list[Word] = []
    for token in sent.tokens:
        start, end = _locate(text, token.text, token.start_char + offset, token.end_char + offset, cursor)
        cursor = end
        parts = token.words
        # Multi-word tokens ("bukunya" = buku + nya): give each part its own slice when the parts spell the token.
        split = len(parts) > 1 and "".join(w.text for w in parts) == text[start:end]
        pos = start
        for w in parts:
            w_start, w_end = (pos, pos + len(w.text)) if split else (start, end)
            pos = w_end
            words.append(Word(index=w.id, text=w.text, lemma=w.lemma or w.text, upos=w.upos or "X",
                              head=w.head or 0, deprel=w.deprel or "dep", start=w_start, end=w_end,
                              feats=w.feats or ""))
    return words, cursor


def _convert(text: str, blocks: Iterable[Span], docs: Iterable[Any]) -> tuple[list[Sentence], list[Entity]]:
    sentences: list[Sentence] = []
    entities: list[Entity] = []
    for block, sdoc in zip(blocks, docs, strict=True):
        cursor = block.start
        for sent in sdoc.sentences:
            words, cursor = _words(sent, text, block.start, cursor)
            if not words:
                continue
            index = len(sentences)
            start, end = words[0].start, max(w.end for w in words)
            sentences.append(Sentence(index, start, end, text[start:end], tuple(words)))
            for ent in sent.ents:
                e_start, e_end = ent.start_char + block.start, ent.end_char + block.start
                entities.append(Entity(f"e{len(entities) + 1}", text[e_start:e_end], ent.type, e_start, e_end, index))
    return sentences, entities


def analyse(annotator: pipeline.Annotator, text: str, tasks: list[str],
            published_at: date | None = None, include_boilerplate: bool = False) -> Analysis:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    article = segment(text)
    blocks = list(article.blocks)
    if include_boilerplate:
        # The caller asked for the page furniture too (?include_boilerplate=true): each boilerplate span is a
        # block of its own, so a dateline or a "Baca juga" headline never merges into a story sentence.
        blocks = sorted([*blocks, *article.boilerplate], key=lambda span: span.start)
    timings["segment"] = (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    wanted = [p for p in processors_for(tasks) if p in annotator.nlp.processors]
    docs = annotator.nlp.bulk_process([stanza.Document([], text=text[b.start:b.end]) for b in blocks],
                                      processors=wanted) if blocks else []
    timings["stanza"] = (time.perf_counter() - t0) * 1000

    sentences, entities = _convert(text, blocks, docs)
    scores = None
    model = classifier(annotator.nlp)
    if "sentiment" in tasks and model is not None:
        t0 = time.perf_counter()
        scores = score_sentences(model, [[w.text for w in s.words] for s in sentences])
        timings["sentiment"] = (time.perf_counter() - t0) * 1000
    doc = ParsedDocument(text=text, sentences=tuple(sentences), entities=tuple(entities),
                         published_at=published_at, language=annotator.language)
    return Analysis(doc, article, scores, timings)


def parse(text: str, published_at: date | None = None, language: str = "id") -> ParsedDocument:
    """A fully parsed document (all processors); loads the pipelines on first use. For tools and evaluation."""
    if not pipeline.installed():
        pipeline.load(WorkerSettings.from_env())
    return analyse(pipeline.get(language), text, ["entities", "events", "syntax"], published_at).doc
