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
from workers.entity_types import corrected_type
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


def article_spelling(text: str, start: int, end: int, word: str) -> str:
    """The word as the article spells it: a truecased headline word gets its capital back."""
    original = text[start:end]
    return original if original != word and original.lower() == word.lower() else word


def _words(sent: Any, text: str, seen: str, offset: int, cursor: int) -> tuple[list[Word], int]:
    """`seen` is the text as the models read it (workers/truecase.py), character for character."""
    words: list[Word] = []
    for token in sent.tokens:
        start, end = _locate(seen, token.text, token.start_char + offset, token.end_char + offset, cursor)
        cursor = end
        parts = token.words
        # Multi-word tokens ("bukunya" = buku + nya): give each part its own slice when the parts spell the token.
        split = len(parts) > 1 and "".join(w.text for w in parts) == seen[start:end]
        pos = start
        for w in parts:
            w_start, w_end = (pos, pos + len(w.text)) if split else (start, end)
            pos = w_end
            words.append(Word(index=w.id, text=article_spelling(text, w_start, w_end, w.text), lemma=w.lemma or w.text,
                              upos=w.upos or "X", head=w.head or 0, deprel=w.deprel or "dep", start=w_start, end=w_end,
                              feats=w.feats or ""))
    return words, cursor


def _convert(text: str, seen: str, blocks: Iterable[Span], docs: Iterable[Any]) -> tuple[list[Sentence], list[Entity]]:
    sentences: list[Sentence] = []
    entities: list[Entity] = []
    for block, sdoc in zip(blocks, docs, strict=True):
        cursor = block.start
        for sent in sdoc.sentences:
            words, cursor = _words(sent, text, seen, block.start, cursor)
            if not words:
                continue
            index = len(sentences)
            start, end = words[0].start, max(w.end for w in words)
            sentences.append(Sentence(index, start, end, text[start:end], tuple(words)))
            for ent in sent.ents:
                e_start, e_end = ent.start_char + block.start, ent.end_char + block.start
                surface = text[e_start:e_end]
                entities.append(Entity(f"e{len(entities) + 1}", surface, corrected_type(surface, ent.type),
                                       e_start, e_end, index))
    return sentences, entities


def _blocks(article: Article, include_boilerplate: bool) -> list[Span]:
    if not include_boilerplate:
        return list(article.blocks)
    # The caller asked for the page furniture too (?include_boilerplate=true): each boilerplate span is a
    # block of its own, so a dateline or a "Baca juga" headline never merges into a story sentence.
    return sorted([*article.blocks, *article.boilerplate], key=lambda span: span.start)


def text_as_read(annotator: pipeline.Annotator, text: str, blocks: list[Span]) -> str:
    """The article as the models read it: each block as Annotator.model_text gives it, the same length."""
    parts, at = [], 0
    for b in blocks:
        parts += [text[at:b.start], annotator.model_text(text[b.start:b.end])]
        at = b.end
    return "".join([*parts, text[at:]])


def analyse(annotator: pipeline.Annotator, text: str, tasks: list[str],
            published_at: date | None = None, include_boilerplate: bool = False) -> Analysis:
    return analyse_many(annotator, [text], tasks, [published_at], include_boilerplate)[0]


def analyse_many(annotator: pipeline.Annotator, texts: list[str], tasks: list[str],
                 published: list[date | None], include_boilerplate: bool = False) -> list[Analysis]:
    """Several articles through one Stanza call (bulk processing: the processors batch their sentences together).

    The time of the shared Stanza and sentiment calls is split among the articles by length in timings_ms.
    """
    articles, segment_ms = [], []
    for text in texts:
        t0 = time.perf_counter()
        articles.append(segment(text))
        segment_ms.append((time.perf_counter() - t0) * 1000)
    blocks = [_blocks(article, include_boilerplate) for article in articles]

    t0 = time.perf_counter()
    wanted = [p for p in processors_for(tasks) if p in annotator.nlp.processors]
    seen = [text_as_read(annotator, text, spans) for text, spans in zip(texts, blocks, strict=True)]
    pieces = [stanza.Document([], text=text[b.start:b.end]) for text, spans in zip(seen, blocks, strict=True)
              for b in spans]
    docs = iter(annotator.nlp.bulk_process(pieces, processors=wanted) if pieces else [])
    stanza_ms = (time.perf_counter() - t0) * 1000

    converted = [_convert(text, model_text, spans, [next(docs) for _ in spans])
                 for text, model_text, spans in zip(texts, seen, blocks, strict=True)]
    scores: list[list[Scores] | None] = [None] * len(texts)
    sentiment_ms = 0.0
    model = classifier(annotator.nlp)
    if "sentiment" in tasks and model is not None:
        t0 = time.perf_counter()
        flat = score_sentences(model, [[w.text for w in s.words] for sentences, _ in converted for s in sentences])
        sentiment_ms = (time.perf_counter() - t0) * 1000
        taken = 0
        for i, (sentences, _) in enumerate(converted):
            scores[i], taken = flat[taken:taken + len(sentences)], taken + len(sentences)

    total = sum(map(len, texts)) or 1
    out = []
    for i, (text, (sentences, entities)) in enumerate(zip(texts, converted, strict=True)):
        share = len(text) / total
        timings = {"segment": segment_ms[i], "stanza": stanza_ms * share}
        if scores[i] is not None:
            timings["sentiment"] = sentiment_ms * share
        doc = ParsedDocument(text=text, sentences=tuple(sentences), entities=tuple(entities),
                             published_at=published[i], language=annotator.language)
        out.append(Analysis(doc, articles[i], scores[i], timings))
    return out


def parse(text: str, published_at: date | None = None, language: str = "id") -> ParsedDocument:
    """A fully parsed document (all processors); loads the pipelines on first use. For tools and evaluation."""
    if not pipeline.installed():
        pipeline.load(WorkerSettings.from_env())
    return analyse(pipeline.get(language), text, ["entities", "events", "syntax"], published_at).doc
