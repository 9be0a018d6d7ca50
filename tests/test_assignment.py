"""The assignment helper: scipy's optimum per component, one-to-one, missing pairs weigh 0."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from scorers.assignment import connected_components, maximum_assignment


def brute_force_best(rows, cols, weights) -> float:
    """The largest total weight of any one-to-one assignment (small inputs only)."""
    if len(rows) <= len(cols):
        options = ([(r, c) for r, c in zip(rows, chosen)] for chosen in itertools.permutations(cols, len(rows)))
    else:
        options = ([(r, c) for r, c in zip(chosen, cols)] for chosen in itertools.permutations(rows, len(cols)))
    return max(sum(weights.get(p, 0.0) for p in pairs) for pairs in options)


@pytest.mark.parametrize("seed", range(3))
def test_total_weight_is_optimal_and_one_to_one(seed):
    rng = random.Random(seed)
    for _ in range(200):
        rows = [f"r{i}" for i in range(rng.randint(1, 5))]
        cols = [f"c{j}" for j in range(rng.randint(1, 5))]
        weights = {(r, c): rng.choice([1.0, 1.5, 2.0]) for r in rows for c in cols if rng.random() < 0.5}
        pairs = maximum_assignment(rows, cols, weights)
        assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        assert len(pairs) == min(len(rows), len(cols))
        assert sum(weights.get(p, 0.0) for p in pairs) == pytest.approx(brute_force_best(rows, cols, weights))


def test_hand_computed_choice():
    # r1 may take c1 (3) or c2 (2); r2 only c1 (2): the optimum 2 + 2 = 4 gives c1 to r2.
    weights = {("r1", "c1"): 3.0, ("r1", "c2"): 2.0, ("r2", "c1"): 2.0}
    assert sorted(maximum_assignment(["r1", "r2"], ["c1", "c2"], weights)) == [("r1", "c2"), ("r2", "c1")]


def test_empty_and_one_by_one():
    assert maximum_assignment([], ["b"], {}) == []
    assert maximum_assignment(["a"], ["b"], {("a", "b"): 2.0}) == [("a", "b")]


def test_connected_components_keep_rows_and_columns_apart():
    pairs = [(1, 1), (1, 2), (2, 3), (3, 3), (4, 4)]
    groups = connected_components(pairs)
    assert sorted(map(sorted, groups)) == [[(1, 1), (1, 2)], [(2, 3), (3, 3)], [(4, 4)]]


def test_matches_scipy_on_a_dense_matrix():
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(3)
    weights = {(i, j): float(rng.integers(1, 4)) for i in range(12) for j in range(15) if rng.random() < 0.3}
    matrix = np.zeros((12, 15))
    for (i, j), w in weights.items():
        matrix[i, j] = w
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    assert maximum_assignment(list(range(12)), list(range(15)), weights) == list(zip(rows.tolist(), cols.tolist()))
