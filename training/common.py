"""Paths, logging and subprocess helpers shared by the training recipes."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("SHARED_DATA", ROOT.parent / "shared" / "data")).resolve()
WORK = Path(os.environ.get("TRAIN_WORK", ROOT / "var" / "training")).resolve()
MODELS = Path(os.environ.get("MODELS_DIR", ROOT / "models")).resolve()
SEED = 1234

log = logging.getLogger("training")


def setup_logging(name: str) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        handlers=[logging.StreamHandler(sys.stderr), logging.FileHandler(WORK / f"{name}.log")],
    )


def run(args: list[str], logname: str, env: dict[str, str] | None = None) -> None:
    """Run a Stanza training module as a subprocess, its output appended to WORK/<logname>.log.

    Single-threaded torch: two recipes run side by side on a 2-core machine.
    """
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", **(env or {})}
    logfile = WORK / f"{logname}.log"
    log.info("run %s (log: %s)", " ".join(args), logfile)
    started = time.monotonic()
    with logfile.open("a") as out:
        subprocess.run([sys.executable, *args], check=True, stdout=out, stderr=subprocess.STDOUT, env=full_env)
    log.info("done in %.0f s: %s", time.monotonic() - started, args[1] if len(args) > 1 else args[0])


def training_vectors() -> Path:
    """models/id_pretrain.pt in float32, the copy the recipes train with.

    The shipped file stores its vectors in float16 (training/compact.py), which Stanza's trainers would feed into
    float32 layers. Rewritten whenever the shipped file is newer; atomic, as two training lanes may ask at once.
    """
    shipped, copy = MODELS / "id_pretrain.pt", WORK / "id_pretrain.f32.pt"
    if not copy.exists() or copy.stat().st_mtime < shipped.stat().st_mtime:
        data = torch.load(shipped, map_location="cpu", weights_only=False)
        data["emb"] = data["emb"].float()
        WORK.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_suffix(f".{os.getpid()}.tmp")
        torch.save(data, tmp)
        tmp.replace(copy)
    return copy
