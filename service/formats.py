"""A finished result in other annotation formats: CoNLL-U, W3C Web Annotation (JSON-LD) and brat standoff.

Pure functions of the stored result and the submitted text (no Flask, no Redis). Every format keeps the
result's offsets, Unicode code points into the exact submitted text, so each one can be parsed back to the
same spans: CoNLL-U in MISC `TokenRange=start:end` (UDPipe's convention), brat in its standoff offsets, Web
Annotation in a TextPositionSelector. With `utf16=True` every format counts UTF-16 code units instead, as
`?offsets=utf16` does for the JSON result (JavaScript tools); the texts and quotes themselves are unchanged.
"""

from __future__ import annotations

import base64
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from service.offsets import utf16_table

MEDIA_TYPES = {
    "conllu": "text/plain; charset=utf-8",
    "brat": "text/plain; charset=utf-8",
    "webannotation": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
}
EXTENSIONS = {"conllu": "conllu", "brat": "ann", "webannotation": "jsonld"}
EVENT_ROLES = ("trigger", "source", "target", "location", "date", "reported_by")
QUOTE_CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector, as annotation clients commonly use
_LINE_PIECE = re.compile(r"[^\r\n\u2028\u2029]+")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE_FIELD = re.compile(r"[\t\r\n\u2028\u2029]")


class FormatUnavailable(ValueError):
    """The result lacks a layer the format needs (CoNLL-U needs the tokens of the `syntax` task)."""


def render(fmt: str, result: dict[str, Any], text: str, job_url: str, utf16: bool = False) -> str:
    """The result as `fmt` (conllu, webannotation, brat), ready to send as UTF-8."""
    if fmt == "conllu":
        out = to_conllu(result, text, utf16)
    elif fmt == "brat":
        out = to_brat(result, text, utf16)
    elif fmt == "webannotation":
        out = json.dumps(to_webannotation(result, text, job_url, utf16), ensure_ascii=False, indent=1)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    # A lone surrogate (legal in the submitted JSON) cannot be encoded as UTF-8; one code point for one keeps
    # every offset valid.
    return _LONE_SURROGATE.sub("\ufffd", out)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


# ------------------------------------------------------------------------------------------------- CoNLL-U


def _field(value: str | None) -> str:
    """A CoNLL-U column: no tabs or line breaks, and "_" for empty."""
    cleaned = _UNSAFE_FIELD.sub(" ", value or "")
    return cleaned if cleaned.strip() else "_"


def _token_groups(words: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Words grouped by surface token: the parts of a multi-word token the tokenizer could not split by
    characters ("bukunya" -> buku + nya when they don't spell it) share one span and become a range line."""
    group: list[dict[str, Any]] = []
    for word in words:
        if group and (word["start"], word["end"]) == (group[0]["start"], group[0]["end"]):
            group.append(word)
        else:
            if group:
                yield group
            group = [word]
    if group:
        yield group


def _misc(text: str, start: int, end: int, marks: list[tuple[int, int, str, str]], seen: set[str],
          unit: list[int] | None) -> str:
    items = [f"TokenRange={unit[start] if unit else start}:{unit[end] if unit else end}"]
    if end < len(text) and not text[end].isspace():
        items.append("SpaceAfter=No")
    ner = [(kind, value) for s, e, kind, value in marks if kind == "entity" and _overlaps(s, e, start, end)]
    if ner:
        entity_id, entity_type = ner[0][1].split(" ", 1)
        items.append(f"NER={'I' if entity_id in seen else 'B'}-{entity_type}")
        seen.add(entity_id)
        items.append("Entity=" + ",".join(value.split(" ", 1)[0] for _, value in ner))
    roles = [value for s, e, kind, value in marks if kind == "event" and _overlaps(s, e, start, end)]
    if roles:
        items.append("Event=" + ",".join(roles))
    return "|".join(items)


def _sentence_marks(result: dict[str, Any]) -> dict[int, list[tuple[int, int, str, str]]]:
    """Per sentence: (start, end, "entity", "<id> <type>") and (start, end, "event", "<id>:<role>")."""
    marks: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for entity in result["entities"]:
        marks[entity["sentence"]].append((entity["start"], entity["end"], "entity", f"{entity['id']} {entity['type']}"))
    for event in result["events"]:
        for role in EVENT_ROLES:
            span = event.get(role)
            if span:
                marks[event["sentence"]].append((span["start"], span["end"], "event", f"{event['id']}:{role}"))
    return marks


def to_conllu(result: dict[str, Any], text: str, utf16: bool = False) -> str:
    """CoNLL-U, one block per sentence; NER (BIO), entity ids and event roles ("ev1:source") in MISC."""
    if "tokens" not in result:
        raise FormatUnavailable("CoNLL-U needs the tokens of the syntax task, and this job ran without it; "
                                "submit the document again with tasks including \"syntax\"")
    words: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for token in result["tokens"]:
        words[token["sentence"]].append(token)
    marks = _sentence_marks(result)
    unit = utf16_table(text) if utf16 else None
    lines: list[str] = []
    if result["document"].get("id"):
        lines.append(f"# newdoc id = {_field(result['document']['id'])}")
    for sentence in result["sentences"]:
        index = sentence["index"]
        if not words[index]:
            continue
        lines += [f"# sent_id = {index + 1}", f"# text = {_field(text[sentence['start']:sentence['end']])}"]
        seen: set[str] = set()
        for group in _token_groups(words[index]):
            first = group[0]
            misc = _misc(text, first["start"], first["end"], marks[index], seen, unit)
            if len(group) > 1:
                lines.append(f"{first['index']}-{group[-1]['index']}\t{_field(text[first['start']:first['end']])}"
                             f"\t_\t_\t_\t_\t_\t_\t_\t{misc}")
            for word in group:
                lines.append("\t".join([
                    str(word["index"]), _field(word["text"]), _field(word["lemma"]), word["upos"], "_",
                    _field(word["feats"]), str(word["head"]), _field(word["deprel"]), "_",
                    "_" if len(group) > 1 else misc]))
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------------------------------------------- brat


class _Standoff:
    def __init__(self, text: str, utf16: bool) -> None:
        self.text = text
        self.unit = utf16_table(text) if utf16 else None
        self.lines: list[str] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.by_span: dict[tuple[int, int], str] = {}
        self.triggers: dict[tuple[int, int, str], str] = {}

    def next_id(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def textbound(self, start: int, end: int, label: str) -> str:
        # brat spans cannot cross a line break: such a span is written as fragments ("0 5;6 10").
        pieces = [(start + m.start(), start + m.end()) for m in _LINE_PIECE.finditer(self.text[start:end])]
        pieces = pieces or [(start, end)]
        tid = self.next_id("T")
        unit = self.unit
        offsets = ";".join(f"{unit[s]} {unit[e]}" if unit else f"{s} {e}" for s, e in pieces)
        shown = " ".join(_UNSAFE_FIELD.sub(" ", self.text[s:e]) for s, e in pieces)
        self.lines.append(f"{tid}\t{label} {offsets}\t{shown}")
        return tid

    def mention(self, span: dict[str, Any], label: str) -> str:
        key = (span["start"], span["end"])
        if key not in self.by_span:
            self.by_span[key] = self.textbound(key[0], key[1], label)
        return self.by_span[key]

    def note(self, target: str, value: str) -> None:
        self.lines.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{value}")


def to_brat(result: dict[str, Any], text: str, utf16: bool = False) -> str:
    """brat standoff (.ann) for the submitted text: entities as text-bound annotations, events with Source,
    Target, Location and Time arguments, Negation/Speculation attributes, and our ids as AnnotatorNotes."""
    ann = _Standoff(text, utf16)
    for entity in result["entities"]:
        tid = ann.mention(entity, entity["type"])
        ann.note(tid, entity["id"])
    for event in result["events"]:
        trigger = event["trigger"]
        key = (trigger["start"], trigger["end"], event["type"])
        if key not in ann.triggers:  # one event per (source, target) pair: they share the trigger
            ann.triggers[key] = ann.textbound(trigger["start"], trigger["end"], event["type"])
        args = [f"{event['type']}:{ann.triggers[key]}"]
        for role, label, arg in (("source", "Actor", "Source"), ("target", "Actor", "Target"),
                                 ("location", "Location", "Location"), ("date", "Date", "Time")):
            if event.get(role):
                args.append(f"{arg}:{ann.mention(event[role], label)}")
        eid = ann.next_id("E")
        ann.lines.append(f"{eid}\t{' '.join(args)}")
        for flag, attribute in (("negated", "Negation"), ("hypothetical", "Speculation")):
            if event.get(flag):
                ann.lines.append(f"{ann.next_id('A')}\t{attribute} {eid}")
        ann.note(eid, event["id"])
    return "".join(line + "\n" for line in ann.lines)


# ------------------------------------------------------------------------------------------ Web Annotation


def document_iri(result: dict[str, Any]) -> str:
    """The annotated text as a resource: an RFC 6920 named-information IRI of its SHA-256.

    Not `document.url`: offsets point into the submitted text, not into whatever that page serves."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(result["document"]["sha256"])).decode().rstrip("=")
    return f"ni:///sha-256;{digest}"


def _selector_target(span: dict[str, Any], text: str, source: str, unit: list[int] | None) -> dict[str, Any]:
    start, end = span["start"], span["end"]
    return {"type": "SpecificResource", "source": source, "selector": [
        {"type": "TextPositionSelector", "start": unit[start] if unit else start, "end": unit[end] if unit else end},
        {"type": "TextQuoteSelector", "exact": text[start:end], "prefix": text[max(0, start - QUOTE_CONTEXT):start],
         "suffix": text[end:end + QUOTE_CONTEXT]},
    ]}


def _event_summary(event: dict[str, Any]) -> str:
    parts = [event["source"]["actor"]["name"], event["type"]]
    if event.get("target"):
        parts.append(event["target"]["actor"]["name"])
    flags = [flag for flag in ("negated", "hypothetical") if event.get(flag)]
    return " -> ".join(parts) + (f" ({', '.join(flags)})" if flags else "")


def to_webannotation(result: dict[str, Any], text: str, job_url: str, utf16: bool = False) -> dict[str, Any]:
    """A W3C Web Annotation collection (JSON-LD): one annotation per entity and per event.

    An event annotation targets its trigger; its actors, place and date are SpecificResources under
    `ba:source`, `ba:target`, `ba:location` and `ba:date` (terms of our own namespace, declared in the context).
    """
    source = document_iri(result)
    unit = utf16_table(text) if utf16 else None
    items: list[dict[str, Any]] = []
    for entity in result["entities"]:
        items.append({"id": f"{job_url}#{entity['id']}", "type": "Annotation", "motivation": "tagging",
                      "body": {"type": "TextualBody", "purpose": "tagging", "value": entity["type"]},
                      "target": _selector_target(entity, text, source, unit)})
    for event in result["events"]:
        annotation: dict[str, Any] = {
            "id": f"{job_url}#{event['id']}", "type": "Annotation", "motivation": "classifying",
            "body": [{"type": "TextualBody", "purpose": "classifying", "value": event["type"]},
                     {"type": "TextualBody", "purpose": "tagging", "value": event["quad_class"]},
                     {"type": "TextualBody", "purpose": "describing", "format": "text/plain",
                      "value": _event_summary(event)}],
            "target": _selector_target(event["trigger"], text, source, unit),
        }
        for role in ("source", "target", "location", "date"):
            if event.get(role):
                annotation[f"ba:{role}"] = _selector_target(event[role], text, source, unit)
        items.append(annotation)
    model = result["model"]
    return {
        "@context": ["http://www.w3.org/ns/anno.jsonld", {"ba": "https://berita-annotator.dev/ns#"}],
        "id": f"{job_url}?format=webannotation", "type": "AnnotationCollection",
        "label": f"Entities and events of {result['document'].get('id') or source}",
        "generator": {"type": "Software", "name": f"berita-annotator ({model['name']} {model['version']})"},
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
