"""Within-document event coreference counts per document, and their F1 recomputed from summed counts.

Coreference metrics do not decompose below documents (a cluster links mentions in different
sentences), but their *within-document* counts (``coref_within.*``, `scorers.event_coref`) are
additive over documents: the corpus score is computed from per-document numerators and
denominators summed (`scorers.coref.sum_scores`). So documents can be resampled like any
other unit (`scorers.bootstrap.bootstrap`, `scorers.significance`), with the statistic below
recomputing every measure's F1 and the CoNLL average from a resample's summed counts, exactly
as `scorers.coref` does for the corpus (same zero-division rules, BLANC's key-decided
combination). A resample with no mentions at all (every count 0) has no value: NaN.

The cross-document scope (``coref_cross.*``) is one corpus-wide partition: it cannot be split
into additive per-document counts, so it gets no resampling here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from scorers.coref import CONLL_METRICS, CorefCounts, score_all
from scorers.event_coref import MEASURES, partitions
from scorers.matching import SpanMatcher
from scorers.model import Annotation

#: The measures with counts (every measure but the derived CoNLL average).
COUNTED = tuple(m for m in MEASURES if m != "conll")


def within_document_counts(pred: Annotation, ref: Annotation, matcher: SpanMatcher) -> dict[str, dict[str, CorefCounts]]:
    """Every counted measure's counts on each reference document alone (they sum to ``coref_within``)."""
    units = partitions(pred, ref, matcher, "within")
    return {doc: {m: c for m, c in score_all(p.key, p.response).items() if m in COUNTED} for doc, p in units.items()}  # type: ignore[misc]


@dataclass(frozen=True)
class CorefCountMatrix:
    """``counts[document, column]``: the counts of every measure, one column per (measure, field)."""

    documents: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    counts: np.ndarray


def count_matrix(per_document: Mapping[str, Mapping[str, CorefCounts]], documents: Sequence[str]) -> CorefCountMatrix:
    """Stack per-document counts (a document without counts is all zeros) into a documents x columns matrix."""
    template = next(iter(per_document.values()), None)
    if template is None:
        from scorers.coref import BlancCounts

        template = {m: (BlancCounts() if m == "blanc" else CorefCounts()) for m in COUNTED}
    columns = tuple((m, f.name) for m in COUNTED for f in dataclasses.fields(template[m]))
    rows = [[float(getattr(per_document[d][m], f)) if d in per_document else 0.0 for m, f in columns] for d in documents]
    return CorefCountMatrix(tuple(documents), columns, np.asarray(rows, dtype=np.float64).reshape(len(documents), len(columns)))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    ratio: np.ndarray = np.divide(num, den, out=np.zeros_like(num, dtype=np.float64), where=den != 0)  # numpy types it as Any
    return ratio


def _harmonic(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    total = p + r
    f1: np.ndarray = np.divide(2 * p * r, total, out=np.zeros_like(total, dtype=np.float64), where=total != 0)  # numpy types it as Any
    return f1


def f1_statistic(columns: Sequence[tuple[str, str]]) -> Callable[[np.ndarray], np.ndarray]:
    """Summed counts (rows x columns) -> F1 of every measure of ``MEASURES`` (CoNLL last), rows x measures."""
    where = {c: j for j, c in enumerate(columns)}

    def col(summed: np.ndarray, measure: str, field: str) -> np.ndarray:
        return summed[:, where[(measure, field)]]

    def f1(summed: np.ndarray, measure: str, prefix: str = "") -> np.ndarray:
        p = _ratio(col(summed, measure, f"{prefix}precision_num"), col(summed, measure, f"{prefix}precision_den"))
        r = _ratio(col(summed, measure, f"{prefix}recall_num"), col(summed, measure, f"{prefix}recall_den"))
        return _harmonic(p, r)

    def blanc(summed: np.ndarray) -> np.ndarray:
        # BlancCounts._combine: which link types exist is decided by the key alone.
        has_coref = col(summed, "blanc", "recall_den") > 0
        has_noncoref = col(summed, "blanc", "noncoref_recall_den") > 0
        coref, noncoref = f1(summed, "blanc"), f1(summed, "blanc", "noncoref_")
        return np.where(has_coref & has_noncoref, (coref + noncoref) / 2,
                        np.where(has_coref, coref, np.where(has_noncoref, noncoref, 0.0)))

    def statistic(summed: np.ndarray) -> np.ndarray:
        values = {m: (blanc(summed) if m == "blanc" else f1(summed, m)) for m in COUNTED}
        # A sum of arrays (CONLL_METRICS is not empty, so never the start value 0): an array.
        values["conll"] = cast(np.ndarray, sum(values[m] for m in CONLL_METRICS) / len(CONLL_METRICS))
        out = np.stack([values[m] for m in MEASURES], axis=1)
        empty = ~(summed != 0).any(axis=1)
        out[empty] = np.nan
        return out

    return statistic
