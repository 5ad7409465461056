"""PLOVER event tagging over a parsed Indonesian document: who did what to whom, when and where.

Pure logic over workers.document types. Per sentence: find actor mentions (actors.py) and trigger words
(lexicon lookups over generated surface forms, triggers.py), then read source and target off the dependency
parse - subject / object / "oleh" agent / prepositional target, voice-aware, climbing through control verbs and
coordination (roles.py) - with word-order fallbacks (nearest actor left / right, word_order.py) when the parse
gives nothing. Every rule is a constant number of dict lookups and bounded walks per word, so the cost is linear.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workers.document import Entity, ParsedDocument
from workers.events import lexicon as rules
from workers.events.actors import Actor, ActorMemory, Mention, find_mentions
from workers.events.dates import DateMention, find_dates
from workers.events.lexicon import NOUN, QUAD_CLASS, Lexicon, lexicon
from workers.events.modality import condition_actors, flagged, irrealis, retype
from workers.events.noun_phrases import usable
from workers.events.roles import find_roles, named_examples
from workers.events.sentence_view import SentenceView, build_view
from workers.events.speech import attribution
from workers.events.time_place import find_places, nearest_date, nearest_place
from workers.events.triggers import Trigger, blocked_words, find_triggers, suppress_nested


def _span(doc: ParsedDocument, s: SentenceView, first: int, last: int) -> dict[str, Any]:
    start, end = s.words[first].start, s.words[last - 1].end
    return {"text": doc.text[start:end], "start": start, "end": end}


def _sentence_events(doc: ParsedDocument, s: SentenceView, entities: Sequence[Entity],
                     lex: Lexicon) -> list[dict[str, Any]]:
    triggers = suppress_nested(s, find_triggers(s, lex, blocked_words(s, entities)))
    if not triggers:
        return []
    dates: list[DateMention] = find_dates(s.sentence.text, s.sentence.start, doc.published_at)
    places = find_places(s, doc.text, entities, lex)
    events: dict[tuple[Any, ...], dict[str, Any]] = {}
    carrier: dict[int, int | None] = {}  # id(record) -> light verb it came with
    for t in triggers:
        records, light = _trigger_events(doc, s, t, dates, places)
        for record in records:
            key = (record["type"], record["source"]["actor"]["name"], (record["target"] or {}).get("start"),
                   record["negated"], record["hypothetical"])
            if key not in events or events[key]["confidence"] < record["confidence"]:
                events[key] = record
                carrier[id(record)] = light
    records = list(events.values())
    # "menembakkan meriam air dan gas air mata untuk membubarkan ...": one act under one verb, keep the aimed one.
    aimed = {(r["type"], r["source"]["actor"]["name"], carrier[id(r)]) for r in records if r["target"] is not None}
    records = [r for r in records if r["target"] is not None or carrier[id(r)] is None
               or (r["type"], r["source"]["actor"]["name"], carrier[id(r)]) not in aimed]
    return _protest_topics(records)


def _protest_topics(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The demands and slogans of a protest are its topic, not separate events (PLOVER manual, PROTEST)."""
    protesters = {r["source"]["actor"]["name"] for r in records if r["type"] == "PROTEST"}
    if not protesters:
        return records
    return [r for r in records if not (r["type"] == "DEMAND" or (
        r["quad_class"].startswith("verbal") and r["source"]["actor"]["name"] in protesters))]


def _adverbial(s: SentenceView, t: Trigger, inner: Trigger) -> bool:
    """The inner trigger sits in a clause of its own, opened by "setelah", "karena"...: its target is not the
    outer trigger's ("Korut Luncurkan Rudal Setelah Nyatakan Bersedia Berunding dengan AS" is no launch at the
    US). Read from word order, which holds however the clause was parsed."""
    first, last = (t.last, inner.first) if inner.first > t.first else (inner.last, t.first)
    return any(s.lowers[k] in rules.SUBORDINATORS for k in range(first, last))


def _trigger_events(doc: ParsedDocument, s: SentenceView, t: Trigger, dates: list[DateMention],
                    places: list[tuple[int, dict[str, Any]]]) -> tuple[list[dict[str, Any]], int | None]:
    """The records of one trigger, one per (source, target) pair, and the light verb that carried it."""
    entry = t.form.entry
    span, speaker = attribution(s, t)
    roles = find_roles(s, t, speaker)
    sources = [m for m in roles.sources if usable(m)]
    crowd = [] if sources else _protesters(s, t)
    sources = sources or crowd
    for k in range(t.first, t.last):
        s.sources_at[k] = sources
    targets = named_examples(s, [m for m in roles.targets if m.actor.known and m not in sources], t.last)
    if not targets and t.inner is not None and not _adverbial(s, t, t.inner):
        # "menolak bertemu Trump": the complement's target
        inner = find_roles(s, t.inner, speaker)
        targets = [m for m in inner.targets if m.actor.known and m not in sources]
    if not sources or (t.voice == NOUN and roles.light is None and not targets and not crowd):
        return [], None  # no actor, or a bare nominal ("tuduhan AS") that refers to an event, not a report
    # Negation and modality sit on the light verb of a nominal trigger: "tidak akan melakukan pembicaraan".
    at = [t.first] if roles.light is None else [t.first, roles.light]
    negated = any(flagged(s, i, rules.NEGATIONS) for i in at)
    future = any(flagged(s, i, rules.FUTURE) for i in at)
    etype, negated, hypothetical = retype(entry.type, entry.flags, negated, future)
    halted = etype == "CONSULT" and t.voice == NOUN and _talks_ended(s, t)
    if halted:
        etype = "SANCTION"
    # A cooperation needs its partner, named in the dictionary or not; the intent to cooperate (AGREE) does not.
    if etype == entry.type and (("target" in entry.flags and not targets)
                                or ("partner" in entry.flags and not targets and len(roles.sources) < 2)):
        return [], None
    hypothetical = hypothetical or any(flagged(s, i, rules.MODAL) for i in at) or irrealis(s, t)
    if "assault" in entry.flags and targets:
        etype = "ASSAULT"
    if (etype == "ASSAULT" and future and not negated) or (etype == "THREATEN" and not targets):
        # Force announced on a condition is a threat to whoever the condition names (PLOVER's THREATEN):
        # "siap berperang jika diserang koalisi Saudi dan AS"; a warning's addressee is often only there.
        condition = [m for m in condition_actors(s, t) if m not in sources]
        if condition:
            if etype == "ASSAULT":  # the threat is made now, not hypothetical
                etype, hypothetical = "THREATEN", False
            targets = targets or condition
    confidence = round(max(0.05, min(1.0, t.confidence * roles.linear * (0.9 if t.voice == NOUN else 1.0))), 2)
    base = {
        "type": etype, "quad_class": QUAD_CLASS[etype],
        "mode": "withdraw" if halted else entry.mode if etype == entry.type else None,
        "trigger": _span(doc, s, t.first, t.last),
        "location": nearest_place(t, places),
        "date": nearest_date(s, t, dates), "sentence": s.sentence.index, "negated": negated,
        "hypothetical": hypothetical, "reported_by": _span(doc, s, *span) if span else None,
        "confidence": confidence, "evidence": s.sentence.text,
    }
    records = []
    for src in sources:
        options: list[Mention | None] = [m for m in targets if not _same_actor(src.actor, m.actor)] or [None]
        for tgt in options:
            record = base | {"source": src.as_dict(doc.text),
                             "target": tgt.as_dict(doc.text) if tgt is not None else None}
            sector = src.actor.sector
            if etype == "ASSAULT" and sector == "DIP":  # a diplomat "menyerang" with words
                record |= {"type": "DISAPPROVE", "quad_class": QUAD_CLASS["DISAPPROVE"], "mode": "disapprove"}
            elif etype == "ASSAULT" and sector == "COP" and "raid" in entry.flags:
                record |= {"type": "COERCE", "quad_class": QUAD_CLASS["COERCE"], "mode": "seize"}
            elif sector == "CVL" and etype in ("ASSAULT", "COERCE") and not src.actor.igo:
                # Violence and blockades by civilians are riots and obstruction: PROTEST in PLOVER.
                record |= {"type": "PROTEST", "quad_class": QUAD_CLASS["PROTEST"],
                           "mode": "riot" if etype == "ASSAULT" else "obstruct"}
            records.append(record)
    return records, roles.light


def _protesters(s: SentenceView, t: Trigger) -> list[Mention]:
    """The crowd a protest noun hangs under, when the noun has no agent of its own: "Massa beratribut PMII
    demo" (a headline). Only a governing crowd counts: a crowd elsewhere in the sentence ("Pada aksi demo Minggu,
    para demonstran melemparkan ...") is the agent of another verb, and the noun only names an ongoing protest."""
    if t.voice != NOUN or t.form.entry.type != "PROTEST":
        return []
    cur: int | None = t.first
    for _ in range(3):
        cur = s.head(cur) if cur is not None else None
        if cur is None:
            return []
        m = s.mention_at.get(cur)
        if m is not None and m.actor.sector == "CVL" and usable(m):
            return [m]
    return []


def _talks_ended(s: SentenceView, t: Trigger) -> bool:
    """The talks noun is the subject of a word saying they are over, in its own clause: "perundingan damai dengan
    Taliban sudah tutup buku", "pembicaraan itu dihentikan"."""
    for j in range(t.last, min(len(s.lowers), t.last + 8)):
        w = s.lowers[j]
        if w in rules.TALKS_ENDED and (w != "tutup" or s.lowers[j + 1:j + 2] == ["buku"]):
            return True
        if w in (",", ".", ";") or w in rules.STOPS or w in rules.SUBORDINATORS:
            return False
    return False


def _same_actor(src: Actor, tgt: Actor) -> bool:
    """Self-directed: the same code, or a bare country/IGO the source belongs to ("Rusia" for Putin)."""
    if src.code == tgt.code:
        return True
    same_body = (tgt.country and tgt.country == src.country) or (tgt.igo and tgt.igo == src.igo)
    return bool(same_body) and (tgt.sector is None or tgt.sector == src.sector)


def tag_events(doc: ParsedDocument) -> list[dict[str, Any]]:
    """PLOVER event records for a parsed document, in text order, with ids ev1, ev2, ..."""
    lex = lexicon()
    memory = ActorMemory()
    by_sentence: dict[int, list[Entity]] = {}
    for ent in doc.entities:
        by_sentence.setdefault(ent.sentence, []).append(ent)
    events: list[dict[str, Any]] = []
    for sentence in doc.sentences:
        entities = by_sentence.get(sentence.index, [])
        mentions = find_mentions(sentence, entities, lex, memory, doc.text)
        events.extend(_sentence_events(doc, build_view(sentence, mentions), entities, lex))
    events.sort(key=lambda e: (e["trigger"]["start"], e["source"]["start"]))
    return [{"id": f"ev{n}"} | e for n, e in enumerate(events, 1)]
