"""Title-case headlines lowered to body-text casing (workers/truecase.py) and the table's recipe
(training/truecase.py), on hand-built tables and lines."""

from __future__ import annotations

import gzip
from pathlib import Path

from training.truecase import Counts, count, lines, lowered, men_forms, table
from workers.article import segment
from workers.nlp import article_spelling, text_as_read
from workers.pipeline import Annotator
from workers.truecase import Truecaser, load

CASER = Truecaser(lower=frozenset({"undang", "bahas", "respons", "serangan", "baru", "kalahkan", "di", "ke"}),
                  pairs=frozenset({("selandia", "baru")}))


def test_a_headlines_common_words_are_lowered_and_names_keep_their_capitals() -> None:
    assert CASER.apply("Kim Jong-un Undang Trump ke Pyongyang") == "Kim Jong-un undang Trump ke Pyongyang"
    assert CASER.apply("AS dan Aliansi Teluk Bahas Respons Serangan di Saudi") == (
        "AS dan Aliansi Teluk bahas respons serangan di Saudi")


def test_the_first_word_and_a_pair_body_text_capitalises_keep_their_capitals() -> None:
    assert CASER.apply("Bahas Serangan, Selandia Baru Kalahkan Australia") == (
        "Bahas serangan, Selandia Baru kalahkan Australia")


def test_body_text_is_left_as_it_is() -> None:
    body = "Presiden Undang para menteri untuk Bahas serangan di Papua."
    assert CASER.apply(body) == body


def test_every_character_stays_where_it_was() -> None:
    headline = "“Undang” İstanbul Bahas Serangan 🙂 di Ankara"
    out = CASER.apply(headline)
    assert len(out) == len(headline) and out.lower() == headline.lower()
    assert out == "“Undang” İstanbul bahas serangan 🙂 di Ankara"  # the first word keeps its capital


def test_the_table_round_trips_through_its_file(tmp_path: Path) -> None:
    path = tmp_path / "tc.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("lower\tundang\nlower\tbaru\npair\tselandia baru\n")
    assert load(path) == Truecaser(frozenset({"undang", "baru"}), frozenset({("selandia", "baru")}))


def test_men_forms_follow_the_prefixs_assimilation() -> None:
    assert men_forms("tuding") == ["menuding", "mentuding"] and "mentransfer" in men_forms("transfer")
    assert "mengundang" in men_forms("undang") and "membahas" in men_forms("bahas")
    assert men_forms("susul")[0] == "menyusul" and men_forms("luncurkan") == ["meluncurkan"]
    assert men_forms("pastikan")[0] == "memastikan" and men_forms("kalahkan")[0] == "mengalahkan"


def body(text: str, times: int) -> list[tuple[bool, str]]:
    return [(False, text)] * times


def test_words_body_text_writes_in_lower_case_go_in_and_names_do_not() -> None:
    counts = count([*body("Kemarin tim itu membahas serangan di Teluk Benggala bersama Selandia Baru.", 6),
                    *body("Warga kota baru itu sedang menuding pejabat baru.", 30),
                    *body("Kata Ganjar kepada menggantikan warga.", 12),
                    (True, "Ganjar Tuding Polisi Bahas Serangan")])
    chosen = lowered(counts)
    assert {"membahas", "serangan", "baru", "tuding"} <= chosen
    assert "teluk" not in chosen and "ganjar" not in chosen  # "menganjar" is no word; Ganjar is a name
    assert counts.capital["serangan"] == 0 and counts.headline["tuding"] == 1
    rows = table(counts)
    assert "pair\tselandia baru" in rows and "lower\ttuding" in rows


def test_a_bare_word_body_text_mostly_capitalises_stays_out_even_with_a_men_form() -> None:
    counts = Counts()
    counts.lower.update({"menyulut": 10, "sulut": 1})
    counts.capital.update({"sulut": 40})
    counts.headline.update({"sulut": 3})
    assert "sulut" not in lowered(counts)


def test_headline_and_title_case_lines_are_told_from_body_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "raw.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("# source=x\thttp://x\nKorut Luncurkan Rudal\nKorea Utara meluncurkan rudal lagi.\n"
                 "Foto Bersama Para Menteri Kabinet\n\n")
    assert list(lines(path)) == [(True, "Korut Luncurkan Rudal\n"), (False, "Korea Utara meluncurkan rudal lagi.\n"),
                                 (True, "Foto Bersama Para Menteri Kabinet\n")]


def test_an_article_is_read_with_only_its_headline_truecased() -> None:
    text = "Kim Jong-un Undang Trump ke Pyongyang\n\nKim Jong-un Undang Trump, kata pejabat di Seoul."
    annotator = Annotator("id", None, "m", "1", CASER)  # type: ignore[arg-type]  # the pipeline is not used here
    blocks = segment(text).blocks
    seen = text_as_read(annotator, text, list(blocks))
    assert seen == "Kim Jong-un undang Trump ke Pyongyang\n\nKim Jong-un Undang Trump, kata pejabat di Seoul."
    assert article_spelling(text, 12, 18, seen[12:18]) == "Undang" and article_spelling(text, 0, 3, "Kim") == "Kim"
