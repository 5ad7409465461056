"""Indonesian derivations of trigger roots and the compiled dictionaries (no models)."""

from __future__ import annotations

import pytest

from workers.events.lexicon import ACTIVE, NOUN, PASSIVE, QUAD_CLASS, derive, lexicon


@pytest.mark.parametrize(("root", "code", "expected"), [
    ("kecam", "V", ["mengecam", "dikecam", "kecam"]),
    ("tolak", "V", ["menolak", "ditolak", "tolak"]),
    ("serang", "V", ["menyerang", "diserang", "serang"]),
    ("dukung", "V", ["mendukung", "didukung", "dukung"]),
    ("protes", "V", ["memprotes", "diprotes", "protes"]),
    ("kritik", "V", ["mengkritik", "dikritik", "kritik"]),
    ("ancam", "V", ["mengancam", "diancam", "ancam"]),
    ("bom", "V", ["mengebom", "dibom", "bom"]),
    ("salah", "VK", ["menyalahkan", "disalahkan", "salahkan"]),
    ("tandatangan", "VI", ["menandatangani", "ditandatangani", "tandatangani"]),
    ("tangkap", "PN", ["penangkapan"]),
    ("serang", "PN", ["penyerangan"]),
    ("temu", "PR", ["pertemuan"]),
    ("runding", "PR", ["perundingan"]),
    ("sepakat", "KN", ["kesepakatan"]),
    ("temu", "B", ["bertemu"]),
    ("runding", "B", ["berunding"]),
    ("kerja sama", "B", ["bekerja sama"]),
    ("minta maaf", "PR", ["permintaan maaf"]),
])
def test_derivations(root: str, code: str, expected: list[str]) -> None:
    assert [surface for surface, _ in derive(root, code)] == expected


def test_voices() -> None:
    assert dict(derive("kecam", "V"))["dikecam"] == PASSIVE
    assert dict(derive("kecam", "N"))["kecaman"] == NOUN
    assert dict(derive("temu", "B"))["bertemu"] == ACTIVE


def test_compiled_triggers_cover_the_issue_examples() -> None:
    triggers = lexicon().triggers
    expected = {
        "menuduh": "DISAPPROVE", "tuduhan": "DISAPPROVE", "mengecam": "DISAPPROVE", "mengutuk": "DISAPPROVE",
        "menyalahkan": "DISAPPROVE", "mendukung": "SUPPORT", "dukungan": "SUPPORT", "bertemu": "CONSULT",
        "pertemuan": "CONSULT", "kunjungan": "CONSULT", "menandatangani": "SUPPORT", "sepakat": "AGREE",
        "menyetujui": "AGREE", "mendesak": "DEMAND", "meminta": "DEMAND", "menyerukan": "DEMAND",
        "memperingatkan": "THREATEN", "mengancam": "THREATEN", "membantah": "REJECT", "menolak": "REJECT",
        "sanksi": "SANCTION", "menyerang": "ASSAULT", "serangan": "ASSAULT", "bantuan": "AID",
    }
    for word, etype in expected.items():
        assert any(f.entry.type == etype for f in triggers[word]), word
    # context-bound senses: "mengirim" alone is no event, "latihan militer" is
    assert all(f.entry.context for f in triggers["mengirim"])
    assert any(f.rest == ("militer",) and f.entry.type == "MOBILIZE" for f in triggers["latihan"])
    # a headline form that is also a noun is read as the noun
    assert all(not f.bare for f in triggers["protes"])
    assert any(f.bare for f in triggers["desak"])


def test_peN_an_nouns_take_the_patient_as_genitive() -> None:
    assert all(f.patient for f in lexicon().triggers["penangkapan"])
    assert not any(f.patient for f in lexicon().triggers["serangan"])


def test_every_type_has_its_quad_class() -> None:
    types = {f.entry.type for forms in lexicon().triggers.values() for f in forms}
    assert types <= set(QUAD_CLASS)
    assert len(QUAD_CLASS) == 16
    assert QUAD_CLASS["SANCTION"] == "verbal conflict"


def test_actor_and_agent_dictionaries() -> None:
    lex = lexicon()
    words = ["DK", "PBB"]
    hit = lex.actors.match(words, [w.lower() for w in words], 0)
    assert hit is not None and hit[0] == 2 and hit[1].igo == "UN"
    words = ["as"]  # lower-case "as" is not the United States
    assert lex.actors.match(words, words, 0) is None
    words = ["Juru", "bicara"]
    agent = lex.agents.match(words, [w.lower() for w in words], 0)
    assert agent is not None and agent[1].weak
