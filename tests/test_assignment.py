"""The Python assignment solver is scipy's `linear_sum_assignment`, assignment for assignment, ties included."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from scorers import assignment
from scorers.assignment import linear_sum_assignment_py, maximum_assignment


@pytest.mark.parametrize("seed", range(4))
def test_same_assignment_as_scipy_on_tie_heavy_matrices(seed):
    rng = random.Random(seed)
    for _ in range(1500):
        nr, nc = rng.randint(1, 7), rng.randint(1, 7)
        weights = np.zeros((nr, nc))
        for i in range(nr):
            for j in range(nc):
                if rng.random() < 0.5:  # the alignment's weights: a bonus plus a similarity, often equal
                    weights[i, j] = min(nr, nc) + 1.0 + rng.choice([1.0, 0.5, 1.0, rng.random()])
        rows, cols = linear_sum_assignment(weights, maximize=True)
        assert linear_sum_assignment_py((-weights).tolist()) == (rows.tolist(), cols.tolist())


def test_large_components_go_to_scipy_with_the_same_answer(monkeypatch):
    rng = np.random.default_rng(3)
    weights = {(i, j): float(rng.integers(1, 4)) for i in range(30) for j in range(40) if rng.random() < 0.2}
    here = maximum_assignment(list(range(30)), list(range(40)), weights)
    monkeypatch.setattr(assignment, "PYTHON_CELLS", 0)
    assert maximum_assignment(list(range(30)), list(range(40)), weights) == here


def test_empty_and_one_by_one():
    assert linear_sum_assignment_py([]) == ([], [])
    assert maximum_assignment(["a"], ["b"], {("a", "b"): 2.0}) == [("a", "b")]
