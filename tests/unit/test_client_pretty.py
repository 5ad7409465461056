"""`annotator annotate --pretty`: entities by type, sentiment, events as "source -> TYPE -> target"."""

from __future__ import annotations

from typing import Any

from client.pretty import event_line, format_result, problem_text


def mention(text: str, name: str | None = None) -> dict[str, Any]:
    return {"text": text, "start": 0, "end": len(text), "entity_id": None,
            "actor": {"name": name or text, "country": None, "igo": None, "sector": None}}


def event(**overrides: Any) -> dict[str, Any]:
    base = {"id": "v1", "type": "DISAPPROVE", "quad_class": "verbal conflict", "mode": None,
            "trigger": {"text": "mengecam", "start": 0, "end": 8}, "source": mention("Korut", "Korea Utara"),
            "target": mention("Amerika Serikat"), "location": None, "date": None, "sentence": 0,
            "negated": False, "hypothetical": False, "reported_by": None, "confidence": 0.8, "evidence": "..."}
    return {**base, **overrides}


RESULT = {
    "document": {"id": "kompas-1", "char_count": 120},
    "sentences": [{"index": 0, "start": 0, "end": 60}, {"index": 1, "start": 61, "end": 120}],
    "entities": [{"id": "e1", "text": "Joko Widodo", "type": "PER"}, {"id": "e2", "text": "Tokyo", "type": "LOC"},
                 {"id": "e3", "text": "Joko Widodo", "type": "PER"}, {"id": "e4", "text": "Retno", "type": "PER"}],
    "sentiment": {"label": "neutral", "scores": {"positive": 0.1, "neutral": 0.7, "negative": 0.2}},
    "events": [event()],
    "warnings": [],
}


def test_summary_groups_entities_and_shows_sentiment_and_events() -> None:
    assert format_result(RESULT).splitlines() == [
        "Document kompas-1: 2 sentences, 120 characters",
        "Entities",
        "  LOC: Tokyo",
        "  PER: Joko Widodo (2), Retno",
        "Sentiment: neutral (positive 0.10, neutral 0.70, negative 0.20)",
        "Events",
        "  Korea Utara [Korut] -> DISAPPROVE -> Amerika Serikat",
    ]


def test_layers_that_were_not_requested_say_none() -> None:
    lines = format_result({**RESULT, "entities": [], "events": [], "sentiment": None}).splitlines()
    assert lines[1:] == ["Entities: none", "Events: none"]


def test_event_without_target_with_place_date_and_flags() -> None:
    line = event_line(event(target=None, negated=True, location={"text": "Seoul", "country": "KOR"},
                            date={"text": "Sabtu", "resolved": "2023-11-11"}))
    assert line == "  Korea Utara [Korut] -> DISAPPROVE  (negated, Seoul, 2023-11-11)"


def test_problem_text_flattens_field_errors() -> None:
    problem = {"detail": "this document has invalid fields",
               "errors": {"text": ["Shorter than minimum length 1."], "tasks": {"1": ["Must be one of: a, b."]}}}
    assert problem_text(problem) == ("this document has invalid fields (text: Shorter than minimum length 1.; "
                                     "tasks.1: Must be one of: a, b.)")
    assert problem_text({"title": "Worker lost"}) == "Worker lost"
    assert problem_text({}) == "failed"
