"""The POS tagger's predictions turned into tag strings for the words alone, not for the batch's padding.

Stanza's POS `Trainer.predict` turns every column's predictions (UPOS, XPOS, FEATS) into strings for each
sentence padded to the batch's longest, then keeps the real words: on GSD test the tagger spent 0.34 s outside its
model, 2.5 % of the pipeline, mostly there. `predict` below is Stanza's with the padding cut before the lookup
and XPOS/FEATS id lists looked up once per batch; the same tags (bench/stanza_patches.py compares every word).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stanza.models.common import utils
from stanza.models.common.vocab import BaseVocab, CompositeVocab
from stanza.models.pos import trainer as pos_trainer

stanza_predict = pos_trainer.Trainer.predict


def unmap_rows(vocab: BaseVocab, rows: list[list[Any]], lengths: Sequence[int]) -> list[list[Any]]:
    """vocab.unmap of each row's first lengths[i] ids."""
    if not isinstance(vocab, CompositeVocab):
        return [vocab.unmap(row[:n]) for row, n in zip(rows, lengths, strict=True)]
    # a composite id is a list, one id per feature: few distinct ones per batch, each joined into its string once
    names: dict[tuple[int, ...], Any] = {}
    out = []
    for row, n in zip(rows, lengths, strict=True):
        words = []
        for ids in row[:n]:
            key = tuple(ids)
            if key not in names:
                names[key] = vocab.id2unit(ids)
            words.append(names[key])
        out.append(words)
    return out


def predict(self: Any, batch: Any, unsort: bool = True, extra_columns: bool = False) -> Any:
    """Trainer.predict of Stanza's POS tagger: per sentence, per word, the list of its columns' tags."""
    device = next(self.model.parameters()).device
    inputs, orig_idx, word_orig_idx, sentlens, wordlens, text = pos_trainer.unpack_batch(batch, device)
    word, word_mask, wordchars, wordchars_mask, tags, pretrained = inputs
    self.model.eval()
    batch_size = word.size(0)
    _, preds = self.model(word, word_mask, wordchars, wordchars_mask, tags, pretrained, word_orig_idx, sentlens,
                          wordlens, text)

    def sequences(output: bool) -> list[list[list[Any]]]:
        return [unmap_rows(self.vocab[column.name], pred.tolist(), sentlens)
                for column, pred in zip(self.model.tag_columns, preds, strict=False) if column.output == output]

    def tokens(seqs: list[list[list[Any]]]) -> list[Any]:
        if not seqs:
            return [[] for _ in range(batch_size)]
        result = [[list(word_tags) for word_tags in zip(*(seq[i] for seq in seqs), strict=True)]
                  for i in range(batch_size)]
        return utils.unsort(result, orig_idx) if unsort else result

    pred_tokens = tokens(sequences(True))
    if not extra_columns:
        return pred_tokens
    return pred_tokens, tokens(sequences(False))
