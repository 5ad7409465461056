"""Resume bookkeeping for `annotator batch`: which ids OUTPUT already holds, and appending to it safely."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO


def repair(output: Path) -> int:
    """Cut a partial last line (a run killed mid-write) so appending starts on a fresh line; bytes removed."""
    if not output.exists():
        return 0
    with output.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        # Walk back in blocks to the last newline; results can be megabytes long.
        end = size
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            block = handle.read(end - start)
            cut = block.rfind(b"\n")
            if cut >= 0:
                handle.truncate(start + cut + 1)
                return size - (start + cut + 1)
            end = start
        handle.truncate(0)
        return size


def done_ids(output: Path) -> set[str]:
    """Ids of the results OUTPUT already holds; lines that are not complete JSON objects are ignored."""
    ids: set[str] = set()
    if not output.exists():
        return ids
    with output.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("id") is not None:
                ids.add(str(record["id"]))
    return ids


@dataclass
class Plan:
    """What a run has to do: the input minus what OUTPUT holds, first occurrence of each id only."""

    done: set[str]
    total: int = 0
    skipped: int = 0
    duplicates: list[str] = field(default_factory=list)

    @property
    def todo(self) -> int:
        return self.total - self.skipped - len(self.duplicates)

    def scan(self, documents: Iterable[dict[str, Any]]) -> Plan:
        """Count without keeping the texts (the first of two passes over the input)."""
        seen: set[str] = set()
        for doc in documents:
            self.total += 1
            if doc["id"] in seen:
                self.duplicates.append(doc["id"])
                continue
            seen.add(doc["id"])
            self.skipped += doc["id"] in self.done
        return self

    def pending(self, documents: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        for doc in documents:
            if doc["id"] not in self.done and doc["id"] not in seen:
                seen.add(doc["id"])
                yield doc


class ResultWriter:
    """Appends one JSON line per result and flushes it, so a killed run loses at most the line being written."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.written = 0
        self._handle: TextIO | None = None

    def __enter__(self) -> ResultWriter:
        repair(self.output)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.output.open("a", encoding="utf-8")
        return self

    def write(self, record: dict[str, Any]) -> None:
        assert self._handle is not None, "use ResultWriter as a context manager"
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        self.written += 1

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._handle is not None:
            self._handle.close()
