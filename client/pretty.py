"""A readable summary of one result, for `annotator annotate --pretty`."""

from __future__ import annotations

from collections import Counter
from typing import Any


def _names(mentions: list[str]) -> str:
    counts = Counter(mentions)  # keeps first-seen order
    return ", ".join(name if n == 1 else f"{name} ({n})" for name, n in counts.items())


def entities_by_type(entities: list[dict[str, Any]]) -> list[str]:
    by_type: dict[str, list[str]] = {}
    for entity in entities:
        by_type.setdefault(entity["type"], []).append(entity["text"])
    return [f"  {kind}: {_names(names)}" for kind, names in sorted(by_type.items())]


def sentiment_line(sentiment: dict[str, Any] | None) -> str | None:
    if not sentiment:
        return None
    scores = sentiment.get("scores") or {}
    detail = ", ".join(f"{k} {scores[k]:.2f}" for k in ("positive", "neutral", "negative") if k in scores)
    return f"Sentiment: {sentiment['label']}" + (f" ({detail})" if detail else "")


def _actor(mention: dict[str, Any] | None) -> str | None:
    if not mention:
        return None
    actor = mention.get("actor") or {}
    name = actor.get("name") or mention["text"]
    return name if name == mention["text"] else f"{name} [{mention['text']}]"


def event_line(event: dict[str, Any]) -> str:
    parts = [_actor(event["source"]) or "?", event["type"]]
    target = _actor(event.get("target"))
    if target:
        parts.append(target)
    notes = [label for label, on in (("negated", event.get("negated")), ("hypothetical", event.get("hypothetical")))
             if on]
    if event.get("location"):
        notes.append(event["location"]["text"])
    if event.get("date"):
        notes.append(event["date"].get("resolved") or event["date"]["text"])
    return "  " + " -> ".join(parts) + (f"  ({', '.join(notes)})" if notes else "")


def format_result(result: dict[str, Any]) -> str:
    doc = result.get("document") or {}
    lines = [f"Document {doc.get('id') or '-'}: {len(result.get('sentences', []))} sentences, "
             f"{doc.get('char_count', '?')} characters"]
    lines.append("Entities" + ("" if result.get("entities") else ": none"))
    lines += entities_by_type(result.get("entities") or [])
    sentiment = sentiment_line(result.get("sentiment"))
    if sentiment:
        lines.append(sentiment)
    lines.append("Events" + ("" if result.get("events") else ": none"))
    lines += [event_line(e) for e in result.get("events") or []]
    lines += [f"Warning: {w['message']}" for w in result.get("warnings") or []]
    return "\n".join(lines)


def _flatten(errors: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in errors.items():
        name = f"{prefix}{key}" if key != "_schema" else prefix.rstrip(".") or "document"
        if isinstance(value, dict):
            out += _flatten(value, f"{name}.")
        else:
            out.append(f"{name}: {' '.join(map(str, value)) if isinstance(value, list) else value}")
    return out


def problem_text(problem: dict[str, Any]) -> str:
    """One line for an RFC 9457 problem, with its per-field messages."""
    text = str(problem.get("detail") or problem.get("title") or "failed")
    errors = problem.get("errors")
    if isinstance(errors, dict) and errors:
        text += " (" + "; ".join(_flatten(errors)) + ")"
    return text
