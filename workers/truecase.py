"""Title-case headlines lowered to the casing news body text gives their words, before the models read them.

The tagger and NER learned from running text, where a capital marks a name. A headline capitalises every word
("AS dan Aliansi Teluk Bahas Respons Serangan di Saudi"), so the models read it as a chain of names: verbs
tagged PROPN, "Kim Jong-un Undang Trump" one PER. Here a headline's words that news body text writes in lower
case almost always ("bahas", "respons", "serangan") are lowered, as a body sentence would have them; words that
body text capitalises often enough ("Teluk", "Aliansi", "Presiden"), unknown words and the first word keep their
capital, and so does a word that body text capitalises next to its neighbour ("Selandia Baru", "Hari Raya").
The table of words and pairs comes from raw news (training/truecase.py). Lowering keeps every character's
position, so offsets into the original text hold and the original spelling is what clients get back.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path

from workers.article import is_title_case

WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
LOWER, PAIR = "lower", "pair"  # the two kinds of rows in the table


def title_cased_word(word: str) -> bool:
    """"Bahas", "Jong-un": a capital first letter, the rest lower case (not "AS", "iPhone", "McDonald")."""
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


@dataclass(frozen=True)
class Truecaser:
    lower: frozenset[str]  # lower-cased forms that body text writes in lower case
    pairs: frozenset[tuple[str, str]]  # lower-cased word pairs that body text writes both capitalised

    def apply(self, text: str) -> str:
        """The text with its headline words lowered; text that is not a title-case headline comes back as it is."""
        if not is_title_case(text):
            return text
        matches = list(WORD_RE.finditer(text))
        lowered = [m.group().lower() for m in matches]
        out = list(text)
        for i, m in enumerate(matches):
            if i == 0 or not title_cased_word(m.group()) or lowered[i] not in self.lower:
                continue
            if self._in_name(matches, lowered, i):
                continue
            first = text[m.start()].lower()
            if len(first) == 1:  # "İ".lower() is two characters; such a word keeps its capital
                out[m.start()] = first
        return "".join(out)

    def _in_name(self, matches: list[re.Match[str]], lowered: list[str], i: int) -> bool:
        """Body text writes this word capitalised next to the capitalised word before or after it."""
        before = i > 0 and matches[i - 1].group()[:1].isupper() and (lowered[i - 1], lowered[i]) in self.pairs
        after = (i + 1 < len(matches) and matches[i + 1].group()[:1].isupper()
                 and (lowered[i], lowered[i + 1]) in self.pairs)
        return before or after


def load(path: Path) -> Truecaser:
    """Read the table written by training/truecase.py: `lower<TAB>word` and `pair<TAB>word word` rows."""
    lower: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            kind, _, value = line.rstrip("\n").partition("\t")
            if kind == LOWER:
                lower.add(value)
            elif kind == PAIR:
                first, _, second = value.partition(" ")
                pairs.add((first, second))
    return Truecaser(frozenset(lower), frozenset(pairs))
