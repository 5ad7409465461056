"""What changed between two revisions of a document: entities and events added and removed.

Offsets move whenever an editor touches a paragraph, so mentions are compared by what they say, not where:
an entity by (text, type), an event by (type, source actor, target actor). Each key is listed once however
often it is mentioned; a layer that either job did not compute is not compared (and listed in `skipped`).
"""

from __future__ import annotations

from typing import Any

LAYERS = ("entities", "events")


def entity_key(entity: dict[str, Any]) -> tuple[str, str]:
    return entity["text"], entity["type"]


def _actor(mention: dict[str, Any] | None) -> str | None:
    return mention["actor"]["name"] if mention else None


def event_key(event: dict[str, Any]) -> tuple[str, str | None, str | None]:
    return event["type"], _actor(event.get("source")), _actor(event.get("target"))


def _entity_item(key: tuple[Any, ...]) -> dict[str, Any]:
    return {"text": key[0], "type": key[1]}


def _event_item(key: tuple[Any, ...]) -> dict[str, Any]:
    return {"type": key[0], "source": key[1], "target": key[2]}


def _sort_key(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("" if part is None else part for part in key)


def _changes(old: list[dict[str, Any]], new: list[dict[str, Any]], key: Any, item: Any) -> dict[str, Any]:
    before, after = {key(x) for x in old}, {key(x) for x in new}
    return {"added": [item(k) for k in sorted(after - before, key=_sort_key)],
            "removed": [item(k) for k in sorted(before - after, key=_sort_key)]}


def diff(old: dict[str, Any], new: dict[str, Any], old_tasks: list[str], new_tasks: list[str]) -> dict[str, Any]:
    """The changes from result `old` to result `new`; tasks say which layers each job computed."""
    compared = [layer for layer in LAYERS if layer in old_tasks and layer in new_tasks]
    out: dict[str, Any] = {"compared": compared, "skipped": [layer for layer in LAYERS if layer not in compared]}
    out["entities"] = (_changes(old["entities"], new["entities"], entity_key, _entity_item)
                       if "entities" in compared else {"added": [], "removed": []})
    out["events"] = (_changes(old["events"], new["events"], event_key, _event_item)
                     if "events" in compared else {"added": [], "removed": []})
    return out
