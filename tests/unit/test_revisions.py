"""Revision diffs: entities by (text, type), events by (type, source actor, target actor), each listed once."""

from __future__ import annotations

from typing import Any

from service.revisions import diff
from tests.openapi_contract import validate_schema

TASKS = ["entities", "sentiment", "events"]


def entity(text: str, kind: str, start: int = 0) -> dict[str, Any]:
    return {"id": "e", "text": text, "type": kind, "start": start, "end": start + len(text), "sentence": 0}


def event(kind: str, source: str, target: str | None) -> dict[str, Any]:
    def actor(name: str) -> dict[str, Any]:
        return {"text": name, "start": 0, "end": len(name), "entity_id": None,
                "actor": {"name": name, "country": None, "igo": None, "sector": None}}
    return {"id": "ev", "type": kind, "source": actor(source), "target": actor(target) if target else None}


def result(entities: list[dict[str, Any]], events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"entities": entities, "events": events}


def test_added_and_removed_compare_by_content_not_position() -> None:
    old = result([entity("Joko Widodo", "PER"), entity("Tokyo", "LOC"), entity("Tokyo", "LOC", 40)],
                 [event("CONSULT", "Joko Widodo", "Jepang"), event("DISAPPROVE", "Korea Utara", None)])
    new = result([entity("Joko Widodo", "PER", 12), entity("Tokyo", "ORG"), entity("Seoul", "LOC")],
                 [event("CONSULT", "Joko Widodo", "Jepang"), event("DISAPPROVE", "Korea Utara", "Amerika Serikat")])
    out = diff(old, new, TASKS, TASKS)
    assert out["entities"] == {"added": [{"text": "Seoul", "type": "LOC"}, {"text": "Tokyo", "type": "ORG"}],
                               "removed": [{"text": "Tokyo", "type": "LOC"}]}
    assert out["events"] == {
        "added": [{"type": "DISAPPROVE", "source": "Korea Utara", "target": "Amerika Serikat"}],
        "removed": [{"type": "DISAPPROVE", "source": "Korea Utara", "target": None}]}
    assert out["compared"] == ["entities", "events"] and out["skipped"] == []
    validate_schema("RevisionDiff", {"job_id": "b", "previous_job_id": "a", **out})


def test_identical_revisions_have_no_changes() -> None:
    same = result([entity("Retno Marsudi", "PER")], [event("CONSULT", "Retno Marsudi", "Jepang")])
    out = diff(same, same, TASKS, TASKS)
    assert out["entities"] == out["events"] == {"added": [], "removed": []}


def test_a_layer_one_job_did_not_compute_is_skipped_not_all_removed() -> None:
    old = result([entity("Jakarta", "LOC")], [event("CONSULT", "A", "B")])
    new = result([entity("Bandung", "LOC")], [])
    out = diff(old, new, TASKS, ["entities"])
    assert out["compared"] == ["entities"] and out["skipped"] == ["events"]
    assert out["events"] == {"added": [], "removed": []}
    assert out["entities"]["removed"] == [{"text": "Jakarta", "type": "LOC"}]
