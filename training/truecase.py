"""The headline truecaser's table (workers/truecase.py) from the body text of raw news (raw/click-id).

A word goes into the table when body text writes it in lower case at least LOWER_SHARE of the times it stands
inside a sentence (a capital at a sentence start says nothing) and it stands there at least MIN_COUNT times.
Headlines write verbs bare ("Undang", "Tuding", "Resmikan"), a form body text rarely uses: it writes
"mengundang", "menuding", "meresmikan". So a word also goes in when its meN- form stands in lower case in body
text at least DERIVED_COUNT times and body text does not mostly capitalise the bare word (names such as "Ganjar"
or "Sulut" have meN- look-alikes too). A pair of words goes in when body text writes both capitalised, one after
the other, at least PAIR_COUNT times and one of them is in the table ("Selandia Baru"): the truecaser leaves
such a pair capitalised. Headlines and other title-case lines are left out of the counts, since their capitals
are the style, not the words.

    python -m training.truecase        # writes models/id_truecase.tsv.gz (about 2 minutes)
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from training.common import MODELS, SHARED_DATA, log, setup_logging
from workers.article import is_title_case
from workers.truecase import LOWER, PAIR, WORD_RE, title_cased_word

MIN_COUNT = 5
LOWER_SHARE = 0.9
PAIR_COUNT = 2
DERIVED_COUNT = 3
NAME_CAPITALS = 10  # a bare word capitalised more often than this and than twice its lower-case count is a name
# Between two words, any of these starts a new sentence, a quote or an aside, where a capital is no evidence.
_OPENING = re.compile(r"[.!?:;\"“”‘’'(\[«»]")
OUTPUT = "id_truecase.tsv.gz"


def lines(path: Path) -> Iterator[tuple[bool, str]]:
    """Paragraphs of click-id's articles, each with whether it is a headline or another title-case line."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        headline_next = False
        for line in fh:
            if line.startswith("# source="):
                headline_next = True
            elif line.strip():
                yield headline_next or is_title_case(line), line
                headline_next = False


@dataclass
class Counts:
    lower: Counter[str] = field(default_factory=Counter)  # inside a body sentence, in lower case
    capital: Counter[str] = field(default_factory=Counter)  # inside a body sentence, capitalised
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)  # two capitalised words in body text
    headline: Counter[str] = field(default_factory=Counter)  # words of headlines, lower-cased


def men_forms(word: str) -> list[str]:
    """The active verb a bare root takes with meN-, by the prefix's assimilation ("tuding" -> "menuding")."""
    first = word[:1]
    if first in "aiueogh":
        return ["meng" + word]
    if first == "k":
        return ["meng" + word[1:], "mengk" + word]
    if first in "dcjz":
        return ["men" + word]
    if first == "t":
        return ["men" + word[1:], "men" + word]  # "menuding", and "mentransfer" where t stays
    if first in "bfv":
        return ["mem" + word]
    if first == "p":
        return ["mem" + word[1:], "mem" + word]
    if first == "s":
        return ["meny" + word[1:], "men" + word]
    if first in "lmnrwy":
        return ["me" + word]
    return []


def count(paragraphs: Iterable[tuple[bool, str]]) -> Counts:
    """Lower-case and capitalised counts of each word inside sentences, counts of capitalised pairs, headline
    words."""
    counts = Counts()
    lower, capital, pairs = counts.lower, counts.capital, counts.pairs
    for headline, line in paragraphs:
        if headline:
            counts.headline.update(m.group().lower() for m in WORD_RE.finditer(line))
            continue
        prev_end, prev_word = 0, ""
        for i, m in enumerate(WORD_RE.finditer(line)):
            word, gap = m.group(), line[prev_end:m.start()]
            inside = i > 0 and not _OPENING.search(gap)
            if inside and word.islower():
                lower[word] += 1
            elif inside and title_cased_word(word):
                capital[word.lower()] += 1
            if prev_word and gap.isspace() and title_cased_word(prev_word) and title_cased_word(word):
                pairs[(prev_word.lower(), word.lower())] += 1
            prev_end, prev_word = m.end(), word
    return counts


def lowered(counts: Counts) -> set[str]:
    lower, capital = counts.lower, counts.capital
    chosen = {w for w, n in lower.items() if n + capital[w] >= MIN_COUNT and n >= LOWER_SHARE * (n + capital[w])}
    for word in {*counts.headline, *lower, *capital} - chosen:
        derived = sum(lower[form] for form in men_forms(word))
        if derived >= DERIVED_COUNT and capital[word] <= max(NAME_CAPITALS, 2 * lower[word]):
            chosen.add(word)
    return chosen


def table(counts: Counts) -> list[str]:
    chosen = lowered(counts)
    kept = sorted(p for p, n in counts.pairs.items() if n >= PAIR_COUNT and (p[0] in chosen or p[1] in chosen))
    return [f"{LOWER}\t{w}" for w in sorted(chosen)] + [f"{PAIR}\t{a} {b}" for a, b in kept]


def main() -> None:
    setup_logging("truecase")
    source = SHARED_DATA / "raw" / "click-id" / "DERIVED_click_id_content_paragraphs.txt.gz"
    rows = table(count(lines(source)))
    target = MODELS / OUTPUT
    # mtime=0: the same counts give the same bytes, so a rebuild leaves git with nothing to commit.
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(rows) + "\n").encode("utf-8"))
    log.info("truecase: %d words, %d pairs -> %s (%.0f kB)", sum(r.startswith(LOWER) for r in rows),
             sum(r.startswith(PAIR) for r in rows), target, target.stat().st_size / 1000)


if __name__ == "__main__":
    main()
