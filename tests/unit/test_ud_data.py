"""The UD harmonisation applied to PUD-revised before training (training/ud_data.py), on hand-built sentences."""

from __future__ import annotations

from pathlib import Path

from training.ud_data import clitics_as_tokens, drop_unlemmatised, possessives_as_pron


def row(i: int, form: str, upos: str = "NOUN", rel: str = "dep", misc: str = "_", lemma: str = "_") -> str:
    return "\t".join([str(i), form, lemma, upos, "_", "_", "0", rel, "_", misc])


PUD = "\n".join([
    "# text = grup lainnya apakah datang.",
    row(1, "grup"),
    row(2, "lain", misc="SpaceAfter=No"),
    row(3, "nya", upos="DET", rel="nmod:poss"),
    row(4, "apa", misc="SpaceAfter=No"),
    row(5, "kah", misc="SpaceAfter=No|Other=1"),
    row(6, "datang", misc="SpaceAfter=No"),
    row(7, ".", upos="PUNCT"),
])


def columns(block: str) -> list[list[str]]:
    return [line.split("\t") for line in block.split("\n") if not line.startswith("#")]


def test_glued_clitics_become_multi_word_tokens() -> None:
    rows = columns(clitics_as_tokens(PUD))
    ids = [r[0] for r in rows]
    assert ids == ["1", "2-3", "2", "3", "4-5", "4", "5", "6", "7"]
    assert rows[1][1] == "lainnya" and rows[1][9] == "_"  # a space follows "lainnya"
    assert rows[4][1] == "apakah" and rows[4][9] == "SpaceAfter=No"  # "apakah" is glued to what follows
    assert rows[2][9] == "_" and rows[6][9] == "Other=1"  # the words inside lose only SpaceAfter=No
    assert rows[7][1] == "datang" and rows[7][9] == "SpaceAfter=No"  # not a clitic: left alone


def test_a_sentence_with_multi_word_tokens_already_is_left_as_it_is() -> None:
    block = clitics_as_tokens(PUD)
    assert clitics_as_tokens(block) == block


def test_possessive_det_becomes_pron_and_other_det_stays() -> None:
    block = PUD + "\n" + row(8, "itu", upos="DET", rel="det")
    rows = {r[0]: r for r in columns(possessives_as_pron(block))}
    assert rows["3"][3] == "PRON"
    assert rows["8"][3] == "DET"


def test_sentences_without_lemmas_are_dropped(tmp_path: Path) -> None:
    with_lemmas = "\n".join([row(1, "Menteri", lemma="menteri"), row(2, "tiba", lemma="tiba")])
    path = tmp_path / "train.conllu"
    path.write_text(PUD + "\n\n" + with_lemmas + "\n\n", encoding="utf-8")
    assert drop_unlemmatised(path) == 1
    assert path.read_text(encoding="utf-8").strip() == with_lemmas
