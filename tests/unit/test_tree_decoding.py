"""The parser's tree decoder: the same trees as Stanza's, on hand-built and random score matrices."""

from __future__ import annotations

import numpy as np
import pytest
from stanza.models.common.chuliu_edmonds import chuliu_edmonds_one_root
from stanza.models.depparse import model as depparse_model

import workers.pipeline  # noqa: F401  (installs the decoder)
from workers.tree_decoding import cycles, one_root_tree


def masks(found: list[np.ndarray]) -> list[list[int]]:
    return sorted(np.flatnonzero(mask).tolist() for mask in found)


def test_cycles_in_head_arrays() -> None:
    assert cycles(np.array([0, 2, 0, 2])) == []
    assert masks(cycles(np.array([0, 3, 1, 2]))) == [[1, 2, 3]]
    assert masks(cycles(np.array([0, 2, 1, 4, 3, 0]))) == [[1, 2], [3, 4]]
    assert masks(cycles(np.array([0, 0, 3, 4, 2, 2]))) == [[2, 3, 4]]  # 5 hangs off the cycle, not in it


def log_softmax(m: np.ndarray) -> np.ndarray:
    m = m - m.max(axis=1, keepdims=True)
    return (m - np.log(np.exp(m).sum(axis=1, keepdims=True))).astype(np.float32)


def random_scores(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for n in rng.integers(2, 70, 300):
        m = rng.normal(size=(n, n)) * rng.uniform(0.5, 5)
        if rng.random() < 0.5:  # a confident parser: one clear head per word, often already a tree
            m[np.arange(n), rng.integers(0, n, n)] += 8
        out.append(log_softmax(m))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_trees_as_stanza(seed: int) -> None:
    for scores in random_scores(seed):
        before = scores.copy()
        ours = one_root_tree(scores)
        assert np.array_equal(scores, before)  # the caller's matrix is not touched
        assert np.array_equal(ours, chuliu_edmonds_one_root(scores))
        assert np.count_nonzero(ours[1:] == 0) == 1 and not cycles(ours)


def test_greedy_tree_with_two_roots_is_repaired() -> None:
    scores = np.full((4, 4), -10.0)
    scores[1, 0] = scores[2, 0] = -0.1  # both words want the root
    scores[3, 1] = -0.1
    scores[2, 1] = -1.0
    tree = one_root_tree(scores)
    assert tree.tolist() == [0, 0, 1, 1]
    assert np.array_equal(tree, chuliu_edmonds_one_root(scores))


def test_the_parser_uses_it() -> None:
    assert depparse_model.chuliu_edmonds_one_root is one_root_tree


def test_cycle_broken_without_touching_the_root_arcs() -> None:
    # The best heads form a cycle (2 <-> 3) under one root word: the best tree with any number of root arcs
    # breaks it and keeps its single root, so it is the answer without reweighting the root arcs.
    scores = np.full((4, 4), -10.0)
    scores[1, 0] = -0.1
    scores[2, 3] = scores[3, 2] = -0.1
    scores[2, 1] = -1.0
    scores[3, 1] = -3.0
    tree = one_root_tree(scores)
    assert tree.tolist() == [0, 0, 1, 2]
    assert np.array_equal(tree, chuliu_edmonds_one_root(scores))
