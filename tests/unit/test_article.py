"""Article structure (workers.article): story blocks vs. related links, credits, captions and datelines.

Real articles come from ../shared/samples/articles (read at test time, never copied here); the short
articles below are written for these tests in the house styles of ANTARA, Kontan, IDN Times, Kompas,
Tempo, Liputan6 and detik, plus lines in the shape of the CLICK-ID scrape (paragraphs joined by ",").
"""

from __future__ import annotations

import itertools
import os
import random
import time
from pathlib import Path

import pytest

from workers.article import (
    BLOCK_KINDS,
    BOILERPLATE_KINDS,
    Article,
    Dateline,
    Span,
    segment,
    utf16_offsets,
)

SHARED = Path(os.environ.get("SHARED_DIR", Path(__file__).resolve().parents[2].parent / "shared"))
SAMPLES = sorted((SHARED / "samples" / "articles").glob("click-*.txt"))

LINE_BREAKS = "\n\r\u2028\u2029"
INVISIBLE = {chr(c) for c in range(0x20)} | {"\x7f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def invisible(ch: str) -> bool:
    return ch.isspace() or ch in INVISIBLE


def check_invariants(text: str, art: Article) -> None:
    """What every caller relies on, whatever the input."""
    spans = sorted([*art.blocks, *art.boilerplate], key=lambda s: s.start)
    assert list(art.blocks) == sorted(art.blocks, key=lambda s: s.start)
    assert list(art.boilerplate) == sorted(art.boilerplate, key=lambda s: s.start)
    covered = bytearray(len(text))
    for prev, cur in itertools.pairwise(spans):
        assert prev.end <= cur.start, f"overlap {prev} {cur}"
    for s in art.blocks:
        assert s.kind in BLOCK_KINDS
    for s in art.boilerplate:
        assert s.kind in BOILERPLATE_KINDS
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        piece = text[s.start:s.end]
        assert not invisible(piece[0]) and not invisible(piece[-1]), f"untrimmed {piece!r}"
        if s in art.blocks:
            assert not any(ch in LINE_BREAKS for ch in piece), f"block crosses a line break: {piece!r}"
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    for i, ch in enumerate(text):
        if not covered[i]:
            assert invisible(ch), f"visible {ch!r} at {i} outside every span: {text[max(0, i - 30):i + 30]!r}"
    titles = [s for s in art.blocks if s.kind == "title"]
    assert len(titles) <= 1
    if titles:
        assert titles[0] == art.blocks[0]
    datelines = [s for s in art.boilerplate if s.kind == "dateline"]
    if art.dateline is None:
        assert datelines == []
    else:
        assert datelines == [Span(art.dateline.start, art.dateline.end, "dateline")]


def layout(text: str, art: Article) -> list[tuple[str, str]]:
    """(kind, text) for every block and boilerplate span, in text order; boilerplate kinds upper-cased."""
    spans = [(s.start, s.kind, text[s.start:s.end]) for s in art.blocks]
    spans += [(s.start, s.kind.upper(), text[s.start:s.end]) for s in art.boilerplate]
    return [(kind, piece) for _, kind, piece in sorted(spans)]


def run(text: str) -> tuple[Article, list[tuple[str, str]]]:
    art = segment(text)
    check_invariants(text, art)
    return art, layout(text, art)


# ------------------------------------------------------------------------------------------ real samples


def test_samples_are_there() -> None:
    assert len(SAMPLES) == 16, f"expected the 16 CLICK-ID samples under {SHARED}"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_real_article_is_all_story(path: Path) -> None:
    """The samples are clean story text: one block per line, the headline as title, nothing hidden."""
    text = path.read_text(encoding="utf-8")
    art, got = run(text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert got == [("title", lines[0])] + [("paragraph", line) for line in lines[1:]]
    assert art.boilerplate == ()
    assert art.dateline is None


def test_real_lines_that_look_like_labels_stay_story() -> None:
    """click-16 opens a quote with "Topik tersebut", click-13 has a sentence starting "Selanjutnya"."""
    by_name = {p.name: p.read_text(encoding="utf-8") for p in SAMPLES}
    for name, needle in [("click-16.txt", '"Topik tersebut dapat'), ("click-13.txt", "Selanjutnya dolar Kanada")]:
        text = by_name[name]
        art = segment(text)
        at = text.index(needle)
        assert any(b.start <= at < b.end and b.kind == "paragraph" for b in art.blocks)


def test_real_article_without_line_breaks() -> None:
    """A whole sample pasted as one line: one paragraph block, no title, nothing flagged."""
    text = " ".join(SAMPLES[3].read_text(encoding="utf-8").split())
    _, got = run(text)
    assert got == [("paragraph", text)]


# --------------------------------------------------------------------------------------- house styles

ANTARA = """Korsel kerahkan jet tempur setelah Korut luncurkan rudal

Seoul (ANTARA) - Militer Korea Selatan mengerahkan jet tempur pada Senin setelah Korea Utara meluncurkan rudal.
Baca juga: Korut tembakkan rudal balistik ke Laut Timur
Kepala Staf Gabungan mengatakan rudal itu terbang sejauh 600 kilometer sebelum jatuh ke laut.
Presiden Yoon Suk Yeol saat rapat di Seoul, Senin (1/7/2024). (ANTARA FOTO/Yonhap/pri.)
"Kami terus memantau situasi," kata juru bicara militer.
Pewarta: Fulan Hidayat
Editor: Budi Santoso
Copyright © ANTARA 2024
"""


def test_antara() -> None:
    art, got = run(ANTARA)
    assert got == [
        ("title", "Korsel kerahkan jet tempur setelah Korut luncurkan rudal"),
        ("DATELINE", "Seoul (ANTARA) -"),
        ("paragraph", "Militer Korea Selatan mengerahkan jet tempur pada Senin setelah Korea Utara meluncurkan rudal."),
        ("RELATED_LINK", "Baca juga: Korut tembakkan rudal balistik ke Laut Timur"),
        ("paragraph", "Kepala Staf Gabungan mengatakan rudal itu terbang sejauh 600 kilometer sebelum jatuh ke laut."),
        ("CAPTION", "Presiden Yoon Suk Yeol saat rapat di Seoul, Senin (1/7/2024). (ANTARA FOTO/Yonhap/pri.)"),
        ("paragraph", '"Kami terus memantau situasi," kata juru bicara militer.'),
        ("CREDIT", "Pewarta: Fulan Hidayat"),
        ("CREDIT", "Editor: Budi Santoso"),
        ("CREDIT", "Copyright © ANTARA 2024"),
    ]
    start = ANTARA.index("Seoul")
    assert art.dateline == Dateline(start, start + len("Seoul (ANTARA) -"), "Seoul", "ANTARA")


KONTAN = """Rusia Tuding Ukraina Serang Pembangkit Nuklir Zaporizhzhia
Reporter: Ferry Saputra | Editor: Herlina Kartika Dewi
KONTAN.CO.ID - MOSKOW. Kementerian Pertahanan Rusia menuding Ukraina menyerang pembangkit nuklir Zaporizhzhia.
Menarik Dibaca: Harga Emas Antam Hari Ini Naik Rp 5.000 per Gram
Serangan itu, kata kementerian, merusak atap gedung reaktor nomor enam.
BACA JUGA : IAEA Kirim Tim Inspeksi ke Zaporizhzhia
Cek Berita dan Artikel yang lain di Google News
"""


def test_kontan() -> None:
    art, got = run(KONTAN)
    assert got == [
        ("title", "Rusia Tuding Ukraina Serang Pembangkit Nuklir Zaporizhzhia"),
        ("CREDIT", "Reporter: Ferry Saputra | Editor: Herlina Kartika Dewi"),
        ("DATELINE", "KONTAN.CO.ID - MOSKOW."),
        ("paragraph", "Kementerian Pertahanan Rusia menuding Ukraina menyerang pembangkit nuklir Zaporizhzhia."),
        ("RELATED_LINK", "Menarik Dibaca: Harga Emas Antam Hari Ini Naik Rp 5.000 per Gram"),
        ("paragraph", "Serangan itu, kata kementerian, merusak atap gedung reaktor nomor enam."),
        ("RELATED_LINK", "BACA JUGA : IAEA Kirim Tim Inspeksi ke Zaporizhzhia"),
        ("CREDIT", "Cek Berita dan Artikel yang lain di Google News"),
    ]
    assert art.dateline is not None
    assert (art.dateline.place, art.dateline.outlet) == ("Moskow", "Kontan")


IDN_TIMES = """Jokowi Resmikan Tol Baru di Sumatera, Waktu Tempuh Terpangkas Dua Jam
Jakarta, IDN Times - Presiden Joko Widodo meresmikan jalan tol baru di Sumatera, Senin (1/7/2024).
Presiden Joko Widodo saat meresmikan jalan tol (IDN Times/Rehia Sebayang)
Baca Juga: 5 Fakta Tol Trans Sumatera yang Wajib Kamu Tahu Presiden mengatakan tol itu memangkas waktu tempuh.
1. Tol dibangun sejak 2019
Pembangunan ruas ini dimulai lima tahun lalu. (Wikimedia Commons/Ninian Reid) Ruas itu sepanjang 140 km.
"""


def test_idn_times() -> None:
    art, got = run(IDN_TIMES)
    assert got == [
        ("title", "Jokowi Resmikan Tol Baru di Sumatera, Waktu Tempuh Terpangkas Dua Jam"),
        ("DATELINE", "Jakarta, IDN Times -"),
        ("paragraph", "Presiden Joko Widodo meresmikan jalan tol baru di Sumatera, Senin (1/7/2024)."),
        ("CAPTION", "Presiden Joko Widodo saat meresmikan jalan tol (IDN Times/Rehia Sebayang)"),
        # the linked headline runs into the next sentence: only the link is boilerplate
        ("RELATED_LINK", "Baca Juga: 5 Fakta Tol Trans Sumatera yang Wajib Kamu Tahu"),
        ("paragraph", "Presiden mengatakan tol itu memangkas waktu tempuh."),
        ("paragraph", "1. Tol dibangun sejak 2019"),
        ("paragraph", "Pembangunan ruas ini dimulai lima tahun lalu."),
        ("CAPTION", "(Wikimedia Commons/Ninian Reid)"),
        ("paragraph", "Ruas itu sepanjang 140 km."),
    ]
    assert art.dateline is not None
    assert (art.dateline.place, art.dateline.outlet) == ("Jakarta", "IDN Times")


KOMPAS = """JAKARTA, KOMPAS.com - Polisi menangkap dua orang terkait peredaran sabu di Jakarta Utara, Selasa (10/9).
Baca juga: Polisi Tangkap Pengedar Sabu di Anambas, Adik Wali Kota Diamankan
Kapolres mengatakan keduanya sudah lama diincar petugas.
KOMPAS.com/IHSANUDDIN
Ilustrasi sabu
Ilustrasi tersebut menunjukkan betapa mudahnya narkoba beredar di kawasan itu.
Artikel ini telah tayang di Kompas.com dengan judul "Polisi Tangkap Dua Pengedar Sabu"
Penulis: Fulan | Editor: Budi
"""


def test_kompas() -> None:
    """No headline line (Kompas text as pasted by a CMS): the dateline opens the first line."""
    art, got = run(KOMPAS)
    assert got == [
        ("DATELINE", "JAKARTA, KOMPAS.com -"),
        ("paragraph", "Polisi menangkap dua orang terkait peredaran sabu di Jakarta Utara, Selasa (10/9)."),
        ("RELATED_LINK", "Baca juga: Polisi Tangkap Pengedar Sabu di Anambas, Adik Wali Kota Diamankan"),
        ("paragraph", "Kapolres mengatakan keduanya sudah lama diincar petugas."),
        ("CAPTION", "KOMPAS.com/IHSANUDDIN"),
        ("CAPTION", "Ilustrasi sabu"),
        ("paragraph", "Ilustrasi tersebut menunjukkan betapa mudahnya narkoba beredar di kawasan itu."),
        ("CREDIT", 'Artikel ini telah tayang di Kompas.com dengan judul "Polisi Tangkap Dua Pengedar Sabu"'),
        ("CREDIT", "Penulis: Fulan | Editor: Budi"),
    ]
    assert art.dateline == Dateline(0, 21, "Jakarta", "Kompas.com")


TEMPO = """Polisi Pastikan Anak Pedangdut Tak Dijerat Pidana
TEMPO.CO, Jakarta – Polisi memastikan tidak akan menjerat anak pedangdut itu dengan pasal pidana.
Pilihan Editor: Kapolri Perintahkan Usut Tuntas Kasus Perusakan Warung
Alasannya, yang bersangkutan memiliki gangguan jiwa. Sumber: Polda Metro Jaya
"""


def test_tempo() -> None:
    art, got = run(TEMPO)
    assert got == [
        ("title", "Polisi Pastikan Anak Pedangdut Tak Dijerat Pidana"),
        ("DATELINE", "TEMPO.CO, Jakarta –"),
        ("paragraph", "Polisi memastikan tidak akan menjerat anak pedangdut itu dengan pasal pidana."),
        ("RELATED_LINK", "Pilihan Editor: Kapolri Perintahkan Usut Tuntas Kasus Perusakan Warung"),
        ("paragraph", "Alasannya, yang bersangkutan memiliki gangguan jiwa."),
        ("CREDIT", "Sumber: Polda Metro Jaya"),
    ]
    assert art.dateline is not None
    assert (art.dateline.place, art.dateline.outlet) == ("Jakarta", "Tempo")


DETIK = """Jokowi Terima Kunjungan PM Jepang di Istana Bogor
Jakarta - Presiden Joko Widodo menerima kunjungan Perdana Menteri Jepang di Istana Bogor, Jumat (12/1).
[Gambas:Video 20detik]
Keduanya membahas kerja sama energi dan infrastruktur.
(rdp/imk)
"""


def test_detik_place_only_dateline() -> None:
    art, got = run(DETIK)
    assert got == [
        ("title", "Jokowi Terima Kunjungan PM Jepang di Istana Bogor"),
        ("DATELINE", "Jakarta -"),
        ("paragraph", "Presiden Joko Widodo menerima kunjungan Perdana Menteri Jepang di Istana Bogor, Jumat (12/1)."),
        ("CAPTION", "[Gambas:Video 20detik]"),
        ("paragraph", "Keduanya membahas kerja sama energi dan infrastruktur."),
        ("CREDIT", "(rdp/imk)"),
    ]
    assert art.dateline is not None
    assert (art.dateline.place, art.dateline.outlet) == ("Jakarta", None)


def test_related_links_box() -> None:
    text = (
        "Harga Emas Naik Lagi\nHarga emas naik Rp 5.000 hari ini.\nBerita Terkait\n"
        "Harga Emas Antam Hari Ini\n- Rupiah Menguat ke Level Rp15.600\nPedagang di Pasar Baru menyambut baik.\n"
    )
    _, got = run(text)
    assert got == [
        ("title", "Harga Emas Naik Lagi"),
        ("paragraph", "Harga emas naik Rp 5.000 hari ini."),
        ("RELATED_LINK", "Berita Terkait"),
        ("RELATED_LINK", "Harga Emas Antam Hari Ini"),
        ("RELATED_LINK", "- Rupiah Menguat ke Level Rp15.600"),
        ("paragraph", "Pedagang di Pasar Baru menyambut baik."),
    ]


# ---------------------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("opening", "dateline", "place", "outlet"),
    [
        ("Seoul (ANTARA) - Militer", "Seoul (ANTARA) -", "Seoul", "ANTARA"),
        ("Jakarta (ANTARA) - Pemerintah", "Jakarta (ANTARA) -", "Jakarta", "ANTARA"),
        ("KOTA BOGOR (ANTARA) — Wali", "KOTA BOGOR (ANTARA) —", "Kota Bogor", "ANTARA"),
        ("New York (ANTARA/Reuters) - Harga", "New York (ANTARA/Reuters) -", "New York", "ANTARA"),
        ("KONTAN.CO.ID - MOSKOW. Rusia", "KONTAN.CO.ID - MOSKOW.", "Moskow", "Kontan"),
        ("KONTAN.CO.ID - Bank Indonesia mencatat", "KONTAN.CO.ID -", None, "Kontan"),
        ("Jakarta, IDN Times - Presiden", "Jakarta, IDN Times -", "Jakarta", "IDN Times"),
        ("JAKARTA, KOMPAS.com - Polisi", "JAKARTA, KOMPAS.com -", "Jakarta", "Kompas.com"),
        ("KOMPAS.com – Sudah", "KOMPAS.com –", None, "Kompas.com"),
        ("Liputan6.com, Jakarta - Harga", "Liputan6.com, Jakarta -", "Jakarta", "Liputan6.com"),
        ("TEMPO.CO, Jakarta - Polisi", "TEMPO.CO, Jakarta -", "Jakarta", "Tempo"),
        ("TEMPO.CO,Yogyakarta - Klub", "TEMPO.CO,Yogyakarta -", "Yogyakarta", "Tempo"),
        ("TRIBUNNEWS.COM, AMUNTAI - Mobil", "TRIBUNNEWS.COM, AMUNTAI -", "Amuntai", "Tribunnews.com"),
        ("Jakarta, CNN Indonesia -- Presiden", "Jakarta, CNN Indonesia --", "Jakarta", "CNN Indonesia"),
        ("Bisnis.com, JAKARTA — Harga", "Bisnis.com, JAKARTA —", "Jakarta", "Bisnis.com"),
        ("Suara.com - Presiden", "Suara.com -", None, "Suara.com"),
        ("BANDA ACEH - Gempa", "BANDA ACEH -", "Banda Aceh", None),
        ("KAB. CIREBON -- Pemerintah", "KAB. CIREBON --", "Kab. Cirebon", None),
        ("Tangerang Selatan - Aldrin", "Tangerang Selatan -", "Tangerang Selatan", None),
    ],
)
def test_dateline_forms(opening: str, dateline: str, place: str | None, outlet: str | None) -> None:
    text = f"Judul Berita Hari Ini\n{opening} menyatakan hal itu pada Senin."
    art, got = run(text)
    start = text.index(opening)
    assert art.dateline == Dateline(start, start + len(dateline), place, outlet)
    assert got[1] == ("DATELINE", dateline)
    assert got[2] == ("paragraph", text[start + len(dateline):].strip())


@pytest.mark.parametrize(
    "opening",
    [
        "Victoria - bukan nama sebenarnya - kini hampir tiga tahun.",  # lower case after the dash
        "Wafatnya Presiden Indonesia Ke- 3 Prof. Dr. Ing. H. Bacharuddin Jusuf Habibie meninggalkan duka.",
        "Jakarta-Bandung kini bisa ditempuh dalam 45 menit.",
        "Amerika Serikat (AS) menunjuk Robert O'Brien sebagai penasihat.",
        "Presiden Joko Widodo, Senin, menyebut Booking.com sebagai contoh.",
    ],
)
def test_no_false_dateline(opening: str) -> None:
    art, got = run(f"Judul Berita Hari Ini\n{opening}")
    assert art.dateline is None
    assert got == [("title", "Judul Berita Hari Ini"), ("paragraph", opening)]


def test_dateline_only_opens_the_first_body_block() -> None:
    text = "Judul Berita\nPolisi menangkap dua orang.\nJAKARTA, KOMPAS.com - Kalimat kedua."
    art, _ = run(text)
    assert art.dateline is None


def test_dateline_on_its_own_line() -> None:
    text = "Judul Berita\nJAKARTA, KOMPAS.com -\nPolisi menangkap dua orang."
    art, got = run(text)
    assert got == [("title", "Judul Berita"), ("DATELINE", "JAKARTA, KOMPAS.com -"),
                   ("paragraph", "Polisi menangkap dua orang.")]
    assert art.dateline is not None and art.dateline.outlet == "Kompas.com"


def test_headline_with_a_dash_is_still_a_title() -> None:
    """ "Persib - Persija" reads like "Jakarta - " but a dateline without outlet never takes the headline."""
    text = "Persib - Persija Berakhir Imbang\nBANDUNG - Laga berlangsung ketat sejak awal."
    art, got = run(text)
    assert got == [("title", "Persib - Persija Berakhir Imbang"), ("DATELINE", "BANDUNG -"),
                   ("paragraph", "Laga berlangsung ketat sejak awal.")]
    assert art.dateline is not None and art.dateline.place == "Bandung"


# ---------------------------------------------------------------------------------------- related links


@pytest.mark.parametrize(
    ("line", "link", "rest"),
    [
        # one link per line (ANTARA, Kompas), sentence-case or title-case headline
        ("Baca juga: Korut tembakkan rudal ke Laut Timur", "Baca juga: Korut tembakkan rudal ke Laut Timur", []),
        ("BACA JUGA : Harga BBM Naik Mulai Besok", "BACA JUGA : Harga BBM Naik Mulai Besok", []),
        ("Selanjutnya: Daftar Lengkap Menteri Kabinet Baru", "Selanjutnya: Daftar Lengkap Menteri Kabinet Baru", []),
        ("Berita Terkait: Jokowi Lantik Menteri Baru", "Berita Terkait: Jokowi Lantik Menteri Baru", []),
        # the linked headline runs into the next sentence on the same line
        ("Baca juga: Jokowi Resmikan Tol Baru Polisi memastikan jalan itu aman.",
         "Baca juga: Jokowi Resmikan Tol Baru", ["Polisi memastikan jalan itu aman."]),
        ("Baca juga: Jokowi Resmikan Tol Baru Sebelumnya, KPK telah menetapkan lima tersangka.",
         "Baca juga: Jokowi Resmikan Tol Baru", ["Sebelumnya, KPK telah menetapkan lima tersangka."]),
        ("Baca juga: Bos Pentagon Ingin Tempatkan Rudal AS di Asia Presiden Joko Widodo mengatakan hal itu.",
         "Baca juga: Bos Pentagon Ingin Tempatkan Rudal AS di Asia", ["Presiden Joko Widodo mengatakan hal itu."]),
        ('Baca Juga: Siapa Dia? Ini Profilnya "Saya tidak tahu," kata Budi.',
         "Baca Juga: Siapa Dia? Ini Profilnya", ['"Saya tidak tahu," kata Budi.']),
        ("Baca juga: Banjir Rendam Jakarta. Warga mulai mengungsi.",
         "Baca juga: Banjir Rendam Jakarta.", ["Warga mulai mengungsi."]),
        # the headline was dropped by the scraper and the next paragraph joined with ","
        ("Baca juga:,,Laga langsung berjalan ketat sejak gim pertama.", "Baca juga:,,",
         ["Laga langsung berjalan ketat sejak gim pertama."]),
        ("Baca juga,,Laga langsung berjalan ketat.", "Baca juga,,", ["Laga langsung berjalan ketat."]),
        ("Baca juga: 5 Fakta Layanan Bank Mandiri yang Sempat Error,,Ketika dikonfirmasi, Rohan mengatakan.",
         "Baca juga: 5 Fakta Layanan Bank Mandiri yang Sempat Error,,", ["Ketika dikonfirmasi, Rohan mengatakan."]),
        ("Berikut isi Pasal 418:,Baca Juga :,,,Laki-laki yang bersetubuh dengan perempuan itu.",
         "Baca Juga :,,,", ["Berikut isi Pasal 418:,", "Laki-laki yang bersetubuh dengan perempuan itu."]),
        ("Baca juga:,Baca juga:,,,Netanyahu menuduh Hamas gagal.", "Baca juga:,", ["Netanyahu menuduh Hamas gagal."]),
        # in parentheses after a sentence (Sindonews)
        ("Dia menang di Misano pekan lalu. (Baca juga: Marquez Diminta Segera Akhiri Perburuan Gelar)",
         "(Baca juga: Marquez Diminta Segera Akhiri Perburuan Gelar)", ["Dia menang di Misano pekan lalu."]),
        ("Bima Sakti memanggil 23 pemain. (Baca juga: ,). Latihan dimulai Senin.",
         "(Baca juga: ,).", ["Bima Sakti memanggil 23 pemain.", "Latihan dimulai Senin."]),
        ('Rabu (11/9/2019). (Baca juga: ,Apalagi, kata dia, Azis masuk ke gerbong Airlangga.',
         "(Baca juga: ,", ["Rabu (11/9/2019).", "Apalagi, kata dia, Azis masuk ke gerbong Airlangga."]),
    ],
)
def test_related_link(line: str, link: str, rest: list[str]) -> None:
    _, got = run(f"Judul\n{line}")
    assert ("RELATED_LINK", link) in got
    assert [piece for kind, piece in got if kind == "paragraph"] == rest


def test_repeated_link_markers() -> None:
    _, got = run("Judul\nBaca juga:,Baca juga:,,,Netanyahu menuduh Hamas gagal.")
    assert got == [("title", "Judul"), ("RELATED_LINK", "Baca juga:,"), ("RELATED_LINK", "Baca juga:,,,"),
                   ("paragraph", "Netanyahu menuduh Hamas gagal.")]


# ------------------------------------------------------------------------------------ credits, captions


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Editor: Budi Santoso", "CREDIT"),
        ("Penerjemah: Yuni Arisandy", "CREDIT"),
        ("Pewarta: Fulan Hidayat", "CREDIT"),
        ("Sumber : ANTARA", "CREDIT"),
        ("Copyright © ANTARA 2024", "CREDIT"),
        ("Topik: Pemilu 2024, KPU, Bawaslu", "CREDIT"),
        ("Reporter: Ferry Saputra", "CREDIT"),
        ("Baca berita selengkapnya di sini", "CREDIT"),
        ("Laporan Wartawan Tribunnews.com, Fransiskus Adhiyuda", "CREDIT"),
        ("(ant/rdn)", "CREDIT"),
        ("(*)", "CREDIT"),
        ("Simak breaking news dan berita pilihan kami langsung di ponselmu via WhatsApp", "CREDIT"),
        ("(Wikimedia Commons/Ninian Reid)", "CAPTION"),
        ("(Foto: Humas Polda Metro Jaya)", "CAPTION"),
        ("(ANTARA FOTO/Sigid Kurniawan/foc)", "CAPTION"),
        ("(Foto Ilustrasi : Dok.Okezone)", "CAPTION"),
        ("ANTARA FOTO/Sigid Kurniawan/foc.", "CAPTION"),
        ("Foto: Instagram @fulan", "CAPTION"),
        ("Ilustrasi penangkapan pelaku", "CAPTION"),
        ("Ilustrasi: Dok. Okezone", "CAPTION"),
        ("Ilustrasi. (Shutterstock)", "CAPTION"),
    ],
)
def test_boilerplate_line(line: str, kind: str) -> None:
    _, got = run(f"Judul\nKalimat pertama berita ini.\n{line}\nKalimat terakhir.")
    assert got == [("title", "Judul"), ("paragraph", "Kalimat pertama berita ini."), (kind, line),
                   ("paragraph", "Kalimat terakhir.")]


@pytest.mark.parametrize(
    "line",
    [
        "Editor majalah itu mengatakan edisi baru terbit pekan depan.",
        "Sumber daya manusia menjadi fokus pemerintah tahun ini.",
        "Topik tersebut dapat didiskusikan hanya ketika sanksi dicabut.",
        "Selanjutnya dolar Kanada menguat 0,2% menjadi 1,3259 versus USD.",
        "Selanjutnya, polisi memeriksa tiga saksi.",
        "Ilustrasi pop energik dari Richard Bernstein membentuk aksen jukstaposisi ciamik.",
        "Ilustrasi tersebut menunjukkan bahwa kebijakan simplifikasi golongan berdampak.",
        "Bank sentral menahan suku bunga sementara ekonomi tumbuh 15,9% (yoy).",
        "Kingdom ini terpisah dari Plantae (tumbuhan) dan animalia (hewan).",
        "Pasangan mata uang itu melemah pada sesi Asia (EUR/USD)",
        "Laporan wartawan Kompas.com Dhias Suwandi dari Jayapura, massa juga melempari kantor.",
        "Anda bisa baca juga buku panduan yang dibagikan gratis.",
        "Baca juga buku panduan yang dibagikan gratis.",
        "Dia mengunggah foto (foto bersama keluarga) di Instagram.",
        "Katak pohon (kodok/katak hijau) ditemukan di hutan itu.",
        "Berita terkait kasus itu ramai di media sosial, kata dia.",
        "Fotografer senior itu memenangi penghargaan internasional.",
        "Mereka menyebutnya operasi (bersandi Merah Putih) yang terbesar.",
    ],
)
def test_story_line_is_not_boilerplate(line: str) -> None:
    art, got = run(f"Judul\nKalimat pertama berita ini.\n{line}")
    assert got == [("title", "Judul"), ("paragraph", "Kalimat pertama berita ini."), ("paragraph", line)]
    assert art.boilerplate == ()


def test_writer_box_and_photo_credit_inside_lines() -> None:
    text = (
        "Judul\n"
        '"Kami siap," kata Anies. (aik/dkp)\n'
        "Polisi berjaga di lokasi. (Foto: Humas Polri) Warga diminta menjauh.\n"
        "Foto: Peter Yeung - dok BBC,Namun karena terbuat dari lumpur, masjid itu butuh perawatan khusus.\n"
        "Reporter: Fimela.com/Musa Ade,Setelah berpisah dari suaminya, dia menjalani hidup di Bali.\n"
    )
    _, got = run(text)
    assert got == [
        ("title", "Judul"),
        ("paragraph", '"Kami siap," kata Anies.'),
        ("CREDIT", "(aik/dkp)"),
        ("paragraph", "Polisi berjaga di lokasi."),
        ("CAPTION", "(Foto: Humas Polri)"),
        ("paragraph", "Warga diminta menjauh."),
        ("CAPTION", "Foto: Peter Yeung - dok BBC,"),
        ("paragraph", "Namun karena terbuat dari lumpur, masjid itu butuh perawatan khusus."),
        ("CREDIT", "Reporter: Fimela.com/Musa Ade,"),
        ("paragraph", "Setelah berpisah dari suaminya, dia menjalani hidup di Bali."),
    ]


def test_scraped_paragraph_glued_to_a_photo_credit_stays_story() -> None:
    line = "Nia tampil memakai busana,putih yang dipadukan jaket denim,,,(Foto : @fulan/Instagram)"
    _, got = run(f"Judul\n{line}")
    assert got == [("title", "Judul"), ("paragraph", "Nia tampil memakai busana,putih yang dipadukan jaket denim,,,"),
                   ("CAPTION", "(Foto : @fulan/Instagram)")]


def test_text_without_line_breaks() -> None:
    """A CMS export with no line breaks at all: the dateline, an inline link and the closing credits."""
    text = (
        "Jakarta (ANTARA) - Pemerintah menaikkan harga BBM mulai Senin. (Baca juga: Harga BBM Naik Mulai Besok) "
        "Menteri ESDM mengatakan kenaikan itu tidak terhindarkan. Pewarta: Fulan Editor: Budi Copyright © ANTARA 2024"
    )
    art, got = run(text)
    assert got == [
        ("DATELINE", "Jakarta (ANTARA) -"),
        ("paragraph", "Pemerintah menaikkan harga BBM mulai Senin."),
        ("RELATED_LINK", "(Baca juga: Harga BBM Naik Mulai Besok)"),
        ("paragraph", "Menteri ESDM mengatakan kenaikan itu tidak terhindarkan."),
        ("CREDIT", "Pewarta: Fulan Editor: Budi Copyright © ANTARA 2024"),
    ]
    assert art.dateline == Dateline(0, 18, "Jakarta", "ANTARA")


# ------------------------------------------------------------------------------------ title and lines


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Trump Tunjuk Kepala Negosiator Sandera\nPresiden AS menunjuk Robert O'Brien.", True),
        ("Menlu RI bahas kerja sama dengan Korsel\nMenteri Luar Negeri bertemu mitranya.", True),
        ("Pemkab Lebak Jaga Populasi Bibit Unggul Kerbau Asli Daerah.\nIsi berita.", True),  # scraped "."
        ("Dr. Tirta Bicara Soal Vaksin\nIsi berita.", True),
        ("Polisi menangkap dua orang di Jakarta.\nKeduanya pengedar sabu.", False),  # a sentence
        ("Trump Tunjuk Kepala Negosiator Sandera", False),  # nothing follows
        ("Kalimat satu. Kalimat dua tanpa titik\nIsi.", False),
        ("Editor: Budi\nIsi berita.", False),  # boilerplate never becomes the title
        ("Seoul (ANTARA) - Militer Korsel siaga\nIsi berita.", False),
    ],
)
def test_title_detection(text: str, title: bool) -> None:
    art, _ = run(text)
    first_line = text.split("\n")[0]
    assert (art.blocks[0] == Span(0, len(first_line), "title")) is title
    assert sum(b.kind == "title" for b in art.blocks) == int(title)


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\u2028", "\u2029"])
def test_every_line_break_splits_blocks(brk: str) -> None:
    lines = ["Judul Berita", "Jakarta (ANTARA) - Kalimat pertama.", "", "Baca juga: Berita Lain", "Kalimat kedua."]
    text = brk.join(lines) + brk
    art, got = run(text)
    assert got == [("title", "Judul Berita"), ("DATELINE", "Jakarta (ANTARA) -"), ("paragraph", "Kalimat pertama."),
                   ("RELATED_LINK", "Baca juga: Berita Lain"), ("paragraph", "Kalimat kedua.")]
    start = text.index("Kalimat kedua")
    assert art.blocks[-1] == Span(start, start + len("Kalimat kedua."), "paragraph")


def test_crlf_offsets_are_exact() -> None:
    text = "Judul Berita\r\n\r\nSeoul (ANTARA) - Isi pertama.\r\nIsi kedua.\r\n"
    art = segment(text)
    check_invariants(text, art)
    assert art.blocks == (Span(0, 12, "title"), Span(33, 45, "paragraph"), Span(47, 57, "paragraph"))
    assert art.dateline == Dateline(16, 32, "Seoul", "ANTARA")


def test_blank_and_invisible_lines_are_dropped() -> None:
    text = "\ufeffJudul Berita\n \t\u00a0\n\x00\x00\n\u200b\nIsi berita\x00 dengan NUL di tengah.\n\n"
    art, got = run(text)
    assert got == [("title", "Judul Berita"), ("paragraph", "Isi berita\x00 dengan NUL di tengah.")]
    assert art.blocks[0] == Span(1, 13, "title")


def test_emoji_and_combining_marks_keep_code_point_offsets() -> None:
    text = (
        "Timnas Menang 🇮🇩🎉 Lawan Thailand\n"
        "JAKARTA, KOMPAS.com - Suporter bersorak 👏🏽 di GBK; café e\u0301 “pesta” 😀.\n"
        "Baca juga: Jadwal Timnas 😀 Pekan Depan\n"
    )
    art, got = run(text)
    assert got == [
        ("title", "Timnas Menang 🇮🇩🎉 Lawan Thailand"),
        ("DATELINE", "JAKARTA, KOMPAS.com -"),
        ("paragraph", "Suporter bersorak 👏🏽 di GBK; café e\u0301 “pesta” 😀."),
        ("RELATED_LINK", "Baca juga: Jadwal Timnas 😀 Pekan Depan"),
    ]
    start = text.index("JAKARTA")
    assert art.dateline == Dateline(start, start + 21, "Jakarta", "Kompas.com")
    # the same spans in UTF-16 code units, as a JavaScript client slices them
    to16 = utf16_offsets(text)
    encoded = text.encode("utf-16-le")
    for span in [*art.blocks, *art.boilerplate]:
        piece = encoded[2 * to16(span.start):2 * to16(span.end)].decode("utf-16-le")
        assert piece == text[span.start:span.end]


def test_empty_and_whitespace_only() -> None:
    assert segment("") == Article((), (), None)
    assert segment(" \n\r\n\t\u2028 ") == Article((), (), None)


# ------------------------------------------------------------------------------------- robustness


def test_fuzzed_mixtures_keep_invariants() -> None:
    """Random mixes of story lines and furniture fragments: offsets always consistent."""
    fragments = [
        "Baca juga:", "Baca juga: Judul Lain", ",,", ",", "(", ")", "(Foto: X/Y)", "(ant/rdn)", "Editor:", " ",
        "\n", "\r\n", "\r", "\u2028", "Jakarta (ANTARA) -", "KONTAN.CO.ID - MOSKOW.", "😀", "e\u0301", "\x00",
        "Polisi menangkap dua orang.", "Ilustrasi", "Sumber :", "©", "Berita Terkait", "\ufeff", "“kutipan”",
        "JAKARTA -", "Selanjutnya:", "—", ".", "(Baca juga: ,)", "Penulis: Fulan", "Harga Naik",
    ]
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice(fragments) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 30)))
        check_invariants(text, segment(text))


LARGE = 200_000


@pytest.mark.parametrize(
    "unit",
    [
        "Jakarta (ANTARA) - Presiden Joko Widodo meresmikan tol. (Baca juga: Tol Baru) Warga senang. (ant/rdn)\n",
        "Presiden Joko Widodo meresmikan jalan tol baru di Sumatera, Senin (1/7/2024). ",  # no line breaks
        "(", "(a", ",", ", ", "Baca juga: ", "Baca juga:,,", "(Baca juga: Jokowi ", "a" * 50 + ". ",
        "Foto: ", "Editor: ", "Jakarta - ", "😀", "\x00", "\r\n", "a\n", "Aaaa ", ". ", "\u0301",
    ],
    ids=repr,
)
def test_200k_inputs_finish_fast(unit: str) -> None:
    text = (unit * (LARGE // len(unit) + 1))[:LARGE]
    t0 = time.perf_counter()
    art = segment(text)
    elapsed = time.perf_counter() - t0
    # generous: about 0.1-0.7 s here on a busy machine; quadratic behaviour would take minutes
    assert elapsed < 10, f"{elapsed:.1f}s"
    assert all(0 <= s.start < s.end <= LARGE for s in [*art.blocks, *art.boilerplate])


def test_large_input_invariants() -> None:
    unit = ANTARA.replace("Korsel", "Korsel 😀") + "Baca juga:,,Isi berikutnya.\r\n"
    text = (unit * (LARGE // len(unit) + 1))[:LARGE]
    art = segment(text)
    check_invariants(text, art)
    assert sum(s.kind == "related_link" for s in art.boilerplate) > 300


# ---------------------------------------------------------------------------------------- UTF-16


@pytest.mark.parametrize(
    "text",
    ["", "abc", "Indonesia 🇮🇩 menang 😀!", "😀", "a😀b😀😀c", "\U0010ffff\U00010000", "é e\u0301 “x” \x00"],
)
def test_utf16_offsets_match_an_encoder(text: str) -> None:
    to16 = utf16_offsets(text)
    for i in range(len(text) + 1):
        assert to16(i) == len(text[:i].encode("utf-16-le")) // 2


def test_utf16_offsets_values_and_bounds() -> None:
    text = "a😀b"
    to16 = utf16_offsets(text)
    assert [to16(i) for i in range(4)] == [0, 1, 3, 4]
    for bad in (-1, 4):
        with pytest.raises(IndexError):
            to16(bad)
    assert [utf16_offsets("abc")(i) for i in range(4)] == [0, 1, 2, 3]


def test_utf16_offsets_on_large_text() -> None:
    text = "ab😀" * (LARGE // 3)
    n = len(text)
    to16 = utf16_offsets(text)
    assert to16(0) == 0
    assert to16(n) == len(text.encode("utf-16-le")) // 2 == n + n // 3
    assert to16(n - 1) == to16(n) - 2  # the last character is an emoji
    assert to16(n - 2) == to16(n) - 3
