"""`annotator batch` against the real stack: 300 documents, a killed run resumed, failing documents reported."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from client.cli import main
from tests.conftest import ROOT, sample_articles
from tests.integration.conftest import Stack

PROGRESS = re.compile(r"\[[#-]{24}\] (\d+)/(\d+)  done (\d+)  failed (\d+)  [\d.]+ docs/s  ETA [\d:-]+")
SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")


def short_documents(count: int) -> list[dict[str, Any]]:
    """The sample articles cut into paragraphs and the paragraphs into sentences: many short documents."""
    docs = []
    for path in sample_articles():
        for p, paragraph in enumerate(path.read_text(encoding="utf-8").splitlines()):
            for s, sentence in enumerate(SENTENCE_END.split(paragraph.strip())):
                if len(sentence) >= 25:
                    docs.append({"id": f"{path.stem}-p{p}-s{s}", "text": sentence, "source": path.name})
    assert len(docs) >= count
    return docs[:count]


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def read_output(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def progress_lines(stderr: str) -> list[tuple[int, ...]]:
    return [tuple(int(g) for g in m.groups()) for m in PROGRESS.finditer(stderr)]


def kill_after(args: list[str], env: dict[str, str], output: Path, lines: int, timeout: float = 120) -> None:
    """Run `annotator batch` in a subprocess and kill -9 it once OUTPUT holds `lines` results."""
    log = output.with_suffix(".log")
    with log.open("wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "client.cli", *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if output.exists() and output.read_bytes().count(b"\n") >= lines:
                break
            time.sleep(0.1)
        assert proc.poll() is None, f"the run ended before it could be killed: {log.read_text()}"
        assert output.exists() and output.read_bytes().count(b"\n") >= lines, f"no progress: {log.read_text()}"
    finally:
        proc.kill()
        proc.wait()


def test_300_documents_killed_midway_resume_without_duplicates(stack: Stack, tmp_path: Path) -> None:
    docs = short_documents(300)
    source, output = write_jsonl(tmp_path / "docs.jsonl", docs), tmp_path / "out.jsonl"
    args = ["batch", str(source), "-o", str(output), "--tasks", "entities", "--chunk-size", "50", "--concurrency", "2"]

    kill_after(args, {**os.environ, "ANNOTATOR_URL": stack.url, "ANNOTATOR_KEY": stack.api_key}, output, lines=40)
    done_before = {json.loads(line)["id"] for line in output.read_text(encoding="utf-8").splitlines()
                   if line.endswith("}")}
    assert 40 <= len(done_before) < 300

    env = {"ANNOTATOR_URL": stack.url, "ANNOTATOR_KEY": stack.api_key}
    run = CliRunner(env=env).invoke(main, [*args, "--progress-every", "1"])
    assert run.exit_code == 0, run.stderr
    todo = 300 - len(done_before)
    assert f"300 documents in {source}: {len(done_before)} already in {output}, 0 repeated ids skipped, " \
           f"{todo} to annotate" in run.stderr
    progress = progress_lines(run.stderr)
    assert len(progress) >= 2, run.stderr
    assert all(total == todo and count == done + failed for count, total, done, failed in progress)
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)
    assert progress[-1] == (todo, todo, todo, 0)
    assert f"{todo} results written, 0 failed" in run.stderr

    results = read_output(output)
    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids)) == 300
    assert set(ids) == {d["id"] for d in docs}
    texts = {d["id"]: d["text"] for d in docs}
    for line in results:
        result = line["result"]
        assert result["document"]["id"] == line["id"]
        assert result["events"] == [] and result["sentiment"] is None  # only the entities were asked for
        for entity in result["entities"]:
            assert texts[line["id"]][entity["start"]:entity["end"]] == entity["text"]
    assert sum(bool(r["result"]["entities"]) for r in results) > 150


def test_failing_documents_are_reported_and_do_not_stop_the_others(stack: Stack, tmp_path: Path) -> None:
    good = short_documents(6)
    bad = [{"id": "kosong", "text": ""}, {"id": "bahasa-xx", "text": "Presiden Joko Widodo tiba.", "language": "xx"}]
    source = write_jsonl(tmp_path / "docs.jsonl", [good[0], *bad, *good[1:]])
    output = tmp_path / "out.jsonl"

    run = CliRunner().invoke(main, ["--url", stack.url, "--key", stack.api_key, "batch", str(source), "-o", str(output),
                                    "--tasks", "entities", "--chunk-size", "3"])
    assert run.exit_code == 1, run.stderr
    assert "[########################] 8/8  done 6  failed 2" in run.stderr
    assert "2 documents failed:" in run.stderr
    assert re.search(r"kosong: rejected: this document has invalid fields \(text: .+\)", run.stderr), run.stderr
    assert re.search(r"bahasa-xx: rejected: .*No models installed for 'xx'", run.stderr), run.stderr
    assert sorted(r["id"] for r in read_output(output)) == sorted(d["id"] for d in good)

    again = CliRunner().invoke(main, ["--url", stack.url, "--key", stack.api_key, "batch", str(source),
                                      "-o", str(output)])
    assert again.exit_code == 1 and "6 already in" in again.stderr and "2 to annotate" in again.stderr
    assert len(read_output(output)) == 6
