"""Maximum-weight one-to-one assignment of rows to columns, solved per connected component.

Every alignment in evbench (event and argument alignment, CEAF) splits its problem into the
connected components of its candidate pairs and solves each one with scipy's
``linear_sum_assignment`` (Crouse 2016, "On implementing 2D rectangular assignment
algorithms", IEEE TAES 52(4)). scipy is imported on first use, so commands that never align
(`--help`, `validate`) do not pay its start-up cost.

Most components need no solver: when every row's best pair (or every column's) can be taken
at once without two of them sharing a partner, that choice is optimal, because no assignment
weighs more than the sum of the row maxima (or the column maxima). Scoring a submission
against itself, or a good system against the gold, is almost all such components, so scipy
(about 0.3 s to import) is loaded only for a real choice.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

Row = TypeVar("Row", bound=Hashable)
Col = TypeVar("Col", bound=Hashable)
#: A node of the bipartite graph: (0, row) or (1, column).
_Node = tuple[int, Hashable]


def connected_components(pairs: Iterable[tuple[Row, Col]]) -> list[list[tuple[Row, Col]]]:
    """The (row, column) pairs grouped by connected component of their bipartite graph, in first-seen order.

    Rows and columns are apart (row 1 and column 1 are different nodes). An assignment problem
    whose allowed pairs are ``pairs`` is solved exactly by solving each component alone.
    """
    pairs = list(pairs)
    parent: dict[_Node, _Node] = {}

    def find(node: _Node) -> _Node:
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
    groups: dict[_Node, list[tuple[Row, Col]]] = {}
    for r, c in pairs:
        groups.setdefault(find((0, r)), []).append((r, c))
    return list(groups.values())


def maximum_assignment(rows: Sequence[Row], cols: Sequence[Col], weights: Mapping[tuple[Row, Col], float]) -> list[tuple[Row, Col]]:
    """A one-to-one assignment of ``rows`` to ``cols`` with the largest total weight (missing pairs weigh 0).

    Returns ``(row, col)`` pairs in row order, at most min(len(rows), len(cols)) of them; a
    pair of weight 0 (no weight given) may or may not be among them, it adds nothing.
    """
    if not rows or not cols:
        return []
    evident = best_pairs_if_disjoint(rows, cols, weights)
    if evident is not None:
        return evident
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    row_of, col_of = {r: k for k, r in enumerate(rows)}, {c: k for k, c in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)))
    for (r, c), w in weights.items():
        matrix[row_of[r], col_of[c]] = w
    found_rows, found_cols = linear_sum_assignment(matrix, maximize=True)
    return [(rows[i], cols[j]) for i, j in zip(found_rows.tolist(), found_cols.tolist(), strict=True)]


def best_pairs_if_disjoint(rows: Sequence[Row], cols: Sequence[Col], weights: Mapping[tuple[Row, Col], float]) -> list[tuple[Row, Col]] | None:
    """An optimal assignment read off the weights without search, or None when there is none to read.

    Rows in order each take their heaviest pair (of equal ones, the first column in ``cols``
    order not yet taken); if every row gets one, the total is the sum of the row maxima, an
    upper bound, so the assignment is optimal. The same is tried column by column. None means
    the maxima collide and a solver must choose.
    """
    for by_row in (True, False):
        order = {c: k for k, c in enumerate(cols if by_row else rows)}
        best: dict[Hashable, list[Any]] = {}  # node -> [heaviest weight, [its partners]]
        for (r, c), w in weights.items():
            mine, other = (r, c) if by_row else (c, r)
            found = best.get(mine)
            if found is None or w > found[0]:
                best[mine] = [w, [other]]
            elif w == found[0]:
                found[1].append(other)
        taken: set[Hashable] = set()
        pairs: list[Any] = []  # (row, col) pairs; a row or a column per pass, so not typed finer
        for node in (rows if by_row else cols):
            if node not in best:
                continue
            free = [o for o in sorted(best[node][1], key=order.__getitem__) if o not in taken]
            if not free:
                break
            taken.add(free[0])
            pairs.append((node, free[0]) if by_row else (free[0], node))
        else:
            if not by_row:  # back in row order
                rank = {r: k for k, r in enumerate(rows)}
                pairs.sort(key=lambda pair: rank[pair[0]])
            return pairs
    return None
