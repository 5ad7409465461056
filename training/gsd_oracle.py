"""Where GSD test's LAS is lost: the shipped pipeline end to end, then given GSD's own words and sentences, then
given GSD's gold UPOS as well (the parser alone).

`python -m training.gsd_oracle` prints one row per setting; MODELS_DIR scores other models the same way.
"""

from __future__ import annotations

from pathlib import Path

from stanza.models.common.doc import Document
from stanza.models.common.utils import ud_scores
from stanza.utils.conll import CoNLL

from training import evaluate, ud_data
from training import ud as ud_recipe
from training.common import WORK, setup_logging

METRICS = ("Words", "Sentences", "UPOS", "UAS", "LAS")


def gold_file() -> Path:
    path = ud_data.UDBASE / ud_data.TREEBANK / f"{ud_data.SHORT}-ud-test.conllu"
    if not path.exists():
        ud_recipe.prepare()
    return path


def gold_words(path: Path) -> list[list[dict[str, str | int]]]:
    """Each sentence's syntactic words (multi-word tokens already split) with their gold UPOS and lemma."""
    return [[{"id": int(cols[0]), "text": cols[1], "lemma": cols[2], "upos": cols[3]}
             for cols in (line.split("\t") for line in block.split("\n")) if cols[0].isdigit()]
            for block in ud_data.read_conllu(path)]


def score(gold: Path, doc: Document, name: str) -> dict[str, float]:
    system = WORK / f"gsd_test.{name}.conllu"
    CoNLL.write_doc2conll(doc, str(system))
    result = ud_scores(str(gold), str(system))
    return {metric: round(100 * result[metric].f1, 2) for metric in METRICS}


def main() -> None:
    setup_logging("gsd_oracle")
    gold = gold_file()
    raw = (WORK / "data" / "tokenize" / f"{ud_data.SHORT}.test.txt").read_text(encoding="utf-8")
    rows = {"predicted words, sentences and UPOS": score(gold, evaluate.full_pipeline()(raw), "end_to_end")}
    tagger = evaluate.full_pipeline(["tokenize", "pos", "lemma", "depparse"], tokenize_pretokenized=True)
    words = [[str(w["text"]) for w in sentence] for sentence in gold_words(gold)]
    rows["GSD's words and sentences, predicted UPOS"] = score(gold, tagger(words), "gold_words")
    parser = evaluate.full_pipeline(["tokenize", "depparse"], tokenize_pretokenized=True, depparse_pretagged=True)
    rows["GSD's words, sentences and UPOS"] = score(gold, parser(Document(gold_words(gold))), "gold_upos")
    print("| input | " + " | ".join(METRICS) + " |\n|---|" + "---|" * len(METRICS))
    for name, values in rows.items():
        print(f"| {name} | " + " | ".join(str(values[m]) for m in METRICS) + " |")


if __name__ == "__main__":
    main()
