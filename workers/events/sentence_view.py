"""One sentence as the event rules read it: words, lemmas and dependency children indexed by position.

Built once per sentence, so that every rule in triggers.py, roles.py, modality.py and speech.py is a dict or list
lookup rather than a search through the parse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from workers.document import Sentence, Word
from workers.events import lexicon as rules
from workers.events.actors import Mention


@dataclass
class SentenceView:
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

    def subjects(self, i: int, passive_ok: bool = False) -> list[int]:
        rels = ("nsubj", "nsubj:pass") if passive_ok else ("nsubj",)
        return [c for c in self.children[i] if self.words[c].deprel in rels]

    def is_speech(self, j: int) -> bool:
        return self.lowers[j] in rules.SPEECH or self.lemmas[j] in rules.SPEECH

    def is_light(self, j: int) -> bool:
        # by lemma also the nominalised carriers: "peningkatan sanksi", "pemberian bantuan"
        return self.lowers[j] in rules.LIGHT_VERBS or self.lemmas[j] in rules.LIGHT_VERBS or j in self.light_at


def build_view(sentence: Sentence, mentions: list[Mention]) -> SentenceView:
    n = len(sentence.words)
    children: list[list[int]] = [[] for _ in range(n)]
    for i, w in enumerate(sentence.words):
        if 0 < w.head <= n and w.head - 1 != i:
            children[w.head - 1].append(i)
    mention_at = {i: m for m in mentions for i in range(m.first, m.last)}
    return SentenceView(sentence, mentions, [w.text.lower() for w in sentence.words],
                        [(w.lemma or w.text).lower() for w in sentence.words], children, mention_at)

