"""Character language models (Stanza's charlm, forward and backward) on raw news, for NER: an experiment.

Not part of `make models`: an NER model reading words through these (hidden 256) scored +0.3 on nerui, -1.1 on
nerugm and +2.8 on nergrit test, the same on dev, and cost a third of the pipeline's speed (models/MODEL_CARD.md,
"Limits and what we tried"). `python -m training.charlm` puts them in models/, where `python -m training.ner`
finds them and trains with them; delete them from models/ to train without.

Trained on raw/click-id's paragraphs as written (cased, untokenized). Every hundredth paragraph is held out as
the dev text that picks the best model. Both directions train side by side, one thread each; a run stops after
CHARLM_MINUTES (Stanza's trainer keeps the best model saved so far), so where it stops depends on the host.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from training.common import MODELS, SEED, SHARED_DATA, WORK, log, setup_logging

HIDDEN = int(os.environ.get("CHARLM_HIDDEN", "256"))
EMB = int(os.environ.get("CHARLM_EMB", "100"))
EPOCHS = int(os.environ.get("CHARLM_EPOCHS", "3"))
MINUTES = float(os.environ.get("CHARLM_MINUTES", "45"))
SCALE = float(os.environ.get("TRAIN_SCALE", "1"))  # < 1: a quick smoke run
OUT = WORK / "charlm"


def prepare() -> tuple[Path, Path]:
    train, dev = OUT / "train.txt", OUT / "dev.txt"
    if train.exists() and dev.exists():
        return train, dev
    OUT.mkdir(parents=True, exist_ok=True)
    source = SHARED_DATA / "raw" / "click-id" / "DERIVED_click_id_content_paragraphs.txt.gz"
    partial = train.with_suffix(".partial"), dev.with_suffix(".partial")
    with gzip.open(source, "rt", encoding="utf-8") as fh, partial[0].open("w") as tr, partial[1].open("w") as dv:
        kept = 0
        for line in fh:
            if line.startswith("# source=") or not line.strip():
                continue
            (dv if kept % 100 == 99 else tr).write(line.strip() + "\n")
            kept += 1
    # Renamed only when complete: an interrupted run must not leave a short corpus that the next run reuses.
    partial[0].replace(train)
    partial[1].replace(dev)
    return train, dev


def model_path(direction: str) -> Path:
    return OUT / f"id_{direction}_charlm.pt"


def in_models(direction: str) -> Path:
    return MODELS / f"id_{direction}_charlm.pt"


def flags() -> list[str]:
    """NER trainer flags to read words through the character LMs in models/; none if they are not there."""
    forward, backward = in_models("forward"), in_models("backward")
    if not (forward.exists() and backward.exists()):
        return []
    return ["--charlm", "--charlm_shorthand", "id_news", "--charlm_forward_file", str(forward),
            "--charlm_backward_file", str(backward)]


def command(direction: str, text: Path, dev: Path) -> list[str]:
    return [sys.executable, "-m", "stanza.models.charlm", "--train_file", str(text), "--eval_file", str(dev),
            "--shorthand", "id_news", f"--{direction}", "--char_hidden_dim", str(HIDDEN), "--char_emb_dim", str(EMB),
            "--epochs", str(EPOCHS), "--eval_steps", str(max(20, int(200 * SCALE))), "--cutoff", "20",
            "--save_dir", str(OUT), "--save_name", model_path(direction).name,
            "--vocab_save_name", "id_news_vocab.pt", "--no_checkpoint", "--seed", str(SEED)]


def train() -> None:
    text, dev = prepare()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    # The vocabulary file is shared: build it once before the two directions start.
    procs, logs = {}, []
    for direction in ("forward", "backward"):
        logs.append((WORK / f"charlm_{direction}.log").open("a"))
        procs[direction] = subprocess.Popen(command(direction, text, dev), stdout=logs[-1],
                                            stderr=subprocess.STDOUT, env=env)
        if direction == "forward":
            while not (OUT / "id_news_vocab.pt").exists() and procs[direction].poll() is None:
                time.sleep(2)
    deadline = time.monotonic() + MINUTES * SCALE * 60
    while any(p.poll() is None for p in procs.values()) and time.monotonic() < deadline:
        time.sleep(10)
    for direction, proc in procs.items():
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
        logs.pop(0).close()
        if not model_path(direction).exists():
            raise SystemExit(f"no {direction} charlm saved; see {WORK / f'charlm_{direction}.log'}")
        shutil.copyfile(model_path(direction), in_models(direction))
        log.info("%s charlm: %s", direction, in_models(direction))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    setup_logging("charlm")
    train()


if __name__ == "__main__":
    main()
