"""The model manifest (models/manifest.json): which files make up each language's pipeline."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

# Stanza processors in pipeline order, and which ones each task needs.
PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner", "sentiment")
TASK_PROCESSORS: dict[str, tuple[str, ...]] = {
    "entities": ("tokenize", "mwt", "ner"),
    "sentiment": ("tokenize", "mwt"),  # scored by workers.sentiment from the classifier's logits
    "events": ("tokenize", "mwt", "pos", "lemma", "depparse", "ner"),
    "syntax": ("tokenize", "mwt", "pos", "lemma", "depparse"),
}
NEEDS_PRETRAIN = ("pos", "depparse", "ner", "sentiment")
CHARLM_READERS = ("pos", "depparse", "ner")  # Stanza's processors that can read words through character LMs


@dataclass(frozen=True)
class LanguageModels:
    language: str
    files: dict[str, Path]  # processor -> model file
    pretrain: Path | None
    charlm: dict[str, Path] = field(default_factory=dict)  # "forward"/"backward" -> character language model
    ner_convention: str | None = None  # the corpus a multi-corpus NER model follows (workers/ner_convention.py)
    truecase: Path | None = None  # the headline truecaser's table (workers/truecase.py)

    def stanza_paths(self) -> dict[str, str]:
        """stanza.Pipeline's file arguments: each processor's model, the word vectors, the character LMs."""
        paths = {f"{proc}_model_path": str(path) for proc, path in self.files.items()}
        if self.pretrain is not None:
            paths |= {f"{proc}_pretrain_path": str(self.pretrain) for proc in NEEDS_PRETRAIN if proc in self.files}
        # A model trained without them ignores the paths, so every processor that could read them is given them.
        paths |= {f"{proc}_{direction}_charlm_path": str(path)
                  for proc in CHARLM_READERS if proc in self.files for direction, path in self.charlm.items()}
        return paths

    def stanza_options(self) -> dict[str, str]:
        """stanza.Pipeline's arguments for these models: their files and the NER model's corpus convention."""
        convention = {"ner_convention": self.ner_convention} if self.ner_convention and "ner" in self.files else {}
        return self.stanza_paths() | convention


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    languages: dict[str, LanguageModels]

    @classmethod
    def load(cls, models_dir: Path) -> Manifest:
        raw = json.loads((models_dir / "manifest.json").read_text(encoding="utf-8"))
        languages = {}
        for lang, spec in raw["languages"].items():
            files = {proc: models_dir / name for proc, name in spec["processors"].items()}
            pretrain = models_dir / spec["pretrain"] if spec.get("pretrain") else None
            charlm = {direction: models_dir / name for direction, name in spec.get("charlm", {}).items()}
            truecase = models_dir / spec["truecase"] if spec.get("truecase") else None
            languages[lang] = LanguageModels(lang, files, pretrain, charlm, spec.get("ner_convention"), truecase)
        return cls(raw["name"], raw["version"], languages)


def processors_for(tasks: tuple[str, ...] | list[str]) -> list[str]:
    wanted = {p for task in tasks for p in TASK_PROCESSORS[task]}
    return [p for p in PROCESSORS if p in wanted]
