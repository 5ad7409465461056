"""The shipped models are stored in float16 (training/compact.py) and fit issue 3's size budget."""

from __future__ import annotations

from pathlib import Path

import torch

from training.compact import halve

MODELS = Path(__file__).resolve().parents[2] / "models"
BUDGET_MB = 60


def tensors(value: object) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in tensors(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in tensors(v)]
    return []


def test_models_fit_the_size_budget() -> None:
    total = sum(p.stat().st_size for p in MODELS.iterdir() if p.is_file())
    assert total <= BUDGET_MB * 1_000_000, f"models/ holds {total / 1e6:.1f} MB"


def test_every_model_and_the_pretrain_are_stored_in_float16() -> None:
    for path in sorted(MODELS.glob("*.pt")):
        found = tensors(torch.load(path, map_location="cpu", weights_only=False))
        assert found and not [t for t in found if t.dtype == torch.float32], path.name


def test_halve_keeps_structure_and_non_float_values() -> None:
    checkpoint = {"model": {"w": torch.ones(2, dtype=torch.float32), "ids": torch.arange(3)},
                  "vocab": ["a", "b"], "steps": 5, "pair": (torch.zeros(1), "x")}
    out = halve(checkpoint)
    assert out["model"]["w"].dtype == torch.float16 and out["model"]["ids"].dtype == torch.int64
    assert out["vocab"] == ["a", "b"] and out["steps"] == 5 and out["pair"][1] == "x"
    assert out["pair"][0].dtype == torch.float16
