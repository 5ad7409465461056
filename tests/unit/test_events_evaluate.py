"""Scoring of the event dev set, without any model: tuple matching, confusion, document assembly, the dev file."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from workers.events.evaluate import (
    DEFAULT_DEV,
    Counts,
    DevSentence,
    Tuple3,
    assign,
    by_document,
    confusion,
    format_report,
    join_document,
    load_dev,
    match,
    relax,
    score,
)
from workers.events.lexicon import QUAD_CLASS


def _event(etype: str, start: int, src: str | None, tgt: str | None, **flags: bool) -> dict[str, object]:
    def actor(country: str | None) -> dict[str, object] | None:
        return None if country is None else {"actor": {"name": "x", "country": country, "igo": None, "sector": None}}
    return {"type": etype, "trigger": {"start": start}, "source": actor(src), "target": actor(tgt),
            "negated": flags.get("negated", False), "hypothetical": flags.get("hypothetical", False)}


def test_match_is_a_multiset_match() -> None:
    gold = [("DEMAND", "USA", "IRN"), ("DEMAND", "USA", "IRN"), ("REJECT", "IRN", None)]
    pred = [("DEMAND", "USA", "IRN"), ("REJECT", "IRN", "USA"), ("REJECT", "IRN", "USA")]
    c = match(gold, pred)
    assert (c.tp, c.fp, c.fn) == (1, 2, 2)
    assert (round(c.precision, 3), round(c.recall, 3), round(c.f1, 3)) == (0.333, 0.333, 0.333)
    assert Counts().f1 == 0.0


def test_confusion_aligns_on_source_and_target() -> None:
    gold = [("DISAPPROVE", "CHN DIP", "DEU GOV"), ("CONSULT", "USA", None), ("REJECT", "IRN", None)]
    pred = [("ASSAULT", "CHN DIP", "DEU GOV"), ("REJECT", "IRN", None), ("AID", "JPN", "PSE")]
    assert confusion(gold, pred) == Counter({("DISAPPROVE", "ASSAULT"): 1, ("REJECT", "REJECT"): 1,
                                            ("CONSULT", "-"): 1, ("-", "AID"): 1})


def test_score_per_document_type_and_country_level() -> None:
    docs: dict[str, tuple[list[Tuple3], list[Tuple3]]] = {
        "a": ([("DEMAND", "USA GOV", "IRN")], [("DEMAND", "USA", "IRN")]),
        "b": ([("PROTEST", "CVL", None)], [("PROTEST", "CVL", None), ("DEMAND", "CVL", "GBR")])}
    strict = score(docs)
    assert (strict.total.tp, strict.total.fp, strict.total.fn) == (1, 2, 1)
    assert strict.by_doc["b"].tp == 1
    assert strict.by_type["DEMAND"].fp == 2
    relaxed = score(docs, relax)
    assert (relaxed.total.tp, relaxed.total.fp, relaxed.total.fn) == (2, 1, 0)
    text = format_report(strict, "strict")
    assert "TOTAL (micro)" in text and "confusion" in text and "DEMAND" in text


def test_relax() -> None:
    assert relax("USA GOV") == "USA"
    assert relax("IGO UN") == "IGO UN"
    assert relax("CVL") == "CVL"
    assert relax(None) is None


def test_documents_are_joined_and_events_assigned_back() -> None:
    items = [DevSentence("d-s01", "d", "AS mengecam Iran.", None, (("DISAPPROVE", "USA", "IRN"),)),
             DevSentence("d-s02", "d", "Iran membantah.", None, ())]
    text, spans = join_document(items)
    assert [text[a:b] for a, b in spans] == ["AS mengecam Iran.", "Iran membantah."]
    events = [_event("DISAPPROVE", 3, "USA", "IRN"), _event("REJECT", spans[1][0] + 5, "IRN", None),
              _event("ASSAULT", 3, "USA", "IRN", negated=True), _event("AGREE", 3, "USA", None, hypothetical=True)]
    assert assign(events, spans) == [[("DISAPPROVE", "USA", "IRN")], [("REJECT", "IRN", None)]]


def test_load_dev(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    rows = [{"id": "x-s01", "doc": "x", "text": "AS mendesak Iran.", "published_at": "2019-09-19",
             "events": [{"type": "DEMAND", "source": "USA", "target": "IRN"}]},
            {"id": "x-s02", "doc": "x", "text": "Tidak ada.", "published_at": None, "events": []}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    items = load_dev(path)
    assert items[0].published_at == date(2019, 9, 19)
    assert items[0].events == (("DEMAND", "USA", "IRN"),)
    assert items[1].published_at is None
    assert list(by_document(items)) == ["x"]


def test_the_dev_set_is_well_formed() -> None:
    items = load_dev(DEFAULT_DEV)
    assert len(items) >= 250
    assert len({i.id for i in items}) == len(items)
    assert sum(1 for i in items if not i.events) > len(items) / 2  # plenty of sentences without an event
    for item in items:
        assert item.published_at is not None and item.text.strip()
        for etype, src, tgt in item.events:
            assert etype in QUAD_CLASS
            for code in filter(None, (src, tgt)):
                parts = code.split()
                assert parts[0] == "IGO" or len(parts[0]) == 3, code
