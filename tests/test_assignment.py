"""The assignment helper: scipy's optimum per component, one-to-one, missing pairs weigh 0."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorers.assignment import best_pairs_if_disjoint, connected_components, maximum_assignment


def brute_force_best(rows, cols, weights) -> float:
    """The largest total weight of any one-to-one assignment (small inputs only)."""
    if len(rows) <= len(cols):
        options = ([(r, c) for r, c in zip(rows, chosen, strict=True)] for chosen in itertools.permutations(cols, len(rows)))
    else:
        options = ([(r, c) for r, c in zip(chosen, cols, strict=True)] for chosen in itertools.permutations(rows, len(cols)))
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
        assert len(pairs) <= min(len(rows), len(cols))
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
    assert maximum_assignment(list(range(12)), list(range(15)), weights) == list(zip(rows.tolist(), cols.tolist(), strict=True))


weights_strategy = st.dictionaries(
    st.tuples(st.integers(0, 4), st.integers(0, 4)), st.sampled_from([0.5, 1.0, 1.5, 2.0]), max_size=12
)


@settings(max_examples=300, deadline=None)
@given(weights_strategy)
def test_pairs_read_off_without_search_are_optimal(weights):
    """When the row (or column) maxima do not collide, taking them is an optimum (sum of maxima is a bound)."""
    rows = sorted({r for r, _ in weights})
    cols = sorted({c for _, c in weights})
    found = best_pairs_if_disjoint(rows, cols, weights)
    if found is None or not rows:
        return
    assert len({r for r, _ in found}) == len(found) == len({c for _, c in found})
    assert all(pair in weights for pair in found)
    assert [r for r, _ in found] == sorted(r for r, _ in found)  # row order
    assert sum(weights[p] for p in found) == pytest.approx(brute_force_best(rows, cols, weights))


def test_pairs_read_off_hand_computed():
    # Row maxima r1 -> c1 (3), r2 -> c2 (2) are disjoint: optimal, no solver.
    assert best_pairs_if_disjoint(["r1", "r2"], ["c1", "c2"], {("r1", "c1"): 3.0, ("r1", "c2"): 1.0, ("r2", "c2"): 2.0}) == [("r1", "c1"), ("r2", "c2")]
    # Ties: r1 may take c1 or c2 (both 1.0); r2 only c1; rows in order: r1 takes c1, r2 is left
    # without its maximum, so rows fail; columns: c1's maximum is r1 or r2 (tie) -> r1, c2's is r1 (taken): fail.
    assert best_pairs_if_disjoint(["r1", "r2"], ["c1", "c2"], {("r1", "c1"): 1.0, ("r1", "c2"): 1.0, ("r2", "c1"): 1.0}) is None
    # A collision: both rows want c1 most; the columns' maxima (c1 -> r1, c2 -> r2) are disjoint.
    assert best_pairs_if_disjoint(["r1", "r2"], ["c1", "c2"], {("r1", "c1"): 3.0, ("r2", "c1"): 2.0, ("r2", "c2"): 1.0}) == [("r1", "c1"), ("r2", "c2")]
    # Both collide: r1, r2 both want c1; c1 wants r1, c2 wants r1 -> a solver must choose.
    assert best_pairs_if_disjoint(["r1", "r2"], ["c1", "c2"], {("r1", "c1"): 3.0, ("r1", "c2"): 2.0, ("r2", "c1"): 2.0}) is None
