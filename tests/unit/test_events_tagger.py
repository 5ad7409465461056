"""The event tagger on hand-built parses: roles, voice, negation, modality, speech, coordination, dates, places."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from tests.openapi_contract import validate_schema
from tests.unit.test_events_builder import Tok, build
from workers.document import ParsedDocument
from workers.events import tag_events
from workers.events.actors import actor_code

PUB = date(2023, 11, 14)


def _tuples(events: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    return [(e["type"], actor_code(e["source"]["actor"]), actor_code(e["target"]["actor"]) if e["target"] else None)
            for e in events]


def _check_spans(doc: ParsedDocument, events: list[dict[str, Any]]) -> None:
    for e in events:
        validate_schema("Event", e)
        spans = [e["trigger"], e["source"], e["target"], e["location"], e["date"], e["reported_by"]]
        for span in filter(None, spans):
            assert doc.text[span["start"]:span["end"]] == span["text"]
        assert e["evidence"] == doc.sentences[e["sentence"]].text


def _tag(sentences: Sequence[Sequence[Tok]], entities: Sequence[Sequence[tuple[int, int, str]]] = (),
         published: date | None = PUB) -> tuple[ParsedDocument, list[dict[str, Any]]]:
    doc = build(sentences, entities, published)
    events = tag_events(doc)
    _check_spans(doc, events)
    return doc, events


# "Menteri Luar Negeri Korea Utara Choe Son Hui mengecam Amerika Serikat, Sabtu (11/11/2023)."
CHOE: list[Tok] = [("Menteri", "NOUN", 9, "nsubj"), ("Luar", "ADJ", 1, "amod"), ("Negeri", "NOUN", 2, "flat"),
        ("Korea", "PROPN", 1, "nmod"), ("Utara", "PROPN", 4, "flat"), ("Choe", "PROPN", 1, "appos"),
        ("Son", "PROPN", 6, "flat"), ("Hui", "PROPN", 6, "flat"), ("mengecam", "VERB", 0, "root", "kecam"),
        ("Amerika", "PROPN", 9, "obj"), ("Serikat", "PROPN", 10, "flat"), (",", "PUNCT", 13, "punct"),
        ("Sabtu", "PROPN", 9, "obl"), ("(11/11/2023)", "NUM", 13, "nmod"), (".", "PUNCT", 9, "punct")]


def test_title_apposition_and_full_record() -> None:
    doc, events = _tag([CHOE], [[(6, 8, "PER"), (4, 5, "LOC")]])
    [e] = events
    assert e["id"] == "ev1"
    assert (e["type"], e["quad_class"], e["mode"]) == ("DISAPPROVE", "verbal conflict", "disapprove")
    assert e["trigger"]["text"] == "mengecam"
    assert e["source"]["text"] == "Choe Son Hui"
    assert e["source"]["entity_id"] == "e1"
    assert e["source"]["actor"] == {"name": "Choe Son Hui", "country": "PRK", "igo": None, "sector": "GOV"}
    assert e["target"]["actor"]["country"] == "USA"
    assert e["date"] == {"text": "Sabtu (11/11/2023)", "start": doc.text.index("Sabtu"),
                         "end": doc.text.index("Sabtu") + 18, "resolved": "2023-11-11"}
    assert not e["negated"] and not e["hypothetical"]
    assert 0 < e["confidence"] <= 1


def test_diplomat_of_a_capital_and_spokesman_of_the_kremlin() -> None:
    # "Duta besar Pyongyang untuk Rusia menuduh Washington." / "Juru bicara Kremlin mengutuk NATO."
    s1: list[Tok] = [("Duta", "NOUN", 6, "nsubj"), ("besar", "ADJ", 1, "amod"), ("Pyongyang", "PROPN", 1, "nmod"),
          ("untuk", "ADP", 5, "case"), ("Rusia", "PROPN", 1, "nmod"), ("menuduh", "VERB", 0, "root"),
          ("Washington", "PROPN", 6, "obj"), (".", "PUNCT", 6, "punct")]
    s2: list[Tok] = [("Juru", "NOUN", 4, "nsubj"), ("bicara", "NOUN", 1, "compound"), ("Kremlin", "PROPN", 1, "nmod"),
          ("mengutuk", "VERB", 0, "root"), ("NATO", "PROPN", 4, "obj"), (".", "PUNCT", 4, "punct")]
    _, events = _tag([s1, s2])
    assert _tuples(events) == [("DISAPPROVE", "PRK DIP", "USA GOV"), ("DISAPPROVE", "RUS GOV", "IGO NATO")]


def test_passive_with_bare_agent_and_with_oleh() -> None:
    # "Pyongyang dikritik AS di Moskow." / "Iran dikecam oleh Uni Eropa."
    s1: list[Tok] = [("Pyongyang", "PROPN", 2, "nsubj:pass"), ("dikritik", "VERB", 0, "root", "kritik"),
          ("AS", "PROPN", 2, "obl:agent"), ("di", "ADP", 5, "case"), ("Moskow", "PROPN", 2, "obl"),
          (".", "PUNCT", 2, "punct")]
    s2: list[Tok] = [("Iran", "PROPN", 2, "nsubj:pass"), ("dikecam", "VERB", 0, "root", "kecam"),
                     ("oleh", "ADP", 4, "case"), ("Uni", "PROPN", 2, "obl"), ("Eropa", "PROPN", 4, "flat"),
                     (".", "PUNCT", 2, "punct")]
    _, events = _tag([s1, s2], [[(5, 5, "LOC")]])
    assert _tuples(events) == [("DISAPPROVE", "USA", "PRK GOV"), ("DISAPPROVE", "IGO EU", "IRN")]
    assert events[0]["location"] == {"text": "Moskow", "start": events[0]["location"]["start"],
                                     "end": events[0]["location"]["end"], "country": "RUS"}


def test_negation() -> None:
    # "Rusia tidak menyerang Ukraina."
    s: list[Tok] = [("Rusia", "PROPN", 3, "nsubj"), ("tidak", "PART", 3, "advmod"), ("menyerang", "VERB", 0, "root"),
         ("Ukraina", "PROPN", 3, "obj"), (".", "PUNCT", 3, "punct")]
    _, [e] = _tag([s])
    assert (e["type"], e["negated"]) == ("ASSAULT", True)


def test_refused_cooperation_is_reject() -> None:
    # "Korut tidak akan lagi berunding dengan AS."
    s: list[Tok] = [("Korut", "PROPN", 5, "nsubj"), ("tidak", "PART", 5, "advmod"), ("akan", "AUX", 5, "aux"),
         ("lagi", "ADV", 5, "advmod"), ("berunding", "VERB", 0, "root", "runding"), ("dengan", "ADP", 7, "case"),
         ("AS", "PROPN", 5, "obl"), (".", "PUNCT", 5, "punct")]
    _, [e] = _tag([s])
    assert _tuples([e]) == [("REJECT", "PRK", "USA")]
    assert not e["negated"]


def test_intent_and_conditions() -> None:
    # "AS akan bertemu Korut." (future meeting: AGREE) / "Iran berencana meluncurkan rudal." (hypothetical)
    # "Jika Israel menyerang Gaza, ..." (conditional)
    s1: list[Tok] = [("AS", "PROPN", 3, "nsubj"), ("akan", "AUX", 3, "aux"), ("bertemu", "VERB", 0, "root"),
          ("Korut", "PROPN", 3, "obj"), (".", "PUNCT", 3, "punct")]
    s2: list[Tok] = [("Iran", "PROPN", 2, "nsubj"), ("berencana", "VERB", 0, "root"),
                     ("meluncurkan", "VERB", 2, "xcomp"), ("rudal", "NOUN", 3, "obj"), (".", "PUNCT", 2, "punct")]
    s3: list[Tok] = [("Jika", "SCONJ", 3, "mark"), ("Israel", "PROPN", 3, "nsubj"),
                     ("menyerang", "VERB", 0, "root"), ("Gaza", "PROPN", 3, "obj"), (",", "PUNCT", 3, "punct")]
    _, events = _tag([s1, s2, s3])
    assert [(e["type"], e["hypothetical"]) for e in events] == [("AGREE", False), ("MOBILIZE", True),
                                                                ("ASSAULT", True)]
    assert _tuples(events)[0] == ("AGREE", "USA", "PRK")


def test_reported_speech_kata_and_menurut() -> None:
    # "“Kami mengecam Israel,” kata Menlu Prancis." / "Menurut Trump, China menolak tawaran AS."
    s1: list[Tok] = [("“", "PUNCT", 3, "punct"), ("Kami", "PRON", 3, "nsubj"), ("mengecam", "VERB", 7, "ccomp"),
          ("Israel", "PROPN", 3, "obj"), (",", "PUNCT", 3, "punct"), ("”", "PUNCT", 3, "punct"),
          ("kata", "VERB", 0, "root"), ("Menlu", "NOUN", 7, "nsubj"), ("Prancis", "PROPN", 8, "nmod"),
          (".", "PUNCT", 7, "punct")]
    s2: list[Tok] = [("Menurut", "ADP", 2, "case"), ("Trump", "PROPN", 5, "obl"), (",", "PUNCT", 5, "punct"),
          ("China", "PROPN", 5, "nsubj"), ("menolak", "VERB", 0, "root"), ("tawaran", "NOUN", 5, "obj"),
          ("AS", "PROPN", 6, "nmod"), (".", "PUNCT", 5, "punct")]
    _, events = _tag([s1, s2])
    assert _tuples(events) == [("DISAPPROVE", "FRA GOV", "ISR"), ("REJECT", "CHN", "USA")]
    assert events[0]["source"]["text"] == "Kami"
    assert events[0]["source"]["actor"]["name"] == "Menlu Prancis"
    assert events[0]["reported_by"]["text"] == "kata Menlu Prancis"
    assert events[1]["reported_by"]["text"] == "Menurut Trump"


def test_dan_gives_one_event_per_pair() -> None:
    # "AS dan Jepang mengecam Korut dan Rusia."
    s: list[Tok] = [("AS", "PROPN", 4, "nsubj"), ("dan", "CCONJ", 3, "cc"), ("Jepang", "PROPN", 1, "conj"),
         ("mengecam", "VERB", 0, "root"), ("Korut", "PROPN", 4, "obj"), ("dan", "CCONJ", 7, "cc"),
         ("Rusia", "PROPN", 5, "conj"), (".", "PUNCT", 4, "punct")]
    _, events = _tag([s])
    assert sorted(_tuples(events)) == [("DISAPPROVE", "JPN", "PRK"), ("DISAPPROVE", "JPN", "RUS"),
                                       ("DISAPPROVE", "USA", "PRK"), ("DISAPPROVE", "USA", "RUS")]
    assert [e["id"] for e in events] == ["ev1", "ev2", "ev3", "ev4"]


def test_light_verb_and_reverse_light_verb() -> None:
    # "AS menjatuhkan sanksi terhadap Iran." / "Iran menuai kecaman dari Uni Eropa."
    s1: list[Tok] = [("AS", "PROPN", 2, "nsubj"), ("menjatuhkan", "VERB", 0, "root"), ("sanksi", "NOUN", 2, "obj"),
          ("terhadap", "ADP", 5, "case"), ("Iran", "PROPN", 3, "nmod"), (".", "PUNCT", 2, "punct")]
    s2: list[Tok] = [("Iran", "PROPN", 2, "nsubj"), ("menuai", "VERB", 0, "root"), ("kecaman", "NOUN", 2, "obj"),
          ("dari", "ADP", 5, "case"), ("Uni", "PROPN", 2, "obl"), ("Eropa", "PROPN", 5, "flat"),
          (".", "PUNCT", 2, "punct")]
    _, events = _tag([s1, s2])
    assert _tuples(events) == [("SANCTION", "USA", "IRN"), ("DISAPPROVE", "IGO EU", "IRN")]
    assert events[0]["trigger"]["text"] == "sanksi"
    assert events[0]["mode"] == "discontinue"


def test_one_event_per_predication() -> None:
    # "Khamenei menolak bertemu Trump." / "China mendesak AS menarik pasukan."
    s1: list[Tok] = [("Khamenei", "PROPN", 2, "nsubj"), ("menolak", "VERB", 0, "root"), ("bertemu", "VERB", 2, "xcomp"),
          ("Trump", "PROPN", 3, "obj"), (".", "PUNCT", 2, "punct")]
    s2: list[Tok] = [("China", "PROPN", 2, "nsubj"), ("mendesak", "VERB", 0, "root"), ("AS", "PROPN", 2, "obj"),
          ("menarik", "VERB", 2, "xcomp"), ("pasukan", "NOUN", 4, "obj"), (".", "PUNCT", 2, "punct")]
    _, events = _tag([s1, s2])
    assert _tuples(events) == [("REJECT", "IRN GOV", "USA GOV"), ("DEMAND", "CHN", "USA")]


def test_a_noun_pointing_back_is_no_new_event() -> None:
    # "Teheran membantah tuduhan tersebut."
    s: list[Tok] = [("Teheran", "PROPN", 2, "nsubj"), ("membantah", "VERB", 0, "root"), ("tuduhan", "NOUN", 2, "obj"),
         ("tersebut", "DET", 3, "det"), (".", "PUNCT", 2, "punct")]
    _, events = _tag([s])
    assert _tuples(events) == [("REJECT", "IRN GOV", None)]


def test_protests_and_riots() -> None:
    # "Ribuan demonstran di Hong Kong menggelar unjuk rasa." / "Demonstran melemparkan bom bensin ke polisi."
    s1: list[Tok] = [("Ribuan", "NUM", 2, "nummod"), ("demonstran", "NOUN", 6, "nsubj"), ("di", "ADP", 4, "case"),
          ("Hong", "PROPN", 2, "nmod"), ("Kong", "PROPN", 4, "flat"), ("menggelar", "VERB", 0, "root"),
          ("unjuk", "NOUN", 6, "obj"), ("rasa", "NOUN", 7, "compound"), (".", "PUNCT", 6, "punct")]
    s2: list[Tok] = [("Demonstran", "NOUN", 2, "nsubj"), ("melemparkan", "VERB", 0, "root"), ("bom", "NOUN", 2, "obj"),
          ("bensin", "NOUN", 3, "compound"), ("ke", "ADP", 6, "case"), ("polisi", "NOUN", 2, "obl"),
          (".", "PUNCT", 2, "punct")]
    _, events = _tag([s1, s2])
    assert _tuples(events) == [("PROTEST", "HKG CVL", None), ("PROTEST", "CVL", "COP")]
    assert [e["mode"] for e in events] == ["demo", "riot"]


def test_without_a_parse_word_order_still_works() -> None:
    # every word attached to nothing: the nearest actors left and right of the verb are used
    _, events = _tag([[(w, "X", 0, "dep") for w in ("Korut", "mengecam", "keras", "Korsel", ".")]])
    assert ("DISAPPROVE", "PRK", "KOR") in _tuples(events)
    assert all(e["confidence"] < 0.9 for e in events if e["type"] == "DISAPPROVE")


def test_words_inside_names_are_not_triggers() -> None:
    # "Organisasi Kerja Sama Islam bertemu di Jeddah." - no COOPERATE from the name
    s: list[Tok] = [("Organisasi", "PROPN", 5, "nsubj"), ("Kerja", "PROPN", 1, "flat"), ("Sama", "PROPN", 1, "flat"),
         ("Islam", "PROPN", 1, "flat"), ("bertemu", "VERB", 0, "root"), ("di", "ADP", 7, "case"),
         ("Jeddah", "PROPN", 5, "obl"), (".", "PUNCT", 5, "punct")]
    _, events = _tag([s], [[(1, 4, "ORG"), (7, 7, "LOC")]])
    assert all(e["type"] != "COOPERATE" for e in events)


def test_a_partner_without_a_code_still_makes_a_meeting() -> None:
    # "AS dan Aliansi Teluk membahas serangan." - the alliance has no actor code, but it is the partner that a
    # consultation needs; "AS membahas serangan." alone is no meeting.
    s: list[Tok] = [("AS", "PROPN", 5, "nsubj"), ("dan", "CCONJ", 3, "cc"), ("Aliansi", "PROPN", 1, "conj"),
                    ("Teluk", "PROPN", 3, "flat:name"), ("membahas", "VERB", 0, "root", "bahas"),
                    ("serangan", "NOUN", 5, "obj"), (".", "PUNCT", 5, "punct")]
    _, events = _tag([s], [[(1, 1, "LOC"), (3, 4, "ORG")]])
    assert _tuples(events) == [("CONSULT", "USA", None)]
    alone: list[Tok] = [("AS", "PROPN", 2, "nsubj"), ("membahas", "VERB", 0, "root", "bahas"),
                        ("serangan", "NOUN", 2, "obj"), (".", "PUNCT", 2, "punct")]
    assert _tag([alone], [[(1, 1, "LOC")]])[1] == []


def test_a_comma_series_of_acts_parsed_as_adverbial_clauses_gives_each_act() -> None:
    # "Demonstran menyerbu Dewan Legislatif, memblokir jalan." - the parser hangs the second act under the first
    # as an advcl; it is an act of its own (an obstruction), not the raid's complement.
    s: list[Tok] = [("Demonstran", "NOUN", 2, "nsubj"), ("menyerbu", "VERB", 0, "root", "serbu"),
                    ("Dewan", "PROPN", 2, "obj"), ("Legislatif", "PROPN", 3, "flat:name"), (",", "PUNCT", 6, "punct"),
                    ("memblokir", "VERB", 2, "advcl", "blokir"), ("jalan", "NOUN", 6, "obj"),
                    (".", "PUNCT", 2, "punct")]
    _, events = _tag([s], [[(3, 4, "ORG")]])
    assert [(e["type"], e["mode"], e["trigger"]["text"]) for e in events] == [
        ("PROTEST", "riot", "menyerbu"), ("PROTEST", "obstruct", "memblokir")]
    # without the comma the second verb is the first one's complement: one predication
    joined: list[Tok] = [("Demonstran", "NOUN", 2, "nsubj"), ("menyerbu", "VERB", 0, "root", "serbu"),
                         ("Dewan", "PROPN", 2, "obj"), ("Legislatif", "PROPN", 3, "flat:name"),
                         ("memblokir", "VERB", 2, "advcl", "blokir"), ("jalan", "NOUN", 5, "obj"),
                         (".", "PUNCT", 2, "punct")]
    _, events = _tag([joined], [[(3, 4, "ORG")]])
    assert [e["trigger"]["text"] for e in events] == ["menyerbu"]


def test_damage_to_a_building_by_protesters_is_a_riot_and_to_relations_no_event() -> None:
    # "Pengunjuk rasa merusak kantor pemerintah." / "Pengunjuk rasa merusak hubungan."
    def sentence(thing: str) -> list[Tok]:
        return [("Pengunjuk", "NOUN", 3, "nsubj"), ("rasa", "NOUN", 1, "compound"),
                ("merusak", "VERB", 0, "root", "rusak"), (thing, "NOUN", 3, "obj"),
                ("pemerintah", "NOUN", 4, "nmod"), (".", "PUNCT", 3, "punct")]
    _, events = _tag([sentence("kantor")])
    assert [(e["type"], e["mode"], e["target"]["text"]) for e in events] == [("PROTEST", "riot", "pemerintah")]
    assert _tag([sentence("hubungan")])[1] == []


def test_a_protest_noun_under_a_crowd_is_that_crowds_protest() -> None:
    # "Massa beratribut PMII demo, dukung revisi UU." (a headline): "demo" hangs under the crowd, which holds it.
    s: list[Tok] = [("Massa", "NOUN", 6, "nsubj"), ("beratribut", "VERB", 1, "acl"), ("PMII", "PROPN", 2, "obj"),
                    ("demo", "NOUN", 2, "compound"), (",", "PUNCT", 6, "punct"), ("dukung", "VERB", 0, "root"),
                    ("revisi", "NOUN", 6, "obj"), ("UU", "PROPN", 7, "nmod"), (".", "PUNCT", 6, "punct")]
    _, events = _tag([s], [[(3, 3, "ORG")]])
    assert [(e["type"], e["source"]["text"]) for e in events] == [("PROTEST", "Massa")]
    # a crowd that is the agent of another verb does not make a protest of a noun that only names one:
    # "Pada aksi demo Minggu, para demonstran melempar batu."
    other: list[Tok] = [("Pada", "ADP", 2, "case"), ("aksi", "NOUN", 8, "obl"), ("demo", "NOUN", 2, "compound"),
                        ("Minggu", "PROPN", 2, "nmod"), (",", "PUNCT", 8, "punct"), ("para", "DET", 7, "det"),
                        ("demonstran", "NOUN", 8, "nsubj"), ("melempar", "VERB", 0, "root", "lempar"),
                        ("batu", "NOUN", 8, "obj"), (".", "PUNCT", 8, "punct")]
    _, events = _tag([other])
    assert [e["trigger"]["text"] for e in events] == ["melempar"]  # the throwing, not the named protest


@pytest.mark.parametrize("published", [PUB, None])
def test_relative_dates_need_the_publication_date(published: date | None) -> None:
    # "Korut menembakkan rudal ke Jepang Jumat."
    s: list[Tok] = [("Korut", "PROPN", 2, "nsubj"), ("menembakkan", "VERB", 0, "root"), ("rudal", "NOUN", 2, "obj"),
         ("ke", "ADP", 5, "case"), ("Jepang", "PROPN", 2, "obl"), ("Jumat", "PROPN", 2, "obl"),
         (".", "PUNCT", 2, "punct")]
    _, [e] = _tag([s], published=published)
    assert _tuples([e]) == [("ASSAULT", "PRK", "JPN")]  # a launch at an actor is an attack
    assert e["date"]["resolved"] == ("2023-11-10" if published else None)


def test_empty_document() -> None:
    assert tag_events(ParsedDocument(text="", sentences=())) == []


def test_said_by_a_subject_with_place_and_relative_date() -> None:
    # "Rusia mengatakan Ukraina menyerang wilayah Kursk pekan lalu."
    s: list[Tok] = [("Rusia", "PROPN", 2, "nsubj"), ("mengatakan", "VERB", 0, "root", "kata"),
                    ("Ukraina", "PROPN", 4, "nsubj"), ("menyerang", "VERB", 2, "ccomp", "serang"),
                    ("wilayah", "NOUN", 4, "obj"), ("Kursk", "PROPN", 5, "nmod"), ("pekan", "NOUN", 4, "obl"),
                    ("lalu", "ADV", 7, "advmod"), (".", "PUNCT", 2, "punct")]
    _, [e] = _tag([s], [[(6, 6, "LOC")]])
    assert _tuples([e]) == [("ASSAULT", "UKR", None)]
    assert e["reported_by"]["text"] == "Rusia mengatakan"
    assert (e["location"]["text"], e["location"]["country"]) == ("Kursk", None)
    assert (e["date"]["text"], e["date"]["resolved"]) == ("pekan lalu", "2023-11-06/2023-11-12")


def test_an_adverbial_clause_lends_no_target() -> None:
    # "menolak bertemu Trump" takes the complement's target; a clause opened by "setelah" is no complement.
    headline: list[Tok] = [
        ("Korut", "PROPN", 2, "nsubj"), ("Luncurkan", "VERB", 0, "root", "luncur"), ("Rudal", "NOUN", 2, "obj"),
        ("Setelah", "SCONJ", 8, "mark"), ("Nyatakan", "VERB", 8, "nsubj", "nyata"),
        ("Bersedia", "VERB", 5, "flat"), ("Kembali", "ADV", 8, "advmod"),
        ("Berunding", "VERB", 2, "advcl", "runding"), ("dengan", "ADP", 10, "case"), ("AS", "PROPN", 8, "obl")]
    _, events = _tag([headline], [[(1, 1, "LOC"), (10, 10, "LOC")]])
    assert ("MOBILIZE", "PRK", None) in _tuples(events)
    assert not [t for t in _tuples(events) if t[0] == "ASSAULT"]


def test_a_relative_clause_on_the_noun_names_who_carried_it_out() -> None:
    # "mengikuti" governs "uji coba" and would be taken as its light verb; "yang dilakukan Korea Utara" says who.
    sentence: list[Tok] = [
        ("Peluncuran", "NOUN", 3, "nsubj"), ("itu", "DET", 1, "det"), ("mengikuti", "VERB", 0, "root", "ikut"),
        ("serangkaian", "DET", 5, "det"), ("uji", "NOUN", 3, "obj"), ("coba", "NOUN", 5, "compound"),
        ("rudal", "NOUN", 6, "compound"), ("yang", "PRON", 9, "nsubj:pass"),
        ("dilakukan", "VERB", 5, "acl:relcl", "laku"), ("Korea", "PROPN", 9, "obl"), ("Utara", "PROPN", 10, "flat"),
        (".", "PUNCT", 3, "punct")]
    _, events = _tag([sentence], [[(10, 11, "LOC")]])
    assert _tuples(events) == [("MOBILIZE", "PRK", None)]


def test_an_adverbial_clause_with_its_own_actor_is_its_own_event() -> None:
    sentence: list[Tok] = [
        ("Mereka", "PRON", 2, "nsubj"), ("menuduh", "VERB", 0, "root", "tuduh"), ("Iran", "PROPN", 2, "obj"),
        (",", "PUNCT", 7, "punct"), ("meski", "SCONJ", 7, "mark"), ("Teheran", "PROPN", 7, "nsubj"),
        ("menyangkal", "VERB", 2, "advcl", "sangkal"), ("tuduhan", "NOUN", 7, "obj", "tuduh"),
        ("tersebut", "DET", 8, "det"), (".", "PUNCT", 2, "punct")]
    _, events = _tag([sentence], [[(3, 3, "LOC"), (6, 6, "LOC")]])
    assert ("REJECT", "IRN GOV", None) in _tuples(events)


def test_whom_an_act_on_things_is_for_comes_from_its_purpose_clause() -> None:
    # "Polisi Hong Kong merespon aksi demonstran ini dengan menembakkan meriam air dan gas air mata untuk
    # membubarkan pengunjuk rasa.": no weapon is a target; whom the shooting is for is the object of "untuk".
    sentence: list[Tok] = [
        ("Polisi", "NOUN", 4, "nsubj"), ("Hong", "PROPN", 1, "nmod"), ("Kong", "PROPN", 2, "flat"),
        ("merespon", "VERB", 0, "root", "respon"), ("aksi", "NOUN", 4, "obj"), ("demonstran", "NOUN", 5, "compound"),
        ("ini", "DET", 6, "det"), ("dengan", "SCONJ", 9, "mark"), ("menembakkan", "VERB", 4, "advcl", "tembak"),
        ("meriam", "NOUN", 9, "obj"), ("air", "NOUN", 10, "compound"), ("dan", "CCONJ", 13, "cc"),
        ("gas", "NOUN", 10, "conj"), ("air", "NOUN", 13, "compound"), ("mata", "NOUN", 14, "compound"),
        ("untuk", "SCONJ", 17, "mark"), ("membubarkan", "VERB", 9, "advcl", "bubar"),
        ("pengunjuk", "NOUN", 17, "obj"), ("rasa", "NOUN", 18, "compound"), (".", "PUNCT", 4, "punct")]
    _, events = _tag([sentence], [[(2, 3, "LOC")]])
    assert _tuples(events) == [("ASSAULT", "HKG COP", "CVL")]


def test_a_prevented_attack_is_not_reported_as_real() -> None:
    # "Militer Rusia mencegah jet tempur Angkatan Udara Israel melakukan tiga serangan terhadap Suriah."
    sentence: list[Tok] = [
        ("Militer", "PROPN", 3, "nsubj"), ("Rusia", "PROPN", 1, "flat"), ("mencegah", "VERB", 0, "root", "cegah"),
        ("jet", "NOUN", 3, "obj"), ("tempur", "NOUN", 4, "compound"), ("Angkatan", "PROPN", 5, "nmod"),
        ("Udara", "PROPN", 6, "flat"), ("Israel", "PROPN", 7, "flat"), ("melakukan", "VERB", 3, "advcl", "laku"),
        ("tiga", "NUM", 11, "nummod"), ("serangan", "NOUN", 9, "obj", "serang"), ("terhadap", "ADP", 13, "case"),
        ("Suriah", "PROPN", 11, "nmod"), (".", "PUNCT", 3, "punct")]
    _, events = _tag([sentence], [[(1, 2, "ORG"), (6, 8, "ORG"), (13, 13, "LOC")]])
    assert [e for e in events if e["type"] == "ASSAULT"]
    assert all(e["hypothetical"] or e["negated"] for e in events if e["type"] == "ASSAULT")


def test_name_right_after_a_passive_verb_is_its_agent_even_as_parsed_subject() -> None:
    # "Jet tempur Israel batal menyerang lantaran diancam Moskow.": the parser takes Moskow for the subject of
    # "diancam"; it is the agent, and the threatened are the subject of the clause "lantaran" hangs from.
    sentence: list[Tok] = [
        ("Jet", "NOUN", 4, "nsubj"), ("tempur", "NOUN", 1, "compound"), ("Israel", "PROPN", 1, "nmod"),
        ("batal", "VERB", 0, "root"), ("menyerang", "VERB", 4, "xcomp", "serang"), ("lantaran", "SCONJ", 7, "mark"),
        ("diancam", "VERB", 4, "advcl", "ancam"), ("Moskow", "PROPN", 7, "nsubj:pass"), (".", "PUNCT", 4, "punct")]
    _, events = _tag([sentence], [[(3, 3, "LOC"), (8, 8, "LOC")]])
    assert ("THREATEN", "RUS GOV", "ISR MIL") in _tuples(events)


def test_negation_does_not_cross_to_a_verb_after_the_first_ones_complement() -> None:
    # "Pemerintah Irak mengatakan tidak ikut dalam koalisi ini dan menolak keterlibatan Israel.": "tidak"
    # denies joining; the rejection is asserted.
    sentence: list[Tok] = [
        ("Pemerintah", "NOUN", 3, "nsubj"), ("Irak", "PROPN", 1, "nmod"), ("mengatakan", "VERB", 0, "root", "kata"),
        ("tidak", "PART", 5, "advmod"), ("ikut", "VERB", 3, "ccomp"), ("dalam", "ADP", 7, "case"),
        ("koalisi", "NOUN", 5, "obl"), ("ini", "DET", 7, "det"), ("dan", "CCONJ", 10, "cc"),
        ("menolak", "VERB", 5, "conj", "tolak"), ("keterlibatan", "NOUN", 10, "obj", "libat"),
        ("Israel", "PROPN", 11, "nmod"), (".", "PUNCT", 3, "punct")]
    _, events = _tag([sentence], [[(2, 2, "LOC"), (12, 12, "LOC")]])
    rejections = [e for e in events if e["type"] == "REJECT"]
    assert rejections and not rejections[0]["negated"]
    assert ("REJECT", "IRQ GOV", "ISR") in _tuples(events)


def test_an_offer_of_the_sources_own_things_is_for_whom_its_purpose_clause_protects() -> None:
    # "Putin menawarkan sistem pertahanan Rusia untuk melindungi infrastruktur Arab Saudi.": Russia's own system
    # is no recipient; Saudi Arabia, whose infrastructure the offer is to protect, is.
    sentence: list[Tok] = [
        ("Putin", "PROPN", 2, "nsubj"), ("menawarkan", "VERB", 0, "root", "tawar"), ("sistem", "NOUN", 2, "obj"),
        ("pertahanan", "NOUN", 3, "compound"), ("Rusia", "PROPN", 4, "nmod"), ("untuk", "SCONJ", 7, "mark"),
        ("melindungi", "VERB", 2, "advcl", "lindung"), ("infrastruktur", "NOUN", 7, "obj"),
        ("Arab", "PROPN", 8, "nmod"), ("Saudi", "PROPN", 9, "flat:name"), (".", "PUNCT", 2, "punct")]
    _, events = _tag([sentence], [[(1, 1, "PER"), (5, 5, "LOC"), (9, 10, "LOC")]])
    offers = [e for e in events if e["type"] == "AGREE"]
    assert offers and offers[0]["target"] is not None and offers[0]["target"]["text"] == "Arab Saudi"


def test_title_shared_over_dan_when_the_parse_coordinates_the_title_noun() -> None:
    # "Para pejabat AS dan Arab Saudi menyangkal klaim Houthi.": the parser hangs "Arab Saudi" on "pejabat"; the
    # list still reads as officials of both.
    sentence: list[Tok] = [
        ("Para", "DET", 2, "det"), ("pejabat", "NOUN", 7, "nsubj"), ("AS", "PROPN", 2, "nmod"),
        ("dan", "CCONJ", 5, "cc"), ("Arab", "PROPN", 2, "conj"), ("Saudi", "PROPN", 5, "flat:name"),
        ("menyangkal", "VERB", 0, "root", "sangkal"), ("klaim", "NOUN", 7, "obj"), ("Houthi", "PROPN", 8, "nmod"),
        (".", "PUNCT", 7, "punct")]
    _, events = _tag([sentence], [[(3, 3, "LOC"), (5, 6, "LOC"), (9, 9, "LOC")]])
    assert sorted(_tuples(events)) == [("REJECT", "SAU GOV", "YEM REB"), ("REJECT", "USA GOV", "YEM REB")]


def test_a_noun_right_before_a_passive_light_verb_is_its_subject() -> None:
    # "Temuan itu menunjukkan serangan dilakukan oleh militer Iran.": the attack was carried out by Iran's
    # military, whatever verb the parser hangs "serangan" on.
    sentence: list[Tok] = [
        ("Temuan", "NOUN", 3, "nsubj"), ("itu", "DET", 1, "det"), ("menunjukkan", "VERB", 0, "root", "tunjuk"),
        ("serangan", "NOUN", 3, "obj", "serang"), ("dilakukan", "VERB", 3, "xcomp", "laku"),
        ("oleh", "ADP", 7, "case"), ("militer", "NOUN", 5, "obl"), ("Iran", "PROPN", 7, "nmod"),
        (".", "PUNCT", 3, "punct")]
    _, events = _tag([sentence], [[(8, 8, "LOC")]])
    assert _tuples(events) == [("ASSAULT", "IRN MIL", None)]


def test_passive_light_verb_with_oleh_agent_and_a_conjoined_target() -> None:
    # "Rumah pertukaran dan perusahaan di Turki dijatuhkan sanksi oleh Departemen Keuangan AS.": the agent comes
    # with "oleh", the light verb's subject receives the sanction, and only its second conjunct names an actor.
    sentence: list[Tok] = [
        ("Rumah", "NOUN", 7, "nsubj:pass"), ("pertukaran", "NOUN", 1, "compound"), ("dan", "CCONJ", 4, "cc"),
        ("perusahaan", "NOUN", 1, "conj"), ("di", "ADP", 6, "case"), ("Turki", "PROPN", 4, "nmod"),
        ("dijatuhkan", "VERB", 0, "root", "jatuh"), ("sanksi", "NOUN", 7, "obl"), ("oleh", "ADP", 10, "case"),
        ("Departemen", "PROPN", 8, "nmod"), ("Keuangan", "PROPN", 10, "flat"), ("AS", "PROPN", 10, "flat"),
        (".", "PUNCT", 7, "punct")]
    _, events = _tag([sentence], [[(6, 6, "LOC"), (10, 12, "ORG")]])
    assert _tuples(events) == [("SANCTION", "USA GOV", "TUR BUS")]


def test_force_announced_on_a_condition_is_a_threat_to_whom_the_condition_names() -> None:
    # "Iran siap berperang jika diserang Arab Saudi.": no war reported, a threat to Saudi Arabia.
    sentence: list[Tok] = [
        ("Iran", "PROPN", 2, "nsubj"), ("siap", "VERB", 0, "root"), ("berperang", "VERB", 2, "xcomp", "perang"),
        ("jika", "SCONJ", 5, "mark"), ("diserang", "VERB", 3, "advcl", "serang"), ("Arab", "PROPN", 5, "obl"),
        ("Saudi", "PROPN", 6, "flat:name"), (".", "PUNCT", 2, "punct")]
    _, events = _tag([sentence], [[(1, 1, "LOC"), (6, 7, "LOC")]])
    assert _tuples(events) == [("THREATEN", "IRN", "SAU")]


def test_a_warnings_addressee_may_be_named_only_in_its_condition() -> None:
    # "Pyongyang memperingatkan bahwa perundingan bisa berakhir kecuali Washington mengambil pendekatan baru."
    sentence: list[Tok] = [
        ("Pyongyang", "PROPN", 2, "nsubj"), ("memperingatkan", "VERB", 0, "root", "peringat"),
        ("bahwa", "SCONJ", 6, "mark"), ("perundingan", "NOUN", 6, "nsubj", "runding"), ("bisa", "AUX", 6, "aux"),
        ("berakhir", "VERB", 2, "ccomp", "akhir"), ("kecuali", "SCONJ", 9, "mark"), ("Washington", "PROPN", 9, "nsubj"),
        ("mengambil", "VERB", 6, "advcl", "ambil"), ("pendekatan", "NOUN", 9, "obj"), ("baru", "ADJ", 10, "amod"),
        (".", "PUNCT", 2, "punct")]
    _, events = _tag([sentence], [[(1, 1, "LOC"), (8, 8, "LOC")]])
    assert ("THREATEN", "PRK GOV", "USA GOV") in _tuples(events)


def test_a_condition_inside_a_quote_does_not_reach_the_attribution() -> None:
    # '"Kami membantu jika diperlukan," kata Putin setelah bertemu Erdogan.' - the meeting after the quote is real.
    s: list[Tok] = [('"', "PUNCT", 3, "punct"), ("Kami", "PRON", 3, "nsubj"),
                    ("membantu", "VERB", 0, "root", "bantu"), ("jika", "SCONJ", 5, "mark"),
                    ("diperlukan", "VERB", 3, "advcl", "perlu"), (",", "PUNCT", 3, "punct"),
                    ('"', "PUNCT", 3, "punct"), ("kata", "VERB", 3, "parataxis"), ("Putin", "PROPN", 8, "nsubj"),
                    ("setelah", "SCONJ", 11, "mark"), ("bertemu", "VERB", 8, "advcl", "temu"),
                    ("Erdogan", "PROPN", 11, "obj"), (".", "PUNCT", 3, "punct")]
    _, events = _tag([s], [[(9, 9, "PER"), (12, 12, "PER")]])
    [meeting] = [e for e in events if e["type"] == "CONSULT"]
    assert (meeting["source"]["text"], meeting["target"]["text"]) == ("Putin", "Erdogan")
    assert not meeting["hypothetical"]


def test_a_meeting_in_a_clause_of_time_is_its_own_act() -> None:
    # "Pompeo bertemu Erdogan setelah bertemu Putin." - the parser hangs the second meeting under the first.
    s: list[Tok] = [("Pompeo", "PROPN", 2, "nsubj"), ("bertemu", "VERB", 0, "root", "temu"),
                    ("Erdogan", "PROPN", 2, "obj"), ("setelah", "SCONJ", 5, "mark"),
                    ("bertemu", "VERB", 2, "advcl", "temu"), ("Putin", "PROPN", 5, "obj"), (".", "PUNCT", 2, "punct")]
    _, events = _tag([s], [[(1, 1, "PER"), (3, 3, "PER"), (6, 6, "PER")]])
    assert [(e["type"], e["source"]["text"], e["target"]["text"]) for e in events] == [
        ("CONSULT", "Pompeo", "Erdogan"), ("CONSULT", "Pompeo", "Putin")]


def test_talks_said_to_be_over_are_halted_negotiations() -> None:
    # "Trump menyatakan perundingan dengan Taliban sudah tutup buku." - a SANCTION (CAMEO 164), not a meeting;
    # "Trump menyatakan perundingan dengan Taliban berjalan baik." stays a meeting.
    def sentence(*end: Tok) -> list[Tok]:
        return [("Trump", "PROPN", 2, "nsubj"), ("menyatakan", "VERB", 0, "root", "nyata"),
                ("perundingan", "NOUN", 2, "obj", "runding"), ("dengan", "ADP", 5, "case"),
                ("Taliban", "PROPN", 3, "nmod"), *end, (".", "PUNCT", 2, "punct")]
    _, events = _tag([sentence(("sudah", "ADV", 7, "advmod"), ("tutup", "VERB", 2, "xcomp"),
                               ("buku", "NOUN", 7, "obj"))], [[(1, 1, "PER"), (5, 5, "ORG")]])
    assert [(e["type"], e["mode"], e["target"]["text"]) for e in events] == [("SANCTION", "withdraw", "Taliban")]
    _, events = _tag([sentence(("berjalan", "VERB", 2, "xcomp"), ("baik", "ADJ", 6, "advmod"))],
                     [[(1, 1, "PER"), (5, 5, "ORG")]])
    assert [e["type"] for e in events] == ["CONSULT"]
