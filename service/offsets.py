"""Code point offsets -> UTF-16 code unit offsets, for JavaScript clients (?offsets=utf16)."""

from __future__ import annotations

from itertools import accumulate
from typing import Any

SPAN_KEYS = ("trigger", "source", "target", "location", "date", "reported_by")


def utf16_table(text: str) -> list[int]:
    """table[i] = UTF-16 length of text[:i]; astral characters (emoji) take two code units."""
    return [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]


def _shift(item: dict[str, Any] | None, table: list[int]) -> None:
    if item and "start" in item and "end" in item:
        item["start"], item["end"] = table[item["start"]], table[item["end"]]


def to_utf16(result: dict[str, Any], text: str) -> dict[str, Any]:
    """A copy of the result with every offset converted; O(len(text) + number of spans)."""
    table = utf16_table(text)
    out = {**result, "offsets": "utf16"}
    for key in ("sentences", "entities", "boilerplate", "tokens"):
        if key in out:
            out[key] = [dict(x) for x in out[key]]
            for x in out[key]:
                _shift(x, table)
    out["events"] = []
    for event in result.get("events", []):
        copy = {**event}
        for key in SPAN_KEYS:
            if copy.get(key):
                copy[key] = dict(copy[key])
                _shift(copy[key], table)
        out["events"].append(copy)
    document = dict(out["document"])
    if document.get("dateline"):
        document["dateline"] = dict(document["dateline"])
        _shift(document["dateline"], table)
    out["document"] = document
    return out
