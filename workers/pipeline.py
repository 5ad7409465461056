"""Builds the Stanza pipelines, offline, from models/ (and official models from STANZA_RESOURCES_DIR).

Pipelines are built once per worker process by `load()` before RQ forks; jobs get them from `get()`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import stanza
import torch
from stanza.models.depparse import model as depparse_model
from stanza.models.ner import trainer as ner_trainer
from stanza.models.pos import trainer as pos_trainer
from stanza.models.tokenization import utils as tokenization_utils

from workers import (
    arc_labels,
    batch_tensors,
    char_cache,
    lemma_store,
    ner_convention,
    ner_decoding,
    pretrain,
    tagger_output,
    tree_decoding,
    truecase,
)
from workers.config import WorkerSettings
from workers.models import PROCESSORS, Manifest

log = logging.getLogger(__name__)


class LanguageNotInstalled(LookupError):
    pass


@dataclass(frozen=True)
class Annotator:
    language: str
    nlp: stanza.Pipeline
    model_name: str
    model_version: str
    truecaser: truecase.Truecaser | None = None  # lowers title-case headlines' common words before the models read them

    def model_text(self, text: str) -> str:
        """The text as the models are to read it: headlines truecased, every character where it was."""
        return self.truecaser.apply(text) if self.truecaser is not None else text

    @property
    def components(self) -> list[str]:
        return [p for p in PROCESSORS if p in self.nlp.processors]


_loaded: dict[str, Annotator] = {}

# Stanza's tokenizer runs its URL/e-mail regex over whole paragraphs, and the regex backtracks quadratically
# on a long run without spaces (200,000 letters: about ten minutes of one worker). No match contains whitespace
# and no URL or address is this long, so the regex runs on each shorter run of non-space characters instead.
_LONGEST_URL = 1000
_NON_SPACE = re.compile(r"\S+")


def _update_pred_regex(raw: list[str], pred: Any) -> Any:
    for span_begin, span_end in tokenization_utils.find_spans(raw):
        text = "".join(raw[span_begin:span_end])
        for run in _NON_SPACE.finditer(text):
            if run.end() - run.start() > _LONGEST_URL:
                continue
            for match in tokenization_utils.MASK_RE.finditer(text, run.start(), run.end()):
                begin, end = match.start() + span_begin, match.end() + span_begin
                for char in range(begin, end - 1):
                    pred[char] = 0  # no split inside the URL or address ...
                if pred[end - 1] == 0:
                    pred[end - 1] = 1  # ... and a token break after it, as Stanza does
    return pred


tokenization_utils.update_pred_regex = _update_pred_regex

# The dependency parser scores every pair of words of a sentence: a sentence without full stops ("kata kata ...",
# a scraped list) of 1,000 words took 12 s and 3 GB, of 5,000 words it exhausts memory. Sentences longer than
# this are cut into pieces before tagging and parsing; no real news sentence comes near it.
MAX_SENTENCE_WORDS = 200
_decode_predictions = tokenization_utils.decode_predictions


def _split_sentence(sentence: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Pieces of about MAX_SENTENCE_WORDS words; a multi-word token stays with its words, ids restart at 1."""
    pieces: list[list[dict[str, Any]]] = [[]]
    first = 1  # id of the first word of the current piece; word ids are consecutive
    for entry in sentence:
        ident = entry["id"]
        # A token starts here (a multi-word token's range, or a plain token with its offsets), not one of the
        # words a multi-word token expands to.
        token = len(ident) == 2 or "start_char" in entry
        if token and pieces[-1] and ident[0] - first >= MAX_SENTENCE_WORDS:
            pieces.append([])
            first = ident[0]
        pieces[-1].append({**entry, "id": tuple(i - first + 1 for i in ident)})
    return pieces


def _decode_capped(*args: Any, **kwargs: Any) -> Any:
    oov_count, offset, doc = _decode_predictions(*args, **kwargs)
    if any(len(sentence) > MAX_SENTENCE_WORDS for sentence in doc):
        doc = [piece for sentence in doc for piece in _split_sentence(sentence)]
    return oov_count, offset, doc


tokenization_utils.decode_predictions = _decode_capped

# The same trees as Stanza's decoder in a sixth of the time (workers/tree_decoding.py says how).
depparse_model.chuliu_edmonds_one_root = tree_decoding.one_root_tree
# Relations scored for the chosen arcs only, not every word pair (workers/arc_labels.py says how much that saves).
depparse_model.GraphParser.predict = arc_labels.predict  # type: ignore[method-assign]
# Batches padded in numpy rather than row by row (workers/batch_tensors.py).
batch_tensors.install()
# The NER tagger's Viterbi decoding for a whole batch at once (workers/ner_decoding.py).
ner_trainer.Trainer.predict = ner_decoding.predict  # type: ignore[method-assign]
# A multi-corpus NER model's sentences marked with the convention the manifest asks for (workers/ner_convention.py).
ner_convention.install()
# The POS tagger's tags looked up for the words alone, not the batch's padding (workers/tagger_output.py).
pos_trainer.Trainer.predict = tagger_output.predict  # type: ignore[method-assign]
# Each word form's character-LSTM vector computed once per model, for models given a store (workers/char_cache.py).
char_cache.install()


# Batch sizes per processor, measured on GSD test with one thread (bench/RESULTS.md, "Batch sizes"): the parser
# scores every word pair of every sentence padded to the batch's longest, so big batches (Stanza's 5,000 words)
# mostly add padding and memory; 500 words parses GSD test in half the time and a fraction of the memory.
# pos and lemma count sentences, depparse words.
BATCH_SIZES: dict[str, int] = {"tokenize_batch_size": 64, "pos_batch_size": 100, "lemma_batch_size": 100,
                               "depparse_batch_size": 500, "ner_batch_size": 64, "sentiment_batch_size": 100}
# The lemmatizer keeps each lemma its seq2seq model predicts in its dictionary, where the next occurrence of the
# same (word, UPOS) finds it: the model reads the word and tag alone, so the answer would be the same.
RUN_OPTIONS: dict[str, object] = {**BATCH_SIZES, "lemma_store_results": True}

# Run once after loading: the first call pays one-off costs (allocations, lazy setup) that no job should pay.
WARMUP_TEXT = "Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo pada Senin."


def build_own(manifest: Manifest, language: str, models_dir: Path) -> Annotator:
    spec = manifest.languages[language]
    kwargs: dict[str, object] = dict(spec.stanza_options())
    if spec.pretrain is not None:
        kwargs["foundation_cache"] = pretrain.foundation_cache([str(spec.pretrain)])
    # dir= must hold a resources.json ({}), else Stanza insists on downloading one.
    nlp = stanza.Pipeline(
        lang=language, dir=str(models_dir), download_method=None, allow_unknown_language=True,
        processors=",".join(p for p in PROCESSORS if p in spec.files), use_gpu=False, logging_level="WARN",
        **RUN_OPTIONS, **kwargs,
    )
    caser = truecase.load(spec.truecase) if spec.truecase is not None else None
    return Annotator(language, nlp, manifest.name, manifest.version, caser)


def build_official(language: str, resources_dir: Path) -> Annotator:
    nlp = stanza.Pipeline(lang=language, dir=str(resources_dir), download_method=None, use_gpu=False, **RUN_OPTIONS,
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
    for annotator in _loaded.values():
        lemma_store.bound(annotator.nlp, settings.lemma_store_max)
        char_cache.attach(annotator.nlp, settings.char_cache_max)
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
