"""Date expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from workers.events.dates import find_dates

PUB = date(2023, 11, 14)  # a Tuesday


@pytest.mark.parametrize(("text", "found", "resolved"), [
    ("Pyongyang menembakkan rudal pada Sabtu (11/11/2023) malam.", "Sabtu (11/11/2023)", "2023-11-11"),
    ("Kedua menteri bertemu Jumat.", "Jumat", "2023-11-10"),
    ("Menlu tiba di Seoul pada Selasa.", "Selasa", "2023-11-14"),
    ("Latihan digelar pekan lalu.", "pekan lalu", "2023-11-06/2023-11-12"),
    ("Serangan terjadi akhir pekan lalu.", "akhir pekan lalu", "2023-11-11/2023-11-12"),
    ("Korut menguji rudal pada bulan Juni.", "pada bulan Juni", "2023-06"),
    ("Kesepakatan diteken 14 Januari.", "14 Januari", "2023-01-14"),
    ("Kesepakatan diteken 14 Januari 2022.", "14 Januari 2022", "2022-01-14"),
    ("Ia ditahan kemarin.", "kemarin", "2023-11-13"),
    ("Sanksi dijatuhkan tahun lalu.", "tahun lalu", "2022"),
    ("Trump bertemu MBS pada Rabu (18/9) waktu lokal.", "Rabu (18/9)", "2023-09-18"),
    ("Pemilu digelar bulan depan.", "bulan depan", "2023-12"),
    ("Dua hari lalu mereka berunding.", "Dua hari lalu", "2023-11-12"),
    ("Ia ditangkap di Suriah pada 2012.", "pada 2012", "2012"),
])
def test_resolution(text: str, found: str, resolved: str) -> None:
    dates = find_dates(text, 100, PUB)
    assert [(d.text, d.resolved) for d in dates] == [(found, resolved)]
    d = dates[0]
    assert text[d.start - 100:d.end - 100] == d.text


def test_minggu_lalu_is_a_week_not_a_sunday() -> None:
    assert [d.resolved for d in find_dates("Minggu lalu Korut menembakkan rudal.", 0, PUB)] == ["2023-11-06/2023-11-12"]


def test_no_publication_date() -> None:
    dates = find_dates("Mereka bertemu Jumat, lalu lagi pada Sabtu (11/11/2023).", 0, None)
    assert [(d.text, d.resolved) for d in dates] == [("Jumat", None), ("Sabtu (11/11/2023)", "2023-11-11")]


def test_not_dates() -> None:
    assert find_dates("Skor akhir 3/4 dan Mei tersenyum.", 0, PUB) == []
