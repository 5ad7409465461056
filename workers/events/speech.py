"""Reported speech: who a trigger's clause is attributed to ("X mengatakan bahwa ...", "..., kata X",
"Menurut X, ..."). The speaker also resolves first-person subjects inside the quote (roles.py).
"""

from __future__ import annotations

from workers.events import lexicon as rules
from workers.events.actors import Mention
from workers.events.noun_phrases import mention_in
from workers.events.sentence_view import SentenceView
from workers.events.triggers import Trigger


def attribution(s: SentenceView, t: Trigger) -> tuple[tuple[int, int] | None, Mention | None]:
    """Speech attribution of the trigger's clause: ("kata Trump" word span, speaker mention)."""
    cur = t.first
    for _ in range(5):  # X mengatakan (bahwa) ... trigger
        h = s.head(cur)
        if h is None:
            break
        if (s.lowers[h] in rules.SPEECH or s.lemmas[h] in rules.SPEECH) and not t.first <= h < t.last:
            subj = s.subjects(h)
            if subj:
                m = mention_in(s, subj[0])
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
