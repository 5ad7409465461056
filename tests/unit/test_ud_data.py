"""The UD harmonisation applied to PUD-revised before training (training/ud_data.py), on hand-built sentences."""

from __future__ import annotations

from pathlib import Path

from training.ud_data import (
    clitics_as_tokens,
    drop_unlemmatised,
    gsd_aligned,
    gsd_conventions,
    possessives_as_pron,
    read_conllu,
    retag,
)


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


def gsd(n: int, *rows: str) -> str:
    return "\n".join([f"# sent_id = dev-s{n}", *rows])


def test_gsd_conventions_are_function_words_gsd_tags_one_way() -> None:
    blocks = [gsd(1, row(1, "Itu", upos="DET"), row(2, "dalam", upos="ADP"), row(3, "Bank", upos="NOUN")),
              gsd(2, row(1, "itu", upos="DET"), row(2, "dalam", upos="NOUN"), row(3, "bank", upos="NOUN")),
              gsd(3, row(1, "itu", upos="DET"), row(2, "dalam", upos="ADP"), row(3, "bank", upos="NOUN")),
              "# sent_id = csui-train-1\n" + "\n".join(row(i, "itu", upos="PRON") for i in range(1, 9))]
    # "dalam" is ADP 2 times of 3 (not one way), "bank" is not a function word, CSUI's tags do not count
    assert gsd_conventions(blocks) == {"itu": "DET"}


def test_retag_changes_other_treebanks_only_and_leaves_names_alone() -> None:
    csui = "\n".join(["# sent_id = csui-train-3", row(1, "Itu", upos="PRON"), row(2, "Itu", upos="PROPN")])
    assert columns(retag(csui, {"itu": "DET"}))[0][3] == "DET"
    assert columns(retag(csui, {"itu": "DET"}))[1][3] == "PROPN"
    own = gsd(4, row(1, "itu", upos="PRON"))
    assert retag(own, {"itu": "DET"}) == own


def test_gsd_sentences_are_repeated_and_the_others_kept_once(tmp_path: Path) -> None:
    own = gsd(12, row(1, "Sampul"))
    csui = "# sent_id = csui-train-3\n" + row(1, "Menteri")
    path = tmp_path / "train.in.conllu"
    path.write_text(f"{csui}\n\n{own}\n\n", encoding="utf-8")
    out = gsd_aligned(path, 3)
    assert out != path and read_conllu(path) == [csui, own]  # the prepared file stays as it was
    assert read_conllu(out) == [csui, own, own, own]
    assert read_conllu(gsd_aligned(path, 1)) == [csui, own]
