"""PLOVER event tagging over a parsed Indonesian document: who did what to whom, when and where.

Pure logic over workers.document types. Per sentence: find actor mentions (actors.py) and trigger words
(lexicon lookups over generated surface forms), then read source and target off the dependency parse -
subject / object / "oleh" agent / prepositional target, voice-aware, climbing through control verbs and
coordination - with word-order fallbacks (nearest actor left / right) when the parse gives nothing.
Every rule is a constant number of dict lookups and bounded walks per word, so the cost is linear.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workers.document import Entity, ParsedDocument, Sentence, Word
from workers.events import lexicon as rules
from workers.events.actors import PRONOUNS_FIRST, Actor, ActorMemory, Mention, find_mentions
from workers.events.dates import DateMention, find_dates
from workers.events.lexicon import ACTIVE, NOUN, PASSIVE, QUAD_CLASS, Lexicon, TriggerForm, lexicon


@dataclass
class _Trigger:
    first: int  # 0-based word positions, end exclusive
    last: int
    form: TriggerForm
    confidence: float
    voice: str = ""
    inner: _Trigger | None = None  # the complement it governs ("menolak bertemu Trump" -> bertemu)

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


@dataclass
class _Sent:
    """A sentence with the lookups every rule needs, built once."""

    sentence: Sentence
    mentions: list[Mention]
    lowers: list[str]
    lemmas: list[str]
    children: list[list[int]]  # 0-based positions of each word's dependents
    mention_at: dict[int, Mention]
    sources_at: dict[int, list[Mention]] = field(default_factory=dict)  # sources of the triggers seen so far
    light_at: set[int] = field(default_factory=set)  # triggers that only carried a noun ("menandatangani sanksi")

    @property
    def words(self) -> Sequence[Word]:
        return self.sentence.words

    def head(self, i: int) -> int | None:
        h = self.words[i].head
        return h - 1 if 0 < h <= len(self.words) and h - 1 != i else None

    def rel(self, i: int) -> str:
        return self.words[i].deprel.split(":")[0]

    def deps(self, i: int, *rels: str) -> list[int]:
        """Dependents of word i whose relation, or its base before ":", is one of rels."""
        return [c for c in self.children[i] if self.rel(c) in rels or self.words[c].deprel in rels]

    def case_of(self, i: int) -> str | None:
        """The preposition of a nominal: its "case" dependent, else the word right before it."""
        for c in self.children[i]:
            if self.words[c].deprel in ("case", "mark") and c < i:
                return self.lowers[c]
        m = self.mention_at.get(i)
        before = (m.first if m else i) - 1
        return self.lowers[before] if before >= 0 else None

    def is_speech(self, j: int) -> bool:
        return self.lowers[j] in rules.SPEECH or self.lemmas[j] in rules.SPEECH

    def is_light(self, j: int) -> bool:
        # by lemma also the nominalised carriers: "peningkatan sanksi", "pemberian bantuan"
        return self.lowers[j] in rules.LIGHT_VERBS or self.lemmas[j] in rules.LIGHT_VERBS or j in self.light_at


def _build(sentence: Sentence, mentions: list[Mention]) -> _Sent:
    n = len(sentence.words)
    children: list[list[int]] = [[] for _ in range(n)]
    for i, w in enumerate(sentence.words):
        if 0 < w.head <= n and w.head - 1 != i:
            children[w.head - 1].append(i)
    mention_at = {i: m for m in mentions for i in range(m.first, m.last)}
    return _Sent(sentence, mentions, [w.text.lower() for w in sentence.words],
                 [(w.lemma or w.text).lower() for w in sentence.words], children, mention_at)


# --------------------------------------------------------------------------------------------- triggers

def _near(s: _Sent, first: int, last: int, words: frozenset[str]) -> bool:
    lo, hi = max(0, first - 3), min(len(s.lowers), last + 3)
    window = [*s.lowers[lo:first], "|", *s.lowers[last:hi]]  # the trigger's own words are not its context
    return any(w in words for w in window) or any(f"{a} {b}" in words for a, b in itertools.pairwise(window))


def _match(s: _Sent, i: int, forms: Iterable[TriggerForm]) -> TriggerForm | None:
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


def _find_triggers(s: _Sent, lex: Lexicon, blocked: set[int]) -> list[_Trigger]:
    found: list[_Trigger] = []
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
            found.append(_Trigger(i, last, form, confidence, voice))
        i = last
    return found


def _anaphoric(s: _Sent, last: int) -> bool:
    """ "serangan itu", "tuduhan tersebut": a noun pointing back at an event reported before."""
    return any(w in rules.DEMONSTRATIVES for w in s.lowers[last:last + 2])


def _controller(s: _Sent, t: _Trigger, ends: dict[int, _Trigger]) -> _Trigger | None:
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


def _suppress_nested(s: _Sent, triggers: list[_Trigger]) -> list[_Trigger]:
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
        if outer is not None and (s.rel(t.first) in rules.NOT_NESTED or s.words[t.first].deprel == "acl:relcl"):
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


# --------------------------------------------------------------------------------------------- arguments

def _mention_in(s: _Sent, i: int, depth: int = 2) -> Mention | None:
    """The actor mention at word i, else the first one inside its noun phrase (nmod/compound/flat...)."""
    m = s.mention_at.get(i)
    if m is not None:
        return m
    frontier = [i]
    for _ in range(depth):
        nxt = []
        for j in frontier:
            for c in sorted(s.children[j]):
                if s.rel(c) not in rules.NP_RELS or s.case_of(c) in rules.NOT_INSIDE:
                    continue
                if c in s.mention_at:
                    return s.mention_at[c]
                nxt.append(c)
        frontier = nxt
    return None


def _with_conjuncts(s: _Sent, i: int) -> list[Mention]:
    """The mention at i and those coordinated with it, by the parse ("conj") or by "dan" / "," lists."""
    first = _mention_in(s, i)
    if first is None:
        return []
    found = [first]
    for c in s.deps(i, "conj"):
        m = _mention_in(s, c)
        if m is not None and m not in found:
            found.append(m)
    for m in _listed(s, first):
        if m not in found:
            found.append(m)
    return sorted(found, key=lambda m: m.first)


def _listed(s: _Sent, m: Mention) -> list[Mention]:
    """Mentions chained to m by separators, as long as the list is closed by "dan"/"serta"."""
    ordered = s.mentions
    k = ordered.index(m)
    group, gaps = [m], []
    for step in (1, -1):
        j = k
        while 0 <= j + step < len(ordered):
            a, b = (ordered[j], ordered[j + 1]) if step == 1 else (ordered[j - 1], ordered[j])
            gap = s.lowers[a.last:b.first]
            if not gap or len(gap) > 2 or not all(g in rules.SEPARATORS for g in gap):
                break
            gaps.append(gap)
            group.insert(len(group) if step == 1 else 0, ordered[j + step])
            j += step
    after = s.lowers[group[-1].last:group[-1].last + 2]
    if not any(g in rules.CLOSERS for gap in gaps for g in gap) and not (
            len(group) > 1 and (after[:1] == ["dan"] or after == [",", "dan"])):  # "AS, Inggris, dan negara lain"
        return [m]
    return _shared_title([g for g in group if not g.place_like])


def _shared_title(group: list[Mention]) -> list[Mention]:
    """ "para pejabat AS dan Arab Saudi": the title of the first conjunct covers the bare countries after it."""
    if not group or group[0].kind != "country" or group[0].actor.sector is None:
        return group
    sector = group[0].actor.sector
    return [group[0]] + [replace(m, actor=replace(m.actor, sector=sector))
                         if m.kind == "country" and m.actor.sector is None else m for m in group[1:]]


def _examples(s: _Sent, ms: list[Mention], after: int) -> list[Mention]:
    """ "kelompok teroris, termasuk Hamas dan IRGC": the named examples are the real targets; a name right
    before another ("kelompok pembebasan Palestina Hamas") only describes it."""
    last = max((m.last for m in ms), default=after)
    for j in range(last, min(len(s.lowers), last + 12)):
        if s.lowers[j] in rules.EXAMPLE_WORDS:
            found: list[Mention] = []
            k = j + 1
            while k < len(s.lowers) and s.lowers[k] not in (".", ";") and s.lowers[k] not in rules.CLAUSE_STOPS:
                m = s.mention_at.get(k)
                if m is not None:
                    if found and found[-1].last == m.first:
                        found.pop()
                    found.append(m)
                    k = m.last
                else:
                    k += 1
            return [m for m in found if _usable(m)] or ms
        if s.lowers[j] in (".", ";") or s.lowers[j] in rules.CLAUSE_STOPS:
            break
    return ms


def _led_by(s: _Sent, t: _Trigger) -> list[Mention]:
    """ "bergabung koalisi ... yang dipimpin AS": the leader."""
    for j in range(t.last, min(len(s.lowers), t.last + 10)):
        if s.lowers[j] in rules.LED_BY and j + 1 in s.mention_at:
            return _listed(s, s.mention_at[j + 1])
        if s.lowers[j] in (".", ";", ","):
            break
    return []


def _subjects(s: _Sent, i: int, passive_ok: bool = False) -> list[int]:
    rels = ("nsubj", "nsubj:pass") if passive_ok else ("nsubj",)
    return [c for c in s.children[i] if s.words[c].deprel in rels]


def _climb_subject(s: _Sent, i: int) -> list[int]:
    """Subject of a verb, inherited through xcomp/ccomp/advcl/conj, or the noun a relative clause modifies."""
    cur = i
    for _ in range(3):
        subj = _subjects(s, cur)
        if subj:
            return subj
        h = s.head(cur)
        if h is None:
            break
        if s.words[cur].deprel in ("acl", "acl:relcl"):
            return [h]
        if s.rel(cur) not in ("xcomp", "ccomp", "advcl", "conj", "csubj"):
            break
        cur = h
    return []


def _passive_agents(s: _Sent, i: int) -> list[int]:
    found = []
    for c in s.children[i]:
        rel, case = s.words[c].deprel, s.case_of(c)
        if rel == "obl:agent" or (case == "oleh" and s.rel(c) in ("obl", "nmod")):
            found.append(c)
        elif c > i and c - i <= 2 and s.rel(c) in ("obj", "nmod", "compound", "flat", "obl", "iobj") and (
                case is None or case == s.lowers[i] or case not in rules.PLACE_OR_TARGET):
            found.append(c)  # bare agent right after a di- verb: "dikritik AS"
    return found


def _preps(etype: str) -> frozenset[str]:
    return rules.TARGET_PREPS | rules.TYPE_PREPS.get(etype, frozenset())


def _targets_of_verb(s: _Sent, i: int, etype: str, theme: bool = False) -> list[int]:
    preps = _preps(etype)
    # What is deployed, supplied or withdrawn ("mengerahkan pasukan", "memasok senjata") is no recipient.
    objects = ("iobj",) if theme else ("obj", "iobj")
    found = [c for c in s.children[i] if s.words[c].deprel in objects]
    # A prepositional target is the phrase's own head ("terhadap Iran"), never a name deep inside it
    # ("pada awal konferensi London" is a time).
    found += [c for c in s.children[i] if s.rel(c) in ("obl", "nmod") and s.case_of(c) in preps
              and c in s.mention_at]
    if not found and etype in rules.FRAMING:
        for c in s.deps(i, "xcomp", "ccomp"):  # "mendesak Iran menegosiasikan": Iran parsed as the inner subject
            found.extend(_subjects(s, c))
    return found


def _noun_roles(s: _Sent, t: _Trigger) -> tuple[list[int], list[int]]:
    """Roles inside a nominal trigger: "serangan Iran terhadap Saudi" (agent genitive), "penangkapan dukun"
    (a peN-an noun: the bare genitive is the patient, the agent comes with "oleh")."""
    i, preps = t.first, _preps(t.target_type) | {"ke", "dengan"}
    sources: list[int] = []
    targets: list[int] = []
    kids = s.children[i] or ([t.last] if t.last in s.mention_at else [])  # parse-free: the next word
    for c in kids:
        if s.rel(c) not in ("nmod", "compound", "flat", "appos", "obl", "amod") and s.children[i]:
            continue
        case = s.case_of(c)
        if case in preps and case != s.lowers[i]:
            targets.append(c)
        elif (case in rules.SOURCE_PREPS or case is None or case == s.lowers[t.last - 1] or c == t.last) and (
                c in s.mention_at or _mention_in(s, c) is not None):
            (sources if case in rules.SOURCE_PREPS or not t.form.patient else targets).append(c)
    return sources, targets


@dataclass
class _Roles:
    sources: list[Mention]
    targets: list[Mention]
    light: int | None = None  # position of the light verb a noun trigger is the object of
    linear: float = 1.0  # confidence factor: 1.0 from the parse, lower from word-order fallbacks


def _mentions(s: _Sent, heads: Iterable[int]) -> list[Mention]:
    found: list[Mention] = []
    for h in heads:
        for m in _with_conjuncts(s, h):
            if m not in found:
                found.append(m)
    return found


def _pronoun_source(s: _Sent, heads: Iterable[int], speaker: Mention | None) -> list[Mention]:
    # "Kami mengecam ...", kata Menlu X: the first person of a quote is its speaker.
    if speaker is None:
        return []
    for h in heads:
        if s.lowers[h] in PRONOUNS_FIRST:
            w = s.words[h]
            return [Mention(h, h + 1, w.start, w.end, speaker.actor, speaker.entity_id, None, speaker.kind)]
    return []


def _roles(s: _Sent, t: _Trigger, speaker: Mention | None) -> _Roles:
    i = t.first
    if t.voice == NOUN:
        return _noun_args(s, t, speaker)
    if t.voice == PASSIVE:
        tgt_heads = _subjects(s, i, passive_ok=True) or _climb_subject(s, i)
        roles = _Roles(_mentions(s, _passive_agents(s, i)), _mentions(s, tgt_heads))
    else:
        src_heads = _climb_subject(s, i)
        roles = _Roles(_mentions(s, src_heads) or _pronoun_source(s, src_heads, speaker),
                       _mentions(s, _targets_of_verb(s, i, t.target_type, t.theme)))
        if src_heads and not roles.sources:
            # The parse names a subject that is no actor we know ("Clinton", "harga minyak"): no guessing,
            # unless it only points back at the speaker ("pihaknya", "dia").
            roles.sources = speaker_of(s, t, src_heads, speaker)
            roles.linear = 0.95 if roles.sources else 1.0
            if not roles.sources:
                roles.sources = [_UNKNOWN]
    _linear_fill(s, t, roles, speaker)
    roles.sources = [m for m in roles.sources if m is not _UNKNOWN]
    if not roles.targets and t.type == "COOPERATE":
        roles.targets = _led_by(s, t)
    return roles


# Stands for "the parse found a subject that is no known actor" so that no fallback replaces it.
_UNKNOWN = Mention(0, 0, 0, 0, Actor("?"), None, None, "unknown")


def speaker_of(s: _Sent, t: _Trigger, heads: Sequence[int], speaker: Mention | None) -> list[Mention]:
    """The speaker for a subject that refers back to them ("Korut mengatakan bahwa pihaknya bersedia")."""
    if not any(s.lowers[h] in rules.SELF_REFS or s.lowers[h] in rules.PRONOUNS for h in heads):
        return []
    if speaker is not None:
        return [speaker]
    cur = t.first
    for _ in range(4):
        h = s.head(cur)
        if h is None:
            break
        if s.is_speech(h):
            return _mentions(s, _subjects(s, h))
        cur = h
    return []


def _noun_args(s: _Sent, t: _Trigger, speaker: Mention | None) -> _Roles:
    src_heads, tgt_heads = _noun_roles(s, t)
    roles = _Roles(_mentions(s, src_heads), _mentions(s, tgt_heads))
    if not roles.targets and not s.children[t.first]:  # parse-free: "pembicaraan nuklir dengan AS"
        roles.targets = _right(s, t.last, 5, _preps(t.target_type) | {"dengan"}, bare=False)
    if roles.sources:
        return roles  # its own agent: a reference to an event ("tuduhan AS"), not a light-verb predicate
    h = s.head(t.first)
    if h is None or s.rel(t.first) not in ("obj", "nsubj", "obl", "nmod", "xcomp", "iobj") or not (
            s.is_light(h) or s.lowers[h] in rules.REVERSE_LIGHT or s.lemmas[h] in rules.REVERSE_LIGHT):
        h = _light_near(s, t)
    if h is None:
        return roles
    roles.light = h
    if s.lowers[h] in rules.REVERSE_LIGHT or s.lemmas[h] in rules.REVERSE_LIGHT:
        # "Iran menuai kecaman dari AS": the light verb's subject receives the act; no guessing the actor.
        roles.targets = roles.targets or _mentions(s, _climb_subject(s, h))
        roles.sources = _mentions(s, [c for c in s.children[h] if s.case_of(c) in rules.SOURCE_PREPS])
        return roles
    passive = s.lowers[h].startswith("di")
    heads = _passive_agents(s, h) if passive else _climb_subject(s, h)
    roles.sources = _mentions(s, heads) or _pronoun_source(s, heads, speaker)
    if not roles.targets:
        extra = _subjects(s, h, passive_ok=True) if passive else _targets_of_verb(s, h, t.target_type, t.theme)
        roles.targets = _mentions(s, [c for c in extra if c != t.first])
    _linear_fill(s, _Trigger(h, h + 1, t.form, 0.0, PASSIVE if passive else ACTIVE), roles, speaker)
    return roles


def _light_near(s: _Sent, t: _Trigger) -> int | None:
    """Parse-free light verb: "dijatuhkan sanksi", "sanksi dijatuhkan oleh", "melakukan unjuk rasa"."""
    for j in range(t.last, min(len(s.lowers), t.last + 6)):  # "uji coba rudal ... yang dilakukan Korut"
        if s.lowers[j] in rules.PASSIVE_LIGHT:
            return j
        if s.lowers[j] in rules.STOPS or s.lowers[j] in (",", ".") or j in s.mention_at:
            break
    j = t.first - 1
    while j >= 0 and s.lowers[j] in rules.AUX_SKIP | rules.QUANTIFIERS:
        j -= 1
    if j >= 0 and (s.is_light(j) or s.lowers[j] in rules.REVERSE_LIGHT):
        if s.lowers[j] in rules.SPEECH_LIGHT and any(w in rules.CLAUSE_MARKERS for w in s.lowers[t.last:t.last + 5]):
            return None
        return j
    return None


def _usable(m: Mention) -> bool:
    return m.actor.known and not m.place_like


def _linear_fill(s: _Sent, t: _Trigger, roles: _Roles, speaker: Mention | None = None) -> None:
    """Word-order fallback for the roles the parse left empty: actor left of the verb acts (right if passive)."""
    passive = t.voice == PASSIVE
    if not any(_usable(m) for m in roles.sources):
        found = _left_source(s, t.first, speaker) if not passive else _right(s, t.last, 3, frozenset({"oleh"}))
        if found:
            roles.sources = found
            roles.linear *= 0.8
    if not roles.targets and t.type != "PROTEST":  # a protest's addressee must be explicit
        bare = not t.theme
        found = _left_target(s, t.first) if passive else _right(s, t.last, 5, _preps(t.target_type), bare)
        if found and not set(map(id, found)) & set(map(id, roles.sources)):
            roles.targets = found
            roles.linear *= 0.9


def _relative_head(s: _Sent, k: int) -> list[Mention]:
    """The noun a relative clause starting at word k ("yang") modifies, if it is an actor."""
    j = k - 1
    while j >= 0 and s.lowers[j] == ",":
        j -= 1
    if j in s.mention_at:
        m = s.mention_at[j]
        return _listed(s, m) if _usable(m) else []
    earlier = next((i for i in range(j, max(-1, j - 5), -1) if s.lowers[i] == "yang"), None)
    return _relative_head(s, earlier) if earlier is not None and earlier < k else []


def _main_subject(s: _Sent, before: int) -> list[Mention]:
    """The first actor of the sentence that can be a subject: the subject of its main clause."""
    for m in s.mentions:
        if m.first >= before:
            break
        group = _listed(s, m)
        if _usable(m) and group[0].prep not in rules.NOT_SUBJECT:
            return group
    return []


def _left_source(s: _Sent, start: int, speaker: Mention | None = None) -> list[Mention]:
    """Nearest actor to the left; a verb trigger met on the way lends its own source ("X menyerbu A,
    memblokir B": the source of memblokir is X, not A)."""
    k = start - 1
    while k >= 0 and s.lowers[k] in rules.AUX_SKIP:
        k -= 1
    if k >= 0 and s.lowers[k] in rules.MAIN_CLAUSE_LINKS:
        return _main_subject(s, k)
    if k >= 0 and s.lowers[k] == "yang":  # "serangan yang menewaskan ...": the relative clause's noun acts
        return _relative_head(s, k)
    j = start - 1
    while j >= 0 and start - j <= 16:
        if s.sources_at.get(j):
            return s.sources_at[j]
        if s.lowers[j] in PRONOUNS_FIRST and speaker is not None:
            w = s.words[j]
            return [Mention(j, j + 1, w.start, w.end, speaker.actor, speaker.entity_id, None, speaker.kind)]
        if s.lowers[j] in rules.PRONOUNS and not (j > 0 and (s.lowers[j - 1] == "bahwa" or s.is_speech(j - 1))):
            return []  # the subject is a pronoun we do not resolve
        if s.lowers[j] in rules.WHEN:
            return []
        m = s.mention_at.get(j)
        if m is not None:
            before = m.first - 1
            while before >= 0 and s.lowers[before] in ("para", "sang", "seorang", "beberapa"):
                before -= 1
            if s.sources_at.get(before):  # the object of the verb before: its subject acts again
                return s.sources_at[before]
            group = _listed(s, m)
            # "merusak Kantor Pemerintah dan melemparkan ...": an object ending a previous clause is no subject
            object_of_verb = (before >= 0 and s.words[before].upos == "VERB" and s.lowers[before].startswith("me")
                              and s.lowers[m.last:m.last + 1] in (["dan"], [","]))
            if group[0].prep not in rules.NOT_SUBJECT and not object_of_verb:
                if _usable(m):
                    return group
                if m.kind == "person":  # an unknown person is the subject here: do not look past them
                    return []
            j = group[0].first - 1
            continue
        if s.lowers[j] in rules.STOPS:
            if s.lowers[j] == "bahwa" and s.lowers[j + 1] in rules.SELF_REFS:
                j -= 1  # "X mengatakan bahwa pihaknya ...": pihaknya is X
                continue
            return []
        j -= 1
    return []


def _left_target(s: _Sent, start: int) -> list[Mention]:
    k = start - 1
    while k >= 0 and s.lowers[k] in rules.AUX_SKIP:
        k -= 1
    if k >= 0 and s.lowers[k] in rules.SUBORDINATORS:  # "X batal menggempur Y lantaran diancam Z": X
        return _main_subject(s, k)
    j = start - 1
    while j >= 0 and start - j <= 8:
        m = s.mention_at.get(j)
        if m is not None and _usable(m) and m.prep not in rules.NOT_SUBJECT:
            return _listed(s, m)
        if s.lowers[j] in rules.STOPS:
            return []
        j = (m.first if m else j) - 1
    return []


def _right(s: _Sent, start: int, limit: int, allow: frozenset[str], bare: bool = True) -> list[Mention]:
    """Nearest actor to the right, bare (an object) or after one of the allowed prepositions."""
    j = start
    while j < len(s.lowers) and j - start < limit:
        m = s.mention_at.get(j)
        if m is not None:
            if _usable(m) and (m.prep in allow or (bare and m.prep not in rules.NOT_SUBJECT)):
                return _listed(s, m)
            j = m.last
            continue
        if s.lowers[j] in rules.STOPS or s.lowers[j] in rules.CLAUSE_STOPS or s.lowers[j] in (",", "."):
            return []
        if s.lowers[j] in rules.NOT_SUBJECT and s.lowers[j] not in allow and j + 1 not in s.mention_at:
            return []  # "menyelidiki serangan di fasilitas minyak Saudi": Saudi is inside a place phrase
        j += 1
    return []


# --------------------------------------------------------------------------------------------- modality

def _marker(s: _Sent, j: int, words: frozenset[str]) -> bool:
    return s.lowers[j] in words and s.lowers[j + 1:j + 2] != ["tetapi"]  # "Akan tetapi" means "however"


def _before(s: _Sent, i: int, words: frozenset[str]) -> bool:
    j = i - 1
    while j >= 0 and i - j <= 4:
        if _marker(s, j, words):
            return True
        if s.lowers[j] not in rules.AUX_SKIP and s.lowers[j] not in rules.NEGATIONS:
            return False
        j -= 1
    return False


def _flagged(s: _Sent, i: int, words: frozenset[str]) -> bool:
    """A marker before the word or attached to it, or to the verb it is the complement of."""
    if _before(s, i, words) or any(_marker(s, c, words) for c in s.children[i]
                                   if s.rel(c) in ("advmod", "aux", "mark", "det", "cc")):
        return True
    h = s.head(i)
    if h is not None and s.rel(i) in ("xcomp", "ccomp"):
        return s.lowers[h] in words or _before(s, h, words)
    if h is not None and s.rel(i) == "conj":  # "bisa menghemat waktu dan bertemu": the marker covers both
        return _flagged(s, h, words)
    return False


def _irrealis(s: _Sent, t: _Trigger) -> bool:
    """Conditional ("jika"), purpose ("agar") or question: the event is not reported as real."""
    clause = s.lowers[:t.first]
    if any(w in rules.CONDITIONAL for w in clause):
        return True
    if any(a == "hanya" and b in rules.ONLY_WHEN for a, b in itertools.pairwise(clause)):
        return True
    near = clause[-6:]
    if any(w in rules.PURPOSE and "," not in near[k:] for k, w in enumerate(near)):
        return True
    if "atas" in clause[-4:] and "jawab" in clause[-6:] and "," not in clause[-6:]:
        return True  # "mengaku bertanggung jawab atas serangan": a claim, not a report
    # "ingin Iran berhenti ...", "senang melihat Korut dan AS melanjutkan ...": someone else's act, wished for
    for k in range(max(0, t.first - 8), t.first):
        if s.lowers[k] in rules.WISH and "," not in s.lowers[k:t.first] and any(
                j in s.mention_at for j in range(k + 1, t.first)):
            return True
    return False


# --------------------------------------------------------------------------------------------- speech

def _speech(s: _Sent, t: _Trigger) -> tuple[tuple[int, int] | None, Mention | None]:
    """Speech attribution of the trigger's clause: ("kata Trump" word span, speaker mention)."""
    cur = t.first
    for _ in range(5):  # X mengatakan (bahwa) ... trigger
        h = s.head(cur)
        if h is None:
            break
        if (s.lowers[h] in rules.SPEECH or s.lemmas[h] in rules.SPEECH) and not t.first <= h < t.last:
            subj = _subjects(s, h)
            if subj:
                m = _mention_in(s, subj[0])
                lo = min(m.first if m else subj[0], h)
                hi = max(m.last if m else subj[0] + 1, h + 1)
                return (lo, hi), m
        cur = h
    for j, word in enumerate(s.lowers):  # "..., kata X" after the trigger, or "Menurut X, ..." anywhere
        inverted = word in rules.SPEECH and j > t.last and s.lowers[j - 1] in rules.QUOTE_ENDS
        if not (inverted or word == "menurut") or t.first <= j < t.last:
            continue
        if word.endswith("nya") and word != "menurut":
            return (j, j + 1), None
        k = j + 1
        while k < len(s.lowers) and s.lowers[k] in ("para", "sang", "seorang"):
            k += 1
        m = s.mention_at.get(k)
        if m is not None:
            return (j, m.last), m
        end = k
        while end < len(s.lowers) and end - j < 7 and s.lowers[end] not in rules.SPEAKER_END:
            end += 1
        return (j, max(end, j + 1)), None
    return None, None


# --------------------------------------------------------------------------------------------- places

def _places(s: _Sent, text: str, entities: Sequence[Entity], lex: Lexicon) -> list[tuple[int, dict[str, Any]]]:
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


# --------------------------------------------------------------------------------------------- events

def _span(doc: ParsedDocument, s: _Sent, first: int, last: int) -> dict[str, Any]:
    start, end = s.words[first].start, s.words[last - 1].end
    return {"text": doc.text[start:end], "start": start, "end": end}


def _blocked(s: _Sent, entities: Sequence[Entity]) -> set[int]:
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


def _sentence_events(doc: ParsedDocument, s: _Sent, entities: Sequence[Entity], lex: Lexicon) -> list[dict[str, Any]]:
    triggers = _suppress_nested(s, _find_triggers(s, lex, _blocked(s, entities)))
    if not triggers:
        return []
    dates: list[DateMention] = find_dates(s.sentence.text, s.sentence.start, doc.published_at)
    places = _places(s, doc.text, entities, lex)
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


def _retype(entry_type: str, flags: frozenset[str], negated: bool, future: bool) -> tuple[str, bool, bool]:
    """(type, negated, hypothetical) after PLOVER's rules for intent: future cooperation is AGREE,
    announced retreat is CONCEDE, refused cooperation ("tidak akan bertemu") is REJECT."""
    intent = "future" in flags
    if negated and (entry_type == "AGREE" or (future and entry_type in rules.COOPERATIVE_FUTURE)):
        return "REJECT", False, False
    if future and not intent and entry_type in rules.COOPERATIVE_FUTURE:
        return rules.COOPERATIVE_FUTURE[entry_type], negated, False
    return entry_type, negated, future and not intent


def _trigger_events(doc: ParsedDocument, s: _Sent, t: _Trigger, dates: list[DateMention],
                    places: list[tuple[int, dict[str, Any]]]) -> tuple[list[dict[str, Any]], int | None]:
    """The records of one trigger, one per (source, target) pair, and the light verb that carried it."""
    entry = t.form.entry
    span, speaker = _speech(s, t)
    roles = _roles(s, t, speaker)
    sources = [m for m in roles.sources if _usable(m)]
    for k in range(t.first, t.last):
        s.sources_at[k] = sources
    targets = _examples(s, [m for m in roles.targets if m.actor.known and m not in sources], t.last)
    if not targets and t.inner is not None:  # "menolak bertemu Trump": the complement's target
        inner = _roles(s, t.inner, speaker)
        targets = [m for m in inner.targets if m.actor.known and m not in sources]
    if not sources or (t.voice == NOUN and roles.light is None and not targets):
        return [], None  # no actor, or a bare nominal ("tuduhan AS") that refers to an event, not a report
    # Negation and modality sit on the light verb of a nominal trigger: "tidak akan melakukan pembicaraan".
    at = [t.first] if roles.light is None else [t.first, roles.light]
    negated = any(_flagged(s, i, rules.NEGATIONS) for i in at)
    future = any(_flagged(s, i, rules.FUTURE) for i in at)
    etype, negated, hypothetical = _retype(entry.type, entry.flags, negated, future)
    # A cooperation needs its partner; the intent to cooperate (AGREE) does not.
    if etype == entry.type and (("target" in entry.flags and not targets)
                                or ("partner" in entry.flags and not targets and len(sources) < 2)):
        return [], None
    hypothetical = hypothetical or any(_flagged(s, i, rules.MODAL) for i in at) or _irrealis(s, t)
    if "assault" in entry.flags and targets:
        etype = "ASSAULT"
    confidence = round(max(0.05, min(1.0, t.confidence * roles.linear * (0.9 if t.voice == NOUN else 1.0))), 2)
    date = min(dates, key=lambda d: abs(d.start - s.words[t.first].start), default=None)
    place = min(places, key=lambda p: abs(p[0] - t.first), default=None)
    base = {
        "type": etype, "quad_class": QUAD_CLASS[etype], "mode": entry.mode if etype == entry.type else None,
        "trigger": _span(doc, s, t.first, t.last),
        "location": place[1] if place and abs(place[0] - t.first) <= 12 else None,
        "date": date.as_dict() if date else None, "sentence": s.sentence.index, "negated": negated,
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
        events.extend(_sentence_events(doc, _build(sentence, mentions), entities, lex))
    events.sort(key=lambda e: (e["trigger"]["start"], e["source"]["start"]))
    return [{"id": f"ev{n}"} | e for n, e in enumerate(events, 1)]
