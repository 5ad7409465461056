"""`make models`: every model from ../shared/data, two lanes side by side on a 2-core machine.

Lane 1: word vectors -> NER -> sentiment. Lane 2: UD (tokenizer, MWT, lemma, POS, parser; POS and parser
wait for the vectors). The headline truecaser's table (training/truecase.py) is counted from raw news first, in
a minute. Then float16 storage (training/compact.py), the lemmatizer's dictionary extended from raw
news with the stored models (training/lemma_dict.py), and the evaluation table.
"""

from __future__ import annotations

import subprocess
import sys
import time

from training import compact, lemma_dict, ner, sentiment, truecase, vectors
from training.common import MODELS, WORK, log, setup_logging


def main() -> None:
    setup_logging("all")
    started = time.monotonic()
    truecase.main()
    vectors.main()
    # The UD lane re-reads id_pretrain.pt only when it reaches POS, so it can start now.
    ud = subprocess.Popen([sys.executable, "-m", "training.ud"], stdout=(WORK / "ud.out").open("w"),
                          stderr=subprocess.STDOUT)
    ner.train(1)
    sentiment.main()
    if ud.wait() != 0:
        raise SystemExit(f"UD lane failed, see {WORK / 'ud.log'}")
    log.info("all models in %s after %.0f min", MODELS, (time.monotonic() - started) / 60)
    compact.main()
    lemma_dict.main()  # after compact: the lemmas it stores are those of the weights that ship
    subprocess.run([sys.executable, "-m", "training.evaluate"], check=True)


if __name__ == "__main__":
    main()
