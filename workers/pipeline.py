"""Builds the Stanza pipelines, offline, from models/ (and official models from STANZA_RESOURCES_DIR).

Pipelines are built once per worker process by `load()` before RQ forks; jobs get them from `get()`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import stanza
import torch

from workers.config import WorkerSettings
from workers.models import NEEDS_PRETRAIN, PROCESSORS, Manifest

log = logging.getLogger(__name__)


class LanguageNotInstalled(LookupError):
    pass


@dataclass(frozen=True)
class Annotator:
    language: str
    nlp: stanza.Pipeline
    model_name: str
    model_version: str

    @property
    def components(self) -> list[str]:
        return [p for p in PROCESSORS if p in self.nlp.processors]


_loaded: dict[str, Annotator] = {}


def build_own(manifest: Manifest, language: str, models_dir: Path) -> Annotator:
    spec = manifest.languages[language]
    kwargs: dict[str, object] = {}
    for proc, path in spec.files.items():
        kwargs[f"{proc}_model_path"] = str(path)
        if proc in NEEDS_PRETRAIN and spec.pretrain is not None:
            kwargs[f"{proc}_pretrain_path"] = str(spec.pretrain)
    # dir= must hold a resources.json ({}), else Stanza insists on downloading one.
    nlp = stanza.Pipeline(
        lang=language, dir=str(models_dir), download_method=None, allow_unknown_language=True,
        processors=",".join(p for p in PROCESSORS if p in spec.files), use_gpu=False, logging_level="WARN",
        tokenize_batch_size=64, pos_batch_size=3000, depparse_batch_size=3000, ner_batch_size=64, **kwargs,
    )
    return Annotator(language, nlp, manifest.name, manifest.version)


def build_official(language: str, resources_dir: Path) -> Annotator:
    nlp = stanza.Pipeline(lang=language, dir=str(resources_dir), download_method=None, use_gpu=False,
                          processors="tokenize,mwt,pos,lemma,depparse,ner,sentiment", logging_level="WARN")
    return Annotator(language, nlp, f"stanza-{language}", stanza.__version__)


def load(settings: WorkerSettings) -> dict[str, Annotator]:
    """Load every installed language once; call before forking so workers share the weights."""
    torch.set_num_threads(settings.torch_threads)
    manifest = Manifest.load(settings.models_dir)
    for language in manifest.languages:
        _loaded[language] = build_own(manifest, language, settings.models_dir)
    if settings.stanza_resources_dir is not None:
        for language in settings.languages:
            if language not in _loaded:
                _loaded[language] = build_official(language, settings.stanza_resources_dir)
    log.info("pipelines loaded: %s", ", ".join(sorted(_loaded)))
    return dict(_loaded)


def get(language: str) -> Annotator:
    try:
        return _loaded[language]
    except KeyError:
        raise LanguageNotInstalled(
            f"no models installed for language {language!r}; installed: {', '.join(sorted(_loaded)) or 'none'}"
        ) from None


def installed() -> list[str]:
    return sorted(_loaded)
