"""Input readers of `annotator batch`: .jsonl, CSV and folders of .txt files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from client.inputs import InputError, read_documents


def test_jsonl_keeps_api_fields_only_and_ids_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    rows = [{"id": 1, "text": "Satu.", "source": "kompas", "published_at": "2019-09-20", "title": None},
            {"id": "b", "text": ""}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert list(read_documents(path)) == [{"id": "1", "text": "Satu.", "published_at": "2019-09-20"},
                                          {"id": "b", "text": ""}]  # the service rejects the empty text


@pytest.mark.parametrize(("line", "message"), [('{"text": "tanpa id"}', "docs.jsonl:2: missing id"),
                                               ("{not json", "docs.jsonl:2: not JSON"),
                                               ('["a", "b"]', "docs.jsonl:2: expected a JSON object")])
def test_jsonl_errors_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        list(read_documents(path))


def test_csv_reads_long_texts_and_drops_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    long = "Presiden Joko Widodo tiba di Tokyo. " * 5000  # beyond csv's default 128 KiB field limit
    path.write_text(f'id,text,published_at,desk\na,"{long}",,politik\nb,"Dua, ""kutipan""\nbaris",2019-09-20,\n',
                    encoding="utf-8")
    docs = list(read_documents(path))
    assert docs[0] == {"id": "a", "text": long}
    assert docs[1] == {"id": "b", "text": 'Dua, "kutipan"\nbaris', "published_at": "2019-09-20"}


def test_csv_without_a_text_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    path.write_text("id,body\na,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text column"):
        list(read_documents(path))


def test_folder_of_txt_files_keeps_the_exact_text(tmp_path: Path) -> None:
    (tmp_path / "b-artikel.txt").write_bytes("Baris satu.\r\nBaris dua 👩‍💼.\r\n".encode())
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfDengan BOM.")
    (tmp_path / "notes.md").write_text("bukan artikel", encoding="utf-8")
    assert list(read_documents(tmp_path)) == [{"id": "a", "text": "Dengan BOM."},
                                              {"id": "b-artikel", "text": "Baris satu.\r\nBaris dua 👩‍💼.\r\n"}]


def test_other_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "docs.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"expected a \.jsonl file"):
        read_documents(path)
