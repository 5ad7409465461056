"""Actor mentions: titles, countries, capitals, IGOs and person names chunked into one actor per mention.

"Menteri Luar Negeri Korea Utara Choe Son Hui" is one mention (title + country + person) resolved to
Choe Son Hui / PRK / GOV. Mentions are found by one left-to-right pass over the sentence with dictionary
lookups; the tagger then picks among them with the dependency parse.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workers.document import Entity, Sentence
from workers.events.lexicon import ActorEntry, AgentEntry, Lexicon

PRONOUNS_FIRST = frozenset({"kami", "kita", "saya", "aku"})
# Words a mention may not start after if it is to be an actor rather than a place ("di Moskow").
PLACE_PREPS = frozenset({"di", "dari", "dalam", "sekitar", "menuju"})  # "ke X" may be a visit's host
SKIP_BEFORE = frozenset({"para", "seorang", "sang", "pihak", "kedua", "sejumlah", "beberapa"})
FUNCTION_WORDS = frozenset({"untuk", "di", "ke", "dari", "dan", "yang", "atau", "dengan", "pada", "oleh",
                            "terhadap", "kepada", "serta", "bagi", "dalam", "itu", "ini", "tersebut"})


@dataclass(frozen=True)
class Actor:
    name: str
    country: str | None = None
    igo: str | None = None
    sector: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.country or self.igo or self.sector)

    @property
    def code(self) -> str:
        return actor_code(self.as_dict()) or "UNK"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "igo": self.igo, "sector": self.sector}


def actor_code(actor: Mapping[str, Any] | None) -> str | None:
    """The normalised code used in the dev set: "IGO UN", "PRK GOV", "USA", "CVL", "UNK"; None for no actor."""
    if actor is None:
        return None
    if actor.get("igo"):
        return f"IGO {actor['igo']}"
    parts = [p for p in (actor.get("country"), actor.get("sector")) if p]
    return " ".join(parts) if parts else "UNK"


@dataclass
class Mention:
    first: int  # 0-based word positions of the whole mention (title + country + name), end exclusive
    last: int
    start: int  # character offsets in the document of the reported span (the name when there is one)
    end: int
    actor: Actor
    entity_id: str | None
    prep: str | None  # lower-cased word right before the mention
    kind: str  # kind of the main dictionary entry, "person" or "agent"

    def as_dict(self, text: str) -> dict[str, Any]:
        return {"text": text[self.start:self.end], "start": self.start, "end": self.end,
                "entity_id": self.entity_id, "actor": self.actor.as_dict()}

    @property
    def place_like(self) -> bool:
        return self.prep in PLACE_PREPS and self.kind in ("country", "capital")


@dataclass
class ActorMemory:
    """Per-document: names seen with a title ("Menlu AS Mike Pompeo") resolve later bare mentions ("Pompeo")."""

    names: dict[str, Actor] = field(default_factory=dict)

    def remember(self, text: str, actor: Actor) -> None:
        words = text.lower().split()
        self.names[" ".join(words)] = actor
        if len(words) > 1:  # "Pompeo" for Mike Pompeo, "Kim" for Kim Jong-un
            self.names.setdefault(words[-1], actor)
            self.names.setdefault(words[0], actor)

    def recall(self, text: str) -> Actor | None:
        words = text.lower().split()
        if len(words) == 1:
            return self.names.get(words[0])
        return self.names.get(" ".join(words)) or (self.names.get(words[-1]) if words else None)


@dataclass
class _Piece:
    first: int
    last: int
    kind: str  # an ActorEntry kind, "agent", "per" (NER person) or "org" (NER organisation)
    entry: ActorEntry | AgentEntry | None
    entity: Entity | None = None
    paren: bool = False


def _entity_starts(sentence: Sentence, entities: Sequence[Entity]) -> dict[int, tuple[int, Entity]]:
    """Word position -> (end position, entity) for the entities that start on a word boundary."""
    starts = {w.start: i for i, w in enumerate(sentence.words)}
    ends = {w.end: i for i, w in enumerate(sentence.words)}
    found = {}
    for ent in entities:
        if ent.start in starts and ent.end in ends and ent.type in ("PER", "ORG", "LOC"):
            found[starts[ent.start]] = (ends[ent.end] + 1, ent)
    return found


def _pieces(sentence: Sentence, entities: Sequence[Entity], lex: Lexicon) -> list[_Piece]:
    words = sentence.words
    texts = [w.text for w in words]
    lowers = [t.lower() for t in texts]
    ents = _entity_starts(sentence, entities)
    pieces: list[_Piece] = []
    i = 0
    while i < len(words):
        ent = ents.get(i)
        if ent and ent[1].type == "PER":
            i = _person_pieces(pieces, i, ent[0], ent[1], texts, lowers, lex)
            continue
        hit = lex.actors.match(texts, lowers, i)
        agent = lex.agents.match(texts, lowers, i)
        if hit and (not agent or hit[0] >= agent[0]):
            n, entry = hit
            pieces.append(_Piece(i, i + n, entry.kind, entry))
        elif agent:
            n, agent_entry = agent
            pieces.append(_Piece(i, i + n, "agent", agent_entry))
        elif ent and ent[1].type == "ORG":
            n = ent[0] - i
            pieces.append(_Piece(i, ent[0], "org", None, ent[1]))
        else:
            n = 1
        i += n
    return pieces


def _person_pieces(pieces: list[_Piece], i: int, end: int, entity: Entity, texts: Sequence[str],
                   lowers: Sequence[str], lex: Lexicon) -> int:
    """A PER entity, with the titles and countries NER often lets into it ("Putra Mahkota Saudi Mohammed bin
    Salman") split off as their own pieces; a "person" that is a place ("Abu Dhabi") becomes that place."""
    while i < end:
        title = lex.agents.match(texts, lowers, i)
        known = lex.actors.match(texts, lowers, i)
        if known and i + known[0] == end and known[1].kind != "person":
            pieces.append(_Piece(i, end, known[1].kind, known[1], entity))
            return end
        if title and i + title[0] < end:
            pieces.append(_Piece(i, i + title[0], "agent", title[1]))
            i += title[0]
        elif known and known[1].kind in ("country", "capital") and i + known[0] < end:
            pieces.append(_Piece(i, i + known[0], known[1].kind, known[1]))
            i += known[0]
        else:
            break
    pieces.append(_Piece(i, end, "per", None, entity))
    return end


def _mark_parens(pieces: list[_Piece], lowers: Sequence[str]) -> None:
    # An acronym in brackets repeats what precedes it ("Amerika Serikat (AS)"): joined, never resolved on its own.
    for p in pieces:
        if p.first > 0 and p.last < len(lowers) and lowers[p.first - 1] == "(" and lowers[p.last] == ")":
            p.paren = True


def _joins(chunk: list[_Piece], piece: _Piece, lowers: Sequence[str]) -> bool:
    last = chunk[-1]
    gap = lowers[last.last:piece.first]
    has_per = any(p.kind == "per" or p.kind == "person" for p in chunk)
    if piece.paren:
        return gap == ["("]
    if gap and gap not in ([")"], [","], [")", ","]) and not _modifier_gap(chunk, piece, gap):
        return False
    if "," in gap:  # apposition: "Menlu AS, Mike Pompeo" but not "Iran, Trump"
        return piece.kind in ("per", "person") and not has_per and any(p.kind == "agent" for p in chunk)
    if has_per:  # "Jacky Tsang, seorang demonstran": an apposition after the name
        return (piece.kind == "agent" and gap in ([","], [",", "seorang"], [",", "sang"])
                and not any(p.kind == "agent" for p in chunk))
    head = next((p for p in reversed(chunk) if not p.paren), last)
    if head.kind not in ("agent", "per", "person") and piece.kind not in ("agent", "per", "person"):
        return False  # two names side by side ("Tiongkok China") are two actors; a title binds them
    countries = {p.entry.country for p in chunk if isinstance(p.entry, ActorEntry) and p.entry.country and not p.paren}
    new_country = piece.entry.country if isinstance(piece.entry, ActorEntry) else None
    return not (new_country and countries and new_country not in countries)


def _modifier_gap(chunk: list[_Piece], piece: _Piece, gap: Sequence[str]) -> bool:
    """One descriptive word between a title and its country: "polisi bersenjata Rusia"."""
    return (len(gap) == 1 and gap[0].isalpha() and gap[0] not in FUNCTION_WORDS and chunk[-1].kind == "agent"
            and isinstance(piece.entry, ActorEntry) and piece.entry.kind in ("country", "capital", "seat"))


def _resolve(chunk: list[_Piece], memory: ActorMemory, lex: Lexicon, text: str, sentence: Sentence) -> Actor:
    words = sentence.words
    core = [p for p in chunk if not p.paren] or chunk
    country = igo = sector = weak_sector = None
    person: Actor | None = None
    per_text = None
    for p in core:
        if p.kind == "agent" and isinstance(p.entry, AgentEntry):
            if p.entry.weak:
                weak_sector = weak_sector or p.entry.sector
            else:
                sector = sector or p.entry.sector
        elif p.kind == "per":
            per_text = text[words[p.first].start:words[p.last - 1].end]
            person = _person(per_text, memory, lex)
        elif isinstance(p.entry, ActorEntry):
            entry = p.entry
            if entry.kind == "person":
                per_text = text[words[p.first].start:words[p.last - 1].end]
                person = Actor(entry.name, entry.country, entry.igo, entry.sector)
                continue
            if not (country or igo):
                country, igo = entry.country, entry.igo
                if sector is None:
                    sector = entry.sector
            elif sector is None and entry.country == country:
                sector = entry.sector
    if person is not None and not (country or igo):
        country, igo = person.country, person.igo
    if sector is None and person is not None and (person.country, person.igo) == (country, igo):
        sector = person.sector
    sector = sector or weak_sector
    if per_text is not None:
        name = person.name if person is not None and person.name.lower().endswith(per_text.lower()) else per_text
    elif len(core) == 1 and isinstance(core[0].entry, ActorEntry):
        name = core[0].entry.name
    else:
        name = text[words[core[0].first].start:words[core[-1].last - 1].end]
    return Actor(name, country, igo, sector)


def _person(name: str, memory: ActorMemory, lex: Lexicon) -> Actor | None:
    remembered = memory.recall(name)
    if remembered is not None:
        return remembered
    words = name.split()
    lowers = [w.lower() for w in words]
    for i in range(len(words)):
        hit = lex.actors.match(words, lowers, i)
        if hit and hit[1].kind == "person" and (i == 0 or i + hit[0] == len(words)):
            entry = hit[1]
            return Actor(entry.name, entry.country, entry.igo, entry.sector)
    return None


def find_mentions(sentence: Sentence, entities: Sequence[Entity], lex: Lexicon, memory: ActorMemory,
                  text: str) -> list[Mention]:
    """All actor mentions of a sentence, left to right; remembers titled person names in memory."""
    words = sentence.words
    lowers = [w.text.lower() for w in words]
    pieces = _pieces(sentence, entities, lex)
    _mark_parens(pieces, lowers)
    chunks: list[list[_Piece]] = []
    for piece in pieces:
        if chunks and _joins(chunks[-1], piece, lowers):
            chunks[-1].append(piece)
        elif not piece.paren or not chunks:
            chunks.append([piece])
    mentions = []
    for chunk in chunks:
        if all(isinstance(p.entry, AgentEntry) and p.entry.weak for p in chunk):
            continue  # a lone weak title ("kepala", "wakil") is no actor; "pemerintah", "militer" are
        actor = _resolve(chunk, memory, lex, text, sentence)
        per = next((p for p in chunk if p.kind in ("per", "person")), None)
        first, last = chunk[0].first, max(p.last for p in chunk)
        if chunk[-1].paren and last < len(lowers) and lowers[last] == ")":
            last += 1  # "Amerika Serikat (AS)" with its closing bracket
        # The reported span is the person when there is one ("Choe Son Hui"), the whole chunk otherwise.
        span_first, span_last = (per.first, per.last) if per else (first, last)
        if per is not None and actor.known and any(p.kind != per.kind for p in chunk):
            memory.remember(text[words[per.first].start:words[per.last - 1].end], actor)
        start, end = words[span_first].start, words[span_last - 1].end
        entity = per.entity if per is not None and per.entity is not None else next(
            (p.entity for p in chunk if p.entity is not None),
            next((e for e in entities if e.start < end and start < e.end), None))
        main = next((p for p in chunk if p.kind not in ("agent", "per") and not p.paren), None)
        prep_at = chunk[0].first - 1
        while prep_at >= 0 and lowers[prep_at] in SKIP_BEFORE:
            prep_at -= 1
        bare_place = len(chunk) == 1 and chunk[0].kind in ("country", "capital")
        if bare_place and prep_at >= 1 and lowers[prep_at] == ",":  # "di Jeddah, Saudi": a place too
            back = next((k for k in range(prep_at - 1, max(-1, prep_at - 5), -1) if lowers[k] in PLACE_PREPS), None)
            if back is not None and all(words[k].text[:1].isupper() for k in range(back + 1, prep_at)):
                prep_at = back
        mentions.append(Mention(first, last, start, end, actor,
                                entity.id if entity else None, lowers[prep_at] if prep_at >= 0 else None,
                                main.kind if main else ("person" if per else "agent")))
    _locate_agents(mentions, sentence)
    return mentions


def _locate_agents(mentions: list[Mention], sentence: Sentence) -> None:
    """A generic agent takes the country it is placed in: "demonstran di Hong Kong" -> HKG CVL."""
    for m, place in itertools.pairwise(mentions):
        if m.kind != "agent" or m.actor.country or m.actor.igo or not place.place_like or place.prep != "di":
            continue
        gap = sentence.words[m.last:place.first - 1]
        if len(gap) <= 2 and all(w.upos in ("NOUN", "ADJ", "PROPN") for w in gap):
            m.actor = replace(m.actor, country=place.actor.country)
