"""NER: PER/ORG/LOC on indolem-nerui + indolem-nerugm + indonlu-nergrit, labels mapped to one scheme.

nerugm's TIME and QUANTITY exist in one corpus only; kept, the other corpora would teach the model that
dates are O, so they are mapped to O (dates are found by rules in the event tagger).
idner-news-2k is never used (it repeats nerugm's sentences); nerp is lowercased and not used.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from training import charlm
from training.common import MODELS, SEED, SHARED_DATA, WORK, run, setup_logging, training_vectors
from workers import ner_convention

LABELS = {"PERSON": "PER", "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "LOCATION": "LOC", "PLACE": "LOC"}
SCALE = float(os.environ.get("TRAIN_SCALE", "1"))
# The shipped fold-1 model trains 8000 steps; the extra folds for the 5-fold mean may use fewer (NER_STEPS).
STEPS = int(os.environ.get("NER_STEPS", "8000"))
# The training sentences of the corpora in NER_COPIED (default nerui and nerugm, the news benchmarks; about 1,600
# sentences each, as nergrit) are repeated NER_NEWS_COPIES times (default 2; nergrit once): with the corpus markers
# this gained on nerugm and nergrit at nerui's level (model card). NER_NEWS_COPIES=1 trains each corpus once, as
# the models before 2026-12-08 were trained.
NEWS_COPIES = int(os.environ.get("NER_NEWS_COPIES", "2"))
NEWS = tuple(os.environ.get("NER_COPIED", "nerui,nerugm").split(","))
# Every sentence stands between two words naming its corpus, so that one model learns the three corpora's
# conflicting conventions apart (workers/ner_convention.py); models/manifest.json names the one the service runs
# with. NER_MARKERS=0 trains without them, as the models before 2026-12-07 were trained.
MARKERS = os.environ.get("NER_MARKERS", "1") == "1"


def read_bio(path: Path) -> list[list[dict[str, str]]]:
    sentences: list[list[dict[str, str]]] = []
    words: list[dict[str, str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if words:
                sentences.append(words)
            words = []
            continue
        text, _, tag = line.rpartition("\t") if "\t" in line else line.rpartition(" ")
        text, tag = text.strip(), tag.strip()
        if tag != "O":
            prefix, _, label = tag.partition("-")
            mapped = LABELS.get(label)
            tag = f"{prefix}-{mapped}" if mapped else "O"
        words.append({"text": text, "ner": tag})
    return sentences


def splits(fold: int) -> dict[str, dict[str, Path]]:
    ner = SHARED_DATA / "ner"
    f = f"{fold:02d}"
    return {
        "nerui": {s: ner / "indolem-nerui" / f"{s}.{f}.tsv" for s in ("train", "dev", "test")},
        "nerugm": {s: ner / "indolem-nerugm" / f"{s}.{f}.tsv" for s in ("train", "dev", "test")},
        "nergrit": {"train": ner / "indonlu-nergrit" / "train.txt", "dev": ner / "indonlu-nergrit" / "valid.txt",
                    "test": ner / "indonlu-nergrit" / "test.txt"},
    }


def write_json(path: Path, sentences: list[list[dict[str, str]]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
    return path


def prepare(fold: int, news_copies: int = NEWS_COPIES, copied: tuple[str, ...] = NEWS,
            markers: bool = MARKERS) -> tuple[Path, Path]:
    out = WORK / "ner" / f"fold{fold:02d}"
    parts = splits(fold)

    def read(name: str, path: Path) -> list[list[dict[str, str]]]:
        word = {"text": ner_convention.marker(name), "ner": "O"}
        return [ner_convention.wrap(s, word) if markers else s for s in read_bio(path)]

    train = [s for name, corpus in parts.items()
             for s in read(name, corpus["train"]) * (news_copies if name in copied else 1)]
    dev = [s for name, corpus in parts.items() for s in read(name, corpus["dev"])]
    for name, corpus in parts.items():
        write_json(out / f"{name}.test.json", read_bio(corpus["test"]))
    return write_json(out / "train.json", train), write_json(out / "dev.json", dev)


def model_path(fold: int) -> Path:
    """Fold 1 is the shipped model; the other folds only feed the 5-fold mean in the model card."""
    return MODELS / "id_ner.pt" if fold == 1 else WORK / "ner" / f"id_ner_fold{fold:02d}.pt"


def train(fold: int) -> None:
    train_json, dev_json = prepare(fold)
    target = model_path(fold)
    run(["-m", "stanza.models.ner_tagger", "--mode", "train", "--shorthand", "id_news",
         "--train_file", str(train_json), "--eval_file", str(dev_json),
         "--wordvec_pretrain_file", str(training_vectors()),
         "--save_dir", str(target.parent), "--save_name", target.name, "--seed", str(SEED),
         "--max_steps", str(max(100, int(STEPS * SCALE))), "--eval_interval", "500",
         "--max_steps_no_improve", "3000", *charlm.flags()], f"ner_fold{fold:02d}")
    for stray in target.parent.glob("*checkpoint*"):
        stray.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", default="1", help="comma-separated folds, e.g. 1,2,3,4,5")
    args = parser.parse_args()
    setup_logging("ner")
    for fold in (int(f) for f in args.folds.split(",")):
        train(fold)


if __name__ == "__main__":
    main()
