"""The event tagger's dictionaries (workers/data/events/*.tsv), loaded once and compiled into hash lookups.

Triggers are stored as roots with derivation codes; every Indonesian surface form (meN-, di-, ber-, -kan, -i,
peN-an, per-an, ke-an) is generated here once, so tagging a word is a single dict lookup instead of stemming.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "events"

QUAD_CLASS = {
    "AGREE": "verbal cooperation", "CONSULT": "verbal cooperation", "SUPPORT": "verbal cooperation",
    "CONCEDE": "verbal cooperation", "COOPERATE": "material cooperation", "AID": "material cooperation",
    "RETREAT": "material cooperation", "DEMAND": "verbal conflict", "DISAPPROVE": "verbal conflict",
    "REJECT": "verbal conflict", "THREATEN": "verbal conflict", "SANCTION": "verbal conflict",
    "PROTEST": "material conflict", "MOBILIZE": "material conflict", "COERCE": "material conflict",
    "ASSAULT": "material conflict",
}

VOWELS = frozenset("aeiou")
ACTIVE, PASSIVE, NOUN = "act", "pass", "noun"
BARE = "bare"  # derive() only: an active headline form, see TriggerForm.bare


@dataclass(frozen=True)
class TriggerEntry:
    type: str
    mode: str | None
    context: frozenset[str]
    notctx: frozenset[str]
    flags: frozenset[str]


@dataclass(frozen=True)
class TriggerForm:
    entry: TriggerEntry
    voice: str
    rest: tuple[str, ...]  # the words that must follow the first one ("unjuk" + ("rasa",))
    patient: bool = False  # a peN-an noun: its bare genitive is the patient ("penangkapan dukun")
    bare: bool = False  # headline form without prefix ("China Desak AS"): never after "di"/"kota"


@dataclass(frozen=True)
class ActorEntry:
    kind: str  # country, capital, seat, igo, org, group, person
    country: str | None
    igo: str | None
    sector: str | None
    name: str


@dataclass(frozen=True)
class AgentEntry:
    sector: str
    weak: bool


T = TypeVar("T")


class AliasIndex(Generic[T]):
    """Multi-word aliases keyed by their first word; lower-case aliases match any case, others match exactly."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], bool, T]]] = defaultdict(list)

    def add(self, alias: str, payload: T) -> None:
        words = tuple(alias.split())
        exact = alias != alias.lower()
        self._by_first[words[0].lower()].append((words, exact, payload))
        self._by_first[words[0].lower()].sort(key=lambda item: -len(item[0]))

    def match(self, texts: Sequence[str], lowers: Sequence[str], i: int) -> tuple[int, T] | None:
        """The longest alias starting at word i: (number of words, payload)."""
        for words, exact, payload in self._by_first.get(lowers[i], ()):
            n = len(words)
            if i + n > len(texts):
                continue
            seq = texts[i:i + n] if exact else lowers[i:i + n]
            if tuple(seq) == (words if exact else tuple(w.lower() for w in words)):
                return n, payload
        return None


def _syllables(word: str) -> int:
    return sum(1 for i, c in enumerate(word) if c in VOWELS and (i == 0 or word[i - 1] not in VOWELS))


def _nasal(root: str, base: str) -> str:
    """meN- / peN- with Indonesian nasal assimilation: kecam -> mengecam, tolak -> menolak, serang -> menyerang."""
    first = root[0]
    cluster = len(root) > 1 and first not in VOWELS and root[1] not in VOWELS and root[:2] not in ("ny", "ng", "sy")
    if _syllables(root) == 1:
        return base + "nge" + root  # one syllable: bom -> mengebom
    if first in VOWELS or first in "gh":
        return base + "ng" + root
    if first == "k":
        return base + "ng" + (root if cluster else root[1:])
    if first in "bfv":
        return base + "m" + root
    if first == "p":
        return base + "m" + (root if cluster else root[1:])
    if first in "dcjz" or root.startswith("sy"):
        return base + "n" + root
    if first == "t":
        return base + "n" + (root if cluster else root[1:])
    if first == "s":
        return base + "ny" + (root if cluster else root[1:])
    return base + root


def _ber(root: str, base: str = "ber") -> str:
    # ber- loses its r before r and before a first syllable in -er- (runding -> berunding, kerja -> bekerja).
    if root[0] == "r" or (root[0] not in VOWELS and root[1:3] == "er"):
        return base[:-1] + root
    return base + root


def derive(pattern: str, code: str) -> list[tuple[str, str]]:
    """(surface, voice) pairs for one derivation code; affixes go on the first word ("permintaan maaf")."""
    first, *rest = pattern.split()
    forms: list[tuple[str, str]]
    if code == "R":
        forms = [(first, NOUN)]
    elif code == "RV":
        forms = [(first, ACTIVE)]
    elif code == "V":
        forms = [(_nasal(first, "me"), ACTIVE), ("di" + first, PASSIVE), (first, BARE)]
    elif code in ("VK", "VI"):
        suffix = "kan" if code == "VK" else "i"
        forms = [(_nasal(first, "me") + suffix, ACTIVE), ("di" + first + suffix, PASSIVE), (first + suffix, BARE)]
    elif code == "N":
        forms = [(first + "an", NOUN)]
    elif code == "PN":
        forms = [(_nasal(first, "pe") + "an", NOUN)]
    elif code == "PR":
        forms = [(_ber(first, "per") + "an", NOUN)]
    elif code == "KN":
        forms = [("ke" + first + "an", NOUN)]
    elif code == "B":
        forms = [(_ber(first), ACTIVE)]
    elif code == "TR":
        forms = [("ter" + first, PASSIVE)]
    else:
        raise ValueError(f"unknown derivation code {code!r} for {pattern!r}")
    return [(" ".join([surface, *rest]), voice) for surface, voice in forms]


def verb_code(surface: str) -> str | None:
    """The derivation of a prefixed verb surface, to check a lemma's trigger against: V, VK or VI."""
    if not surface.startswith(("me", "di", "ter")):
        return None
    return "VK" if surface.endswith("kan") else "VI" if surface.endswith("i") else "V"


def _literal(form: str) -> tuple[str, str]:
    surface, _, mark = form[1:].partition(":")
    return surface, {"p": PASSIVE, "n": NOUN}.get(mark, ACTIVE)


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _words(field: str) -> frozenset[str]:
    return frozenset(w.lower() for w in field.split("|") if w)


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[str, tuple[TriggerForm, ...]]  # first surface word -> forms, most specific first
    roots: dict[tuple[str, str], tuple[TriggerForm, ...]]  # (root, V / VK / VI) -> verb forms, for lemmas
    actors: AliasIndex[ActorEntry]
    agents: AliasIndex[AgentEntry]


def _load_triggers() -> tuple[dict[str, tuple[TriggerForm, ...]], dict[tuple[str, str], tuple[TriggerForm, ...]]]:
    by_first: dict[str, list[TriggerForm]] = defaultdict(list)
    by_root: dict[tuple[str, str], list[TriggerForm]] = defaultdict(list)
    for row in _rows("triggers.tsv"):
        row += [""] * (6 - len(row))
        pattern, forms, etype, mode, context, flags_field = row[:6]
        flags = {f for f in flags_field.split(",") if f}
        notctx = next((f.split("=", 1)[1] for f in flags if f.startswith("notctx=")), "")
        entry = TriggerEntry(etype, mode or None, _words(context), _words(notctx),
                             frozenset(f for f in flags if not f.startswith("notctx=")))
        for form in (f.strip() for f in forms.split(",") if f.strip()):
            for surface, voice in ([_literal(form)] if form.startswith("=") else derive(pattern.lower(), form)):
                words = surface.lower().split()
                bare = voice == BARE
                if bare and ("nobare" in flags or _syllables(words[0]) < 2):
                    continue
                patient = voice == NOUN and (form == "PN" or (form.startswith("=") and words[0].startswith("pe")
                                                               and not words[0].startswith("per")))
                item = TriggerForm(entry, ACTIVE if bare else voice, tuple(words[1:]), patient, bare)
                by_first[words[0]].append(item)
                if voice in (ACTIVE, PASSIVE) and " " not in pattern and form in ("V", "VK", "VI"):
                    by_root[pattern.lower(), form].append(TriggerForm(entry, voice, ()))
    # A headline form that is also a listed noun ("protes", "kritik") is read as the noun.
    nouns = {(k, f.rest) for k, v in by_first.items() for f in v if f.voice == NOUN and not f.bare}
    for k, v in by_first.items():
        v[:] = [f for f in v if not (f.bare and (k, f.rest) in nouns)]
    # Longer continuations and context-bound senses are tried before the general sense of the same word.
    order = {k: tuple(sorted(v, key=lambda f: (-len(f.rest), not f.entry.context))) for k, v in by_first.items() if v}
    return order, {k: tuple(v) for k, v in by_root.items()}


@functools.cache
def lexicon() -> Lexicon:
    """All dictionaries, read on first use and shared afterwards."""
    triggers, roots = _load_triggers()
    actors: AliasIndex[ActorEntry] = AliasIndex()
    for alias, kind, country, igo, sector, name in (r + [""] * (6 - len(r)) for r in _rows("actors.tsv")):
        actors.add(alias, ActorEntry(kind, country or None, igo or None, sector or None, name or alias))
    agents: AliasIndex[AgentEntry] = AliasIndex()
    for row in _rows("agents.tsv"):
        agents.add(row[0], AgentEntry(row[1], len(row) > 2 and "weak" in row[2]))
    return Lexicon(triggers, roots, actors, agents)


# --------------------------------------------------------------------------------------------- closed classes
# Grammatical words the tagger's rules read. Unlike the open dictionaries above they are part of the grammar,
# not of the domain, so they live with the code.

NEGATIONS = frozenset({"tidak", "tak", "bukan", "belum", "jangan", "tiada", "enggak", "nggak", "gak", "tanpa",
                       "gagal", "urung", "batal", "berhenti"})
FUTURE = frozenset({"akan", "bakal", "hendak", "berencana", "merencanakan", "ingin", "mau", "berniat", "siap",
                    "bersiap", "berupaya", "berusaha", "mencoba", "dijadwalkan", "direncanakan", "diharapkan",
                    "diperkirakan", "berharap", "rencananya", "rencana"})
MODAL = frozenset({"bisa", "dapat", "mungkin", "mampu", "berpotensi", "kemungkinan", "perlu", "harus",
                   "seharusnya", "sebaiknya", "boleh"})
CONDITIONAL = frozenset({"jika", "jikalau", "apabila", "bila", "kalau", "seandainya", "andai", "andaikan",
                         "asalkan", "sekiranya", "apakah", "kecuali"})
# "hanya ketika AS mencabut sanksi": only-when clauses are conditions too.
ONLY_WHEN = frozenset({"ketika", "saat", "setelah", "jika", "bila", "apabila"})
# A noun after a speech verb followed by one of these is the subject of a reported clause, not the object of
# a light verb: "menyatakan perundingan ... sudah tutup buku".
CLAUSE_MARKERS = frozenset({"sudah", "telah", "akan", "tidak", "belum", "masih", "sedang", "bisa", "dapat",
                            "harus", "menjadi", "adalah", "merupakan", "tak"})
SPEECH_LIGHT = frozenset({"menyatakan", "mengumumkan", "menyampaikan", "mengatakan", "menunjukkan"})
PURPOSE = frozenset({"agar", "supaya", "demi"})
WISH = frozenset({"ingin", "menginginkan", "berharap", "mengharapkan", "harap", "senang", "semoga", "mau",
                  "meminta", "mendesak", "menyerukan"})
# "mencegah jet Israel melakukan serangan": an act someone else prevents or forbids did not happen.
PREVENT = frozenset({"mencegah", "menghalangi", "menghalang-halangi", "melarang", "menggagalkan"})
PRONOUNS = frozenset({"kami", "kita", "saya", "aku", "dia", "ia", "mereka", "beliau", "anda", "kamu"})
WHEN = frozenset({"ketika", "saat", "sewaktu", "tatkala"})
# Adverbs and auxiliaries allowed between a negation / modal and its verb: "tidak akan lagi mengupayakan".
AUX_SKIP = frozenset({"akan", "lagi", "pernah", "juga", "sudah", "telah", "sedang", "masih", "pun", "untuk",
                      "segera", "kembali", "terus", "secara", "langsung", "benar-benar", "sama", "sekali",
                      "hanya", "baru", "mulai", "ikut", "turut", "berhasil", "tetap", "dilaporkan",
                      "berulang", "kali"}) | FUTURE | MODAL
LINKS = frozenset({"untuk", "agar", "supaya", "guna"})
QUANTIFIERS = frozenset({"sebuah", "suatu", "berbagai", "sejumlah", "serangkaian", "keras", "baru", "beberapa"})
DEMONSTRATIVES = frozenset({"itu", "ini", "tersebut"})
CLITICS = ("nya", "lah", "pun", "kah")  # "ditudingnya", "serangannya"
# Verbs that carry a nominal event ("melakukan serangan", "menjatuhkan sanksi"), also as lemmas and headlines.
LIGHT_VERBS = frozenset({
    "melakukan", "laku", "lakukan", "menggelar", "gelar", "mengadakan", "adakan", "melancarkan", "lancar",
    "meluncurkan", "memberikan", "memberi", "beri", "berikan", "menjatuhkan", "jatuh", "jatuhkan", "menerapkan",
    "terap", "terapkan", "memberlakukan", "berlakukan", "mengenakan", "kena", "kenakan", "menyampaikan", "sampai",
    "sampaikan", "menyatakan", "nyata", "mengeluarkan", "keluar", "melayangkan", "layang", "layangkan",
    "mengajukan", "aju", "ajukan", "melontarkan", "lontar", "mencapai", "capai", "membuat", "buat", "menjalin",
    "jalin", "mengumumkan", "umum", "umumkan", "menunjukkan", "tunjuk", "menyuarakan", "suara", "mengirim",
    "mengirimkan", "kirim", "kirimkan", "menyalurkan", "salur", "salurkan", "menggencarkan", "meningkatkan",
    "tingkat", "memperluas", "memperketat", "menambah", "menghadiri", "hadir", "mengikuti", "ikut",
    "menggelontorkan", "mengucurkan", "memperpanjang", "melanjutkan", "lanjut", "menuntaskan",
    "mengintensifkan", "menjalani", "melepaskan", "menembakkan", "tembakkan", "memerintahkan", "mengungkap",
    "mengonfirmasi", "memulai", "mulai", "membuka",
})
PASSIVE_LIGHT = frozenset({
    "dilakukan", "digelar", "diadakan", "dilancarkan", "diluncurkan", "diberikan", "dijatuhkan", "dijatuhi",
    "diterapkan", "diberlakukan", "dikenakan", "disampaikan", "dikeluarkan", "dilayangkan", "diajukan",
    "dilontarkan", "dicapai", "dibuat", "dijalin", "diumumkan", "dikirim", "dikirimkan", "disalurkan",
})
# The subject of these receives the nominal act: "Iran menuai kecaman dari AS".
REVERSE_LIGHT = frozenset({"mendapat", "mendapatkan", "dapat", "menerima", "terima", "menuai", "tuai",
                           "memperoleh", "menghadapi", "hadap", "dijatuhi", "terkena"})
SPEECH = frozenset({"kata", "ujar", "tutur", "ucap", "ungkap", "jelas", "tegas", "tambah", "imbuh", "lanjut",
                    "sambung", "terang", "papar", "tulis", "sebut", "katanya", "ujarnya", "tuturnya", "ucapnya",
                    "ungkapnya", "jelasnya", "tegasnya", "tambahnya", "imbuhnya", "lanjutnya", "sambungnya",
                    "terangnya", "paparnya", "tulisnya", "sebutnya", "tukasnya", "mengatakan", "menyatakan",
                    "menegaskan", "menjelaskan", "mengungkapkan", "menyebutkan", "menambahkan", "berkata",
                    "menuturkan", "menulis", "mengklaim", "menilai", "menurut"})
QUOTE_MARKS = frozenset({'"', "”", "“", "''", "``"})
QUOTE_ENDS = frozenset({",", '"', "”", "’", "'", ",”", ',"'})
SPEAKER_END = frozenset({",", ".", "dalam", "di", "saat", "kepada", "pada", "seperti", "dilansir", "dikutip"})
TARGET_PREPS = frozenset({"terhadap", "kepada", "pada", "atas", "kpd", "melawan", "bagi"})
TYPE_PREPS = {"CONSULT": frozenset({"dengan", "ke", "bersama"}), "COOPERATE": frozenset({"dengan", "bersama"}),
              "AGREE": frozenset({"dengan"}), "ASSAULT": frozenset({"ke", "dengan"}),
              "AID": frozenset({"ke", "untuk"}), "SUPPORT": frozenset({"untuk"}),
              "SANCTION": frozenset({"ke", "untuk", "dengan"}), "REJECT": frozenset({"dari", "dengan"})}
SOURCE_PREPS = frozenset({"oleh", "dari"})
PLACE_OR_TARGET = TARGET_PREPS | frozenset({"di", "ke", "dari", "untuk", "dengan"})
NOT_SUBJECT = frozenset({"di", "dari", "ke", "untuk", "dalam", "dengan", "terhadap", "kepada", "atas", "pada",
                         "bagi", "melawan", "tentang", "soal", "mengenai", "antara", "menuju"})
NOT_INSIDE = frozenset({"di", "dari", "ke", "untuk", "dalam", "sejak", "selama"})
NP_RELS = frozenset({"nmod", "compound", "flat", "appos", "amod", "det", "nummod"})
NOT_NESTED = frozenset({"conj", "parataxis", "appos", "list", "root"})
SEPARATORS = frozenset({",", "dan", "serta", "maupun", "&", "bersama", ")"})
CLOSERS = frozenset({"dan", "serta", "maupun", "&", "bersama"})
# Pronouns of a reported clause that refer back to the speaker: "Korut mengatakan bahwa pihaknya bersedia".
SELF_REFS = frozenset({"pihaknya", "pihak", "negaranya", "pemerintahnya", "dia", "ia", "mereka", "kami"})
# Verbs before these words hang off the main clause, whose subject acts: "Polisi merespon ... dengan menembakkan".
MAIN_CLAUSE_LINKS = frozenset({"dengan", "sambil", "seraya"})
SUBORDINATORS = frozenset({"lantaran", "karena", "setelah", "sebelum", "saat", "ketika", "sejak", "usai"})
# "koalisi yang dipimpin AS": the leader is the partner of whoever joins.
LED_BY = frozenset({"dipimpin", "pimpinan", "digagas", "dibentuk", "diprakarsai"})
EXAMPLE_WORDS = frozenset({"termasuk", "khususnya", "yakni", "yaitu", "terutama"})
# Talks said to be over ("perundingan damai dengan Taliban sudah tutup buku"): halted negotiations, PLOVER's
# SANCTION (CAMEO 164), not a meeting.
TALKS_ENDED = frozenset({"tutup", "dihentikan", "dibatalkan", "dibekukan", "ditangguhkan", "diakhiri", "mati"})
STOPS = frozenset({";", ":", '"', "“", "”", "bahwa", "sementara", "namun", "tetapi", "meski", "meskipun"})
CLAUSE_STOPS = frozenset({"setelah", "sebelum", "ketika", "saat", "karena", "sehingga", "sejak", "jika",
                          "apabila", "agar", "supaya", "yang", "lantaran", "sebab", "sambil"})
PLACE_WORDS = frozenset({"di", "wilayah", "kawasan", "kota", "provinsi", "perairan", "daerah", "distrik",
                         "region", "negara", "semenanjung", "pulau"})
# A headline form ("Serang") after these words is a place name (Kota Serang), not a verb.
BARE_BLOCKERS = frozenset({"di", "ke", "dari", "kota", "kabupaten", "kab", "provinsi", "kecamatan"})
# Types that take another event as their content ("menolak bertemu", "mendesak X menarik pasukan").
FRAMING = frozenset({"AGREE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SUPPORT"})
COOPERATIVE_FUTURE = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE",
                      "RETREAT": "CONCEDE"}
