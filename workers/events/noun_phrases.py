"""Actor mentions as noun phrases: the mention a parse position stands for, and the mentions coordinated with
it ("AS, Inggris, dan Prancis"), by the parse or by "dan" / "," lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from workers.events import lexicon as rules
from workers.events.actors import Mention
from workers.events.sentence_view import SentenceView


def mention_in(s: SentenceView, i: int, depth: int = 2) -> Mention | None:
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


def _with_conjuncts(s: SentenceView, i: int) -> list[Mention]:
    """The mention at i and those coordinated with it, by the parse ("conj") or by "dan" / "," lists."""
    first = mention_in(s, i)
    # "rumah pertukaran, dan perusahaan di Turki": a conjunct names an actor where the first noun does not
    found = [first] if first is not None else []
    for c in s.deps(i, "conj"):
        m = mention_in(s, c)
        if m is not None and m not in found:
            found.append(m)
    if first is None:
        return found
    for m in listed(s, first):
        at = [k for k, f in enumerate(found) if f.first == m.first]
        if at:
            found[at[0]] = m  # the list's reading: a title shared over "dan" ("pejabat AS dan Arab Saudi")
        else:
            found.append(m)
    return sorted(found, key=lambda m: m.first)


def listed(s: SentenceView, m: Mention) -> list[Mention]:
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


def mentions_of(s: SentenceView, heads: Iterable[int]) -> list[Mention]:
    found: list[Mention] = []
    for h in heads:
        for m in _with_conjuncts(s, h):
            if m not in found:
                found.append(m)
    return found


def usable(m: Mention) -> bool:
    return m.actor.known and not m.place_like
