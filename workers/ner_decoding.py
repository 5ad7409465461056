"""The NER tagger's Viterbi decoding, one batch at a time: the same tag sequences with 25 times fewer numpy calls.

Stanza's NER `Trainer.predict` decodes each sentence on its own (`crf.viterbi_decode`), a Python loop over its
words with six small numpy calls per word: 2.6 % of the whole pipeline's time on GSD test, more than the tagger
spends on anything but its LSTMs. `viterbi_batch` runs the same recurrence for all sentences of a batch at once,
a loop over the longest sentence's words. Same float32 sums, same first-maximum argmax, so the same tags
(tests/unit/test_ner_decoding.py compares it with Stanza's on random scores). `predict` is Stanza's
`Trainer.predict` with that call exchanged, and without the CRF's training loss, which the model's forward
computes and predict throws away (its forward-algorithm sums were 1.2 % of the pipeline's time on GSD test).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from stanza.models.common import utils
from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
from stanza.models.ner import trainer as ner_trainer

stanza_predict = ner_trainer.Trainer.predict


def viterbi_batch(scores: npt.NDArray[np.floating], lengths: Sequence[int],
                  transitions: npt.NDArray[np.floating]) -> list[list[int]]:
    """crf.viterbi_decode's best tag ids for each sentence: scores is [sentences x words x tags], padded."""
    count, longest, tags = scores.shape
    trellis = np.empty_like(scores)
    backpointers = np.zeros((count, longest, tags), dtype=np.int64)
    trellis[:, 0] = scores[:, 0]
    for t in range(1, longest):
        # v[s, i, j]: the best path of sentence s ending in tag i at t-1, then i -> j
        v = trellis[:, t - 1, :, None] + transitions
        backpointers[:, t] = np.argmax(v, 1)
        trellis[:, t] = scores[:, t] + np.max(v, 1)
    paths = []
    for s, length in enumerate(lengths):
        best = [int(np.argmax(trellis[s, length - 1]))]
        for pointers in backpointers[s, length - 1:0:-1]:
            best.append(int(pointers[best[-1]]))
        best.reverse()
        paths.append(best)
    return paths


@contextmanager
def _without_loss(crits: Sequence[torch.nn.Module]) -> Iterator[None]:
    """Each CRF gives its transition matrix, as its forward does, and a zero loss instead of computing one."""
    for crit in crits:
        crit.forward = lambda *args, _crit=crit: (torch.zeros(()), _crit._transitions)  # type: ignore[method-assign]
    try:
        yield
    finally:
        for crit in crits:
            del crit.forward


def predict(self: Any, batch: Any, unsort: bool = True) -> list[list[str]]:
    """Trainer.predict of Stanza's NER tagger, decoding each batch with viterbi_batch."""
    device = next(self.model.parameters()).device
    inputs, orig_idx, word_orig_idx, char_orig_idx, sentlens, wordlens, charlens, charoffsets = \
        ner_trainer.unpack_batch(batch, device)
    word, wordchars, wordchars_mask, chars, tags = inputs
    self.model.eval()
    with _without_loss(self.model.crits):
        _, logits, trans = self.model(word, wordchars, wordchars_mask, tags, word_orig_idx, sentlens, wordlens,
                                      chars, charoffsets, charlens, char_orig_idx)
    columns = [viterbi_batch(x.data.cpu().numpy(), sentlens, y.data.cpu().numpy())
               for x, y in zip(logits, trans, strict=True)]
    predict_tagset = self.args["predict_tagset"]
    tag_seqs = []
    for i in range(len(sentlens)):
        # as Stanza: ids below the vocabulary's prefix become its first tag, columns are zipped per word
        ids = list(zip(*[[x if x >= VOCAB_PREFIX_SIZE else VOCAB_PREFIX_SIZE for x in column[i]]
                         for column in columns], strict=True))
        names = self.vocab["tag"].unmap(ids)
        names = [x[predict_tagset] if isinstance(x, list) else x for x in names]
        tag_seqs.append(ner_trainer.fix_singleton_tags(names))
    return utils.unsort(tag_seqs, orig_idx) if unsort else tag_seqs
