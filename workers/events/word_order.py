"""Word-order fallbacks for the roles the dependency parse leaves empty: the nearest usable actor to the left
of a verb (its subject) or to the right (its object or prepositional target), within a short window that a
clause boundary ends - except where a linked or subordinate clause takes its actor from the main clause
("..., sambil mengecam", "lantaran diancam").
"""

from __future__ import annotations

from workers.events import lexicon as rules
from workers.events.actors import PRONOUNS_FIRST, Mention
from workers.events.noun_phrases import listed, usable
from workers.events.sentence_view import SentenceView


def _relative_head(s: SentenceView, k: int) -> list[Mention]:
    """The noun a relative clause starting at word k ("yang") modifies, if it is an actor."""
    j = k - 1
    while j >= 0 and s.lowers[j] == ",":
        j -= 1
    if j in s.mention_at:
        m = s.mention_at[j]
        return listed(s, m) if usable(m) else []
    earlier = next((i for i in range(j, max(-1, j - 5), -1) if s.lowers[i] == "yang"), None)
    return _relative_head(s, earlier) if earlier is not None and earlier < k else []


def _main_subject(s: SentenceView, before: int) -> list[Mention]:
    """The first actor of the sentence that can be a subject: the subject of its main clause."""
    for m in s.mentions:
        if m.first >= before:
            break
        group = listed(s, m)
        if usable(m) and group[0].prep not in rules.NOT_SUBJECT:
            return group
    return []


def left_source(s: SentenceView, start: int, speaker: Mention | None = None) -> list[Mention]:
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
            group = listed(s, m)
            # "merusak Kantor Pemerintah dan melemparkan ...": an object ending a previous clause is no subject
            object_of_verb = (before >= 0 and s.words[before].upos == "VERB" and s.lowers[before].startswith("me")
                              and s.lowers[m.last:m.last + 1] in (["dan"], [","]))
            if group[0].prep not in rules.NOT_SUBJECT and not object_of_verb:
                if usable(m):
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


def left_target(s: SentenceView, start: int) -> list[Mention]:
    k = start - 1
    while k >= 0 and s.lowers[k] in rules.AUX_SKIP:
        k -= 1
    if k >= 0 and s.lowers[k] in rules.SUBORDINATORS:  # "X batal menggempur Y lantaran diancam Z": X
        return _main_subject(s, k)
    j = start - 1
    while j >= 0 and start - j <= 8:
        m = s.mention_at.get(j)
        if m is not None and usable(m) and m.prep not in rules.NOT_SUBJECT:
            return listed(s, m)
        if s.lowers[j] in rules.STOPS:
            return []
        j = (m.first if m else j) - 1
    return []


def nearest_right(s: SentenceView, start: int, limit: int, allow: frozenset[str], bare: bool = True) -> list[Mention]:
    """Nearest actor to the right, bare (an object) or after one of the allowed prepositions."""
    j = start
    while j < len(s.lowers) and j - start < limit:
        m = s.mention_at.get(j)
        if m is not None:
            if usable(m) and (m.prep in allow or (bare and m.prep not in rules.NOT_SUBJECT)):
                return listed(s, m)
            j = m.last
            continue
        if s.lowers[j] in rules.STOPS or s.lowers[j] in rules.CLAUSE_STOPS or s.lowers[j] in (",", "."):
            return []
        if s.lowers[j] in rules.NOT_SUBJECT and s.lowers[j] not in allow and j + 1 not in s.mention_at:
            return []  # "menyelidiki serangan di fasilitas minyak Saudi": Saudi is inside a place phrase
        j += 1
    return []
