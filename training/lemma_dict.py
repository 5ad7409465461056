"""The lemmatizer's dictionary, extended with the lemmatizer's own answers for frequent words of raw news.

Stanza's lemmatizer looks each (word, UPOS) pair up in the dictionary it learned from the treebank and runs its
seq2seq model only on pairs it has not seen: a quarter of GSD test's words, and the seq2seq model was the
lemmatizer's whole cost (17 % of the pipeline). That model reads the word and its tag, no context, so its answer
for a pair is the same wherever the pair occurs: asking it once, here, for the pairs that occur at least twice
in raw news (../shared/data/raw/click-id) and storing the answers in the model file gives the same lemmas at
run time without running it. The storing is Stanza's own (`lemma_store_results`); pairs seen once are dropped
again to keep the file small. Run after the tokenizer, MWT, POS and lemma models are in models/ (compacted or
not); rewrites models/id_lemma.pt in float16.
"""

from __future__ import annotations

import gzip
import os
from collections import Counter
from collections.abc import Iterator

from training.common import MODELS, SHARED_DATA, log, setup_logging
from training.compact import compact
from training.evaluate import full_pipeline

TOKENS = int(os.environ.get("LEMMA_DICT_TOKENS", "1000000"))
MIN_COUNT = 2
CHUNK_PARAGRAPHS = 200


def chunks(tokens: int) -> Iterator[str]:
    """Paragraphs of click-id (headlines and body text, as news comes), CHUNK_PARAGRAPHS at a time."""
    seen, batch = 0, []
    path = SHARED_DATA / "raw" / "click-id" / "DERIVED_click_id_content_paragraphs.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# source=") or not line.strip():
                continue
            batch.append(line.strip())
            seen += len(line.split())
            if len(batch) == CHUNK_PARAGRAPHS or seen >= tokens:
                yield "\n\n".join(batch)
                batch = []
            if seen >= tokens:
                return
    if batch:
        yield "\n\n".join(batch)


def main() -> None:
    setup_logging("lemma_dict")
    nlp = full_pipeline(["tokenize", "mwt", "pos", "lemma"], lemma_store_results=True)
    trainer = nlp.processors["lemma"].trainer
    known = {pos: set(entries) for pos, entries in trainer.pos_dict.items()}
    counts: Counter[tuple[str, str]] = Counter()
    for i, text in enumerate(chunks(TOKENS)):
        doc = nlp(text)
        counts.update((w.text, w.upos) for s in doc.sentences for w in s.words)
        if i % 20 == 0:
            log.info("%d words read", sum(counts.values()))
    kept = dropped = 0
    for pos, entries in trainer.pos_dict.items():
        for word in [w for w in entries if w not in known.get(pos, ())]:
            if counts[(word, pos)] >= MIN_COUNT:
                kept += 1
            else:
                del entries[word]
                dropped += 1
    target = MODELS / "id_lemma.pt"
    trainer.save(str(target))
    compact(target)
    log.info("%d words read; %d (word, UPOS) pairs added to the lemma dictionary, %d seen once left out; "
             "%s now %.1f MB", sum(counts.values()), kept, dropped, target.name, target.stat().st_size / 1e6)


if __name__ == "__main__":
    main()
