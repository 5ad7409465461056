from __future__ import annotations

from service.offsets import to_utf16, utf16_table

TEXT = "Jokowi 🇮🇩 bertemu “Kishida” di Tokyo.\r\nCafe\u0301 😀"


def units(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def test_table_counts_astral_characters_twice() -> None:
    table = utf16_table(TEXT)
    assert len(table) == len(TEXT) + 1
    assert table[-1] == len(TEXT.encode("utf-16-le")) // 2
    assert table[TEXT.index("bertemu")] == TEXT.index("bertemu") + 2  # the flag is two astral code points


def test_every_span_is_converted_and_the_input_is_untouched() -> None:
    start = TEXT.index("Tokyo")
    span = {"text": "Tokyo", "start": start, "end": start + 5}
    result = {
        "document": {"dateline": {"place": "Tokyo", "outlet": None, "start": start, "end": start + 5}},
        "offsets": "codepoint",
        "sentences": [{"index": 0, "start": 0, "end": len(TEXT)}],
        "entities": [{"id": "e1", "type": "LOC", "sentence": 0, **span}],
        "boilerplate": [],
        "events": [{"trigger": dict(span), "source": dict(span), "target": None, "date": None}],
    }
    out = to_utf16(result, TEXT)
    assert out["offsets"] == "utf16" and result["offsets"] == "codepoint"
    entity = out["entities"][0]
    assert units(TEXT, entity["start"], entity["end"]) == "Tokyo"
    assert result["entities"][0]["start"] == start
    assert out["sentences"][0]["end"] == len(TEXT) + 3  # two regional indicators and one emoji
    assert units(TEXT, out["events"][0]["source"]["start"], out["events"][0]["source"]["end"]) == "Tokyo"
    assert out["events"][0]["target"] is None
    assert out["document"]["dateline"]["start"] == start + 2
