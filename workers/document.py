"""The parsed document every annotator after the Stanza pipeline works on.

Plain frozen dataclasses, no Stanza types: the event tagger and the result builder are pure logic over
these and unit tests build them by hand. All offsets are Unicode code point indices into the exact
submitted text (text[start:end] == word.text for every word and entity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Word:
    index: int  # 1-based position in its sentence, as in CoNLL-U
    text: str
    lemma: str
    upos: str
    head: int  # index of the head word; 0 = root
    deprel: str
    start: int
    end: int
    feats: str = ""


@dataclass(frozen=True)
class Entity:
    id: str  # "e1", "e2", ... in document order
    text: str
    type: str  # PER, ORG, LOC
    start: int
    end: int
    sentence: int  # index into ParsedDocument.sentences


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    words: tuple[Word, ...]

    def word(self, index: int) -> Word | None:
        """The word with this 1-based index, None for the root (0)."""
        return self.words[index - 1] if 0 < index <= len(self.words) else None


@dataclass(frozen=True)
class ParsedDocument:
    text: str
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = ()
    published_at: date | None = None
    language: str = "id"
    extra: dict[str, object] = field(default_factory=dict)
