"""Resume bookkeeping of `annotator batch`: ids already in OUTPUT, a cut last line, repeated ids."""

from __future__ import annotations

import json
from pathlib import Path

from client.resume import Plan, ResultWriter, done_ids, repair


def test_a_partial_last_line_is_cut_before_appending(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "result": {}}\n{"id": "b", "resu', encoding="utf-8")
    assert done_ids(out) == {"a"}
    with ResultWriter(out) as writer:
        writer.write({"id": "b", "result": {"entities": []}})
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a", "b"]


def test_repair_handles_long_lines_empty_and_missing_files(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert repair(out) == 0
    out.write_bytes(b"")
    assert repair(out) == 0
    out.write_bytes(b"x" * 200_000)  # one partial line longer than the read block
    assert repair(out) == 200_000 and out.read_bytes() == b""
    out.write_bytes(b'{"id": "a"}\n' + b"y" * 100_000)
    assert repair(out) == 100_000 and out.read_bytes() == b'{"id": "a"}\n'
    assert repair(out) == 0


def test_done_ids_skips_lines_that_are_not_results(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a"}\n\nnot json\n[1]\n{"id": 7}\n{"no": "id"}\n', encoding="utf-8")
    assert done_ids(out) == {"a", "7"}
    assert done_ids(tmp_path / "missing.jsonl") == set()


def test_plan_skips_done_and_repeated_ids() -> None:
    docs = [{"id": i, "text": "x"} for i in ["a", "b", "c", "b", "d", "a"]]
    plan = Plan({"a"}).scan(docs)
    assert (plan.total, plan.skipped, plan.duplicates, plan.todo) == (6, 1, ["b", "a"], 3)
    assert [d["id"] for d in plan.pending(docs)] == ["b", "c", "d"]


def test_the_writer_creates_folders_and_counts(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out.jsonl"
    with ResultWriter(out) as writer:
        writer.write({"id": "é", "result": {"text": "Jakarta"}})
    assert writer.written == 1
    assert out.read_text(encoding="utf-8") == '{"id": "é", "result": {"text": "Jakarta"}}\n'
