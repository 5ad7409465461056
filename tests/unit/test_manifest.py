"""models/manifest.json -> stanza.Pipeline's file arguments."""

from __future__ import annotations

import json
from pathlib import Path

from workers.models import Manifest


def write_manifest(folder: Path, language: dict[str, object]) -> Manifest:
    (folder / "manifest.json").write_text(json.dumps({"name": "m", "version": "1", "languages": {"id": language}}))
    return Manifest.load(folder)


def test_every_processor_gets_its_model_and_the_vectors_where_it_reads_words(tmp_path: Path) -> None:
    spec = write_manifest(tmp_path, {"pretrain": "v.pt", "processors": {"tokenize": "t.pt", "ner": "n.pt",
                                                                         "pos": "p.pt"}}).languages["id"]
    assert spec.stanza_paths() == {
        "tokenize_model_path": str(tmp_path / "t.pt"), "ner_model_path": str(tmp_path / "n.pt"),
        "pos_model_path": str(tmp_path / "p.pt"), "pos_pretrain_path": str(tmp_path / "v.pt"),
        "ner_pretrain_path": str(tmp_path / "v.pt"),
    }


def test_character_language_models_go_to_the_processors_that_read_them(tmp_path: Path) -> None:
    spec = write_manifest(tmp_path, {"processors": {"tokenize": "t.pt", "pos": "p.pt", "ner": "n.pt"},
                                     "charlm": {"forward": "f.pt", "backward": "b.pt"}}).languages["id"]
    paths = spec.stanza_paths()
    for proc in ("pos", "ner"):
        assert paths[f"{proc}_forward_charlm_path"] == str(tmp_path / "f.pt")
        assert paths[f"{proc}_backward_charlm_path"] == str(tmp_path / "b.pt")
    assert not any(key.startswith("tokenize_") and "charlm" in key for key in paths)


def test_no_character_language_models_without_a_reader(tmp_path: Path) -> None:
    spec = write_manifest(tmp_path, {"processors": {"tokenize": "t.pt"},
                                     "charlm": {"forward": "f.pt", "backward": "b.pt"}}).languages["id"]
    assert spec.stanza_paths() == {"tokenize_model_path": str(tmp_path / "t.pt")}


def test_a_multi_corpus_ner_model_is_run_with_the_convention_the_manifest_names(tmp_path: Path) -> None:
    spec = write_manifest(tmp_path, {"processors": {"tokenize": "t.pt", "ner": "n.pt"},
                                     "ner_convention": "nerui"}).languages["id"]
    assert spec.stanza_options() == {**spec.stanza_paths(), "ner_convention": "nerui"}


def test_no_convention_without_one_in_the_manifest_or_without_ner(tmp_path: Path) -> None:
    plain = write_manifest(tmp_path, {"processors": {"tokenize": "t.pt", "ner": "n.pt"}}).languages["id"]
    assert plain.stanza_options() == plain.stanza_paths()
    tokenize_only = write_manifest(tmp_path, {"processors": {"tokenize": "t.pt"},
                                              "ner_convention": "nerui"}).languages["id"]
    assert tokenize_only.stanza_options() == tokenize_only.stanza_paths()


def test_the_headline_truecaser_table_is_found_beside_the_models(tmp_path: Path) -> None:
    spec = write_manifest(tmp_path, {"processors": {"tokenize": "t.pt"}, "truecase": "tc.tsv.gz"}).languages["id"]
    assert spec.truecase == tmp_path / "tc.tsv.gz"
    assert write_manifest(tmp_path, {"processors": {"tokenize": "t.pt"}}).languages["id"].truecase is None
