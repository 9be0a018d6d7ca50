"""Bootstrap confidence intervals for F1, from per-unit counts (never by re-running the scorer).

Method (Efron & Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13, percentile
intervals; for NLP test sets Koehn 2004, "Statistical Significance Tests for Machine
Translation Evaluation", EMNLP): the test set is a sample of *units* (sentences, documents or
events). A resample draws as many units as there are, uniformly with replacement, and recomputes
every F1 from the summed tp / fp / fn of the drawn units; the interval at level ``c`` is the
``(1 - c) / 2`` and ``(1 + c) / 2`` percentiles of the resampled values.

Because every ``Outcome`` record carries its document and anchor (`scorers.events`), counts are
tallied once into a units x cells x 3 matrix (a cell is a metric, or a metric within one group
of a breakdown), and a chunk of resamples is one product ``weights @ counts``, where
``weights[b, u]`` says how often resample ``b`` drew unit ``u``. Memory is bounded by one chunk
of the weights matrix (at most :data:`CHUNK_ELEMENTS` entries, whatever the number of resamples)
plus the resampled statistics themselves, which the percentiles need.

Units (``UNITS``), each an assignment rule for outcome records:

* ``sentence``: the sentence (`scorers.sentences.split_sentences`) containing the record's
  anchor; a record without a locatable anchor (text-only trigger) falls in one extra
  "unlocated" unit of its document. Sentences without any record are units too: they are part
  of the test set.
* ``doc``: the record's document; every reference document is a unit.
* ``event``: each reference event is a unit holding every record about it (its tp / fn of every
  metric and its arguments); a predicted event joins the unit of the reference event it is
  aligned to under ``tri_i`` (trigger identification), and an unaligned predicted event is a
  unit of its own.

A resample in which a cell has no items at all (tp + fp + fn = 0) has no F1 for that cell: the
value is NaN and is left out of that cell's percentiles (a group absent from a resample is not
"all wrong"). The same rule makes the macro average a mean over the types present in the
resample, as `scorers.events.macro_average` is over the types present in the data.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scorers.events import Cell, Outcome, cells_of
from scorers.units import UNITS, Unit  # noqa: F401 (re-exported)

KINDS = ("tp", "fp", "fn")
#: Upper bound on the entries of one chunk of the resample index / weights matrix.
CHUNK_ELEMENTS = 1 << 19
#: Upper bound on the resampled values held at once by :func:`f1_intervals` (cells x resamples).
SAMPLE_ELEMENTS = 1 << 21
UNLOCATED = -1


# --- units: which unit each outcome record belongs to ------------------------------------------


def _event_key(doc_id: str, side: str, event_id: str) -> tuple[str, str, str]:
    return (doc_id, side, event_id)


#: A unit's key: ``(doc,)``, ``(doc, sentence start)`` or ``(doc, side, event id)``; the keys of one unit kind sort.
UnitKey = tuple[Any, ...]


def unit_keys(
    outcomes: Sequence[Outcome],
    unit: Unit,
    *,
    documents: Iterable[str],
    sentences: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    pred_tag: str = "pred",
) -> tuple[list[UnitKey], list[UnitKey]]:
    """The unit key of every record, and every unit of the test set (sorted).

    ``documents`` are the reference documents scored; ``sentences`` maps each to its sentence
    ranges (needed for ``unit="sentence"``). ``pred_tag`` names the predicting side in the keys
    of unaligned predicted events, so two systems' event units stay apart in a paired test.
    """
    documents = sorted(documents)
    if unit == "doc":
        return [(o.doc_id,) for o in outcomes], [(d,) for d in documents]
    if unit == "sentence":
        if sentences is None:
            raise ValueError("unit 'sentence' needs the sentence ranges of every document")
        starts = {d: [s for s, _ in sentences.get(d, ())] for d in documents}

        def sentence_of(o: Outcome) -> tuple[str, int]:
            ranges = sentences.get(o.doc_id, ())
            if o.anchor is not None:
                i = bisect_right(starts.get(o.doc_id, []), o.anchor) - 1
                if i >= 0 and ranges[i][0] <= o.anchor < ranges[i][1]:
                    return (o.doc_id, ranges[i][0])
            return (o.doc_id, UNLOCATED)

        keys: list[UnitKey] = [sentence_of(o) for o in outcomes]
        universe = {(d, s) for d in documents for s, _ in sentences.get(d, ())} | set(keys)
        return keys, sorted(universe)
    if unit == "event":
        aligned = {
            (o.doc_id, o.pred.event.id): _event_key(o.doc_id, "ref", o.ref.event.id)
            for o in outcomes
            if o.metric == "tri_i" and o.kind == "tp" and o.pred is not None and o.ref is not None
        }

        def event_of(o: Outcome) -> tuple[str, str, str]:
            if o.ref is not None:
                return _event_key(o.doc_id, "ref", o.ref.event.id)
            assert o.pred is not None
            return aligned.get((o.doc_id, o.pred.event.id), _event_key(o.doc_id, pred_tag, o.pred.event.id))

        keys = [event_of(o) for o in outcomes]
        return keys, sorted(set(keys))
    raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")


# --- count tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountTable:
    """tp / fp / fn of every cell in every unit: ``counts[unit, cell, kind]`` (kind in tp, fp, fn).

    ``counts`` is a dense array, or for large corpora (many units, a cell per document) a
    scipy sparse matrix of shape units x (cells * 3) holding the same numbers.
    """

    units: tuple[Hashable, ...]
    cells: tuple[Cell, ...]
    counts: np.ndarray

    @property
    def matrix(self) -> Any:  # np.ndarray or a scipy sparse matrix (scipy is untyped)
        """The counts as units x (cells * 3), dense or sparse: the shape :func:`bootstrap` takes."""
        return self.counts if self.counts.ndim == 2 else self.counts.reshape(len(self.units), -1)

    def totals(self) -> np.ndarray:
        """Corpus counts per cell (cells x 3): the sums the point estimates come from."""
        return np.asarray(self.matrix.sum(axis=0)).reshape(len(self.cells), 3)

    def column(self, cell: Cell) -> int:
        return self.cells.index(cell)


def _cell_order(cell: Cell) -> tuple[bool, str, str, str]:
    return (cell[1] is not None, cell[1] or "", cell[0], cell[2] or "")


@dataclass(frozen=True)
class UnitCounts:
    """The records of some units, tallied: ``values[i]`` records of column ``cols[i]`` in unit ``rows[i]``.

    Columns are ``cell * 3 + kind`` over this part's own ``cells``. Parts of disjoint, ordered
    sets of units (e.g. one per document) are put together by :func:`table_of`.
    """

    units: tuple[Hashable, ...]
    cells: tuple[Cell, ...]
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray


def unit_counts(
    outcomes: Sequence[Outcome],
    keys: Sequence[Hashable],
    universe: Sequence[Hashable],
    groupings: Mapping[str, Callable[[Outcome], str]] | None = None,
) -> UnitCounts:
    """Tally the records (unit ``keys[i]`` for record ``i``) of the units in ``universe``: one pass, no scoring."""
    groupings = groupings or {}
    row = {k: i for i, k in enumerate(universe)}
    per_outcome = [cells_of(o, groupings) for o in outcomes]
    cells = sorted({c for cs in per_outcome for c in cs}, key=_cell_order)
    column = {c: j for j, c in enumerate(cells)}
    kind = {k: i for i, k in enumerate(KINDS)}
    width = 3 * len(cells)
    flat = [row[key] * width + 3 * column[c] + kind[o.kind] for o, key, cs in zip(outcomes, keys, per_outcome, strict=True) for c in cs]
    found, values = np.unique(np.asarray(flat, dtype=np.int64), return_counts=True)
    return UnitCounts(tuple(universe), tuple(cells), (found // max(width, 1)).astype(np.int32), (found % max(width, 1)).astype(np.int32),
                      values.astype(np.int32))


class CountParts:
    """Unit counts of parts with disjoint, ordered units (one per document), held as three flat integer arrays.

    Why: a streamed run keeps every document's unit counts until the bootstrap, and as one
    ``UnitCounts`` per document (three small numpy arrays, a tuple of cells) they cost several
    times the memory of the run itself at 10k documents. Here an entry costs 3 bytes (a 2-byte
    column and a 1-byte count, widened only when a number does not fit; the entries are appended
    unit by unit, so the rows are the lengths), cells are
    numbered once in first-seen order, and :meth:`table` builds the sparse table straight from
    the arrays: the entries are already in row order, so no second sparse format is made.
    """

    def __init__(self) -> None:
        self.units: list[Hashable] = []
        #: cell -> its number here (first seen first); a column is ``3 * number + kind``.
        self.cells: dict[Cell, int] = {}
        self.lengths = array("q")  # entries of each unit, in unit order
        # As narrow as the numbers seen so far allow (nearly every count is below 256, and a run
        # without per-document cells has fewer than 2**16 columns); widened when one does not fit.
        self.columns = array("H")
        self.values = array("B")

    def __len__(self) -> int:
        return len(self.units)

    def _number(self, cells: Iterable[Cell]) -> np.ndarray:
        numbers = self.cells
        found = [numbers.setdefault(c, len(numbers)) for c in cells]
        if 3 * len(numbers) >= 2**31:
            raise OverflowError(f"{len(numbers)} cells do not fit 32-bit columns")
        return np.asarray(found or [0], dtype=np.int64)

    def _append(self, units: Sequence[Hashable], lengths: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
        self.units.extend(units)
        self.lengths.frombytes(lengths.astype(np.int64).tobytes())
        self.columns = _appended(self.columns, columns)
        self.values = _appended(self.values, values)

    def append(self, part: UnitCounts) -> None:
        """Add one part's units after those held (its entries are in row order, as :func:`unit_counts` makes them)."""
        number = self._number(part.cells)
        self._append(part.units, np.bincount(part.rows, minlength=len(part.units)), 3 * number[part.cols // 3] + part.cols % 3, part.values)

    def extend(self, other: CountParts) -> None:
        """Add the units of ``other`` after those held (e.g. the next chunk of documents)."""
        number = self._number(other.cells)
        columns = _numbers(other.columns).astype(np.int64)
        self._append(other.units, _numbers(other.lengths), 3 * number[columns // 3] + columns % 3, _numbers(other.values))

    def table(self, cells: Sequence[Cell] | None = None, *, sparse: bool = False) -> CountTable:
        """The count table of the units held, in their order.

        Cells are every cell seen, sorted (corpus totals first, then each breakdown's groups), or
        ``cells`` when given (two systems compared on the same cells; other cells are dropped).
        Sparse, the counts are a float64 CSR matrix (what :func:`bootstrap` multiplies; counts
        far below 2**53 are exact), built in blocks so that no int64 copy of the entries is made.
        """
        order = sorted(self.cells, key=_cell_order) if cells is None else list(cells)
        position = np.full(max(len(self.cells), 1), -1, dtype=np.int64)
        for j, cell in enumerate(order):
            if cell in self.cells:
                position[self.cells[cell]] = j
        width = 3 * len(order)
        lengths, columns, values = _numbers(self.lengths), _numbers(self.columns), _numbers(self.values)
        index = np.int32 if max(len(columns), width) < 2**31 else np.int64
        mapped = np.empty(len(columns), dtype=index)
        step = CHUNK_ELEMENTS
        for a in range(0, len(columns), step):
            block = columns[a : a + step].astype(np.int64)
            where = position[block // 3]
            mapped[a : a + step] = np.where(where >= 0, 3 * where + block % 3, -1)
        rows = None
        if cells is not None:  # drop the entries of cells not asked for
            keep = mapped >= 0
            rows = np.repeat(np.arange(len(self.units), dtype=np.int64), lengths)[keep]
            lengths = np.bincount(rows, minlength=len(self.units))
            mapped, values = mapped[keep], values[keep]
        shape = (len(self.units), width)
        if sparse:
            from scipy.sparse import csr_array

            indptr = np.zeros(len(self.units) + 1, dtype=np.int64)
            np.cumsum(lengths, out=indptr[1:])
            return CountTable(tuple(self.units), tuple(order), csr_array((values.astype(np.float64), mapped, indptr.astype(index)), shape=shape))
        if rows is None:
            rows = np.repeat(np.arange(len(self.units), dtype=np.int64), lengths)
        counts = np.zeros(shape[0] * shape[1], dtype=np.int64)
        np.add.at(counts, rows * shape[1] + mapped, values)
        return CountTable(tuple(self.units), tuple(order), counts.reshape(len(self.units), len(order), 3))


#: The widest number each narrow array type holds, and the type it is widened to.
_WIDER = {"B": (2**8 - 1, "i"), "H": (2**16 - 1, "i")}


def _numbers(held: array[int]) -> np.ndarray:
    """The array's numbers as a numpy view (no copy; numpy reads the same type codes)."""
    return np.frombuffer(held, dtype=held.typecode)


def _appended(held: array[int], numbers: np.ndarray) -> array[int]:
    """``held`` with ``numbers`` (non-negative integers) appended, widened first if one does not fit its type."""
    if held.typecode in _WIDER and numbers.size:
        largest, wider = _WIDER[held.typecode]
        if int(numbers.max()) > largest:
            held = array(wider, _numbers(held).astype(wider).tobytes())
    held.frombytes(numbers.astype(held.typecode).tobytes())
    return held


def table_of(parts: Sequence[UnitCounts], cells: Sequence[Cell] | None = None, *, sparse: bool = False) -> CountTable:
    """One count table from parts with disjoint units, in the given order (see :meth:`CountParts.table`)."""
    held = CountParts()
    for part in parts:
        held.append(part)
    return held.table(cells, sparse=sparse)


def count_table(
    outcomes: Sequence[Outcome],
    keys: Sequence[Hashable],
    universe: Sequence[Hashable],
    groupings: Mapping[str, Callable[[Outcome], str]] | None = None,
    cells: Sequence[Cell] | None = None,
) -> CountTable:
    """Tally the records into a units x cells x 3 matrix (one pass, no scoring).

    Cells are every metric's corpus total plus, per grouping, every (metric, group) seen, in a
    sorted order; pass ``cells`` to fix them (two systems compared on the same cells).
    """
    return table_of([unit_counts(outcomes, keys, universe, groupings)], cells)


# --- resampling ----------------------------------------------------------------------------------


def chunk_rows(n_units: int) -> int:
    """Resamples per chunk: as many as keep one chunk of indices within :data:`CHUNK_ELEMENTS`."""
    return max(1, CHUNK_ELEMENTS // max(n_units, 1))


def resample_indices(n_units: int, resamples: int, seed: int) -> Iterator[np.ndarray]:
    """Chunks (rows x n_units) of unit indices drawn uniformly with replacement, one row per resample.

    The stream depends only on ``seed``, ``n_units`` and ``resamples``; every consumer (the
    vectorised bootstrap, a slow reference implementation, two systems in a paired test)
    drawing from the same seed sees the same resamples.
    """
    if n_units < 1:
        raise ValueError("cannot resample an empty test set (no units)")
    if resamples < 1:
        raise ValueError(f"resamples must be positive, got {resamples}")
    rng = np.random.default_rng(seed)
    step = chunk_rows(n_units)
    for done in range(0, resamples, step):
        yield rng.integers(0, n_units, size=(min(step, resamples - done), n_units))


def weights_of(indices: np.ndarray, n_units: int) -> np.ndarray:
    """How often each resample (row) drew each unit: rows x n_units, as float64 for BLAS.

    Counts and their weighted sums stay integers far below 2**53, so float64 sums are exact.
    Counted row by row into the result: no int64 copy of the whole chunk is made on the way.
    """
    weights = np.empty((indices.shape[0], n_units), dtype=np.float64)
    for row, drawn in zip(weights, indices, strict=True):
        row[:] = np.bincount(drawn, minlength=n_units)
    return weights


def f1_of(counts: np.ndarray) -> np.ndarray:
    """F1 = 2 tp / (2 tp + fp + fn) over the last axis (tp, fp, fn); NaN where there are no items."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    denominator = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, 2 * tp / np.where(denominator > 0, denominator, 1), np.nan)


def bootstrap(
    counts: np.ndarray, statistic: Callable[[np.ndarray], np.ndarray], resamples: int, seed: int
) -> np.ndarray:
    """``statistic`` of the summed counts of every resample: resamples x statistics.

    ``counts`` is units x k (any additive per-unit counts); ``statistic`` maps summed counts
    (rows x k) to rows x m values. Resamples are processed in chunks of :func:`chunk_rows`.
    """
    n_units = counts.shape[0]
    if isinstance(counts, np.ndarray):
        flat = counts.reshape(n_units, -1).astype(np.float64)
    else:  # a scipy sparse matrix (units x k): the product stays as cheap as the counts are sparse
        flat = counts.tocsr().astype(np.float64, copy=False)
    out: np.ndarray | None = None
    done = 0
    # The summed counts of a chunk are rows x k floats, and the statistic makes a few temporaries
    # of that size: rows are taken a few at a time so that they stay within CHUNK_ELEMENTS too
    # (the draws themselves, and so every number, do not depend on this split).
    step = max(1, CHUNK_ELEMENTS // max(flat.shape[1], 1))
    for idx in resample_indices(n_units, resamples, seed):
        for a in range(0, len(idx), step):
            part = statistic(np.asarray(weights_of(idx[a : a + step], n_units) @ flat))
            if out is None:  # filled in place: no list of parts to concatenate
                out = np.empty((resamples, *part.shape[1:]), dtype=part.dtype)
            out[done : done + len(part)] = part
            done += len(part)
    return out  # type: ignore[return-value]


def prf_statistic(n_cells: int) -> Callable[[np.ndarray], np.ndarray]:
    """Summed counts of a count table (rows x cells * 3) -> F1 of every cell (rows x cells)."""
    return lambda summed: f1_of(summed.reshape(-1, n_cells, 3))


def bootstrap_f1(table: CountTable, resamples: int, seed: int) -> np.ndarray:
    """Resampled F1 of every cell of ``table``: resamples x cells (NaN where a cell is empty)."""
    return bootstrap(table.counts, prf_statistic(len(table.cells)), resamples, seed)


def nan_mean(samples: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Row means over ``columns`` ignoring NaN (NaN for a row with none): a resampled macro average."""
    block = samples[:, list(columns)] if len(columns) else np.full((samples.shape[0], 1), np.nan)
    present = ~np.isnan(block)
    total = np.where(present, block, 0.0).sum(axis=1)
    n = present.sum(axis=1)
    return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def percentile_interval(samples: np.ndarray, level: float) -> list[tuple[float, float] | None]:
    """Percentile interval of every column at ``level`` (e.g. 0.95); None for a column that is all NaN.

    NaN values are left out of their column. Columns without NaN (nearly all) are done in one
    vectorised call, which computes what the call per column computes.
    """
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be in (0, 1), got {level}")
    samples = samples.reshape(samples.shape[0], -1)
    tails = [100 * (1 - level) / 2, 100 * (1 + level) / 2]
    out: list[tuple[float, float] | None] = [None] * samples.shape[1]
    has_nan = np.isnan(samples).any(axis=0)
    whole = np.flatnonzero(~has_nan)
    if whole.size and samples.shape[0]:
        lows, highs = np.percentile(samples[:, whole], tails, axis=0)
        for j, lo, hi in zip(whole.tolist(), lows.tolist(), highs.tolist(), strict=True):
            out[j] = (lo, hi)
    for j in np.flatnonzero(has_nan).tolist():
        values = samples[:, j][~np.isnan(samples[:, j])]
        if values.size:
            lo, hi = np.percentile(values, tails)
            out[j] = (float(lo), float(hi))
    return out


def f1_intervals(
    table: CountTable, resamples: int, seed: int, level: float, means: Sequence[Sequence[int]] = ()
) -> tuple[list[tuple[float, float] | None], list[tuple[float, float] | None]]:
    """Percentile intervals of every cell's F1, and of the mean F1 over each group of cells in ``means``.

    The same as :func:`percentile_interval` of :func:`bootstrap_f1` (and of :func:`nan_mean` for
    a macro average), in blocks of cells so that at most :data:`SAMPLE_ELEMENTS` resampled values
    are held at once, whatever the number of resamples: each block draws the same resamples
    again from ``seed``.
    """
    matrix = table.matrix
    per_block = max(1, SAMPLE_ELEMENTS // max(resamples, 1))
    cells: list[tuple[float, float] | None] = []
    for start in range(0, len(table.cells), per_block):
        block = range(start, min(start + per_block, len(table.cells)))
        whole = len(block) == len(table.cells)  # one block (the usual case): no copy of the columns
        samples = bootstrap(matrix if whole else matrix[:, 3 * block.start : 3 * block.stop], prf_statistic(len(block)), resamples, seed)
        cells += percentile_interval(samples, level)
    averages: list[tuple[float, float] | None] = []
    for columns in means:
        picked = [3 * j + k for j in columns for k in range(3)]
        if not columns:
            averages.append(None)
            continue
        samples = bootstrap(matrix[:, picked], prf_statistic(len(columns)), resamples, seed)
        averages.append(percentile_interval(nan_mean(samples, range(len(columns)))[:, None], level)[0])
    return cells, averages
