"""Assembles the schema 1.0 result document (see openapi.yaml, Result) from an Analysis."""

from __future__ import annotations

import hashlib
from typing import Any

from workers.nlp import Analysis
from workers.pipeline import Annotator
from workers.sentiment import document_scores, label

SCHEMA_VERSION = "1.0"


def _sentiment(scores: dict[str, float] | None) -> dict[str, Any] | None:
    return None if scores is None else {"label": label(scores), "scores": scores}


def build(payload: dict[str, Any], annotator: Annotator, analysis: Analysis, events: list[dict[str, Any]],
          timings_ms: dict[str, float]) -> dict[str, Any]:
    text: str = payload["text"]
    tasks: list[str] = payload["tasks"]
    doc = analysis.doc
    scores = analysis.sentence_scores
    sentences = []
    for s in doc.sentences:
        item: dict[str, Any] = {"index": s.index, "start": s.start, "end": s.end}
        if scores is not None:
            item["sentiment"] = _sentiment(scores[s.index])
        sentences.append(item)
    dateline = analysis.article.dateline
    warnings = []
    if not doc.sentences:
        warnings.append({"code": "no_story_text", "message": "no story text found outside boilerplate"})
    if "sentiment" in tasks and scores is None:
        warnings.append({"code": "sentiment_unavailable",
                         "message": f"no sentiment model installed for language {annotator.language!r}"})
    result: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "document": {
            "id": payload.get("id"),
            "language": annotator.language,
            "title": payload.get("title"),
            "url": payload.get("url"),
            "published_at": payload.get("published_at"),
            "char_count": len(text),
            "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            "dateline": None if dateline is None else {
                "place": dateline.place, "outlet": dateline.outlet, "start": dateline.start, "end": dateline.end},
        },
        "model": {"name": annotator.model_name, "version": annotator.model_version,
                  "components": annotator.components},
        "offsets": "codepoint",
        "sentences": sentences,
        "entities": [{"id": e.id, "text": e.text, "type": e.type, "start": e.start, "end": e.end,
                      "sentence": e.sentence} for e in doc.entities] if "entities" in tasks else [],
        "sentiment": _sentiment(document_scores(scores, [len(s.words) for s in doc.sentences]))
        if scores is not None else None,
        "events": events,
        "boilerplate": [{"start": b.start, "end": b.end, "kind": b.kind} for b in analysis.article.boilerplate],
        "warnings": warnings,
        "timings_ms": {k: round(v, 1) for k, v in timings_ms.items()},
    }
    if "syntax" in tasks:
        result["tokens"] = [
            {"sentence": s.index, "index": w.index, "text": w.text, "lemma": w.lemma, "upos": w.upos,
             "feats": w.feats, "head": w.head, "deprel": w.deprel, "start": w.start, "end": w.end}
            for s in doc.sentences for w in s.words
        ]
    return result
