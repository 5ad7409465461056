"""Documents for `annotator batch`: a .jsonl file of {id, text, ...}, a folder of .txt files, or a CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

# The fields POST /v1/annotations accepts; it refuses any other, so archive metadata is left out.
FIELDS = ("id", "text", "title", "url", "published_at", "language", "tasks")
JSONL = (".jsonl", ".ndjson")
CSV = {".csv": ",", ".tsv": "\t"}


class InputError(ValueError):
    """The input cannot be read as documents (raised before anything is submitted)."""


def document(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The API body for one input record; the id is required because resuming is keyed on it."""
    doc_id = raw.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        raise InputError(f"{where}: missing id")
    doc = {k: v for k, v in raw.items() if k in FIELDS and k not in ("id", "text") and v not in (None, "")}
    # An empty or missing text is left for the service to reject: it is reported as that document's failure.
    return {"id": str(doc_id), "text": raw.get("text") or "", **doc}


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                raw = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{where}: not JSON ({exc})") from exc
            if not isinstance(raw, dict):
                raise InputError(f"{where}: expected a JSON object")
            yield document(raw, where)


def _csv(path: Path, delimiter: str) -> Iterator[dict[str, Any]]:
    csv.field_size_limit(2**31 - 1)  # article texts are far longer than the 128 KiB default
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        missing = {"id", "text"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"{path}: no {' or '.join(sorted(missing))} column (columns: {reader.fieldnames})")
        for row in reader:
            yield document(row, f"{path}:{reader.line_num}")


def _folder(path: Path) -> Iterator[dict[str, Any]]:
    for file in sorted(path.glob("*.txt")):
        # Bytes, not read_text(): universal newlines would turn CRLF into LF, so offsets would not match the file.
        yield {"id": file.stem, "text": file.read_bytes().decode("utf-8-sig")}


def read_documents(path: Path) -> Iterator[dict[str, Any]]:
    """Documents in input order; raises InputError for a format it cannot read."""
    if path.is_dir():
        return _folder(path)
    suffix = path.suffix.lower()
    if suffix in JSONL:
        return _jsonl(path)
    if suffix in CSV:
        return _csv(path, CSV[suffix])
    raise InputError(f"{path}: expected a .jsonl file, a .csv file or a folder of .txt files")
