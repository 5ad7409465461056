"""Article structure: which parts of a scraped Indonesian news text are the story and which are page furniture.

Pure logic (no Stanza, no Flask). segment() splits the text into story blocks (what the NLP pipeline sees) and
boilerplate spans (related links, credits, photo captions, the dateline), all as Unicode code point offsets into
the exact submitted text.

Design notes
- Every line break is a hard block boundary: Stanza's tokenizer otherwise glues a headline to the first body
  line and produces one sentence spanning both.
- Precision over recall: a false boilerplate hides real story text from every annotator, while a missed one
  only adds a little noise. Every rule therefore needs a strong lexical cue (a label with a colon, a known
  outlet, a photo credit keyword) and most whole-line rules are capped in length, so a long story paragraph
  that happens to start with "Sumber" or "Ilustrasi" is never swallowed.
- Linear time: each line is scanned by a fixed number of precompiled regexes whose repetitions are bounded,
  so there is no catastrophic backtracking on 200,000-character single-line inputs.
- The CLICK-ID scraper joined paragraphs with "," and dropped hyperlinked words, so "Baca juga:,,Laga ..."
  (an empty link followed by the next paragraph) is common in our corpus and handled explicitly.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "BLOCK_KINDS",
    "BOILERPLATE_KINDS",
    "Article",
    "Dateline",
    "Span",
    "Utf16Offsets",
    "segment",
    "utf16_offsets",
]

BLOCK_KINDS = ("title", "paragraph")
BOILERPLATE_KINDS = ("related_link", "credit", "caption", "dateline")


@dataclass(frozen=True)
class Span:
    start: int  # code point offsets into the submitted text, end exclusive
    end: int
    kind: str


@dataclass(frozen=True)
class Dateline:
    start: int
    end: int
    place: str | None  # title case, e.g. "Moskow"
    outlet: str | None  # brand name, e.g. "ANTARA", "Kontan", "IDN Times", "Kompas.com"


@dataclass(frozen=True)
class Article:
    blocks: tuple[Span, ...]  # story text, in text order, never overlapping boilerplate
    boilerplate: tuple[Span, ...]  # in text order, non-overlapping
    dateline: Dateline | None


# --------------------------------------------------------------------------------------------- characters

# The line breaks of issue 5. \x85, \v and \f are deliberately not breaks: in mis-decoded cp1252 text \x85
# stands for "..." in the middle of a sentence.
_LINE_RE = re.compile(r"[^\r\n\u2028\u2029]+")

# Trimmed from block and line edges: Unicode whitespace, C0 controls (NUL), DEL and the invisible
# zero-width characters, so a block never starts with a BOM or consists of nothing visible.
_TRIM = frozenset(
    [chr(c) for c in range(0x3001) if chr(c).isspace()]
    + [chr(c) for c in range(0x20)]
    + ["\x7f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
)

_ALNUM_RE = re.compile(r"[^\W_]")
_UPPER = "A-ZÀ-ÖØ-Þ"
_QUOTES_OPEN = "\"“‘'«(["
_QUOTES_CLOSE = "\"”’'»)]"


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in _TRIM:
        a += 1
    while b > a and s[b - 1] in _TRIM:
        b -= 1
    return a, b


# ------------------------------------------------------------------------------------------------ outlets

_OUTLET_NAMES = {
    "antara": "ANTARA", "antara news": "ANTARA", "antaranews": "ANTARA", "antaranews.com": "ANTARA",
    "kontan": "Kontan", "kontan.co.id": "Kontan",
    "idn times": "IDN Times", "idntimes": "IDN Times", "idntimes.com": "IDN Times",
    "kompas": "Kompas", "kompas.com": "Kompas.com", "kompas.id": "Kompas.id", "kompas.tv": "Kompas TV",
    "tempo": "Tempo", "tempo.co": "Tempo",
    "liputan6": "Liputan6.com", "liputan6.com": "Liputan6.com",
    "tribunnews": "Tribunnews.com", "tribunnews.com": "Tribunnews.com",
    "republika": "Republika", "republika.co.id": "Republika",
    "bisnis": "Bisnis.com", "bisnis.com": "Bisnis.com",
    "cnn indonesia": "CNN Indonesia", "cnbc indonesia": "CNBC Indonesia",
    "okezone": "Okezone", "okezone.com": "Okezone",
    "sindonews": "SINDOnews", "sindonews.com": "SINDOnews",
    "suara.com": "Suara.com", "merdeka.com": "Merdeka.com", "jawapos.com": "JawaPos.com",
    "viva": "VIVA", "viva.co.id": "VIVA", "kumparan": "kumparan", "kumparan.com": "kumparan",
    "tirto.id": "Tirto.id", "katadata": "Katadata", "katadata.co.id": "Katadata",
    "beritasatu": "Beritasatu", "beritasatu.com": "Beritasatu", "investor.id": "Investor.id",
    "inews.id": "iNews.id", "medcom.id": "Medcom.id", "jpnn.com": "JPNN.com", "gatra.com": "Gatra.com",
    "reuters": "Reuters", "afp": "AFP", "xinhua": "Xinhua", "bernama": "Bernama", "yonhap": "Yonhap",
}

_KNOWN_OUTLET = (
    r"(?i:antara(?:[ \t]+news)?|antaranews(?:\.com)?|idn[ \t]*times|idntimes\.com|cnn[ \t]+indonesia"
    r"|cnbc[ \t]+indonesia|detik[a-z]{0,10}(?:\.com)?|kompas(?:\.com|\.id|\.tv)?|kontan(?:\.co\.id)?"
    r"|tempo(?:\.co)?|liputan6(?:\.com)?|tribunnews(?:\.com)?|republika(?:\.co\.id)?|bisnis\.com"
    r"|okezone(?:\.com)?|sindonews(?:\.com)?|suara\.com|merdeka\.com|jawapos\.com|viva(?:\.co\.id)?"
    r"|kumparan(?:\.com)?|tirto\.id|katadata(?:\.co\.id)?|beritasatu(?:\.com)?|investor\.id|inews\.id"
    r"|medcom\.id|jpnn\.com|gatra\.com)(?![\w.])"
)
# Unknown outlets still count when they look like a domain ("Suara.com", "KONTAN.CO.ID").
_DOMAIN = r"[A-Za-z][A-Za-z0-9\-]{1,30}(?:\.[A-Za-z]{2,4}){1,2}(?![\w.])"
_OUTLET = rf"(?P<outlet>{_KNOWN_OUTLET}|{_DOMAIN})"
_WORD = rf"[{_UPPER}][^\W_]*(?:['’\-][^\W_]+)*"
_PLACE = rf"(?P<place>(?:(?i:kab|kota|kec|prov|st)\.[ \t]?)?{_WORD}(?:[ \t]{_WORD}){{0,3}})"
_DASH = r"[ \t\u00a0]*(?:-{1,2}|[–—−]{1,2})"
_AFTER_DASH = r"(?=\s|$)"

_DATELINE_RES = (
    # Seoul (ANTARA) -   /   Jakarta, 5/6 (ANTARA) -
    re.compile(
        rf"{_PLACE}(?:,[ \t]*[^(),\n]{{1,25}}?)?[ \t]*\((?P<paren>[{_UPPER}][^()\n]{{1,40}})\){_DASH}{_AFTER_DASH}"
    ),
    # Jakarta, IDN Times -   /   JAKARTA, KOMPAS.com -
    re.compile(rf"{_PLACE},[ \t]*{_OUTLET}{_DASH}{_AFTER_DASH}"),
    # TEMPO.CO, Jakarta -   /   Liputan6.com, Jakarta -
    re.compile(rf"{_OUTLET},[ \t]*{_PLACE}{_DASH}{_AFTER_DASH}"),
    # KONTAN.CO.ID - MOSKOW.   (place must be upper case, checked in code)
    re.compile(rf"{_OUTLET}{_DASH}[ \t]*{_PLACE}\.(?=\s)"),
    # KOMPAS.com -   /   KONTAN.CO.ID -
    re.compile(rf"{_OUTLET}{_DASH}{_AFTER_DASH}"),
    # JAKARTA -   /   Jakarta -   (detik, Sindonews, Okezone): only before a capitalised sentence start
    # (the space before the dash keeps "Presiden Ke- 3" out)
    re.compile(rf"{_PLACE}[ \t\u00a0]{_DASH}(?=[ \t]+[\"“‘'(]?[{_UPPER}0-9])"),
)
_KONTAN_STYLE = 3


def _outlet_name(raw: str) -> str:
    key = " ".join(raw.split()).lower()
    if key in _OUTLET_NAMES:
        return _OUTLET_NAMES[key]
    if key.startswith("detik"):
        return "detikcom"
    return " ".join(raw.split())


def _place_name(raw: str) -> str:
    return raw.title() if raw.isupper() else raw


def _match_dateline(text: str, start: int, end: int, *, with_outlet: bool = False) -> Dateline | None:
    """A dateline at text[start:], not extending past end."""
    head = text[start:min(end, start + 160)]
    patterns = _DATELINE_RES[:-1] if with_outlet else _DATELINE_RES
    for i, pattern in enumerate(patterns):
        m = pattern.match(head)
        if m is None:
            continue
        groups = m.groupdict()
        place = groups.get("place")
        if i == _KONTAN_STYLE and place is not None and not place.isupper():
            continue
        outlet_raw = groups.get("paren") or groups.get("outlet")
        if groups.get("paren"):
            # "(ANTARA/Xinhua-OANA)": the first agency is the one publishing
            outlet_raw = outlet_raw.split("/")[0] if outlet_raw else None
        return Dateline(
            start=start,
            end=start + m.end(),
            place=_place_name(place) if place else None,
            outlet=_outlet_name(outlet_raw) if outlet_raw else None,
        )
    return None


# ---------------------------------------------------------------------------------------- whole-line rules

_CREDIT_LABELS = (
    r"(?i:editor(?:[ \t]+bahasa)?|penerjemah|pewarta|penulis|reporter|redaktur(?:[ \t]+pelaksana)?|penyunting"
    r"|fotografer|kontributor|peliput|sumber(?:[ \t]+berita)?|topik|tags?|oleh|kata[ \t]+kunci|keyword)"
)
# Credits introduced by a label: the whole line, or up to a scraper join (see _labelled_prefix).
_CREDIT_LABEL_RE = re.compile(
    rf"{_CREDIT_LABELS}[ \t]*[:：]"
    r"|(?i:copyright|hak[ \t]+cipta)\b|©"
    r"|Baca[ \t]+berita[ \t]+selengkapnya\b"
)
# Credit lines recognised as a whole (at most _CAPTION_MAX long).
_CREDIT_LINE_RE = re.compile(
    r"(?:Artikel[ \t]+ini[ \t]+(?:telah[ \t]+|sudah[ \t]+)?(?:tayang|terbit|dimuat|diterbitkan)\b"
    # Tribun's byline "Laporan Wartawan Tribunnews.com, Nama"; "Laporan wartawan Kompas.com Dhias dari
    # Jayapura, massa ..." is a story sentence, hence outlet, comma, a short name and nothing else
    r"|Laporan[ \t]+(?:[Ww]artawan|[Rr]eporter)[ \t]+[^,\n]{2,40},[ \t]*[^,.\n]{2,60}$"
    # newsroom promos pointing at other channels
    r"|(?:Ikuti|Simak|Cek|Dapatkan|Follow)\b[^\n]{0,120}?(?:Google[ \t]+News|WhatsApp|Telegram|breaking[ \t]+news"
    r"|update[ \t]+berita))"
)

# "(ant/rdn)", "(mdk/ded)", "(idn/idn)", "(ant)", "(*)": newsroom writer/editor codes closing a story.
_WRITER_BOX = r"\((?:[a-z]{2,6}|\*|[A-Za-z]{1,8}(?:[ \t]*/[ \t]*[A-Za-z]{1,8}){1,3})\)"
_WRITER_BOX_RE = re.compile(rf"{_WRITER_BOX}\.?$")

_HEADING_RE = re.compile(
    r"(?P<kw>Baca[ \t]+[Jj]uga|BACA[ \t]+JUGA|Berita[ \t]+[Tt]erkait|BERITA[ \t]+TERKAIT|Artikel[ \t]+[Tt]erkait"
    r"|ARTIKEL[ \t]+TERKAIT|Berita[ \t]+[Ll]ainnya|BERITA[ \t]+LAINNYA|Menarik[ \t]+[Dd]ibaca|MENARIK[ \t]+DIBACA"
    r"|Pilihan[ \t]+Editor|PILIHAN[ \t]+EDITOR|Rekomendasi[ \t]+[Bb]erita)[ \t]*[:：]?$"
)
# A bare "Baca juga:" introduces one headline on the next line; a "Berita Terkait" box lists several.
_HEADING_LIST_MAX = 10

_CAPTION_PREFIX_RE = re.compile(
    r"(?:Foto|FOTO|Photo|PHOTO|Dok(?:umentasi)?\.?|DOK\.?|Sumber[ \t]+[Ff]oto|Kredit[ \t]+[Ff]oto)[ \t]*[:：]"
)
_ILLUSTRATION_RE = re.compile(r"(?:Ilustrasi|ILUSTRASI)\b(?P<mark>[ \t]*[:\-–—(])?")
_ILLUSTRATION_MAX = 100
_CAPTION_MAX = 300
_EMBED_RE = re.compile(r"\[Gambas:[^\]\n]{0,200}\]$")

# A credit line standing alone: "ANTARA FOTO/Sigid Kurniawan/foc.", "KOMPAS.com/IHSANUDDIN"
_SOURCE_SLASH_RE = re.compile(
    r"(?P<src>[A-Za-z][A-Za-z.&'’ \-]{1,40})/[A-Za-z.&'’ @_\-]{2,60}(?:/[A-Za-z.&'’ @_\-]{1,40}){0,3}\.?$"
)

# --------------------------------------------------------------------------------------------- photo credits

_PAREN_RE = re.compile(r"\([^()\n]{0,200}\)")
# Unambiguous photo credit words: counted wherever the parenthesis is.
_PHOTO_STRONG_RE = re.compile(
    r"\b(?:ANTARA[ \t]+FOTO|FOTO|Foto|foto|Photo|PHOTO|Dok|DOK|dok)\.?[ \t]*[:/]"
    r"|(?:Foto|FOTO|foto)[ \t]+(?:[Ii]lustrasi|ILUSTRASI)"
    r"|\b(?:[Dd]ok|DOK)\.[ \t]*[^\W\d_]"
    r"|Wikimedia|Shutterstock|Getty[ \t]+Images|Unsplash|Pexels|Freepik|iStock|[Tt]angkapan[ \t]+[Ll]ayar"
    r"|^(?:[Ii]stimewa|ISTIMEWA)$"
)
# "(IDN Times/Rehia Sebayang)": a known photo source before the slash. Without the source check a
# paragraph ending in "(EUR/USD)" would be taken for a caption.
_PHOTO_SLASH_RE = re.compile(r"(?P<src>[A-Za-z][^()/\d]{0,40})/[^()\d]{1,80}")
_PHOTO_SOURCES = frozenset(
    ["antara", "antara foto", "antaranews", "kompas.com", "kompas", "kompas.id", "tribunnews", "tribunnews.com",
     "idn times", "shutterstock", "getty images", "afp", "afp photo", "reuters", "ap", "ap photo", "epa", "anadolu",
     "xinhua", "wikimedia commons", "istimewa", "tempo", "detikcom", "detik", "kontan", "bisnis", "bisnis.com",
     "unsplash", "pexels", "freepik", "instagram", "twitter", "youtube", "liputan6.com", "liputan6", "okezone",
     "sindonews", "cnn indonesia", "cnbc indonesia", "republika", "suara.com", "merdeka.com", "jawapos.com",
     "kumparan", "humas", "setpres", "biro pers", "bpmi setpres", "dok", "dok.", "doc", "foto", "photo"]
)


def _is_photo_credit(inner: str, *, at_line_end: bool) -> bool:
    """Is the content of a parenthesis a photo credit? The generic "Source/Photographer" form only
    counts where a caption ends (the end of a line)."""
    if _PHOTO_STRONG_RE.search(inner):
        return True
    if not at_line_end:
        return False
    m = _PHOTO_SLASH_RE.fullmatch(inner)
    return m is not None and _photo_source(m.group("src"))


def _photo_source(src: str) -> bool:
    name = " ".join(src.split()).lower()
    return name in _PHOTO_SOURCES or name.rstrip(".") in _PHOTO_SOURCES


def _trailing_paren(line: str, a: int, b: int) -> tuple[int, int, str] | None:
    """A writer box or photo credit closing the line (optionally followed by '.')."""
    end = b - 1 if line[b - 1] == "." else b
    if end <= a or line[end - 1] != ")":
        return None
    open_at = line.rfind("(", max(a, end - 202), end)
    if open_at < 0:
        return None
    inner = line[open_at + 1:end - 1]
    if ")" in inner:
        return None
    # "(adv)" after a full stop is a writer box, "... dan animalia (hewan)." is the story
    if _WRITER_BOX_RE.match(line, open_at, b) and _prev_visible(line, a, open_at) in "\".!?”’)":
        return open_at, b, "credit"
    if _is_photo_credit(inner, at_line_end=True):
        return open_at, b, "caption"
    return None


# ----------------------------------------------------------------------------------------------- sentences

_ABBREVIATIONS = _wordset(
    "dr drg prof ir jl jln st no nomor hj kh tn ny sdr bpk mr mrs ms jr sr vs dll dsb dkk tsb kab kec kel prov "
    "pt cv tbk co inc ltd corp u.s a.s gen kol let mayjen brigjen irjen kompol akbp iptu ipda aiptu bripka"
)
# "?" and "!" are left out on purpose: headlines use them mid-line ("Siapa Dia? Ini Profilnya").
_FULL_STOP_RE = re.compile(rf"\b([^\W_]+)\.+[\"”’']?[ \t]+(?=[\"“‘'(]?[{_UPPER}0-9])")


def _full_stop(s: str, start: int, end: int) -> bool:
    """Does s[start:end] contain a full stop followed by more text? Abbreviations ("Dr.", "Jl.") and
    initials ("George W. Bush") do not count."""
    for m in _FULL_STOP_RE.finditer(s, start, end):
        word = m.group(1)
        if len(word) > 1 and word.lower() not in _ABBREVIATIONS:
            return True
    return False


# Paragraphs joined by the CLICK-ID scraper: "...,,Kalimat" or "...,Kalimat" (no space; not "1,5").
_JOIN_RE = re.compile(r",{2,}[ \t]*|,(?=[^\s\d,])")


def _looks_like_headline(line: str, a: int, b: int, max_len: int = 250) -> bool:
    """A short line that reads as a headline: no sentence end inside, no closing full stop, or else
    written in title case (scraped headlines do end in "." or a dangling "," now and then)."""
    if b - a > max_len or not _ALNUM_RE.search(line, a, b):
        return False
    if line.count(" ", a, b) > 35:
        return False
    last = line[b - 1]
    closed = last in ",;:" or (last == "." and not line.endswith("..", a, b))
    if not closed and not _full_stop(line, a, b):
        return True
    words = [w for w in _TOKEN_RE.findall(line, a, b) if _first_letter(w)]
    capitalised = sum(1 for w in words if _is_capitalised(w) or _strip_token(w).lower() in _FUNCTION_WORDS)
    return len(words) >= 3 and sum(1 for w in words if _is_capitalised(w)) * 2 > len(words) and (
        capitalised == len(words)
    )


# --------------------------------------------------------------------------------------------- related links

_RELATED_RE = re.compile(
    r"(?P<open>[(\[][ \t]*)?"
    r"(?P<marker>(?P<comma_ok>Baca[ \t]+[Jj]uga|BACA[ \t]+JUGA|Baca[ \t]+[Pp]ula|Berita[ \t]+[Tt]erkait"
    r"|BERITA[ \t]+TERKAIT|Artikel[ \t]+[Tt]erkait|ARTIKEL[ \t]+TERKAIT)"
    r"|Menarik[ \t]+[Dd]ibaca|MENARIK[ \t]+DIBACA|Pilihan[ \t]+Editor|PILIHAN[ \t]+EDITOR|Selanjutnya|SELANJUTNYA"
    r"|Lihat[ \t]+[Jj]uga|Simak[ \t]+[Jj]uga|Berita[ \t]+[Ll]ainnya)"
    r"(?P<colon>[ \t]*[:：])?(?P<commas>[ \t]*,[ \t,]*)?[ \t]*"
)
_LINK_CLOSE_RE = re.compile(r"[^()\[\]\n]{0,300}[)\]]")
_LINK_MAX = 250  # longest run-in headline we accept as a whole
_LINK_TOKENS = 40
_TOKEN_RE = re.compile(r"\S+")

# Lower-case words Indonesian (and English) title-case headlines keep lower case.
_FUNCTION_WORDS = _wordset(
    "di ke dari dan atau yang untuk dengan pada dalam oleh bagi karena agar sebagai tetapi tapi serta tanpa "
    "terhadap tentang hingga sampai secara seperti menuju melalui antara kepada daripada bahwa jika kalau ketika "
    "saat usai jelang soal akan bakal jadi vs x pun per ala si sang para ini itu tak nan lewat via demi sejak "
    "of the and in on at for to a an with by from or is"
)
# Capitalised words that typically open a body sentence; a run-in link headline ends before them.
_OPENERS = _wordset(
    "sebelumnya namun selain menurut sementara kemudian akibatnya selanjutnya sedangkan adapun bahkan "
    "padahal meski meskipun walaupun sejak pada dalam di saat ketika untuk dengan hal ini itu dia ia mereka kami kita "
    "saya aku beliau presiden menteri menlu ketua kepala wakil gubernur bupati wali direktur dirut kapolri kapolda "
    "kapolres kapolsek kasat kasubag kabid juru jubir pihak polisi warga pemerintah sebanyak berdasarkan terkait "
    "diketahui seperti sebagai setelah usai jika apabila bila karena selama kini lalu lantas tahun pekan hari "
    "dirinya pelaku korban tersangka"
)
_OPENER_MODIFIERS = _wordset("wakil mantan eks plt plh sang")
_OPENER_REACH = 4  # an opener further back than this is more likely part of the headline


def _strip_token(tok: str) -> str:
    return tok.strip(_QUOTES_OPEN + _QUOTES_CLOSE + ".,;:!?…")


def _first_letter(tok: str) -> str:
    for ch in tok:
        if ch.isalpha():
            return ch
        if ch.isdigit():
            return ""
    return ""


def _is_lower_content(tok: str) -> bool:
    """A lower-case content word: cannot be in a title-case headline, so a body sentence has begun."""
    first = _first_letter(tok)
    if not first or not first.islower():
        return False
    core = _strip_token(tok)
    if any(ch.isupper() for ch in core):  # iPhone, eKTP
        return False
    return core.lower() not in _FUNCTION_WORDS


def is_title_case(text: str) -> bool:
    """A headline written in title case: at least three words, every content word capitalised."""
    words = [w for w in _TOKEN_RE.findall(text) if _first_letter(w)]
    capitalised = sum(1 for w in words if _is_capitalised(w))
    return len(words) >= 3 and capitalised * 2 > len(words) and not any(_is_lower_content(w) for w in words)


def _is_capitalised(tok: str) -> bool:
    first = _first_letter(tok)
    return bool(first) and first.isupper()


def _ends_unit(tok: str) -> bool:
    core = tok.rstrip(_QUOTES_CLOSE)
    closed = len(core) != len(tok) and tok[-1] in "\"”’'»"
    return closed or core.endswith((".", "!", "?", ":", "…"))


def _run_in_link_end(line: str, h0: int, b: int) -> int:
    """End of a linked headline starting at h0 and possibly running into the next sentence on the same line;
    h0 itself when no headline is there (the scraper dropped it and the story follows)."""
    join = _JOIN_RE.search(line, h0, min(b, h0 + _LINK_MAX + 2))
    if (
        join is None
        and b - h0 <= _LINK_MAX
        and line[b - 1] not in ".,;:"
        and not _full_stop(line, h0, b)
    ):
        return b  # the rest of the line is one headline (ANTARA/Kompas style: one link per line)

    # Title-case headline words until the first lower-case content word, which belongs to the story
    # sentence; the sentence start is then found by walking back from it (see _sentence_start).
    toks: list[re.Match[str]] = []
    for m in _TOKEN_RE.finditer(line, h0, b):
        if len(toks) >= _LINK_TOKENS:
            return h0  # no recognisable headline: only the marker is boilerplate
        i = len(toks)
        toks.append(m)
        tok = m.group()
        join = _JOIN_RE.search(tok)
        if join is not None and not _is_lower_content(tok[:join.start()]):
            return m.start() + join.end()
        if _is_lower_content(tok):
            s = _sentence_start(toks, i)
            return h0 if s == 0 else toks[s - 1].end()
        core = tok.rstrip(_QUOTES_CLOSE)
        # headlines rarely contain a full stop ("?" and "!" they do: "Siapa Dia? Ini Profilnya")
        if core.endswith(".") and not core.endswith("..") and i + 1 < _LINK_TOKENS:
            word = _strip_token(core).lower()
            if len(word) > 1 and word not in _ABBREVIATIONS:
                return m.end()
    return b


def _sentence_start(toks: list[re.Match[str]], k: int) -> int:
    """Index of the token where the body sentence containing toks[k] (its first lower-case word) begins."""
    last_cap = -1
    for j in range(k - 1, max(-1, k - 1 - _OPENER_REACH), -1):
        tok = toks[j].group()
        if _is_lower_content(tok) or (not _is_capitalised(tok) and _strip_token(tok).lower() in _FUNCTION_WORDS):
            break
        if _is_capitalised(tok) and last_cap < 0:
            last_cap = j
        if tok[0] in "\"“‘«":
            return j
        if _strip_token(tok).lower() in _OPENERS:
            while j > 0 and _strip_token(toks[j - 1].group()).lower() in _OPENER_MODIFIERS:
                j -= 1
            return j
        if j > 0 and _ends_unit(toks[j - 1].group()):
            return j
    if last_cap >= 0:
        return last_cap
    # the lower-case word follows function words only: the sentence starts at the nearest capital before it
    for j in range(k - 1, -1, -1):
        if _is_capitalised(toks[j].group()):
            return j
    return k


def _prev_visible(line: str, a: int, pos: int) -> str:
    while pos > a and line[pos - 1] in _TRIM:
        pos -= 1
    return line[pos - 1] if pos > a else ""


def _related_links(line: str, a: int, b: int) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    pos = a
    while pos < b:
        m = _RELATED_RE.search(line, pos, b)
        if m is None:
            break
        pos = m.end() if m.end() > m.start() else m.start() + 1
        start = m.start()
        before = _prev_visible(line, a, start)
        # only where a new unit starts: line start, after "(" or after punctuation / a scraper join
        if before and not m.group("open") and before not in ".!?:;,\"”’)]|-–—•":
            continue
        colon, commas = m.group("colon"), m.group("commas")
        after = m.end()
        if colon:
            ok = True
        elif commas and m.group("comma_ok"):
            ok = commas.count(",") >= 2 or (after < b and not commas.endswith((" ", "\t")))
        else:
            ok = after >= b and not before  # the whole line is just the marker
        if not ok:
            continue
        if m.group("open"):
            close = _LINK_CLOSE_RE.match(line, after, b)
            if close is not None:
                spans.append((start, close.end(), "related_link"))
                pos = close.end()
                continue
        if after >= b:
            end = b
        elif commas:
            # "Baca juga:,,Laga ...": the scraper dropped the linked headline and joined the next paragraph
            end = after
        else:
            end = _run_in_link_end(line, after, b)
        end = _trim(line, start, end)[1]
        spans.append((start, end, "related_link"))
        pos = max(pos, end)
    return spans


# ----------------------------------------------------------------------------------------- per-line analysis

_LineSpans = list[tuple[int, int, str]]  # (start, end, kind), offsets into the line


def _whole_line(line: str, a: int, b: int) -> str | None:
    """Kind of a line (content line[a:b]) that is boilerplate as a whole, or None."""
    n = b - a
    if _WRITER_BOX_RE.match(line, a, b):
        return "credit"
    if n <= _CAPTION_MAX and _CREDIT_LINE_RE.match(line, a, b):
        return "credit"
    if _EMBED_RE.match(line, a, b):
        return "caption"
    ill = _ILLUSTRATION_RE.match(line, a, b)
    # "Ilustrasi sabu" is a caption, "Ilustrasi tersebut menunjukkan ... ." is a story sentence
    if ill is not None and n <= _CAPTION_MAX and (
        ill.group("mark") or (n <= _ILLUSTRATION_MAX and line[b - 1] not in ".!?\"”")
    ):
        return "caption"
    if n <= 120:
        src = _SOURCE_SLASH_RE.match(line, a, b)
        if src is not None and _photo_source(src.group("src")):
            return "caption"
    if n <= _CAPTION_MAX:
        tail = _trailing_paren(line, a, b)
        # a caption line: the picture's description followed by its credit, or the credit alone; not when
        # the scraper glued a story paragraph in front ("... memakai,putih,,,(Foto : @x/Instagram)")
        if tail is not None and tail[2] == "caption" and _JOIN_RE.search(line, a, tail[0]) is None:
            return "caption"
    return None


def _labelled_prefix(line: str, a: int, b: int, label: re.Pattern[str], kind: str) -> tuple[int, int, str] | None:
    """A credit or caption introduced by a label at the start of the line ("Penulis: Nama", "Foto: Nama").

    It covers the whole line, unless the scraper joined a story paragraph to it ("Reporter: Nama,Setelah
    berpisah ..."): then it ends at the join. A long line without a join is left alone."""
    m = label.match(line, a, b)
    if m is None:
        return None
    join = _JOIN_RE.search(line, m.end(), min(b, a + _CAPTION_MAX))
    # "Tags: Jokowi,KPK" is a list, not a join: what follows a real join reads as a paragraph
    if join is not None and b - join.end() >= 40 and " " in line[join.end():join.end() + 60]:
        return a, join.end(), kind
    return (a, b, kind) if b - a <= _CAPTION_MAX else None


_TAIL_CREDIT_RE = re.compile(rf"(?:{_CREDIT_LABELS}[ \t]*[:：]|(?i:copyright)\b|©)")
_TAIL_WINDOW = 300


def _tail_credit(line: str, a: int, b: int) -> int:
    """Start of the credits closing a line that also holds story text (texts without line breaks:
    "... kata dia. Pewarta: Fulan Editor: Budi"), or -1."""
    pos = max(a + 1, b - _TAIL_WINDOW)
    while pos < b:
        m = _TAIL_CREDIT_RE.search(line, pos, b)
        if m is None:
            break
        if line[m.start() - 1] in _TRIM and _prev_visible(line, a, m.start()) in ".!?\"”)":
            return m.start()
        pos = m.start() + 1
    return -1


def _inline_spans(line: str, a: int, b: int) -> _LineSpans:
    spans: _LineSpans = []
    prefix = _labelled_prefix(line, a, b, _CREDIT_LABEL_RE, "credit") or _labelled_prefix(
        line, a, b, _CAPTION_PREFIX_RE, "caption"
    )
    if prefix is not None:
        if prefix[1] >= b:
            return [prefix]
        spans.append(prefix)
        # "Penulis : Nama,Artikel ini tayang di Kompas.com": what the scraper joined on may be furniture too
        ra, rb = _trim(line, prefix[1], b)
        kind = _whole_line(line, ra, rb) if rb > ra else None
        if kind is not None:
            return [prefix, (ra, rb, kind)]
        a = ra
    spans.extend(_related_links(line, a, b))
    for m in _PAREN_RE.finditer(line, a, b):
        if _is_photo_credit(line[m.start() + 1:m.end() - 1], at_line_end=False):
            spans.append((m.start(), m.end(), "caption"))
    end = b
    tail = _tail_credit(line, a, b)
    if tail >= 0:
        spans.append((tail, b, "credit"))
        end = _trim(line, a, tail)[1]
    if end > a:
        closing = _trailing_paren(line, a, end)
        if closing is not None:
            spans.append(closing)
    return _without_overlaps(spans)


def _without_overlaps(spans: _LineSpans) -> _LineSpans:
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: _LineSpans = []
    for s in spans:
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out


_LEADING_PUNCT_RE = re.compile(r"[.,;:!?]+(?=\s|$)")


def _fill_blocks(line: str, a: int, b: int, spans: _LineSpans) -> tuple[_LineSpans, list[tuple[int, int]]]:
    """Story pieces between the boilerplate spans of one line.

    Punctuation stranded by a removed span ("(Baca juga: ,). Latihan ...") goes with that span: every
    visible character stays accounted for, and the tokenizer is fed neither punctuation-only blocks nor
    blocks opening with a stray full stop."""
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[str] = []  # "" = story piece
    cursor = a
    for s, e, kind in [*spans, (b, b, "")]:
        ps, pe = _trim(line, cursor, s)
        if pe > ps:
            if kinds and kinds[-1]:
                lead = _LEADING_PUNCT_RE.match(line, ps, pe)
                if lead is not None:
                    ends[-1] = lead.end()
                    ps = _trim(line, lead.end(), pe)[0]
            if pe > ps:
                starts.append(ps)
                ends.append(pe)
                kinds.append("")
        if kind:
            starts.append(s)
            ends.append(e)
            kinds.append(kind)
        cursor = max(cursor, e)
    keep = [True] * len(kinds)
    for i, kind in enumerate(kinds):
        if kind or _ALNUM_RE.search(line, starts[i], ends[i]):
            continue
        if i > 0 and kinds[i - 1]:
            ends[i - 1] = ends[i]
            keep[i] = False
        elif i + 1 < len(kinds) and kinds[i + 1]:
            starts[i + 1] = starts[i]
            keep[i] = False
    out = [(starts[i], ends[i], kinds[i]) for i in range(len(kinds)) if keep[i] and kinds[i]]
    blocks = [(starts[i], ends[i]) for i in range(len(kinds)) if keep[i] and not kinds[i]]
    return out, blocks


# ------------------------------------------------------------------------------------------------- segment


def segment(text: str) -> Article:
    """Split a news text into story blocks and boilerplate spans (code point offsets into text)."""
    blocks: list[Span] = []
    boilerplate: list[Span] = []
    first_line: tuple[int, int] | None = None  # content range of the first non-blank line
    title_candidate = -1  # index in blocks when the first line is a single, boilerplate-free block
    later_content = False
    list_budget = 0  # headline lines still expected after a "Berita Terkait" heading

    for lm in _LINE_RE.finditer(text):
        line = lm.group()
        base = lm.start()
        a, b = _trim(line, 0, len(line))
        if a >= b:
            continue
        is_first = first_line is None
        if is_first:
            first_line = (base + a, base + b)
        else:
            later_content = True

        spans: _LineSpans
        heading = _HEADING_RE.match(line, a, b)
        if heading is not None:
            spans = [(a, b, "related_link")]
            list_budget = 1 if heading.group("kw").lower().startswith("baca") else _HEADING_LIST_MAX
        elif list_budget > 0 and line[b - 1] not in ".,;:" and _looks_like_headline(line, a, b, max_len=150):
            spans = [(a, b, "related_link")]
            list_budget -= 1
        else:
            list_budget = 0
            kind = _whole_line(line, a, b)
            spans = [(a, b, kind)] if kind else _inline_spans(line, a, b)

        spans, pieces = _fill_blocks(line, a, b, spans)
        if is_first and not spans and len(pieces) == 1:
            title_candidate = len(blocks)
        boilerplate.extend(Span(base + s, base + e, k) for s, e, k in spans)
        blocks.extend(Span(base + s, base + e, "paragraph") for s, e in pieces)

    if (
        first_line is not None
        and title_candidate >= 0
        and later_content
        and _looks_like_headline(text, *first_line)
        # "Persib - Persija Imbang" is a headline; only a dateline naming an outlet rules one out
        and _match_dateline(text, *first_line, with_outlet=True) is None
    ):
        blocks[title_candidate] = Span(first_line[0], first_line[1], "title")

    dateline = _find_dateline(text, blocks, first_line)
    if dateline is not None:
        boilerplate.append(Span(dateline.start, dateline.end, "dateline"))
        boilerplate.sort(key=lambda s: s.start)
    return Article(blocks=tuple(blocks), boilerplate=tuple(boilerplate), dateline=dateline)


def _find_dateline(text: str, blocks: list[Span], first_line: tuple[int, int] | None) -> Dateline | None:
    """The dateline opening the first body block; the block is shortened (or dropped) in place.

    When the first line failed the headline test (a headline ending in "." for example), the dateline may
    open the second paragraph block, so that one is tried too."""
    candidates = [i for i, blk in enumerate(blocks[:3]) if blk.kind == "paragraph"][:2]
    if len(candidates) == 2:
        first = blocks[candidates[0]]
        if first_line is None or first.start != first_line[0] or first.end - first.start > 250:
            candidates = candidates[:1]
    for i in candidates:
        block = blocks[i]
        dateline = _match_dateline(text, block.start, block.end)
        if dateline is None:
            continue
        rest = _trim(text, dateline.end, block.end)
        if rest[1] > rest[0]:
            blocks[i] = Span(rest[0], rest[1], "paragraph")
        else:
            del blocks[i]
        return dateline
    return None


# ------------------------------------------------------------------------------------------- UTF-16 offsets


_ASTRAL_RE = re.compile(r"[\U00010000-\U0010FFFF]")


class Utf16Offsets:
    """Maps code point offsets (0..len(text), inclusive) to UTF-16 code unit offsets in O(1).

    Astral characters (most emoji) take two UTF-16 code units. Building the table is O(n) and only
    happens when the text contains an astral character; otherwise the mapping is the identity.
    """

    __slots__ = ("_extra", "_length")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._extra: array[int] | None = None
        astral = [m.start() for m in _ASTRAL_RE.finditer(text)]
        if not astral:
            return
        # extra[i] = number of astral characters in text[:i]
        extra = array("I")
        previous = 0
        for count, pos in enumerate(astral):
            extra.extend(array("I", [count]) * (pos + 1 - previous))
            previous = pos + 1
        extra.extend(array("I", [len(astral)]) * (self._length + 1 - previous))
        self._extra = extra

    def __call__(self, offset: int) -> int:
        if not 0 <= offset <= self._length:
            raise IndexError(f"offset {offset} outside 0..{self._length}")
        return offset if self._extra is None else offset + self._extra[offset]

    def __len__(self) -> int:
        """UTF-16 length of the whole text."""
        return self(self._length)


def utf16_offsets(text: str) -> Callable[[int], int]:
    """A function mapping a code point offset into text to the matching UTF-16 code unit offset."""
    return Utf16Offsets(text)
