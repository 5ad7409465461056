"""Source and target of a trigger, read off the dependency parse.

Subject / object / "oleh" agent / prepositional target, voice-aware, climbing through control verbs and
coordination; a nominal trigger takes its roles from the light verb that carries it ("melakukan serangan").
Where the parse gives nothing, word_order.py supplies the nearest actor, at a lower confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workers.events import lexicon as rules
from workers.events.actors import PRONOUNS_FIRST, Actor, Mention
from workers.events.lexicon import ACTIVE, NOUN, PASSIVE
from workers.events.noun_phrases import listed, mention_in, mentions_of, usable
from workers.events.sentence_view import SentenceView
from workers.events.triggers import Trigger
from workers.events.word_order import left_source, left_target, nearest_right


def named_examples(s: SentenceView, ms: list[Mention], after: int) -> list[Mention]:
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
            return [m for m in found if usable(m)] or ms
        if s.lowers[j] in (".", ";") or s.lowers[j] in rules.CLAUSE_STOPS:
            break
    return ms


def _led_by(s: SentenceView, t: Trigger) -> list[Mention]:
    """ "bergabung koalisi ... yang dipimpin AS": the leader."""
    for j in range(t.last, min(len(s.lowers), t.last + 10)):
        if s.lowers[j] in rules.LED_BY and j + 1 in s.mention_at:
            return listed(s, s.mention_at[j + 1])
        if s.lowers[j] in (".", ";", ","):
            break
    return []


def _climb_subject(s: SentenceView, i: int) -> list[int]:
    """Subject of a verb, inherited through xcomp/ccomp/advcl/conj, or the noun a relative clause modifies."""
    cur = i
    for _ in range(3):
        subj = s.subjects(cur)
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


def _passive_agents(s: SentenceView, i: int) -> list[int]:
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


def _targets_of_verb(s: SentenceView, i: int, etype: str, theme: bool = False) -> list[int]:
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
            found.extend(s.subjects(c))
    if not mentions_of(s, found):
        found += _purpose_targets(s, i)
    return found


def _purpose_targets(s: SentenceView, i: int) -> list[int]:
    """What the act handles is no actor ("menawarkan S-400", "menembakkan gas air mata"): whom it is for is the
    object of its purpose clause ("untuk melindungi Arab Saudi", "untuk membubarkan pengunjuk rasa"), or whose
    that object is ("untuk melindungi infrastruktur Arab Saudi")."""
    found = []
    for c in s.deps(i, "advcl"):
        if s.case_of(c) in rules.LINKS:
            for thing in s.deps(c, "obj"):
                found.append(thing)
                if thing not in s.mention_at:
                    found.extend(n for n in s.deps(thing, "nmod") if s.case_of(n) is None)
    return found


def _own(sources: Sequence[Mention], targets: Sequence[Mention]) -> bool:
    """Every target is the sources' own country ("Putin menawarkan sistem pertahanan Rusia")."""
    countries = {m.actor.country for m in sources if m.actor.country}
    return bool(targets) and all(m.actor.country in countries for m in targets)


def _noun_roles(s: SentenceView, t: Trigger) -> tuple[list[int], list[int]]:
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
                c in s.mention_at or mention_in(s, c) is not None):
            (sources if case in rules.SOURCE_PREPS or not t.form.patient else targets).append(c)
    return sources, targets


@dataclass
class Roles:
    sources: list[Mention]
    targets: list[Mention]
    light: int | None = None  # position of the light verb a noun trigger is the object of
    linear: float = 1.0  # confidence factor: 1.0 from the parse, lower from word-order fallbacks


def _pronoun_source(s: SentenceView, heads: Iterable[int], speaker: Mention | None) -> list[Mention]:
    # "Kami mengecam ...", kata Menlu X: the first person of a quote is its speaker.
    if speaker is None:
        return []
    for h in heads:
        if s.lowers[h] in PRONOUNS_FIRST:
            w = s.words[h]
            return [Mention(h, h + 1, w.start, w.end, speaker.actor, speaker.entity_id, None, speaker.kind)]
    return []


def find_roles(s: SentenceView, t: Trigger, speaker: Mention | None) -> Roles:
    i = t.first
    if t.voice == NOUN:
        return _noun_args(s, t, speaker)
    if t.voice == PASSIVE:
        subjects, agents = s.subjects(i, passive_ok=True), _passive_agents(s, i)
        if not agents and subjects and all(i < c <= i + 2 for c in subjects):
            # The subject of a di- verb comes before it; a name right after it is its agent, which the parser
            # took for the subject ("lantaran diancam Moskow"). The patient is then the clause's own subject.
            agents, subjects = subjects, []
        roles = Roles(mentions_of(s, agents), mentions_of(s, subjects or _climb_subject(s, i)))
    else:
        src_heads = _climb_subject(s, i)
        roles = Roles(mentions_of(s, src_heads) or _pronoun_source(s, src_heads, speaker),
                      mentions_of(s, _targets_of_verb(s, i, t.target_type, t.theme)))
        if _own(roles.sources, roles.targets):
            # what the source offers or uses is its own: whom it is for comes from the purpose clause, if any
            roles.targets = mentions_of(s, _purpose_targets(s, i)) or roles.targets
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


def speaker_of(s: SentenceView, t: Trigger, heads: Sequence[int], speaker: Mention | None) -> list[Mention]:
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
            return mentions_of(s, s.subjects(h))
        cur = h
    return []


def _noun_args(s: SentenceView, t: Trigger, speaker: Mention | None) -> Roles:
    src_heads, tgt_heads = _noun_roles(s, t)
    roles = Roles(mentions_of(s, src_heads), mentions_of(s, tgt_heads))
    if not roles.targets and not s.children[t.first]:  # parse-free: "pembicaraan nuklir dengan AS"
        roles.targets = nearest_right(s, t.last, 5, _preps(t.target_type) | {"dengan"}, bare=False)
    if roles.sources:
        light = _passive_light_of(s, t)
        if light is not None and any(m.prep == "oleh" for m in roles.sources):
            # "dijatuhkan sanksi oleh Departemen Keuangan AS": the agent of a passive light verb, whose subject
            # receives the act
            roles.light = light
            roles.targets = roles.targets or mentions_of(s, s.subjects(light, passive_ok=True))
        return roles  # else its own agent: a reference to an event ("tuduhan AS"), not a light-verb predicate
    h = _relative_light(s, t)
    if h is None and t.last < len(s.lowers) and s.lowers[t.last] in rules.PASSIVE_LIGHT:
        h = t.last  # "serangan dilakukan oleh militer Iran": the noun is the subject of the passive right after it
    if h is None:
        h = s.head(t.first)
        if h is None or s.rel(t.first) not in ("obj", "nsubj", "obl", "nmod", "xcomp", "iobj") or not (
                s.is_light(h) or s.lowers[h] in rules.REVERSE_LIGHT or s.lemmas[h] in rules.REVERSE_LIGHT):
            h = _light_near(s, t)
    if h is None:
        return roles
    roles.light = h
    if s.lowers[h] in rules.REVERSE_LIGHT or s.lemmas[h] in rules.REVERSE_LIGHT:
        # "Iran menuai kecaman dari AS": the light verb's subject receives the act; no guessing the actor.
        roles.targets = roles.targets or mentions_of(s, _climb_subject(s, h))
        roles.sources = mentions_of(s, [c for c in s.children[h] if s.case_of(c) in rules.SOURCE_PREPS])
        return roles
    passive = s.lowers[h].startswith("di")
    heads = _passive_agents(s, h) if passive else _climb_subject(s, h)
    roles.sources = mentions_of(s, heads) or _pronoun_source(s, heads, speaker)
    if not roles.targets:
        extra = s.subjects(h, passive_ok=True) if passive else _targets_of_verb(s, h, t.target_type, t.theme)
        roles.targets = mentions_of(s, [c for c in extra if c != t.first])
    _linear_fill(s, Trigger(h, h + 1, t.form, 0.0, PASSIVE if passive else ACTIVE), roles, speaker)
    return roles


def _passive_light_of(s: SentenceView, t: Trigger) -> int | None:
    """The passive light verb that governs the noun or stands right before it ("dijatuhkan sanksi")."""
    for j in (s.head(t.first), t.first - 1):
        if j is not None and j >= 0 and s.lowers[j] in rules.PASSIVE_LIGHT:
            return j
    return None


def _relative_light(s: SentenceView, t: Trigger) -> int | None:
    """"mengikuti uji coba rudal yang dilakukan Korut": a relative clause on the noun says who carried it out,
    whatever verb governs the noun itself."""
    for j in range(t.last, min(len(s.lowers) - 1, t.last + 5)):
        if s.lowers[j] == "yang":
            return j + 1 if s.lowers[j + 1] in rules.PASSIVE_LIGHT else None
        if s.lowers[j] in rules.STOPS or s.lowers[j] in (",", ".") or j in s.mention_at:
            return None
    return None


def _light_near(s: SentenceView, t: Trigger) -> int | None:
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


def _linear_fill(s: SentenceView, t: Trigger, roles: Roles, speaker: Mention | None = None) -> None:
    """Word-order fallback for the roles the parse left empty: actor left of the verb acts (right if passive)."""
    passive = t.voice == PASSIVE
    if not any(usable(m) for m in roles.sources):
        found = left_source(s, t.first, speaker) if not passive else nearest_right(s, t.last, 3, frozenset({"oleh"}))
        if found:
            roles.sources = found
            roles.linear *= 0.8
    if not roles.targets and t.type != "PROTEST":  # a protest's addressee must be explicit
        bare = not t.theme
        found = left_target(s, t.first) if passive else nearest_right(s, t.last, 5, _preps(t.target_type), bare)
        if found and not set(map(id, found)) & set(map(id, roles.sources)):
            roles.targets = found
            roles.linear *= 0.9
