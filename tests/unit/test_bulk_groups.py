"""workers/bulk.py's bookkeeping with a stand-in for the parse (the real parse: tests/integration/test_bulk.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rq.timeouts import JobTimeoutException

from workers import bulk, pipeline

PLAN = bulk.Plan("id", bulk.DEFAULT_TASKS, False)


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Indonesian installed; analyse_many records its calls and returns one marker per text."""
    calls: list[list[str]] = []

    def fake(annotator: Any, texts: list[str], *args: Any) -> list[Any]:
        calls.append(texts)
        return [f"parsed {t}" for t in texts]

    monkeypatch.setitem(pipeline._loaded, "id", object())  # type: ignore[arg-type]
    monkeypatch.setattr(bulk, "analyse_many", fake)
    yield calls
    bulk.hold(PLAN, {})


def test_plan_keeps_apart_what_would_be_analysed_differently() -> None:
    assert bulk.plan({"text": "Berita."}, 100) == PLAN
    assert bulk.plan({"text": "Berita.", "language": "id", "tasks": list(bulk.DEFAULT_TASKS)}, 100) == PLAN
    assert bulk.plan({"text": "Berita.", "tasks": ["entities"]}, 100) != PLAN
    assert bulk.plan({"text": "Berita.", "include_boilerplate": True}, 100) != PLAN
    assert bulk.plan({"text": "x" * 101}, 100) is None  # long: alone
    assert bulk.plan({"text": "Berita.", "published_at": "kemarin"}, 100) is None  # fails alone, with its error
    assert bulk.plan({"text": "Berita.", "language": "xx"}, 100) is None
    assert bulk.plan(["not", "a", "payload"], 100) is None


def test_the_first_job_parses_the_group_and_the_others_find_theirs(installed: list[list[str]]) -> None:
    bulk.hold(PLAN, {"a": {"text": "A"}, "b": {"text": "B"}, "c": {"text": "C"}})
    assert bulk.take("b") == "parsed B"
    assert installed == [["A", "B", "C"]]
    assert bulk.take("a") == "parsed A" and bulk.take("c") == "parsed C"
    assert bulk.take("a") is None and installed == [["A", "B", "C"]]  # taken once, parsed once


def test_a_lone_job_and_a_released_one_are_not_parsed_in_a_group(installed: list[list[str]]) -> None:
    bulk.hold(PLAN, {"a": {"text": "A"}})
    assert bulk.take("a") is None and installed == []
    bulk.hold(PLAN, {"a": {"text": "A"}, "b": {"text": "B"}, "c": {"text": "C"}})
    bulk.release("c")
    bulk.take("a")
    assert installed == [["A", "B"]]


def test_a_failed_group_parse_leaves_every_job_to_parse_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> list[Any]:
        raise RuntimeError("stanza broke on one article")

    monkeypatch.setattr(bulk, "analyse_many", broken)
    bulk.hold(PLAN, {"a": {"text": "A"}, "b": {"text": "B"}})
    assert bulk.take("a") is None
    assert bulk.take("b") is None


def test_a_timeout_during_the_group_parse_is_the_job_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any) -> list[Any]:
        raise JobTimeoutException("too long")

    monkeypatch.setattr(bulk, "analyse_many", slow)
    bulk.hold(PLAN, {"a": {"text": "A"}, "b": {"text": "B"}})
    with pytest.raises(JobTimeoutException):
        bulk.take("a")
    assert bulk.take("b") is None  # the others parse alone, under their own timeouts
