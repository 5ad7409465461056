"""When and where: the place phrases of a sentence ("di Teheran") and the date and place nearest a trigger.

Dates themselves are found in dates.py; here they are only attached.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workers.document import Entity
from workers.events import lexicon as rules
from workers.events.dates import DateMention
from workers.events.lexicon import Lexicon
from workers.events.sentence_view import SentenceView
from workers.events.triggers import Trigger


def find_places(s: SentenceView, text: str, entities: Sequence[Entity],
                lex: Lexicon) -> list[tuple[int, dict[str, Any]]]:
    found = []
    for m in s.mentions:
        if m.prep in rules.PLACE_WORDS and m.kind in ("country", "capital"):
            found.append((m.first, {"text": text[m.start:m.end], "start": m.start, "end": m.end,
                                    "country": m.actor.country}))
    starts = {w.start: i for i, w in enumerate(s.words)}
    for ent in entities:
        i = starts.get(ent.start)
        if ent.type != "LOC" or i is None or i == 0 or i in s.mention_at or s.lowers[i - 1] not in rules.PLACE_WORDS:
            continue
        words = ent.text.split()
        hit = lex.actors.match(words, [w.lower() for w in words], 0)
        country = hit[1].country if hit and hit[0] == len(words) else None
        found.append((i, {"text": ent.text, "start": ent.start, "end": ent.end, "country": country}))
    return found


def nearest_date(s: SentenceView, t: Trigger, dates: Sequence[DateMention]) -> dict[str, object] | None:
    date = min(dates, key=lambda d: abs(d.start - s.words[t.first].start), default=None)
    return date.as_dict() if date else None


def nearest_place(t: Trigger, places: Sequence[tuple[int, dict[str, Any]]]) -> dict[str, Any] | None:
    place = min(places, key=lambda p: abs(p[0] - t.first), default=None)
    return place[1] if place and abs(place[0] - t.first) <= 12 else None
