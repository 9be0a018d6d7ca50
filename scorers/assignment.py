"""Maximum-weight one-to-one assignment of rows to columns, solved per connected component.

Every alignment in evbench (event and argument alignment, CEAF) splits its problem into the
connected components of its candidate pairs and solves each one with scipy's
``linear_sum_assignment`` (Crouse 2016, "On implementing 2D rectangular assignment
algorithms", IEEE TAES 52(4)). scipy is imported on first use, so commands that never align
(`--help`, `validate`) do not pay its start-up cost.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

def connected_components(pairs: Iterable[tuple[Hashable, Hashable]]) -> list[list[tuple]]:
    """The (row, column) pairs grouped by connected component of their bipartite graph, in first-seen order.

    Rows and columns are apart (row 1 and column 1 are different nodes). An assignment problem
    whose allowed pairs are ``pairs`` is solved exactly by solving each component alone.
    """
    pairs = list(pairs)
    parent: dict[tuple, tuple] = {}

    def find(node: tuple) -> tuple:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    for r, c in pairs:
        a, b = find((0, r)), find((1, c))
        if a != b:
            parent[b] = a
    groups: dict[tuple, list[tuple]] = {}
    for r, c in pairs:
        groups.setdefault(find((0, r)), []).append((r, c))
    return list(groups.values())


def maximum_assignment(rows: Sequence[Hashable], cols: Sequence[Hashable], weights: Mapping[tuple, float]) -> list[tuple]:
    """A one-to-one assignment of ``rows`` to ``cols`` with the largest total weight (missing pairs weigh 0).

    Returns ``(row, col)`` pairs in row order, min(len(rows), len(cols)) of them (pairs of
    weight 0 included, as scipy returns them).
    """
    if not rows or not cols:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    row_of, col_of = {r: k for k, r in enumerate(rows)}, {c: k for k, c in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)))
    for (r, c), w in weights.items():
        matrix[row_of[r], col_of[c]] = w
    found_rows, found_cols = linear_sum_assignment(matrix, maximize=True)
    return [(rows[i], cols[j]) for i, j in zip(found_rows.tolist(), found_cols.tolist())]
