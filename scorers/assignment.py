"""Maximum-weight one-to-one assignment of rows to columns, without importing scipy for small problems.

Every alignment in evbench (event and argument alignment, CEAF) splits its problem into
connected components and solves each one; nearly all are a few rival pairs. Importing
``scipy.optimize`` for those costs more start-up time than all the scoring of a small corpus,
so small components are solved here by a line-for-line port of the algorithm scipy's
``linear_sum_assignment`` runs (the shortest augmenting path method of Crouse 2016, "On
implementing 2D rectangular assignment algorithms", IEEE TAES 52(4), as in scipy's
``rectangular_lsap.cpp``): the same arithmetic in the same order, so the same assignment,
ties included (a test compares the two on random tie-heavy matrices). Large components go
to scipy itself.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

#: Components with at most this many rows x columns are solved in Python.
PYTHON_CELLS = 2500
_INF = float("inf")


def maximum_assignment(rows: Sequence[Hashable], cols: Sequence[Hashable], weights: Mapping[tuple, float]) -> list[tuple]:
    """A one-to-one assignment of ``rows`` to ``cols`` with the largest total weight (missing pairs weigh 0).

    Returns ``(row, col)`` pairs in row order, min(len(rows), len(cols)) of them (pairs of
    weight 0 included, as scipy returns them).
    """
    row_of, col_of = {r: k for k, r in enumerate(rows)}, {c: k for k, c in enumerate(cols)}
    if len(rows) * len(cols) > PYTHON_CELLS:
        import numpy as np
        from scipy.optimize import linear_sum_assignment

        matrix = np.zeros((len(rows), len(cols)))
        for (r, c), w in weights.items():
            matrix[row_of[r], col_of[c]] = w
        found_rows, found_cols = linear_sum_assignment(matrix, maximize=True)
        return [(rows[i], cols[j]) for i, j in zip(found_rows.tolist(), found_cols.tolist())]
    cost = [[0.0] * len(cols) for _ in rows]
    for (r, c), w in weights.items():
        cost[row_of[r]][col_of[c]] = -w  # maximising the weight is minimising its negative
    found_rows, found_cols = linear_sum_assignment_py(cost)
    return [(rows[i], cols[j]) for i, j in zip(found_rows, found_cols)]


def linear_sum_assignment_py(cost: list[list[float]]) -> tuple[list[int], list[int]]:
    """Minimum-cost assignment of a (rectangular) cost matrix: scipy's ``linear_sum_assignment`` in Python."""
    nr = len(cost)
    nc = len(cost[0]) if nr else 0
    if nr == 0 or nc == 0:
        return [], []
    transpose = nc < nr
    if transpose:  # a tall matrix is solved transposed
        cost = [[cost[i][j] for i in range(nr)] for j in range(nc)]
        nr, nc = nc, nr
    u, v = [0.0] * nr, [0.0] * nc
    path, col4row, row4col = [-1] * nc, [-1] * nr, [-1] * nc
    for cur_row in range(nr):
        # Shortest augmenting path from cur_row (Dijkstra over reduced costs).
        min_val = 0.0
        remaining = list(range(nc - 1, -1, -1))  # reversed, as scipy fills it
        num_remaining = nc
        in_rows, in_cols = [False] * nr, [False] * nc
        shortest = [_INF] * nc
        sink, i = -1, cur_row
        while sink == -1:
            index, lowest = -1, _INF
            in_rows[i] = True
            row, ui = cost[i], u[i]
            for it in range(num_remaining):
                j = remaining[it]
                r = min_val + row[j] - ui - v[j]
                if r < shortest[j]:
                    path[j] = i
                    shortest[j] = r
                # Of equally short paths, prefer one that ends at a free column.
                if shortest[j] < lowest or (shortest[j] == lowest and row4col[j] == -1):
                    lowest, index = shortest[j], it
            min_val = lowest
            j = remaining[index]
            if row4col[j] == -1:
                sink = j
            else:
                i = row4col[j]
            in_cols[j] = True
            num_remaining -= 1
            remaining[index] = remaining[num_remaining]
        # Update the dual variables, then augment along the path.
        u[cur_row] += min_val
        for i in range(nr):
            if in_rows[i] and i != cur_row:
                u[i] += min_val - shortest[col4row[i]]
        for j in range(nc):
            if in_cols[j]:
                v[j] -= min_val - shortest[j]
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur_row:
                break
    if transpose:
        order = sorted(range(nr), key=lambda k: col4row[k])
        return [col4row[k] for k in order], order
    return list(range(nr)), col4row
