"""workers/pretrain.py: a float16 pretrain file reaches Stanza's layers as float32."""

from __future__ import annotations

from pathlib import Path

import torch

from workers.pretrain import foundation_cache


def test_a_float16_pretrain_is_served_in_float32(tmp_path: Path) -> None:
    emb = torch.randn(6, 4).half()
    vocab = {"lang": "", "idx": 0, "cutoff": 0, "lower": False, "_unit2id": {"a": 4, "b": 5},
             "_id2unit": ["<PAD>", "<UNK>", "<EMPTY>", "<ROOT>", "a", "b"]}
    path = str(tmp_path / "id_pretrain.pt")
    torch.save({"vocab": vocab, "emb": emb}, path)
    cache = foundation_cache([path])
    loaded = cache.load_pretrain(path)  # what every Stanza processor calls
    assert loaded.emb.dtype == torch.float32
    assert torch.equal(loaded.emb, emb.float())
    assert loaded.vocab.unit2id("b") == 5
    assert cache.load_pretrain(path) is loaded  # loaded once, shared by POS, parser, NER and sentiment
