"""Trigger words of a sentence: lexicon lookups over generated surface forms, one event per predication.

A word is looked up as written and without its clitic ("serangannya"); where the generated forms miss a
derivation the lemmatiser knows, its lemma is tried at lower confidence. A trigger governed by another one
("menolak bertemu") is folded into it, so that each predication yields one event.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workers.document import Entity
from workers.events import lexicon as rules
from workers.events.lexicon import ACTIVE, NOUN, PASSIVE, Lexicon, TriggerForm
from workers.events.sentence_view import SentenceView


@dataclass
class Trigger:
    first: int  # 0-based word positions, end exclusive
    last: int
    form: TriggerForm
    confidence: float
    voice: str = ""
    inner: Trigger | None = None  # the complement it governs ("menolak bertemu Trump" -> bertemu)

    def __post_init__(self) -> None:
        self.voice = self.voice or self.form.voice

    @property
    def type(self) -> str:
        return self.form.entry.type

    @property
    def theme(self) -> bool:
        return "theme" in self.form.entry.flags

    @property
    def target_type(self) -> str:
        """The type whose target prepositions apply: a missile launch "ke Jepang" is aimed like an attack."""
        return "ASSAULT" if "assault" in self.form.entry.flags else self.type


def _near(s: SentenceView, first: int, last: int, words: frozenset[str]) -> bool:
    lo, hi = max(0, first - 3), min(len(s.lowers), last + 3)
    window = [*s.lowers[lo:first], "|", *s.lowers[last:hi]]  # the trigger's own words are not its context
    return any(w in words for w in window) or any(f"{a} {b}" in words for a, b in itertools.pairwise(window))


def _match(s: SentenceView, i: int, forms: Iterable[TriggerForm]) -> TriggerForm | None:
    for form in forms:
        n = len(form.rest)
        if n and tuple(s.lowers[i + 1:i + 1 + n]) != form.rest:
            continue
        entry = form.entry
        if entry.context and not _near(s, i, i + 1 + n, entry.context):
            continue
        if entry.notctx and _near(s, i, i + 1 + n, entry.notctx):
            continue
        if form.bare and i > 0 and s.lowers[i - 1] in rules.BARE_BLOCKERS:
            continue
        if "noverb" in entry.flags and i + 1 < len(s.words) and s.words[i + 1].upos == "VERB":
            continue
        if form.voice == ACTIVE and s.words[i].upos == "ADJ":
            continue  # "perasaan mendesak" (urgent), not "mendesak" (to urge)
        return form
    return None


def find_triggers(s: SentenceView, lex: Lexicon, blocked: set[int]) -> list[Trigger]:
    found: list[Trigger] = []
    i = 0
    while i < len(s.lowers):
        if i in blocked:
            i += 1
            continue
        word = s.lowers[i]
        keys = [word, *(word[:-len(c)] for c in rules.CLITICS if word.endswith(c) and len(word) > len(c) + 3)]
        form = next((f for k in keys if (f := _match(s, i, lex.triggers.get(k, ()))) is not None), None)
        confidence = 0.9
        code = rules.verb_code(word)
        if form is None and s.words[i].upos == "VERB" and s.lemmas[i] != word and code is not None:
            # The lemmatiser knows a derivation the generated forms miss: trust it, a little less, and only
            # for the same kind of derivation ("bersalah" is not "menyalahkan").
            form = _match(s, i, lex.roots.get((s.lemmas[i], code), ()))
            confidence = 0.75
        if form is None:
            i += 1
            continue
        voice = form.voice
        if confidence < 0.9:  # found by lemma: the surface prefix tells the voice
            voice = PASSIVE if word.startswith(("di", "ter")) else ACTIVE
        if voice == ACTIVE and "Voice=Pass" in s.words[i].feats:
            voice = PASSIVE
        if voice == NOUN and s.words[i].upos == "VERB" and not form.patient:
            voice = ACTIVE  # a noun form used as a verb in a headline: "Massa PMII Demo"
        if "weak" in form.entry.flags:
            confidence -= 0.25
        last = i + 1 + len(form.rest)
        if not (voice == NOUN and _anaphoric(s, last)):
            found.append(Trigger(i, last, form, confidence, voice))
        i = last
    return found


def _anaphoric(s: SentenceView, last: int) -> bool:
    """ "serangan itu", "tuduhan tersebut": a noun pointing back at an event reported before."""
    return any(w in rules.DEMONSTRATIVES for w in s.lowers[last:last + 2])


def _controller(s: SentenceView, t: Trigger, ends: dict[int, Trigger]) -> Trigger | None:
    """Parse-free: the trigger whose complement t is, reading leftwards over "untuk"/"agar", auxiliaries,
    one light verb and one actor ("mendesak Iran menegosiasikan", "bersedia melakukan diskusi")."""
    j, linked, skipped_mention, skipped_light = t.first - 1, False, False, False
    while j >= 0 and s.lowers[j] in rules.AUX_SKIP and s.lowers[j] not in rules.LINKS:
        j -= 1
    if t.voice == NOUN and j >= 0 and s.is_light(j):  # "untuk memulai kembali perundingan"
        j -= 1
        while j >= 0 and s.lowers[j] in rules.AUX_SKIP and s.lowers[j] not in rules.LINKS:
            j -= 1
    if j >= 0 and s.lowers[j] in rules.LINKS:  # "..., untuk membahas": a purpose clause of the last trigger
        k = j - 1
        while k >= 0 and j - k <= 25 and s.lowers[k] not in rules.STOPS:
            if k in ends:
                return ends[k]
            k -= 1
    j = t.first - 1
    while j >= 0 and t.first - j <= 10:
        outer = ends.get(j)
        if outer is not None:
            # A framing act takes an actor and a complement ("mendesak Iran menarik"); any other trigger only
            # governs what directly follows it, or a purpose clause ("bertemu untuk membahas").
            if outer.type in rules.FRAMING:
                return outer
            if skipped_mention or (skipped_light and not linked):
                return None
            return outer
        w = s.lowers[j]
        if w in rules.LINKS:
            linked = True
        elif w in rules.AUX_SKIP or w in rules.NEGATIONS or w in ("(", ")"):
            pass
        elif s.is_light(j) and not skipped_light and t.voice == NOUN:
            skipped_light = True
        elif j in s.mention_at and not skipped_mention:
            skipped_mention = True
            j = s.mention_at[j].first
        else:
            return None
        j -= 1
    return None


def _listed_act(s: SentenceView, t: Trigger, outer: Trigger) -> bool:
    """ "Demonstran menyerbu Dewan Legislatif, memblokir jalan-jalan ...": a verb after a comma, in a series of
    acts the parser hung as adverbial clauses, is an act of its own, not the outer act's complement; so is a verb
    in an adverbial clause of time or cause."""
    if t.voice == NOUN or s.rel(t.first) != "advcl" or t.first < outer.last:
        return False
    marks = [s.lowers[c] for c in s.children[t.first] if s.words[c].deprel == "mark"]
    # "untuk bertemu ... setelah bertemu MBS": a clause opened by "setelah", "karena"... is its own act too
    return any(m in rules.SUBORDINATORS for m in marks) or (s.lowers[t.first - 1] == "," and not marks)


def suppress_nested(s: SentenceView, triggers: list[Trigger]) -> list[Trigger]:
    """One event per predication: "menolak bertemu" is REJECT, "mengecam serangan" is DISAPPROVE.

    A trigger governed by another trigger (object, complement, modifier) is dropped and remembered as the
    outer one's `inner` - except under a light verb ("meluncurkan serangan"), where the noun keeps the event.
    """
    at = {t.first: t for t in triggers}
    ends = {t.last - 1: t for t in triggers}
    dropped: set[int] = set()
    for t in triggers:
        h = s.head(t.first)
        outer = at.get(h) if h is not None else None
        # An adverbial clause with an actor of its own is its own predication: "menuduh Iran, meski Teheran
        # menyangkal tuduhan itu".
        own_actor = s.rel(t.first) == "advcl" and any(c in s.mention_at for c in s.subjects(t.first))
        if outer is not None and (s.rel(t.first) in rules.NOT_NESTED or s.words[t.first].deprel == "acl:relcl"
                                  or own_actor or _listed_act(s, t, outer)):
            continue
        if outer is None:
            outer = _controller(s, t, ends)
        if outer is None or outer is t:
            continue
        light = s.is_light(outer.first) or (
            "light" in outer.form.entry.flags and t.type not in ("AGREE", "SUPPORT", "CONSULT"))
        if t.voice == NOUN and light:
            dropped.add(outer.first)
            s.light_at.add(outer.first)
        else:
            dropped.add(t.first)
            outer.inner = outer.inner or t
    return [t for t in triggers if t.first not in dropped]


def blocked_words(s: SentenceView, entities: Sequence[Entity]) -> set[int]:
    """Words inside actor mentions and person / organisation names are never triggers ("Kerja Sama" in
    "Organisasi Kerja Sama Islam")."""
    blocked = set(s.mention_at)
    starts = {w.start: i for i, w in enumerate(s.words)}
    for ent in entities:
        if ent.type in ("PER", "ORG") and ent.start in starts:
            j = starts[ent.start]
            while j < len(s.words) and s.words[j].end <= ent.end:
                blocked.add(j)
                j += 1
    return blocked
