"""Each word form's character representation, computed once.

The tagger, the parser and the NER tagger each read every word through a character LSTM
(stanza.models.common.char_model.CharacterModel). It sees the word's characters and nothing else, so at run time
(no dropout) a word form gets the same vector wherever it occurs: "Indonesia" in the thousandth sentence as in the
first. `forward` below keeps each model's vectors by the word's character ids and runs the LSTM only for forms it
has not seen, in the same sorted, packed batch layout Stanza uses, then hands the rest of the model what Stanza's
forward would have. On GSD test after a warm-up on GSD dev, 71 % of the three models' word lookups are found;
`python -m bench.stanza_patches` checks that every tag, head, relation, lemma and entity stays the same.

A store holds up to `limit` forms per model and starts empty again when full, as the lemma store does
(workers/lemma_store.py): a worker re-annotating an archive meets new names without end. Training, and any model
without a store, runs Stanza's own forward.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import stanza
import torch
from stanza.models.common.char_model import CharacterModel
from stanza.models.common.utils import tensor_unsort
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pack_sequence, pad_packed_sequence

stanza_forward = CharacterModel.forward
ATTRIBUTE = "_word_store"


class WordStore:
    """Word form (its character ids) -> row of `table`, the form's representation."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows: dict[bytes, int] = {}
        self.table: torch.Tensor | None = None
        self.resets = 0

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, keys: list[bytes], vectors: torch.Tensor) -> None:
        start, needed = len(self.rows), len(self.rows) + len(keys)
        if self.table is None or needed > self.table.size(0):
            grown = vectors.new_empty(max(needed, min(max(1024, 2 * needed), self.limit)), vectors.size(1))
            if self.table is not None:
                grown[:start] = self.table[:start]
            self.table = grown
        self.table[start:needed] = vectors
        for offset, key in enumerate(keys):
            self.rows[key] = start + offset

    def clear(self) -> None:
        self.rows, self.table = {}, None
        self.resets += 1


def _encode(model: CharacterModel, chars: torch.Tensor, wordlens: list[int]) -> torch.Tensor:
    """Stanza's CharacterModel.forward up to the per-word vectors, for words sorted longest first."""
    embs = model.dropout(model.char_emb(chars[:, :wordlens[0]]))
    batch, layers = embs.size(0), model.num_dir * model.args["char_num_layers"]
    hidden = model.args["char_hidden_dim"]
    output = model.charlstm(pack_padded_sequence(embs, wordlens, batch_first=True), wordlens, hx=(
        model.charlstm_h_init.expand(layers, batch, hidden).contiguous(),
        model.charlstm_c_init.expand(layers, batch, hidden).contiguous()))
    if model.attn:
        reps = output[0]
        weights = torch.sigmoid(model.char_attn(model.dropout(reps.data)))
        padded, _ = pad_packed_sequence(PackedSequence(reps.data * weights, reps.batch_sizes), batch_first=True)
        return padded.sum(1)
    h, _ = output[1]
    return h[-2:].transpose(0, 1).contiguous().view(batch, -1)


def forward(self: CharacterModel, chars: torch.Tensor, chars_mask: torch.Tensor, word_orig_idx: list[int],
            sentlens: list[int], wordlens: list[int]) -> Any:
    """CharacterModel.forward with the model's word store (Stanza's own when it has none or is training)."""
    store: WordStore | None = self.__dict__.get(ATTRIBUTE)
    if store is None or self.training:
        return stanza_forward(self, chars, chars_mask, word_orig_idx, sentlens, wordlens)
    # A form's key: its character ids as bytes, sliced from one buffer (a tenth of the time of tuples of ints).
    ids = chars.numpy().astype(np.int32, copy=False)
    raw, width = ids.tobytes(), 4 * ids.shape[1]
    keys = [raw[i * width:i * width + 4 * n] for i, n in enumerate(wordlens)]
    if len(store) + len(keys) > store.limit:
        store.clear()
    new: dict[bytes, int] = {}  # first position of each unseen form; positions keep the sorted order
    for i, key in enumerate(keys):
        if key not in store.rows and key not in new:
            new[key] = i
    if new:
        positions = list(new.values())
        store.add(list(new), _encode(self, chars[positions], [wordlens[i] for i in positions]))
    assert store.table is not None
    vectors = store.table[torch.tensor([store.rows[key] for key in keys], dtype=torch.long)]
    res = pack_sequence(tensor_unsort(vectors, word_orig_idx).split(sentlens))
    return pad_packed_sequence(res, batch_first=True)[0] if self.pad else res


def character_models(nlp: stanza.Pipeline) -> list[CharacterModel]:
    found = []
    for processor in nlp.processors.values():
        model = getattr(getattr(processor, "trainer", None), "model", None)
        if isinstance(model, torch.nn.Module):
            found += [m for m in model.modules() if isinstance(m, CharacterModel)]
    return found


def attach_to(models: list[CharacterModel], limit: int) -> list[WordStore]:
    """Give each model a word store (once; a second call returns the same stores)."""
    for model in models:
        model.__dict__.setdefault(ATTRIBUTE, WordStore(limit))
    return [model.__dict__[ATTRIBUTE] for model in models]


def copies(models: list[CharacterModel]) -> list[WordStore | None]:
    return [copy.deepcopy(model.__dict__.get(ATTRIBUTE)) for model in models]


def put_back(models: list[CharacterModel], saved: list[WordStore | None]) -> None:
    for model, store in zip(models, saved, strict=True):
        if store is not None:
            model.__dict__[ATTRIBUTE] = copy.deepcopy(store)


def attach(nlp: stanza.Pipeline, limit: int) -> list[WordStore]:
    """Word stores for every character model of `nlp` (the tagger's, the parser's, the NER tagger's)."""
    return attach_to(character_models(nlp), limit)


def snapshot(nlp: stanza.Pipeline) -> list[WordStore | None]:
    """Copies of `nlp`'s stores as they are now, for `restore`."""
    return copies(character_models(nlp))


def restore(nlp: stanza.Pipeline, saved: list[WordStore | None]) -> None:
    put_back(character_models(nlp), saved)


def install() -> None:
    CharacterModel.forward = forward  # type: ignore[method-assign]


def uninstall() -> None:
    CharacterModel.forward = stanza_forward  # type: ignore[method-assign]
