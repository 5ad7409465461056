"""Actor mentions: titles, appositions, metonyms, short forms and the per-document name memory."""

from __future__ import annotations

from tests.unit.test_events_builder import build
from workers.document import ParsedDocument
from workers.events.actors import ActorMemory, Mention, actor_code, find_mentions
from workers.events.lexicon import lexicon


def _flat(text: str) -> list[tuple[str, str, int, str]]:
    """Space-separated tokens with no parse at all: mentions come from word order and dictionaries only."""
    return [(w, "PROPN" if w[:1].isupper() else "NOUN", 0, "dep") for w in text.split()]


def _mentions(doc: ParsedDocument, memory: ActorMemory | None = None) -> list[list[Mention]]:
    memory = memory or ActorMemory()
    return [find_mentions(s, [e for e in doc.entities if e.sentence == s.index], lexicon(), memory, doc.text)
            for s in doc.sentences]


def _codes(doc: ParsedDocument, ms: list[Mention]) -> list[tuple[str, str | None]]:
    return [(doc.text[m.start:m.end], m.actor.code) for m in ms]


def test_title_country_and_person_are_one_actor() -> None:
    doc = build([_flat("Menteri Luar Negeri Korea Utara Choe Son Hui tiba")], [[(6, 8, "PER")]])
    [ms] = _mentions(doc)
    assert _codes(doc, ms) == [("Choe Son Hui", "PRK GOV")]
    assert ms[0].actor.name == "Choe Son Hui"
    assert ms[0].entity_id == "e1"


def test_a_dictionary_name_links_to_the_entity_it_overlaps() -> None:
    doc = build([_flat("Korea Selatan bentrok dengan Sri Lanka dan Asia Selatan"),
                 _flat("Garda Revolusi Iran mengancam")], [[(5, 6, "LOC"), (8, 9, "LOC")], [(1, 2, "ORG")]])
    first, second = _mentions(doc)
    assert _codes(doc, first) == [("Korea Selatan", "KOR"), ("Sri Lanka", "LKA")]
    assert [m.entity_id for m in first] == [None, "e1"]  # NER found no "Korea Selatan" here
    assert [(doc.text[m.start:m.end], m.entity_id) for m in second] == [("Garda Revolusi Iran", "e3")]


def test_acronym_in_brackets_and_apposition_with_comma() -> None:
    doc = build([_flat("Presiden Amerika Serikat ( AS ) Donald Trump dan Menlu AS , Mike Pompeo , tiba")],
                [[(7, 8, "PER"), (14, 15, "PER")]])
    [ms] = _mentions(doc)
    assert _codes(doc, ms) == [("Donald Trump", "USA GOV"), ("Mike Pompeo", "USA GOV")]


def test_diplomats_and_metonyms() -> None:
    doc = build([_flat("duta besar Pyongyang untuk Rusia"), _flat("Juru bicara Kremlin"),
                 _flat("Gedung Putih dan Pentagon"), _flat("Juru bicara militer Prancis")])
    ms = _mentions(doc)
    assert _codes(doc, ms[0]) == [("duta besar Pyongyang", "PRK DIP"), ("Rusia", "RUS")]
    assert ms[0][1].prep == "untuk"
    assert _codes(doc, ms[1]) == [("Juru bicara Kremlin", "RUS GOV")]
    assert _codes(doc, ms[2]) == [("Gedung Putih", "USA GOV"), ("Pentagon", "USA MIL")]
    assert _codes(doc, ms[3]) == [("Juru bicara militer Prancis", "FRA MIL")]


def test_short_forms() -> None:
    doc = build([_flat("AS Korut Korsel RI Tiongkok China PBB DK PBB UEA")])
    [ms] = _mentions(doc)
    assert [m.actor.code for m in ms] == ["USA", "PRK", "KOR", "IDN", "CHN", "CHN", "IGO UN", "IGO UN", "ARE"]


def test_places_are_marked() -> None:
    doc = build([_flat("pertemuan di Moskow dan demonstran di Hong Kong")])
    [ms] = _mentions(doc)
    assert [(m.actor.code, m.place_like) for m in ms] == [("RUS GOV", True), ("HKG CVL", False), ("HKG", True)]


def test_names_seen_with_a_title_are_remembered() -> None:
    doc = build([_flat("Wakil Menteri Luar Negeri Korea Utara Choe Son Hui tiba"),
                 _flat("Choe kemudian bertemu Heiko Maas")],
                [[(7, 9, "PER")], [(1, 1, "PER"), (4, 5, "PER")]])
    _, second = _mentions(doc)
    assert _codes(doc, second)[0] == ("Choe", "PRK GOV")
    assert second[1].actor.code == "UNK"  # an unknown person with no title is no usable actor
    assert not second[1].actor.known


def test_well_known_office_holders() -> None:
    doc = build([_flat("Trump , Putin dan Guterres")])
    [ms] = _mentions(doc)
    assert [m.actor.code for m in ms] == ["USA GOV", "RUS GOV", "IGO UN"]


def test_actor_code() -> None:
    assert actor_code({"country": "PRK", "igo": None, "sector": "GOV"}) == "PRK GOV"
    assert actor_code({"country": None, "igo": "UN", "sector": "GOV"}) == "IGO UN"
    assert actor_code({"country": None, "igo": None, "sector": "CVL"}) == "CVL"
    assert actor_code({"country": None, "igo": None, "sector": None}) == "UNK"
    assert actor_code(None) is None


def test_titles_and_countries_inside_a_person_entity_are_split_off() -> None:
    # NER often takes "Saudi" into the name: "Putra Mahkota Saudi Mohammed bin Salman"
    doc = build([_flat("Putra Mahkota Saudi Mohammed bin Salman ( MBS ) dan Amerika Serikat ( AS )")],
                [[(1, 6, "PER")]])
    [ms] = _mentions(doc)
    assert _codes(doc, ms) == [("Mohammed bin Salman", "SAU GOV"), ("Amerika Serikat (AS)", "USA")]
    assert ms[0].entity_id == "e1"
