"""A hand-written ParsedDocument builder for the event tagger tests (no Stanza), and its own checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workers.document import Entity, ParsedDocument, Sentence, Word

# (text, upos, head, deprel) or (text, upos, head, deprel, lemma); head is 1-based, 0 = root
Tok = tuple[str, str, int, str] | tuple[str, str, int, str, str]
NO_SPACE_BEFORE = {",", ".", ")", "!", "?", ";", ":", "”"}
NO_SPACE_AFTER = {"(", "“"}


def build(sentences: Sequence[Sequence[Tok]], entities: Sequence[Sequence[tuple[int, int, str]]] = (),
          published_at: date | None = None) -> ParsedDocument:
    """Sentences of tokens; entities per sentence as (first word, last word, type) with 1-based inclusive words."""
    text = ""
    out_sentences: list[Sentence] = []
    out_entities: list[Entity] = []
    for s_index, toks in enumerate(sentences):
        if text:
            text += " "
        s_start = len(text)
        words: list[Word] = []
        for i, tok in enumerate(toks, 1):
            form, upos, head, deprel = tok[0], tok[1], tok[2], tok[3]
            lemma = tok[4] if len(tok) > 4 else form.lower()  # type: ignore[misc]
            if i > 1 and form not in NO_SPACE_BEFORE and toks[i - 2][0] not in NO_SPACE_AFTER:
                text += " "
            start = len(text)
            text += form
            words.append(Word(i, form, lemma, upos, head, deprel, start, len(text)))
        out_sentences.append(Sentence(s_index, s_start, len(text), text[s_start:], tuple(words)))
        for first, last, etype in (entities[s_index] if s_index < len(entities) else ()):
            start, end = words[first - 1].start, words[last - 1].end
            out_entities.append(Entity(f"e{len(out_entities) + 1}", text[start:end], etype, start, end, s_index))
    return ParsedDocument(text, tuple(out_sentences), tuple(out_entities), published_at)


def test_builder_offsets_match_text() -> None:
    doc = build([[("Presiden", "NOUN", 3, "nsubj"), ("Jokowi", "PROPN", 1, "flat"), ("tiba", "VERB", 0, "root"),
                  (".", "PUNCT", 3, "punct")]], [[(2, 2, "PER")]])
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text
        for w in s.words:
            assert doc.text[w.start:w.end] == w.text
    assert doc.text == "Presiden Jokowi tiba."
    assert doc.entities[0].text == "Jokowi"
