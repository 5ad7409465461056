from workers.entity_types import corrected_type


def test_country_and_capital_names_are_places() -> None:
    assert corrected_type("Sri Lanka", "PER") == "LOC"
    assert corrected_type("UEA", "ORG") == "LOC"
    assert corrected_type("Washington", "PER") == "LOC"


def test_the_whole_entity_must_be_the_name() -> None:
    assert corrected_type("Bank Indonesia", "ORG") == "ORG"
    assert corrected_type("Presiden Iran", "PER") == "PER"
    assert corrected_type("Praveen Jordan", "PER") == "PER"


def test_upper_case_aliases_match_exactly_and_other_kinds_are_left_alone() -> None:
    assert corrected_type("as", "ORG") == "ORG"  # "AS" (Amerika Serikat) is matched in capitals only
    assert corrected_type("Taliban", "PER") == "PER"
    assert corrected_type("Houthi", "LOC") == "LOC"
    assert corrected_type("", "PER") == "PER"
