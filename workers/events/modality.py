"""Whether an event is reported as real: negation, future and modal markers around a trigger, irrealis
clauses, and PLOVER's intent rules that turn a negated or announced act into another event type.
"""

from __future__ import annotations

import itertools

from workers.events import lexicon as rules
from workers.events.actors import Mention
from workers.events.sentence_view import SentenceView
from workers.events.triggers import Trigger


def _marker(s: SentenceView, j: int, words: frozenset[str]) -> bool:
    return s.lowers[j] in words and s.lowers[j + 1:j + 2] != ["tetapi"]  # "Akan tetapi" means "however"


def _before(s: SentenceView, i: int, words: frozenset[str]) -> bool:
    j = i - 1
    while j >= 0 and i - j <= 4:
        if _marker(s, j, words):
            return True
        if s.lowers[j] not in rules.AUX_SKIP and s.lowers[j] not in rules.NEGATIONS:
            return False
        j -= 1
    return False


def flagged(s: SentenceView, i: int, words: frozenset[str]) -> bool:
    """A marker before the word or attached to it, or to the verb it is the complement of."""
    if _before(s, i, words) or any(_marker(s, c, words) for c in s.children[i]
                                   if s.rel(c) in ("advmod", "aux", "mark", "det", "cc")):
        return True
    h = s.head(i)
    if h is not None and s.rel(i) in ("xcomp", "ccomp"):
        return s.lowers[h] in words or _before(s, h, words)
    if h is not None and s.rel(i) == "conj":  # "bisa menghemat waktu dan bertemu": the marker covers both
        if words == rules.NEGATIONS and any(s.rel(c) in ("obj", "obl", "ccomp", "xcomp") for c in s.children[h]
                                             if h < c < i):
            # "tidak ikut dalam koalisi ini dan menolak keterlibatan Israel": a verb with its own complement
            # closes what "tidak" denies; the next one is asserted
            return False
        return flagged(s, h, words)
    return False


def irrealis(s: SentenceView, t: Trigger) -> bool:
    """Conditional ("jika"), purpose ("agar") or question: the event is not reported as real."""
    clause = s.lowers[:t.first]
    # A condition inside a quote does not reach past its end: "... jika diperlukan," ungkap Putin setelah
    # melakukan pembicaraan dengan ...
    after_quote = next((k + 1 for k in range(len(clause) - 1, -1, -1) if clause[k] in rules.QUOTE_MARKS), 0)
    if any(w in rules.CONDITIONAL for w in clause[after_quote:]):
        return True
    if any(a == "hanya" and b in rules.ONLY_WHEN for a, b in itertools.pairwise(clause)):
        return True
    near = clause[-6:]
    if any(w in rules.PURPOSE and "," not in near[k:] for k, w in enumerate(near)):
        return True
    if "atas" in clause[-4:] and "jawab" in clause[-6:] and "," not in clause[-6:]:
        return True  # "mengaku bertanggung jawab atas serangan": a claim, not a report
    # "ingin Iran berhenti ...", "senang melihat Korut dan AS melanjutkan ...": someone else's act, wished for;
    # "mencegah jet Israel melakukan serangan": prevented
    for k in range(max(0, t.first - 10), t.first):
        if s.lowers[k] in rules.WISH | rules.PREVENT and "," not in s.lowers[k:t.first] and any(
                j in s.mention_at for j in range(k + 1, t.first)):
            return True
    return False


def condition_actors(s: SentenceView, t: Trigger, window: int = 12) -> list[Mention]:
    """The actors of a condition after the trigger, up to the end of its clause: "siap berperang jika diserang
    koalisi Saudi dan AS", "perundingan bisa berakhir kecuali Washington mengambil pendekatan baru"."""
    end = len(s.lowers)
    for k in range(t.last, min(end, t.last + window)):
        if s.lowers[k] in (".", ";"):
            return []
        if s.lowers[k] in rules.CONDITIONAL:
            stop = next((j for j in range(k + 1, end) if s.lowers[j] in (",", ".", ";")), end)
            return [m for m in s.mentions if k < m.first < stop and m.actor.known and not m.place_like]
    return []


def retype(entry_type: str, flags: frozenset[str], negated: bool, future: bool) -> tuple[str, bool, bool]:
    """(type, negated, hypothetical) after PLOVER's rules for intent: future cooperation is AGREE,
    announced retreat is CONCEDE, refused cooperation ("tidak akan bertemu") is REJECT."""
    intent = "future" in flags
    if negated and (entry_type == "AGREE" or (future and entry_type in rules.COOPERATIVE_FUTURE)):
        return "REJECT", False, False
    if future and not intent and entry_type in rules.COOPERATIVE_FUTURE:
        return rules.COOPERATIVE_FUTURE[entry_type], negated, False
    return entry_type, negated, future and not intent
