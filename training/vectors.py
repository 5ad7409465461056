"""Word vectors: word2vec on all Indonesian training text in shared/data, saved as a pruned Stanza Pretrain.

Test splits stay out of the corpus. Stanza looks words up in lowercase, so the corpus is lowercased.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

from gensim.models import Word2Vec
from stanza.models.common.pretrain import Pretrain

from training.common import MODELS, SEED, SHARED_DATA, WORK, log, setup_logging

TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")
MAX_VOCAB = 40000
DIM = 100


def tokenize(line: str) -> list[str]:
    return TOKEN.findall(line.lower())


def conll_sentences(path: Path, text_col: int = 0) -> Iterator[list[str]]:
    words: list[str] = []
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if words:
                yield words
            words = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if text_col == 1 and (len(cols) < 10 or not cols[0].isdigit()):
                continue
            words.append(cols[text_col].lower())
    if words:
        yield words


def corpus() -> Iterator[list[str]]:
    raw = SHARED_DATA / "raw"
    with gzip.open(raw / "click-id" / "DERIVED_click_id_content_paragraphs.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("# source="):
                yield tokenize(line)
    for path in sorted((raw / "indosum-dev").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for record in fh:
                for para in json.loads(record)["paragraphs"]:
                    for sent in para:
                        yield [w.lower() for w in sent]
    ner = SHARED_DATA / "ner"
    for path in [ner / "indolem-nerui" / "train.01.tsv", ner / "indolem-nerugm" / "train.01.tsv",
                 ner / "indonlu-nergrit" / "train.txt", ner / "indonlu-nergrit" / "valid.txt"]:
        yield from conll_sentences(path)
    ud = SHARED_DATA / "ud"
    for path in [ud / "csui" / "id_csui-ud-train.conllu", ud / "pud-revised" / "id_pud-ud-revised.conllu",
                 ud / "gsd" / "id_gsd-ud-dev.conllu"]:
        yield from conll_sentences(path, text_col=1)
    sent = SHARED_DATA / "sentiment"
    for review in (sent / "indonlu-smsa" / "train.tsv").open(encoding="utf-8"):
        yield tokenize(review.rsplit("\t", 1)[0])
    for row in csv.DictReader((sent / "cnbc-headlines" / "80-20" / "train_data.csv").open(encoding="utf-8")):
        yield tokenize(row["judul"])
    for row in csv.DictReader((sent / "nusax" / "train.csv").open(encoding="utf-8")):
        yield tokenize(row["text"])


def main() -> None:
    setup_logging("vectors")
    sentences = [s for s in corpus() if s]
    log.info("corpus: %d sentences, %d tokens", len(sentences), sum(map(len, sentences)))
    model = Word2Vec(sentences, vector_size=DIM, window=5, min_count=3, sg=1, epochs=5, workers=2, seed=SEED)
    vec_txt = WORK / "id_w2v.txt"
    words = model.wv.index_to_key[:MAX_VOCAB]
    with vec_txt.open("w", encoding="utf-8") as out:
        out.write(f"{len(words)} {DIM}\n")
        for w in words:
            out.write(w + " " + " ".join(f"{x:.5f}" for x in model.wv[w]) + "\n")
    MODELS.mkdir(parents=True, exist_ok=True)
    target = MODELS / "id_pretrain.pt"
    target.unlink(missing_ok=True)
    pretrain = Pretrain(str(target), str(vec_txt), max_vocab=MAX_VOCAB + 10, save_to_file=True)
    pretrain.load()
    log.info("pretrain %s: vocab %d, %.1f MB", target, len(pretrain.vocab), target.stat().st_size / 1e6)


if __name__ == "__main__":
    main()
