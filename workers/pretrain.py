"""Word vectors stored in float16 in models/, handed to Stanza in float32.

Stanza builds each model's embedding layer from the pretrain's tensor as it is, and a float16 embedding
would feed float16 vectors into float32 layers. Every processor takes its pretrain from the pipeline's
FoundationCache, keyed by path, so a cache that already holds the upcast vectors is all it takes: the file
on disk is half the size, the numbers the models see are the float16 values in float32.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from stanza.models.common.foundation_cache import FoundationCache
from stanza.models.common.pretrain import Pretrain


class Float32Pretrain(Pretrain):
    def load(self) -> None:
        super().load()
        vectors: torch.Tensor = self.emb
        self._emb = vectors.float()


def foundation_cache(pretrain_paths: Iterable[str]) -> FoundationCache:
    """A cache to pass as stanza.Pipeline(foundation_cache=...), holding these pretrains in float32."""
    cache = FoundationCache()
    for path in pretrain_paths:
        cache.pretrains[path] = Float32Pretrain(path)
    return cache
