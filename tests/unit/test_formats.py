"""Each export format round-trips the offsets: parse the output back and compare with the JSON result's spans."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest

from service.formats import FormatUnavailable, document_iri, render, to_brat, to_conllu, to_webannotation
from tests.openapi_contract import validate_response, validate_schema

# Emoji (astral, and a ZWJ sequence), curly quotes, a combining accent and CRLF line ends: each shifts a
# naive offset computation somewhere.
TEXT = ("Menlu Retno Marsudi 👩‍💼 bertemu Menlu Jepang Taro Kono di Tokyo, Senin (16/9/2019).\r\n"
        "“Kami sepakat,” kata Retno 🇮🇩 tentang Korea Utara.\r\n"
        "Cafe\u0301 Jakarta tutup karena bukunya hilang.\r\n")
TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
JOB_URL = "http://127.0.0.1:8000/v1/jobs/abc123"


def span(text: str, piece: str, after: int = 0) -> dict[str, Any]:
    start = text.index(piece, after)
    return {"text": piece, "start": start, "end": start + len(piece)}


def skeleton(text: str, syntax: bool = True) -> dict[str, Any]:
    """A result shaped like the worker's, with one sentence per line, regex tokens and no annotations yet."""
    sentences, tokens = [], []
    for index, line in enumerate(re.finditer(r"[^\r\n]+", text)):
        sentences.append({"index": index, "start": line.start(), "end": line.end()})
        number = 0
        for tok in TOKEN.finditer(text, line.start(), line.end()):
            # "bukunya": a multi-word token whose parts could not be given slices of their own share its span
            for word in (["buku", "nya"] if tok.group() == "bukunya" else [tok.group()]):
                number += 1
                tokens.append({"sentence": index, "index": number, "text": word, "lemma": word.lower(),
                               "upos": "X", "feats": "", "head": 0, "deprel": "dep", "start": tok.start(),
                               "end": tok.end()})
    result: dict[str, Any] = {
        "schema_version": "1.0",
        "document": {"id": "doc-1", "language": "id", "title": None, "url": None, "published_at": None,
                     "char_count": len(text), "sha256": "ab" * 32, "dateline": None},
        "model": {"name": "berita-id", "version": "test", "components": ["tokenize", "ner"]},
        "offsets": "codepoint", "sentences": sentences, "entities": [], "sentiment": None,
        "events": [], "boilerplate": [], "warnings": [], "timings_ms": {"total": 1.0},
    }
    if syntax:
        result["tokens"] = tokens
    return result


def make_result(syntax: bool = True) -> dict[str, Any]:
    """TEXT with entities and one event, the event's roles all filled."""
    result = skeleton(TEXT, syntax)
    for piece, kind in [("Retno Marsudi", "PER"), ("Jepang", "LOC"), ("Taro Kono", "PER"), ("Tokyo", "LOC"),
                        ("Retno", "PER"), ("Korea Utara", "LOC"), ("Jakarta", "LOC")]:
        found = span(TEXT, piece, TEXT.index("kata") if piece == "Retno" else 0)
        sentence = next(s["index"] for s in result["sentences"] if s["start"] <= found["start"] < s["end"])
        result["entities"].append({"id": f"e{len(result['entities']) + 1}", "type": kind, "sentence": sentence,
                                   **found})
    actor = {"country": "IDN", "igo": None, "sector": "GOV"}
    retno = {**span(TEXT, "Menlu Retno Marsudi"), "entity_id": "e1", "actor": {"name": "Retno Marsudi", **actor}}
    kono = {**span(TEXT, "Taro Kono"), "entity_id": "e3", "actor": {"name": "Taro Kono", **actor, "country": "JPN"}}
    first = result["sentences"][0]
    result["events"].append({
        "id": "ev1", "type": "CONSULT", "quad_class": "verbal cooperation", "mode": None,
        "trigger": span(TEXT, "bertemu"), "source": retno, "target": kono,
        "location": {**span(TEXT, "Tokyo"), "country": "JPN"},
        "date": {**span(TEXT, "Senin (16/9/2019)"), "resolved": "2019-09-16"}, "sentence": 0,
        "negated": False, "hypothetical": True, "reported_by": None, "confidence": 0.8,
        "evidence": TEXT[first["start"]:first["end"]]})
    return result


def spans_of_result(result: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """The reference: every entity and event role span of the JSON result, keyed like the formats' ids."""
    out = {e["id"]: (e["start"], e["end"]) for e in result["entities"]}
    for event in result["events"]:
        for role in ("trigger", "source", "target", "location", "date"):
            if event.get(role):
                out[f"{event['id']}:{role}"] = (event[role]["start"], event[role]["end"])
    return out


def codepoints(text: str) -> dict[int, int]:
    """UTF-16 code unit offset -> code point offset, computed independently of service.offsets."""
    out, units = {0: 0}, 0
    for index, char in enumerate(text, start=1):
        units += len(char.encode("utf-16-le")) // 2
        out[units] = index
    return out


# ------------------------------------------------------------------------------------------------ CoNLL-U


def parse_conllu(data: str, text: str = TEXT, utf16: bool = False
                 ) -> tuple[dict[str, tuple[int, int]], dict[str, list[str]]]:
    """Spans per entity id and event role from TokenRange (in code points), and the NER tags per entity id."""
    back = codepoints(text) if utf16 else None
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    tags: dict[str, list[str]] = defaultdict(list)
    for line in data.splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        assert len(cols) == 10, line
        if cols[9] == "_":
            assert cols[0].isdigit()  # a word of a multi-word token: its range line carries the MISC
            continue
        misc = dict(item.split("=", 1) for item in cols[9].split("|"))
        start, end = map(int, misc["TokenRange"].split(":"))
        if back:
            start, end = back[start], back[end]
        if cols[0][0].isdigit():
            assert text[start:end] == cols[1], line
        for entity_id in misc.get("Entity", "").split(","):
            if entity_id:
                ranges[entity_id].append((start, end))
                tags[entity_id].append(misc["NER"])
        for role in misc.get("Event", "").split(","):
            if role:
                ranges[role].append((start, end))
    return {k: (min(s for s, _ in v), max(e for _, e in v)) for k, v in ranges.items()}, tags


@pytest.mark.parametrize("utf16", [False, True])
def test_conllu_round_trips_entity_and_event_offsets(utf16: bool) -> None:
    result = make_result()
    data = to_conllu(result, TEXT, utf16)
    spans, tags = parse_conllu(data, TEXT, utf16)
    assert spans == spans_of_result(result)
    assert tags["e1"] == ["B-PER", "I-PER"] and tags["e6"] == ["B-LOC", "I-LOC"]


def test_conllu_token_ranges_slice_the_forms_and_sentences_are_blocks() -> None:
    result = make_result()
    data = to_conllu(result, TEXT)
    blocks = [b for b in data.split("\n\n") if b.strip()]
    assert len(blocks) == 3 and data.startswith("# newdoc id = doc-1\n") and data.endswith("\n\n")
    assert "\r" not in data  # the CRLF of the text never leaks into a # text comment
    for line in data.splitlines():
        cols = line.split("\t")
        if len(cols) == 10 and "TokenRange=" in cols[9]:
            misc = dict(item.split("=", 1) for item in cols[9].split("|"))
            start, end = map(int, misc["TokenRange"].split(":"))
            assert TEXT[start:end] == cols[1]
            assert ("SpaceAfter" in misc) == (end < len(TEXT) and not TEXT[end].isspace())
    assert re.search(r"^(\d+)-(\d+)\tbukunya\t", data, re.M)  # the multi-word token became a range line
    assert "\tbuku\tbuku\tX\t_\t_\t0\tdep\t_\t_" in data


def test_conllu_without_tokens_is_unavailable() -> None:
    with pytest.raises(FormatUnavailable, match="syntax"):
        to_conllu(make_result(syntax=False), TEXT)


# ---------------------------------------------------------------------------------------------------- brat


def parse_brat(data: str, text: str = TEXT, utf16: bool = False) -> dict[str, tuple[int, int]]:
    """Spans per our id (in code points): entities through their AnnotatorNotes, event roles through the E lines."""
    back = codepoints(text) if utf16 else None
    bounds: dict[str, tuple[str, int, int]] = {}
    events: dict[str, list[tuple[str, str]]] = {}
    notes: dict[str, str] = {}
    for line in data.splitlines():
        ident, rest = line.split("\t", 1)
        if ident.startswith("T"):
            head, shown = rest.split("\t")
            label, offsets = head.split(" ", 1)
            fragments = [tuple(map(int, f.split())) for f in offsets.split(";")]
            if back:
                fragments = [(back[s], back[e]) for s, e in fragments]
            assert shown == " ".join(text[s:e] for s, e in fragments)
            bounds[ident] = (label, fragments[0][0], fragments[-1][1])
        elif ident.startswith("E"):
            events[ident] = [(arg.split(":")[0], arg.split(":")[1]) for arg in rest.split()]
        elif ident.startswith("#"):
            _, target, value = rest.replace("\t", " ").split(" ")
            notes[target] = value
    out = {notes[t]: (s, e) for t, (_, s, e) in bounds.items() if t in notes}
    role = {"Source": "source", "Target": "target", "Location": "location", "Time": "date"}
    for eid, args in events.items():
        (etype, trigger), *arguments = args
        assert bounds[trigger][0] == etype
        out[f"{notes[eid]}:trigger"] = bounds[trigger][1:]
        for name, tid in arguments:
            out[f"{notes[eid]}:{role[name]}"] = bounds[tid][1:]
    return out


@pytest.mark.parametrize("utf16", [False, True])
def test_brat_round_trips_entity_and_event_offsets(utf16: bool) -> None:
    result = make_result()
    data = to_brat(result, TEXT, utf16)
    assert parse_brat(data, TEXT, utf16) == spans_of_result(result)
    assert re.search(r"^A\d+\tSpeculation E1$", data, re.M) and "Negation" not in data
    assert "Source:" in data and "Time:" in data


def test_brat_splits_a_span_across_a_line_break_into_fragments() -> None:
    result = make_result()
    start, end = TEXT.index("Tokyo"), TEXT.index("Kami") + 4  # crosses the first CRLF
    result["entities"] = [{"id": "e1", "text": TEXT[start:end], "type": "LOC", "start": start, "end": end,
                           "sentence": 0}]
    result["events"] = []
    data = to_brat(result, TEXT)
    assert re.search(rf"^T1\tLOC {start} \d+;\d+ {end}\t", data, re.M), data
    assert parse_brat(data) == {"e1": (start, end)}


# ------------------------------------------------------------------------------------------ Web Annotation


def parse_webannotation(collection: dict[str, Any], text: str, utf16: bool) -> dict[str, tuple[int, int]]:
    units = text.encode("utf-16-le")
    out = {}
    for item in collection["first"]["items"]:
        ident = item["id"].split("#", 1)[1]
        targets = {"trigger" if ident.startswith("ev") else "": item["target"],
                   **{k[3:]: v for k, v in item.items() if k.startswith("ba:")}}
        for role, target in targets.items():
            position, quote = target["selector"]
            start, end = position["start"], position["end"]
            exact = units[2 * start:2 * end].decode("utf-16-le") if utf16 else text[start:end]
            assert exact == quote["exact"]
            assert text.find(quote["prefix"] + quote["exact"] + quote["suffix"]) >= 0
            if utf16:  # back to code points, to compare with the JSON result
                start = len(units[:2 * start].decode("utf-16-le"))
                end = start + len(quote["exact"])
            out[f"{ident}:{role}" if role else ident] = (start, end)
    return out


@pytest.mark.parametrize("utf16", [False, True])
def test_webannotation_round_trips_offsets(utf16: bool) -> None:
    result = make_result()
    collection = to_webannotation(result, TEXT, JOB_URL, utf16=utf16)
    validate_schema("WebAnnotationCollection", collection)
    assert parse_webannotation(collection, TEXT, utf16) == spans_of_result(result)
    assert collection["total"] == len(result["entities"]) + len(result["events"])
    tokyo = next(i for i in collection["first"]["items"] if i["id"].endswith("#e4"))
    assert tokyo["body"]["value"] == "LOC" and tokyo["target"]["source"] == document_iri(result)
    if utf16:  # the emoji before Tokyo count twice in UTF-16
        assert tokyo["target"]["selector"][0]["start"] > TEXT.index("Tokyo")


def test_utf16_offsets_differ_from_code_points_after_an_emoji() -> None:
    result = make_result()
    start = TEXT.index("Korea Utara")
    assert f"LOC {start} " in to_brat(result, TEXT) and f"LOC {start} " not in to_brat(result, TEXT, utf16=True)
    assert f"TokenRange={start}:" in to_conllu(result, TEXT)
    assert f"TokenRange={start}:" not in to_conllu(result, TEXT, utf16=True)


def test_webannotation_is_documented_json_ld() -> None:
    body = render("webannotation", make_result(), TEXT, JOB_URL)
    collection = json.loads(body)
    assert collection["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    validate_response("get", "/v1/jobs/{job_id}", 200, collection, "application/ld+json")
    assert document_iri(make_result()) == "ni:///sha-256;q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s"


def test_render_keeps_offsets_with_a_lone_surrogate() -> None:
    text = "Jokowi \ud800 di Tokyo."
    result = skeleton(text)
    start = text.index("Tokyo")
    result["entities"] = [{"id": "e1", "text": "Tokyo", "type": "LOC", "start": start, "end": start + 5,
                           "sentence": 0}]
    out = render("brat", result, text, JOB_URL)
    out.encode("utf-8")  # would raise on the lone surrogate
    assert f"LOC {start} {start + 5}\tTokyo" in out
    conllu = render("conllu", result, text, JOB_URL)
    assert "\ufffd" in conllu and f"TokenRange={start}:{start + 5}" in conllu
